"""Work that either of a build's two processes makes, whichever is free first."""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Iterable, Sequence

from site_builder.core.outputs import BuildContext, Output, Producer


class SharedWork:
    """Producers that the building process and the background process take one at a time,
    in order, each when done with its own work: which process is done first depends on the
    site (at 10,000 projects the background one, at 50,000 the building one).  The count of
    producers taken lives in shared memory; make this before the fork."""

    def __init__(self, producers: Sequence[Producer]) -> None:
        self.producers = list(producers)
        self._taken = multiprocessing.get_context("fork").Value("i", 0)

    def take(self) -> Producer | None:
        """The next producer nobody has taken yet, or None."""
        with self._taken.get_lock():
            number = self._taken.value
            self._taken.value = number + 1
        return self.producers[number] if number < len(self.producers) else None

    def run(self, context: BuildContext, write: Callable[[Iterable[Output]], object]) -> None:
        """Take producers until none is left, handing each one's files to ``write``."""
        while (producer := self.take()) is not None:
            write(producer(context))

"""The producer protocol: how a producer declares itself to the build and to the preview.

A producer is a module with a ``PRODUCER`` (:class:`ProducerSpec`) registered in
:mod:`site_builder.build.registry`.  A full build calls its ``produce`` (or, on a large site,
its ``pieces`` and ``final``, as :mod:`site_builder.build.scheduler` shares them out); the
preview (:mod:`site_builder.build.live`) asks its ``live`` updater, after each edit of some
projects, for the files the edit changes.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence, Set
from dataclasses import dataclass
from typing import Protocol

from site_builder.core.outputs import BuildContext, OutputFile, Producer
from site_builder.model import Project


@dataclass(frozen=True)
class Edit:
    """One project file read again, or the file of its self-evaluation: the project before and
    after (same id, year, unit)."""

    old: Project
    """As the last build had it."""
    new: Project
    """As it is now."""
    evaluation: bool = False
    """Whether its self-evaluation was edited (the project itself may be unchanged: ``old``
    equal to ``new``)."""


@dataclass(frozen=True)
class Update:
    """The files an edit changes, of one producer."""

    files: list[OutputFile]
    """Files made again (the writer skips those whose bytes did not change)."""
    removed: frozenset[str] = frozenset()
    """Files of the output that go away."""


class Updater(Protocol):
    """Keeps one producer's files current while projects are edited in the preview."""

    def update(self, context: BuildContext, edits: Sequence[Edit], paths: Set[str]
               ) -> Update | None:
        """The files ``edits`` change (``context``: the site after them; ``paths``: every
        file of the output before them), or None when only a full build can say."""
        ...


MakeUpdater = Callable[[BuildContext], Updater]
"""Makes an updater from the context of the full build just done."""


class Unchanged:
    """The updater of a producer whose files no edit of a project can change."""

    def __init__(self, context: BuildContext) -> None:
        del context

    def update(self, context: BuildContext, edits: Sequence[Edit], paths: Set[str]
               ) -> Update | None:
        return Update([])


@dataclass(frozen=True)
class ProducerSpec:
    """A producer as it declares itself: what it makes, how its work may be shared out, and
    how it follows edits.  The scheduler decides which process makes what; the producer
    never knows."""

    name: str
    """What it makes, in a word or two (``pages``, ``open data``); names its pieces in the
    scheduler's layout as ``name/0``, ``name/1``…"""
    produce: Producer
    """Makes every file of the producer, in one process."""
    pieces: tuple[Producer, ...] = ()
    """The same files as independent pieces that any process may make, in any order (empty:
    :attr:`produce` is the only piece).  Together with :attr:`final` they make exactly the
    files of :attr:`produce`."""
    final: Producer | None = None
    """With :attr:`pieces`: files made from what the pieces noted in ``BuildStats``, once
    every piece of every producer is done."""
    live: MakeUpdater | None = None
    """Makes, after a full build, what keeps the files current while projects are edited
    (:class:`Unchanged` when no edit changes them); None: every edit takes a full build."""

    def piece_names(self) -> dict[str, Producer]:
        """Each piece by its name in the scheduler's layout."""
        if not self.pieces:
            return {self.name: self.produce}
        return {f"{self.name}/{number}": piece for number, piece in enumerate(self.pieces)}

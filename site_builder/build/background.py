"""A producer run in a forked process while the building process does the rest.

The child inherits the build context (nothing is pickled on the way in), writes its files
into the staging folder itself and sends back only their paths, or the diagnostics it failed
with.  A build that fails meanwhile stops the child instead of waiting for it.
"""

from __future__ import annotations

import multiprocessing
import traceback
from collections.abc import Callable, Iterable
from multiprocessing.connection import Connection
from types import TracebackType

from site_builder.build.outputs import BuildContext, OutputFile
from site_builder.build.writer import Staging
from site_builder.diagnostics import Diagnostic, Position, SiteBuilderError

Producer = Callable[[BuildContext], Iterable[OutputFile]]
Outcome = tuple[list[str], list[Diagnostic]]
"""What the child sends back: the paths it wrote, or the diagnostics it failed with."""


class Background:
    """``produce(context)`` written into ``staging`` by a forked process (a context
    manager: leaving it early stops the process)."""

    def __init__(self, produce: Producer, context: BuildContext, staging: Staging) -> None:
        fork = multiprocessing.get_context("fork")
        receiving, sending = fork.Pipe(duplex=False)
        self._receiving = receiving
        self._process = fork.Process(target=_run, args=(produce, context, staging,
                                                        sending), daemon=True)
        self._process.start()
        sending.close()

    def __enter__(self) -> Background:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        if self._process.is_alive():
            self._process.terminate()
        self._process.join()
        self._receiving.close()

    def paths(self) -> list[str]:
        """Wait for the process; the paths it wrote, or its failure raised here."""
        try:
            written, diagnostics = self._receiving.recv()
        except EOFError:  # it died without a word (killed, out of memory)
            self._process.join()
            diagnostics = [_failure(f"background producer exited with code "
                                    f"{self._process.exitcode}")]
            written = []
        if diagnostics:
            raise SiteBuilderError(diagnostics)
        paths: list[str] = written
        return paths


def _failure(text: str) -> Diagnostic:
    return Diagnostic(Position("<build>"), "error", text)


def _run(produce: Producer, context: BuildContext, staging: Staging,
         sending: Connection) -> None:
    outcome: Outcome
    try:
        outcome = (staging.write_unclaimed(produce(context)), [])
    except SiteBuilderError as exc:
        outcome = ([], list(exc.diagnostics))
    except BaseException as exc:  # noqa: BLE001 - reported to the building process
        last = traceback.extract_tb(exc.__traceback__)[-1:]
        where = f" ({last[0].filename}:{last[0].lineno})" if last else ""
        outcome = ([], [_failure(f"{type(exc).__name__}: {exc}{where}")])
    sending.send(outcome)
    sending.close()

"""Work done in a forked process while the building process does the rest.

The child inherits everything (nothing is pickled on the way in); it writes its files into the
staging folder itself and hands back only a small result (paths, counters, findings), or the
diagnostics it failed with.  The result goes into an unnamed temporary file both processes
hold, and the pipe carries only the word that it is there: so the child exits, and frees all
its memory, as soon as it is done, not when the building process gets round to reading (a
pipe holds 64 KB; at 50,000 projects the child had waited 12 s with 1 GB).  A build that fails
meanwhile stops the child instead of waiting for it.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import pickle
import signal
import tempfile
import traceback
from collections.abc import Callable
from multiprocessing.connection import Connection
from types import TracebackType
from typing import Any, BinaryIO, Generic, TypeVar

from site_builder.diagnostics import Diagnostic, Position, SiteBuilderError
from site_builder.i18n import _
from site_builder.processes import can_fork

T = TypeVar("T")


class Background(Generic[T]):
    """``task()`` run in a forked process (a context manager: leaving it early stops the
    process); where the system cannot fork (Windows), run here and now instead."""

    def __init__(self, task: Callable[[], T]) -> None:
        self._here: tuple[Any, list[Diagnostic]] | None = None
        if not can_fork():
            self._here = _outcome(task)
            return
        fork = multiprocessing.get_context("fork")
        receiving, sending = fork.Pipe(duplex=False)
        self._receiving = receiving
        self._result = tempfile.TemporaryFile()  # noqa: SIM115 - closed in __exit__
        # Not a daemon, so that it may start a process of its own; leaving the context
        # always stops or joins it.
        self._process = fork.Process(target=_run, args=(task, sending, self._result))
        self._process.start()
        sending.close()

    def __enter__(self) -> Background[T]:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        if self._here is not None:
            return
        if self._process.is_alive():
            self._process.terminate()
        self._process.join()
        self._receiving.close()
        self._result.close()

    def result(self) -> T:
        """Wait for the process; what ``task`` returned, or its failure raised here."""
        if self._here is not None:
            value, diagnostics = self._here
            if diagnostics:
                raise SiteBuilderError(diagnostics)
            done: T = value
            return done
        try:
            self._receiving.recv()
            self._result.seek(0)
            value, diagnostics = pickle.load(self._result)
        except EOFError:  # it died without a word (killed, out of memory)
            self._process.join()
            value, diagnostics = None, [_failure(
                _("background work exited with code {code}").format(
                    code=self._process.exitcode))]

        if diagnostics:
            raise SiteBuilderError(diagnostics)
        result: T = value
        return result


def give_back_memory() -> None:
    """Return the memory pages that freed objects left empty to the system (glibc's
    ``malloc_trim``; elsewhere nothing), between the background process's phases: they still
    count in its resident size otherwise, and the next phase does not reuse all of them
    (at 50,000 projects 150 MB stayed after the search export, under the listing pages)."""
    if _TRIM is not None:
        _TRIM(0)


def _libc_trim() -> Callable[[int], int] | None:
    try:
        trim: Callable[[int], int] = ctypes.CDLL(None).malloc_trim
    except (OSError, AttributeError):
        return None
    return trim


_TRIM = _libc_trim()


def _stop(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)


def _failure(text: str) -> Diagnostic:
    return Diagnostic(Position("<build>"), "error", text)


def _run(task: Callable[[], Any], sending: Connection, result: BinaryIO) -> None:
    # Stopped (terminate()), unwind rather than die at once, so that a process this one
    # started in turn is stopped too.
    signal.signal(signal.SIGTERM, _stop)
    outcome = _outcome(task)
    pickle.dump(outcome, result)
    result.flush()
    sending.send(True)
    sending.close()


def _outcome(task: Callable[[], Any]) -> tuple[Any, list[Diagnostic]]:
    """(what ``task`` returned, []) or (None, the diagnostics it failed with)."""
    try:
        return task(), []
    except SystemExit:  # stopped: nobody waits for an outcome
        raise
    except SiteBuilderError as exc:
        return None, list(exc.diagnostics)
    except BaseException as exc:  # noqa: BLE001 - reported to the building process
        last = traceback.extract_tb(exc.__traceback__)[-1:]
        where = f" ({last[0].filename}:{last[0].lineno})" if last else ""
        return None, [_failure(f"{type(exc).__name__}: {exc}{where}")]

"""The lock on an output folder: one build (or preview server) at a time writes into it.

The lock is a file beside the output folder (``.output.lock`` for ``output/``) locked by the
operating system (``fcntl.flock`` on POSIX, ``msvcrt.locking`` on Windows).  The system
releases it when its process ends, however it ends (``kill -9`` too), so a lock is never
stale; the file holds the holder's process id and command, for the message of whoever finds
it taken, and is removed by the holder when it lets go.

The lock belongs to the process that took it, not to the processes it forks (render workers,
the background producer): they drop their copy at once, so that a worker left running after
its build was killed never keeps the folder locked.  Within one process the lock is
re-entrant: the preview server holds it while it runs and its builds take it again.
"""

from __future__ import annotations

import errno
import os
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

from site_builder.diagnostics import SiteBuilderError, error
from site_builder.i18n import _

LOCK_SUFFIX = ".lock"
"""The lock file of ``output/`` is ``.output.lock`` in the same parent folder."""
_OPEN = (os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NOFOLLOW", 0)
         | getattr(os, "O_BINARY", 0))
_WINDOWS_BYTE = 1 << 20
"""Windows locks a byte range that readers cannot read: the byte locked lies past the holder's
text, so that others can still read who holds the lock."""


class Refused(SiteBuilderError):
    """A command refused before it changed anything: an output folder it may not replace, an
    output folder another build is writing, a port already taken (exit code 2)."""


@dataclass
class _Held:
    """A lock this process holds."""

    handle: int
    """The open lock file."""
    path: Path
    """The lock file."""
    count: int
    """How many holders in this process (the lock is re-entrant)."""


_HELD: dict[str, _Held] = {}
"""Locks held by this process, by resolved output folder."""
_GUARD = threading.Lock()


def shown_folder(folder: Path) -> str:
    """``folder`` as messages show it: relative to the current folder when inside it, with a
    final ``/`` (``output/``)."""
    try:
        shown = folder.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except (ValueError, OSError):
        shown = folder.as_posix()
    return shown if shown.endswith("/") else shown + "/"


def lock_path(out: Path) -> Path:
    """The lock file of the output folder ``out`` (resolved)."""
    return out.parent / f".{out.name}{LOCK_SUFFIX}"


@contextmanager
def hold_output(out: Path, holder: str) -> Iterator[None]:
    """Hold the lock on the output folder ``out`` (its parent must exist) while in the block;
    :class:`Refused` when another process holds it.  ``holder`` names the command for that
    process's message (``site-builder build``)."""
    key = os.fspath(out.resolve())
    with _GUARD:
        held = _HELD.get(key)
        if held is not None:
            held.count += 1
        else:
            path = lock_path(Path(key))
            held = _HELD[key] = _Held(_acquire(path, Path(key), holder), path, 1)
    try:
        yield
    finally:
        with _GUARD:
            held.count -= 1
            if held.count == 0 and _HELD.get(key) is held:
                del _HELD[key]
                _release(held)


def _acquire(path: Path, out: Path, holder: str) -> int:
    """The lock file at ``path``, opened and locked; :class:`Refused` when it is locked."""
    for _attempt in range(50):
        try:
            handle = os.open(path, _OPEN, 0o644)
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                raise Refused([error(str(path), _(
                    "the lock file {path} is a link, not a file site-builder made").format(
                        path=path), _("delete it and try again"), code="output-busy")]) from exc
            raise
        if not _lock(handle):
            text = _holder_text(handle)
            os.close(handle)
            raise Refused([error(
                shown_folder(out), _("another build is writing {folder} ({holder})").format(
                    folder=shown_folder(out), holder=text),
                _("wait for it to end (stop a preview with Ctrl+C) and try again, or choose "
                  "another output folder with --out"),
                code="output-busy")])
        if _same_file(handle, path):
            os.ftruncate(handle, 0)
            os.lseek(handle, 0, os.SEEK_SET)
            os.write(handle, f"{os.getpid()}\n{holder}\n".encode())
            return handle
        os.close(handle)  # its holder removed it meanwhile: lock the new one
    shown = shown_folder(out)
    raise Refused([error(shown, _("cannot lock {folder}: its lock file {path} keeps being "
                                  "replaced").format(folder=shown, path=path),
                         _("make sure no other program is changing it, and try again"),
                         code="output-busy")])


def _same_file(handle: int, path: Path) -> bool:
    """Whether ``path`` still names the file open as ``handle``."""
    try:
        here, there = os.fstat(handle), os.stat(path, follow_symlinks=False)
    except OSError:
        return False
    return (here.st_dev, here.st_ino) == (there.st_dev, there.st_ino)


def _holder_text(handle: int) -> str:
    """Who holds the lock, as its file says (``site-builder serve，进程 1234``)."""
    try:
        os.lseek(handle, 0, os.SEEK_SET)
        words = os.read(handle, 200).decode("utf-8", "replace").split("\n")
    except OSError:
        words = []
    if len(words) >= 2 and words[0].isdigit():
        return _("{holder}, process {pid}").format(holder=words[1], pid=words[0])
    return _("another process")



def _release(held: _Held) -> None:
    if _same_file(held.handle, held.path):
        # Removed while still locked: nobody can take the file being removed.  (Windows
        # refuses while another process has it open; the next holder takes it over.)
        with suppress(OSError):
            held.path.unlink()
    _unlock(held.handle)
    os.close(held.handle)


if sys.platform == "win32":
    import msvcrt

    def _lock(handle: int) -> bool:
        os.lseek(handle, _WINDOWS_BYTE, os.SEEK_SET)
        try:
            msvcrt.locking(handle, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

    def _unlock(handle: int) -> None:
        os.lseek(handle, _WINDOWS_BYTE, os.SEEK_SET)
        with suppress(OSError):
            msvcrt.locking(handle, msvcrt.LK_UNLCK, 1)
else:
    import fcntl

    def _lock(handle: int) -> bool:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            if exc.errno in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
                return False
            # A file system without locks (some network shares): build without one rather
            # than not at all; docs/site.md says so.
        return True

    def _unlock(handle: int) -> None:
        with suppress(OSError):
            fcntl.flock(handle, fcntl.LOCK_UN)


def _forget_in_child() -> None:
    """In a forked process: drop this process's copies of the locks (the parent keeps them;
    closing a copy does not unlock)."""
    global _GUARD
    _GUARD = threading.Lock()  # another thread may have held it at the fork
    for held in _HELD.values():
        with suppress(OSError):
            os.close(held.handle)
    _HELD.clear()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_in_child)

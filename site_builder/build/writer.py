"""The only module that writes to the output folder.

A build is written beside the output folder (:class:`Staging`) and swapped in only when
complete, so a failed or interrupted build leaves the previous output untouched and no temporary
folder behind.  It replaces only a folder a build made (:mod:`.outfolder`: each built folder
holds a marker file), holds the output folder's lock meanwhile (:mod:`.outlock`: one build at
a time), and first removes what builds killed before they finished left beside the output.
"""

from __future__ import annotations

import os
import shutil
import stat
import tempfile
from collections.abc import Iterable
from contextlib import ExitStack
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from site_builder.build.outfolder import (
    MARKER_NAME,
    MARKER_TEXT,
    check_output,
    check_place,
    leftovers,
    marked,
    still_replaceable,
)
from site_builder.build.outlock import Refused, hold_output, shown_folder
from site_builder.core.outputs import Output, OutputFile, OutputStream
from site_builder.diagnostics import SiteBuilderError, error
from site_builder.i18n import _


def safe_relative(path: str) -> PurePosixPath:
    """``path`` as a relative path that cannot leave the output folder, else an error."""
    pure = PurePosixPath(path)
    if (not path or pure.is_absolute() or ".." in pure.parts or "\\" in path
            or any(part.startswith("~") for part in pure.parts[:1]) or "\0" in path):
        raise SiteBuilderError([error(path or "<empty>", _("output path would leave the output "
                                                           "folder"),
                                      _("check ids and file names in {folder}").format(
                                          folder="content/"),
                                      code="unsafe-path")])
    return pure


class Staging:
    """The folder a build writes into, beside the output folder: files are written as the
    producers hand them over (no build holds the whole site in memory), and the folder takes
    the output folder's place only in :meth:`commit`.  Leaving the ``with`` block without a
    commit (an error, an interrupt) removes it and leaves the output untouched.

    From its start to its end it holds the output folder's lock; it refuses an output folder
    no build made (``site``: the site's folder, which the output may not be or contain)."""

    def __init__(self, out_dir: Path, site: Path | None = None) -> None:
        self.out_dir = out_dir.resolve()
        self.site = site
        """The site's folder, if known."""
        check_place(out_dir, site)
        self.out_dir.parent.mkdir(parents=True, exist_ok=True)
        self._held = ExitStack()
        self._held.enter_context(hold_output(self.out_dir, "site-builder build"))
        try:
            check_output(out_dir, site)  # now that no other build can change it
            for folder in leftovers(self.out_dir):
                shutil.rmtree(folder, ignore_errors=True)
            self.root = Path(tempfile.mkdtemp(prefix=f".{self.out_dir.name}.new-",
                                              dir=self.out_dir.parent)).resolve()
            _write(self.root / MARKER_NAME, MARKER_TEXT)
        except BaseException:
            self._held.close()
            raise
        self.paths: set[str] = set()
        """Site-relative paths written so far."""
        self._folders: dict[PurePosixPath, Path] = {}  # made so far, each checked once
        self._previous: dict[PurePosixPath, Path | None] = {}  # see _previous_folder
        self._places: dict[str, tuple[str, Path | None]] = {}  # see _targets
        self._committed = False

    def __enter__(self) -> Staging:
        return self

    def __exit__(self, *exc: object) -> None:
        try:
            if not self._committed:
                shutil.rmtree(self.root, ignore_errors=True)
        finally:
            self._held.close()

    def write(self, files: Iterable[Output]) -> None:
        """Write ``files`` (each path once in the whole build) as they come."""
        for item in files:
            self.claim([item.path])
            self._put(item)

    def write_unclaimed(self, files: Iterable[Output]) -> list[str]:
        """Write ``files`` from another process (a forked producer); returns their paths, for
        the building process's :class:`Staging` to :meth:`claim`."""
        written: list[str] = []
        for item in files:
            self._put(item)
            written.append(item.path)
        return written

    def _put(self, item: Output) -> None:
        target, earlier = self._targets(item.path)
        if isinstance(item, OutputStream):
            put_stream(Path(target), item.chunks, earlier)
        elif item.kept:
            keep(target, item.kept)
        else:
            put(target, item.data, earlier)

    def _targets(self, path: str) -> tuple[str, Path | None]:
        """Where ``path`` goes in the staging folder, and the previous output's file there
        (None: none to link from).  A path is checked with :func:`safe_relative`, or, in a
        folder whose path was checked before, only its file name (a build writes thousands
        of files into each of a few folders)."""
        folder, _slash, name = path.rpartition("/")
        place = self._places.get(folder) if _plain_name(name) else None
        if place is None:
            relative = safe_relative(path)
            previous = self._previous_folder(relative.parent)
            staged = os.fspath(self._folder(relative.parent))
            if folder and not folder.startswith("/") and _plain_name(name):
                self._places[folder] = (staged, previous)
            return os.path.join(staged, relative.name), \
                None if previous is None else previous / relative.name
        staged, previous = place
        return f"{staged}/{name}", None if previous is None else previous / name

    def _previous_folder(self, relative: PurePosixPath) -> Path | None:
        """The previous output's folder at ``relative``, if it lies inside the output folder
        (a folder there that is a link to elsewhere is never linked from)."""
        if relative not in self._previous:
            folder = self.out_dir.joinpath(*relative.parts)
            inside = folder.is_dir() and folder.resolve().is_relative_to(self.out_dir)
            self._previous[relative] = folder if inside else None  # None: nothing to link
        return self._previous[relative]

    def claim(self, paths: Iterable[str]) -> None:
        """Note ``paths`` as written (by this or another process); a path written twice is
        an error."""
        for path in paths:
            if path in self.paths:
                raise SiteBuilderError([error(path, _("two outputs want the same path"),
                                              _("give each project its own id"),
                                              code="path-clash")])
            self.paths.add(path)

    def _folder(self, relative: PurePosixPath) -> Path:
        folder = self._folders.get(relative)
        if folder is None:
            folder = self._folders[relative] = _make_folder(self.root, relative)
        return folder

    def commit(self) -> int:
        """Put the staged files in place of the output folder; returns the file count (the
        marker included)."""
        if not still_replaceable(self.out_dir):
            check_output(self.out_dir, self.site)  # says why
            shown = shown_folder(self.out_dir)
            raise Refused([error(shown, _("the output folder {folder} was changed during the "
                                          "build; it was not replaced").format(folder=shown),
                                 _("make sure no other program writes to it, and build again"),
                                 code="unsafe-output")])
        _swap(self.root, self.out_dir)
        self._committed = True
        return len(self.paths) + 1


def _plain_name(name: str) -> bool:
    """Whether ``name`` is a file name :func:`safe_relative` accepts anywhere but first."""
    return bool(name) and name not in (".", "..") and "\\" not in name and "\0" not in name


def put(target: Path | str, data: bytes, previous: Path | None) -> None:
    """Write ``data`` at ``target``; when the previous output holds the same bytes at the same
    place (``previous``: a regular file, not a link), hard-link that file instead.  Linking is
    several times cheaper than writing, and an unchanged file keeps its time stamp, so that a
    host's sync tool (rsync, a CDN upload) sees which files really changed."""
    if previous is None or not _linked(previous, target, data):
        _write(target, data)


def keep(target: Path | str, kept: str) -> None:
    """Put the previous output's file ``kept`` at ``target`` unchanged: a hard link (a copy
    where the file system has none)."""
    try:
        os.link(kept, target, follow_symlinks=False)
    except OSError:
        shutil.copyfile(kept, target)


_CREATE = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_CLOEXEC", 0)


def _write(target: Path | str, data: bytes) -> None:
    """``target.write_bytes(data)`` in three system calls (open, write, close) instead of six:
    a build writes tens of thousands of files."""
    handle = os.open(target, _CREATE, 0o666)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(handle, view):]
    finally:
        os.close(handle)


def put_stream(target: Path, chunks: Iterable[bytes], previous: Path | None) -> None:
    """:func:`put` of a file made in pieces: written as they come and compared with the
    previous output's file meanwhile; with the same bytes there, what was written is replaced
    by a link to that file."""
    old = _open_regular(previous)
    same = old is not None
    try:
        with open(target, "wb") as stream:
            for chunk in chunks:
                stream.write(chunk)
                if old is not None and same:
                    same = old.read(len(chunk)) == chunk
        same = old is not None and same and old.read(1) == b""
    finally:
        if old is not None:
            old.close()
    if same and previous is not None:
        target.unlink()
        try:
            os.link(previous, target, follow_symlinks=False)
        except OSError:  # not linkable after all (another file system)
            shutil.copyfile(previous, target)


def _open_regular(path: Path | None) -> BinaryIO | None:
    """``path`` opened for reading if it is a regular file (not a link), else None."""
    try:
        if path is None or not stat.S_ISREG(os.lstat(path).st_mode):
            return None
        return open(path, "rb")  # noqa: SIM115 - closed by the caller
    except OSError:
        return None


def _linked(previous: Path, target: Path | str, data: bytes) -> bool:
    """Whether ``target`` could be made a hard link of ``previous``, which holds ``data``."""
    try:
        found = os.lstat(previous)
        if (stat.S_ISREG(found.st_mode) and found.st_size == len(data)
                and previous.read_bytes() == data):
            os.link(previous, target, follow_symlinks=False)
            return True
    except OSError:
        pass  # none there, or not linkable (another file system): write it
    return False


def _make_folder(root: Path, relative: PurePosixPath) -> Path:
    """``root/relative`` made if missing, or an error if it would lie outside ``root``."""
    folder = root.joinpath(*relative.parts)
    if not folder.resolve().is_relative_to(root):
        raise SiteBuilderError([error(relative.as_posix(), _("output path would leave the "
                                                             "output folder"),
                                      code="unsafe-path")])
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _swap(staging: Path, out_dir: Path) -> None:
    """Replace ``out_dir`` by ``staging``; the old folder is removed only after the rename."""
    os.chmod(staging, 0o755)
    if not out_dir.exists():
        os.replace(staging, out_dir)
        return
    old = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.old-", dir=out_dir.parent))
    old.rmdir()
    os.replace(out_dir, old)
    try:
        os.replace(staging, out_dir)
    except BaseException:
        os.replace(old, out_dir)
        raise
    shutil.rmtree(old, ignore_errors=True)


def update_in_place(out_dir: Path, files: Iterable[OutputFile], removed: Iterable[str]) -> int:
    """Bring an existing output folder up to date with ``files`` and without ``removed`` (the
    preview server's quick rebuilds, see :mod:`site_builder.build.live`): a file whose bytes
    did not change is left alone, any other is written beside its place and renamed over it,
    so each file is always whole.  Everything was made before this is called, so a failure
    while making never touches the output.  Returns how many files were written or removed."""
    root = out_dir.resolve()
    with hold_output(root, "site-builder serve"):
        if not marked(root):
            raise SiteBuilderError([error(
                shown_folder(root), _("the output folder {folder} was not made by the last "
                                      "build (there is no {marker} marker); nothing was "
                                      "written").format(folder=shown_folder(root),
                                                        marker=MARKER_NAME),
                _("change a file once more, and the preview builds everything again"),

                code="unsafe-output")])
        return _update(root, files, removed)


def _update(root: Path, files: Iterable[OutputFile], removed: Iterable[str]) -> int:
    folders: dict[PurePosixPath, Path] = {}
    count = 0
    for item in files:
        if isinstance(item, OutputFile) and item.kept:
            continue  # unchanged, in this very folder
        relative = safe_relative(item.path)
        folder = folders.get(relative.parent)
        if folder is None:
            folder = folders[relative.parent] = _make_folder(root, relative.parent)
        target = folder / relative.name
        if _same(target, item.data):
            continue
        temp = folder / f".{relative.name}.new-{os.getpid()}"
        temp.write_bytes(item.data)
        os.replace(temp, target)
        count += 1
    for path in removed:
        relative = safe_relative(path)
        target = root.joinpath(*relative.parts)
        if target.resolve().is_relative_to(root) and target.is_file():
            target.unlink()
            count += 1
    return count


def _same(target: Path, data: bytes) -> bool:
    """Whether ``target`` is a regular file holding ``data``."""
    try:
        found = os.lstat(target)
        return (stat.S_ISREG(found.st_mode) and found.st_size == len(data)
                and target.read_bytes() == data)
    except OSError:
        return False

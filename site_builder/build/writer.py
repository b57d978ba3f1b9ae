"""The only module that writes to the output folder.

A build is written beside the output folder and swapped in only when complete, so a failed
or interrupted build leaves the previous output untouched and no temporary folder behind.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterable
from pathlib import Path, PurePosixPath

from site_builder.build.outputs import OutputFile
from site_builder.diagnostics import SiteBuilderError, error


def safe_relative(path: str) -> PurePosixPath:
    """``path`` as a relative path that cannot leave the output folder, else an error."""
    pure = PurePosixPath(path)
    if (not path or pure.is_absolute() or ".." in pure.parts or "\\" in path
            or any(part.startswith("~") for part in pure.parts[:1]) or "\0" in path):
        raise SiteBuilderError([error(path or "<empty>", "output path would leave the output "
                                      "folder", "check ids and file names in content/",
                                      code="unsafe-path")])
    return pure


def write_site(out_dir: Path, files: Iterable[OutputFile]) -> int:
    """Write ``files`` as the new content of ``out_dir``, atomically; returns the file count."""
    out_dir = out_dir.resolve()
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.new-", dir=out_dir.parent))
    try:
        count = _write_all(staging, files)
        _swap(staging, out_dir)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return count


def _write_all(staging: Path, files: Iterable[OutputFile]) -> int:
    seen: set[str] = set()
    folders: dict[PurePosixPath, Path] = {}  # folders made so far, each checked once
    root = staging.resolve()
    for item in files:
        relative = safe_relative(item.path)
        if item.path in seen:
            raise SiteBuilderError([error(item.path, "two outputs want the same path",
                                          "give each project its own id", code="path-clash")])
        seen.add(item.path)
        folder = folders.get(relative.parent)
        if folder is None:
            folder = folders[relative.parent] = _make_folder(root, relative.parent)
        (folder / relative.name).write_bytes(item.data)
    return len(seen)


def _make_folder(root: Path, relative: PurePosixPath) -> Path:
    """``root/relative`` made if missing, or an error if it would lie outside ``root``."""
    folder = root.joinpath(*relative.parts)
    if not folder.resolve().is_relative_to(root):
        raise SiteBuilderError([error(relative.as_posix(), "output path would leave the output "
                                      "folder", code="unsafe-path")])
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

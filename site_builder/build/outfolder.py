"""Which folders a build may replace: a build replaces its output folder whole, so it may only
ever replace a folder an earlier build made.

A built folder holds the marker file :data:`MARKER_NAME` (a fixed sentence: the output stays
deterministic).  A folder may be the output folder when it does not exist yet, is empty, holds
the marker, or is recognisably the output of a version from before the marker
(:func:`old_build`); never when it is or contains the site, its ``content/``, ``templates/``,
``static/`` or cache folder, the home folder or a file system's root, or holds a Git
repository anywhere inside.  Refusals are :class:`~site_builder.build.outlock.Refused`
(exit code 2).

This module only looks; :mod:`site_builder.build.writer` writes the marker and removes what
killed builds left beside the output (:func:`leftovers`).
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Callable, Iterator
from pathlib import Path

from site_builder.build.outlock import Refused, shown_folder
from site_builder.content import CONTENT_DIR
from site_builder.diagnostics import error
from site_builder.settings import SETTINGS_FILE
from site_builder.sitefiles import STATIC_DIR, TEMPLATES_DIR

MARKER_NAME = ".site-builder-output"
"""The marker file at the top of every built folder (a dot file: hosts and sync tools can skip
it)."""
MARKER_TEXT = ("site-builder output folder / 这个文件夹由 site-builder 构建生成，每次构建都会"
               "整体替换它；不要在这里存放别的文件。\n").encode()
"""What the marker holds: always the same bytes."""
OLD_BUILD_FILES = ("index.html", "404.html", "search/", "data/datapackage.json")
"""Files (and, ending in ``/``, folders) every build before the marker made: a folder without
the marker that holds all of them (and no ``site.yaml`` or ``content/``) is the output of such
a version, and may be replaced."""
CACHE_NAME = ".site-builder-cache"
"""The site's cache folder (``site_builder.build.pipeline.CACHE_DIR``)."""
SITE_FOLDERS = (CONTENT_DIR, TEMPLATES_DIR, STATIC_DIR, CACHE_NAME)
"""The site's own folders: an output folder may be none of them nor lie in one."""
_LEFTOVER = r"\.{name}\.(new|old)-[a-z0-9_]{{8}}"
"""What a build names its folders beside ``output/`` (``tempfile.mkdtemp``'s 8 characters):
``.output.new-*`` while writing, ``.output.old-*`` the previous output while swapping."""
_HINT = "用 --out 指定一个新的或空的文件夹，例如站点里的 output/"


def check_output(out: Path, site: Path | None = None) -> None:
    """:class:`Refused` unless a build may replace ``out`` (the output folder of the site at
    ``site``, when given)."""
    target = out.resolve()
    shown = shown_folder(out)
    check_place(out, site)
    try:
        found = os.lstat(target)
    except FileNotFoundError:
        return
    if not stat.S_ISDIR(found.st_mode):
        raise _refuse(shown, f"输出位置 {shown.rstrip('/')} 已存在，但不是文件夹", _HINT)
    made = marked(target) or old_build(target)
    if made or not any(target.iterdir()):
        repository = next(_repositories(target), None)
        if repository is not None:
            raise _refuse(shown, f"输出文件夹 {shown} 里有 Git 仓库（{repository}）：构建会"
                          "替换整个文件夹，仓库会丢失",
                          "用 --out 构建到别的文件夹（例如 output/），再把文件复制进仓库")
        return
    if (target / ".git").exists():
        raise _refuse(shown, f"输出文件夹 {shown} 是一个 Git 仓库：构建会替换整个文件夹，仓库会"
                      "丢失", "用 --out 构建到别的文件夹（例如 output/），再把文件复制进仓库")
    raise _refuse(shown, f"输出文件夹 {shown} 里已有文件，但不是 site-builder 构建的（没有 "
                  f"{MARKER_NAME} 标记）：构建会替换整个文件夹，其中的文件会丢失",
                  f"{_HINT}；如果它确实是以前构建的输出，删除它后再构建")


def check_place(out: Path, site: Path | None = None) -> None:
    """The part of :func:`check_output` that looks only at where ``out`` is, not at what it
    holds (nothing needs to exist)."""
    target = out.resolve()
    shown = shown_folder(out)
    if target == Path(target.anchor):
        raise _refuse(shown, f"输出文件夹 {shown} 是根目录：构建会替换整个文件夹", _HINT)
    if ".git" in target.parts:
        raise _refuse(shown, f"输出文件夹 {shown} 在 Git 仓库的 .git 文件夹里", _HINT)
    if site is not None:
        root = site.resolve()
        if root.is_relative_to(target):
            raise _refuse(shown, f"输出文件夹 {shown} 是（或包含）站点文件夹 "
                          f"{shown_folder(root)}：构建会替换它，{CONTENT_DIR}/、{SETTINGS_FILE} "
                          "等都会丢失", _HINT)
        for name in SITE_FOLDERS:
            if target.is_relative_to(root / name):
                raise _refuse(shown, f"输出文件夹 {shown} 是（或位于）站点的 {name}/ 文件夹",
                              _HINT)
    try:
        home = Path.home().resolve()
    except (RuntimeError, OSError):
        home = None
    if home is not None and home.is_relative_to(target):
        raise _refuse(shown, f"输出文件夹 {shown} 是（或包含）主目录 {home}：构建会替换整个"
                      "文件夹，其中的文件会丢失", _HINT)


def still_replaceable(out: Path) -> bool:
    """A quick look, just before the swap, that ``out`` (resolved, checked by
    :func:`check_output` when the build began) is still missing, empty, marked or an old
    build, and holds no ``.git`` at its top."""
    if not out.exists():
        return True
    return (out.is_dir() and not out.is_symlink() and not (out / ".git").exists()
            and (marked(out) or old_build(out) or not any(out.iterdir())))


def marked(folder: Path) -> bool:
    """Whether ``folder`` holds the marker (a regular file, not a link)."""
    try:
        return stat.S_ISREG(os.lstat(folder / MARKER_NAME).st_mode)
    except OSError:
        return False


def old_build(folder: Path) -> bool:
    """Whether ``folder``, without the marker, is the output of a version from before it."""
    return (all(_plain(folder / name.rstrip("/"), stat.S_ISDIR if name.endswith("/")
                       else stat.S_ISREG) for name in OLD_BUILD_FILES)
            and not (folder / SETTINGS_FILE).exists() and not (folder / CONTENT_DIR).exists())


def _plain(path: Path, kind: Callable[[int], bool]) -> bool:
    """Whether ``path`` is of ``kind`` itself (not a link to one)."""
    try:
        return kind(os.lstat(path).st_mode)
    except OSError:
        return False


def _repositories(folder: Path) -> Iterator[str]:
    """Every ``.git`` (folder or file) inside ``folder``, as a path relative to it."""
    for top, folders, files in os.walk(folder):
        for name in (*folders, *files):
            if name == ".git":
                yield Path(top, name).relative_to(folder).as_posix()


def leftovers(out: Path) -> list[Path]:
    """The folders beside the output folder ``out`` (resolved) that a build killed before it
    finished left: named like a build's (``.output.new-*``, ``.output.old-*``) and marked or
    an old build (another's folders stay).  Remove them only while holding the output
    folder's lock: then no build is writing them."""
    pattern = re.compile(_LEFTOVER.format(name=re.escape(out.name)))
    try:
        beside = list(os.scandir(out.parent))
    except OSError:
        return []
    return sorted(Path(entry.path) for entry in beside
                  if pattern.fullmatch(entry.name) and entry.is_dir(follow_symlinks=False)
                  and (marked(Path(entry.path)) or old_build(Path(entry.path))))


def _refuse(shown: str, message: str, hint: str) -> Refused:
    return Refused([error(shown, message, hint, code="unsafe-output")])

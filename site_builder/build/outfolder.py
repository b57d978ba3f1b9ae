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
from site_builder.content.reader import CONTENT_DIR
from site_builder.diagnostics import error
from site_builder.i18n import _
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


def _hint() -> str:
    return _("choose a new or empty folder with --out, e.g. output/ in the site")


def _into_repository_hint() -> str:
    return _("build into another folder with --out (e.g. output/), then copy the files into "
             "the repository")


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
        raise _refuse(shown, _("the output place {place} exists, but is not a folder").format(
            place=shown.rstrip('/')), _hint())
    made = marked(target) or old_build(target)
    if made or not any(target.iterdir()):
        repository = next(_repositories(target), None)
        if repository is not None:
            raise _refuse(shown, _("the output folder {folder} holds a Git repository "
                                   "({repository}): a build replaces the whole folder, and the "
                                   "repository would be lost").format(
                                       folder=shown, repository=repository),
                          _into_repository_hint())
        return
    if (target / ".git").exists():
        raise _refuse(shown, _("the output folder {folder} is a Git repository: a build "
                               "replaces the whole folder, and the repository would be "
                               "lost").format(folder=shown), _into_repository_hint())
    raise _refuse(shown, _("the output folder {folder} holds files, but site-builder did not "
                           "build them (there is no {marker} marker): a build replaces the "
                           "whole folder, and its files would be lost").format(
                               folder=shown, marker=MARKER_NAME),
                  _("{hint}; if it really is the output of an earlier build, delete it and "
                    "build again").format(hint=_hint()))


def check_place(out: Path, site: Path | None = None) -> None:
    """The part of :func:`check_output` that looks only at where ``out`` is, not at what it
    holds (nothing needs to exist)."""
    target = out.resolve()
    shown = shown_folder(out)
    if target == Path(target.anchor):
        raise _refuse(shown, _("the output folder {folder} is the root folder: a build "
                               "replaces the whole folder").format(folder=shown), _hint())
    if ".git" in target.parts:
        raise _refuse(shown, _("the output folder {folder} is inside a Git repository's .git "
                               "folder").format(folder=shown), _hint())
    if site is not None:
        root = site.resolve()
        if root.is_relative_to(target):
            raise _refuse(shown, _("the output folder {folder} is (or holds) the site folder "
                                   "{site}: a build would replace it, and {content}/, "
                                   "{settings} and the rest would be lost").format(
                                       folder=shown, site=shown_folder(root),
                                       content=CONTENT_DIR, settings=SETTINGS_FILE), _hint())
        for name in SITE_FOLDERS:
            if target.is_relative_to(root / name):
                raise _refuse(shown, _("the output folder {folder} is (or is inside) the "
                                       "site's {name}/ folder").format(folder=shown, name=name),
                              _hint())
    try:
        home = Path.home().resolve()
    except (RuntimeError, OSError):
        home = None
    if home is not None and home.is_relative_to(target):
        raise _refuse(shown, _("the output folder {folder} is (or holds) the home folder "
                               "{home}: a build replaces the whole folder, and its files would "
                               "be lost").format(folder=shown, home=home), _hint())



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

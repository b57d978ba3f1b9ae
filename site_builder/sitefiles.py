"""Links in a site's folder: every file read from the site must be in it.

A link (symbolic link) may point anywhere: ``content/pages/leak.md → /etc/passwd`` would be
published as a page, ``static/key.txt → ~/.ssh/id_rsa`` copied into ``output/``.  So a link
anywhere in the parts of a site that site-builder reads (``site.yaml``, ``content/``,
``templates/``, ``static/``, ``schema/``) is accepted only when it resolves to a place inside
the site's folder that is not hidden (no part of its path there starts with ``.``: ``.git``,
the cache folder).  Any other link is refused with its path and target named; the command
stops before it reads or writes anything (a build leaves the previous output as it was).

Links to folders are never entered while finding content files and static files (as before
links were checked); a link to a folder inside the site is accepted but its files are not read.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from site_builder.diagnostics import Diagnostic, Position, SiteBuilderError
from site_builder.i18n import _

TEMPLATES_DIR = "templates"
"""Folder of a site holding template overrides."""
STATIC_DIR = "static"
"""Folder of static files, in the package and optionally in a site."""
SCHEMA_DIR = "schema"
"""Folder of the site holding the JSON Schemas referenced from content files."""
FOLDERS_READ = (TEMPLATES_DIR, STATIC_DIR, SCHEMA_DIR)
"""Folders of a site read whole, besides ``content/`` (whose YAML files
:mod:`site_builder.content.reader` lists, with the links among them)."""


def links_under(path: Path | str) -> list[str]:
    """``path`` when it is itself a link, else every link below it (files and folders; links
    to folders are not entered); [] when there is nothing there."""
    text = os.fspath(path)
    if os.path.islink(text):
        return [text]
    found: list[str] = []
    for folder, dirs, files in os.walk(text):
        found.extend(os.path.join(folder, name) for name in (*dirs, *files)
                     if os.path.islink(os.path.join(folder, name)))
    return found


def refused_target(root: Path, path: Path | str) -> str | None:
    """Where ``path`` leads when that is outside the site ``root`` or hidden inside it (as the
    message shows it), else None.  Every link on the way is followed."""
    base = os.path.realpath(root)
    target = os.path.realpath(path)
    if target != base and not target.startswith(base.rstrip(os.sep) + os.sep):
        return target
    inside = Path(os.path.relpath(target, base))
    if any(part.startswith(".") for part in inside.parts):
        return inside.as_posix()
    return None


def shown_link(root: Path, path: Path | str) -> str:
    """The link's own path relative to the site (not where it leads)."""
    relative = os.path.relpath(os.path.abspath(path), os.path.abspath(root))
    return Path(relative).as_posix() if not relative.startswith("..") else os.fspath(path)


def link_problem(root: Path, path: Path | str) -> Diagnostic | None:
    """An error about ``path`` when it leads outside the site or to a hidden place in it."""
    target = refused_target(root, path)
    if target is None:
        return None
    outside = os.path.isabs(target)
    if os.path.islink(path):
        message = _("this is a link to outside the site folder ({target}); the site reads and "
                    "publishes only the files in the site folder") if outside else \
            _("this is a link to a hidden place in the site folder ({target}); the site reads "
              "and publishes only the files in the site folder")
    else:
        message = _("this path leads through a link to outside the site folder ({target}); "
                    "the site reads and publishes only the files in the site folder") \
            if outside else \
            _("this path leads through a link to a hidden place in the site folder ({target}); "
              "the site reads and publishes only the files in the site folder")
    return Diagnostic(
        Position(shown_link(root, path)), "error", message.format(target=target),
        _("delete the link, or copy the file itself into the site folder"), "outside-link")



def link_problems(root: Path, links: Iterable[str]) -> tuple[list[Diagnostic], set[str]]:
    """The errors about ``links`` (see :func:`link_problem`) and the links refused."""
    problems: list[Diagnostic] = []
    refused: set[str] = set()
    for link in sorted(set(links)):
        problem = link_problem(root, link)
        if problem is not None:
            problems.append(problem)
            refused.add(link)
    return problems, refused


def check_inside(root: Path, path: Path) -> None:
    """Raise :class:`SiteBuilderError` when reading or writing ``path`` would reach outside
    the site ``root`` (or a hidden place in it) through a link."""
    problem = link_problem(root, path)
    if problem is not None:
        raise SiteBuilderError([problem])

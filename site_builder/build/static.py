"""Static files (stylesheets, icon): the package's ``static/``, overridden by a site's own."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from site_builder.build.outputs import BuildContext, OutputFile
from site_builder.build.render import PACKAGE_DIR

STATIC_DIR = "static"
"""Folder of static files, in the package and optionally in a site."""


def _files(folder: Path) -> dict[str, Path]:
    if not folder.is_dir():
        return {}
    return {p.relative_to(folder).as_posix(): p for p in folder.rglob("*")
            if p.is_file() and not p.name.startswith(".")}


def produce(context: BuildContext) -> Iterable[OutputFile]:
    found = {**_files(PACKAGE_DIR / STATIC_DIR), **_files(context.root / STATIC_DIR)}
    return [OutputFile(f"{STATIC_DIR}/{name}", found[name].read_bytes()) for name in sorted(found)]

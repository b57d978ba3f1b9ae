"""Static files (stylesheets, icon): the package's ``static/``, overridden by a site's own."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from site_builder.build.jinja_env import PACKAGE_DIR
from site_builder.core.outputs import BuildContext, OutputFile
from site_builder.core.producers import ProducerSpec, Unchanged
from site_builder.sitefiles import STATIC_DIR, check_inside


def _files(folder: Path, root: Path | None = None) -> dict[str, Path]:
    """The files under ``folder`` (links to folders not entered); with the site's ``root``,
    a link leading outside it stops the build (``validate`` reports it first)."""
    if not folder.is_dir():
        return {}
    found = {p.relative_to(folder).as_posix(): p for p in folder.rglob("*")
             if p.is_file() and not p.name.startswith(".")}
    if root is not None:
        for path in found.values():
            check_inside(root, path)
    return found


def produce(context: BuildContext) -> Iterable[OutputFile]:
    found = {**_files(PACKAGE_DIR / STATIC_DIR),
             **_files(context.root / STATIC_DIR, context.root)}
    return [OutputFile(f"{STATIC_DIR}/{name}", found[name].read_bytes()) for name in sorted(found)]


PRODUCER = ProducerSpec("static", produce, live=Unchanged)
"""The stylesheets, scripts and fonts of the package and of the site's ``static/``."""

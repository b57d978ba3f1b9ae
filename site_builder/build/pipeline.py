"""The build as plain steps: settings → content (validated) → producers → writer."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from site_builder.build.outputs import BuildContext, OutputFile
from site_builder.build.writer import write_site
from site_builder.content import load_site
from site_builder.diagnostics import Diagnostic, SiteBuilderError
from site_builder.settings import load_settings

Producer = Callable[[BuildContext], Iterable[OutputFile]]

CACHE_DIR = ".site-builder-cache"
"""Cache folder inside the site; safe to delete at any time."""


def producers() -> list[Producer]:
    """Every producer of output files, in a fixed order."""
    from site_builder.build import pages

    return [pages.produce]


@dataclass(frozen=True)
class BuildReport:
    """What a build did."""

    files: int
    """Files written."""
    seconds: float
    """Wall time of the build."""
    diagnostics: tuple[Diagnostic, ...]
    """Warnings found in the content (errors stop the build)."""


def make_context(root: Path, jobs: int = 1, base_url: str | None = None) -> BuildContext:
    settings = load_settings(root)
    result = load_site(root)
    errors = [d for d in result.diagnostics if d.severity == "error"]
    if errors:
        raise SiteBuilderError(errors)
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    return BuildContext(
        root=root, site=result.site, settings=settings, cache_dir=root / CACHE_DIR,
        jobs=jobs, base_url=base_url if base_url is not None else settings["base_url"],
        source_date_epoch=int(epoch) if epoch and epoch.isdigit() else None,
    )


def build(root: Path, out_dir: Path, jobs: int = 1, base_url: str | None = None) -> BuildReport:
    started = time.perf_counter()
    context = make_context(root, jobs, base_url)
    files: list[OutputFile] = []
    for produce in producers():
        files.extend(produce(context))
    files.sort(key=lambda f: f.path)
    count = write_site(out_dir, files)
    warnings = tuple(d for d in load_site(root).diagnostics if d.severity != "error")
    return BuildReport(count, time.perf_counter() - started, warnings)

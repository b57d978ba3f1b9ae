"""The build as plain steps: settings → content (read, validated) → context → producers'
files into a staging folder → quality gate → the files listing the others → commit.

Which producers there are is :mod:`site_builder.build.registry`'s business; which process
makes what is :mod:`site_builder.build.scheduler`'s.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from site_builder.build import feeds, scheduler
from site_builder.build.cache import save_index
from site_builder.build.collector import young_collections_only
from site_builder.build.markdown_pages import page_problems
from site_builder.build.registry import producers
from site_builder.build.scheduler import SaveCache
from site_builder.build.writer import Staging
from site_builder.checks.gate import quality_gate
from site_builder.content.reader import LoadResult, load_site
from site_builder.core.outputs import BuildContext
from site_builder.diagnostics import Diagnostic, SiteBuilderError
from site_builder.settings import load_settings, option_value

Progress = Callable[[int, int], None]

CACHE_DIR = ".site-builder-cache"
"""Cache folder inside the site; safe to delete at any time."""
CONTENT_CACHE = "content.json"
"""File in the cache folder holding parsed content files (see :func:`load_site`)."""


@dataclass(frozen=True)
class BuildReport:
    """What a build did."""

    files: int
    """Files written."""
    seconds: float
    """Wall time of the build."""
    diagnostics: tuple[Diagnostic, ...]
    """Warnings found in the content (errors stop the build)."""
    pages: int = 0
    """HTML pages among the files."""
    rendered: int = 0
    """Pages rendered by this build (the others came from the render cache)."""


def default_jobs() -> int:
    """Worker processes when --jobs is not given: one per core."""
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity")
               else os.cpu_count() or 1)


def make_context(root: Path, jobs: int = 1, base_url: str | None = None,
                 progress: Progress | None = None,
                 loaded: LoadResult | None = None) -> BuildContext:
    """The context of a build of ``root``: its settings and content (``loaded``, else read
    through the content cache); an error in the content stops here."""
    return _prepare(root, jobs, base_url, progress, loaded)[0]


def _prepare(root: Path, jobs: int = 1, base_url: str | None = None,
             progress: Progress | None = None, loaded: LoadResult | None = None,
             save_later: bool = False) -> tuple[BuildContext, SaveCache]:
    """:func:`make_context`, and what writes the content cache: done already unless
    ``save_later``."""
    settings = load_settings(root)
    if base_url is not None:
        base_url = option_value("base_url", base_url, "--base-url")
    result = loaded or load_site(root, root / CACHE_DIR / CONTENT_CACHE, jobs, save_later)
    errors = [d for d in result.diagnostics if d.severity == "error"]
    if errors:
        raise SiteBuilderError(errors)
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    base_url = base_url if base_url is not None else settings["base_url"]
    return BuildContext(
        root=root, site=result.site, settings=settings, cache_dir=root / CACHE_DIR,
        jobs=jobs, base_url=base_url,
        source_date_epoch=int(epoch) if epoch and epoch.isdigit() else None,
        progress=progress,
        diagnostics=result.diagnostics + tuple(page_problems(root, str(base_url))),
    ), result.save_cache or _nothing


def _nothing() -> None:
    pass


@young_collections_only()
def build(root: Path, out_dir: Path, jobs: int = 1, base_url: str | None = None,
          progress: Progress | None = None, strict: bool = False) -> BuildReport:
    """Build the site in ``root`` into ``out_dir`` (see :func:`build_site`)."""
    started = time.perf_counter()
    context, save_cache = _prepare(root, jobs, base_url, progress, save_later=True)
    return build_site(context, out_dir, strict, started, save_cache)


def build_site(context: BuildContext, out_dir: Path, strict: bool = False,
               started: float | None = None, save_cache: SaveCache | None = None
               ) -> BuildReport:
    """Build the site of ``context`` into ``out_dir``: the producers' files into a staging
    folder, the quality gate, the files that list all others, then the staging folder
    replaces ``out_dir`` (``started``: when the build began; ``save_cache``: writes the
    content cache)."""
    started = time.perf_counter() if started is None else started
    context = replace(context, out_dir=out_dir)
    with Staging(out_dir, context.root) as staging:
        found = scheduler.produce(context, producers(), staging, save_cache or _nothing)
        findings = quality_gate(context, strict, found)
        staging.write(feeds.produce_after(context, staging.paths))
        count = staging.commit()
    save_index(context.cache_dir, out_dir, context.stats.made)
    warnings = tuple(d for d in context.diagnostics if d.severity != "error")
    return BuildReport(count, time.perf_counter() - started, warnings + findings,
                       context.stats.pages, context.stats.rendered)

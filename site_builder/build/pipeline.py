"""The build as plain steps: settings → content (validated) → producers → writer."""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from site_builder.build import feeds
from site_builder.build.cache import prune
from site_builder.build.collector import young_collections_only
from site_builder.build.outputs import BuildContext, OutputFile
from site_builder.build.writer import Staging, write_into
from site_builder.content import load_site
from site_builder.diagnostics import Diagnostic, SiteBuilderError
from site_builder.settings import load_settings

Producer = Callable[[BuildContext], Iterable[OutputFile]]
Progress = Callable[[int, int], None]

CACHE_DIR = ".site-builder-cache"
"""Cache folder inside the site; safe to delete at any time."""
CONTENT_CACHE = "content.json"
"""File in the cache folder holding parsed content files (see :func:`load_site`)."""


def producers() -> list[Producer]:
    """Every producer of output files, in a fixed order."""
    from site_builder.build import opendata, pages, static
    from site_builder.checks import page as quality_page
    from site_builder.search import producer as search

    return [pages.produce, opendata.produce, static.produce, search.produce,
            quality_page.produce]


BACKGROUND_FROM = 2000
"""Projects from which a build with several jobs indexes search in a process of its own,
while the pages render."""
_BACKGROUND: dict[str, BuildContext] = {}
"""The context a forked search process works on (inherited, not pickled)."""


def run_producers(context: BuildContext, staging: Staging) -> None:
    """Write every producer's files into ``staging`` as they are made.  With several jobs and
    a large site, the search index (the longest single step) is built, and its files written,
    in a forked process at the same time as the pages."""
    from site_builder.search import producer as search

    if context.jobs < 2 or len(context.site.projects) < BACKGROUND_FROM:
        for produce in producers():
            staging.write(produce(context))
        return
    _BACKGROUND["context"] = context
    fork = multiprocessing.get_context("fork")
    try:
        with ProcessPoolExecutor(max_workers=1, mp_context=fork) as pool:
            searching = pool.submit(_search_files, staging.root)
            for produce in producers():
                if produce is not search.produce:
                    staging.write(produce(context))
            staging.claim(searching.result())
    finally:
        _BACKGROUND.clear()


def _search_files(staging_root: Path) -> list[str]:
    from site_builder.search import producer as search

    return write_into(staging_root, search.produce(_BACKGROUND["context"]))


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
                 progress: Progress | None = None) -> BuildContext:
    settings = load_settings(root)
    result = load_site(root, root / CACHE_DIR / CONTENT_CACHE, jobs)
    errors = [d for d in result.diagnostics if d.severity == "error"]
    if errors:
        raise SiteBuilderError(errors)
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    return BuildContext(
        root=root, site=result.site, settings=settings, cache_dir=root / CACHE_DIR,
        jobs=jobs, base_url=base_url if base_url is not None else settings["base_url"],
        source_date_epoch=int(epoch) if epoch and epoch.isdigit() else None,
        site_digest=hashlib.sha256(repr(result.site).encode("utf-8")).hexdigest(),
        progress=progress, diagnostics=result.diagnostics,
    )


@young_collections_only()
def build(root: Path, out_dir: Path, jobs: int = 1, base_url: str | None = None,
          progress: Progress | None = None, strict: bool = False) -> BuildReport:
    from site_builder.checks.gate import quality_gate

    started = time.perf_counter()
    context = make_context(root, jobs, base_url, progress)
    findings = quality_gate(context, strict)
    with Staging(out_dir) as staging:
        run_producers(context, staging)
        staging.write(feeds.produce_after(context, sorted(staging.paths)))
        count = staging.commit()
    prune(context.cache_dir, context.stats.cache_used)
    warnings = tuple(d for d in context.diagnostics if d.severity != "error")
    return BuildReport(count, time.perf_counter() - started, warnings + findings,
                       context.stats.pages, context.stats.rendered)

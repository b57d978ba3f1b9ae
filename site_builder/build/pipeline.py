"""The build as plain steps: settings → content (validated) → producers → writer (with several
jobs and a large site, the producers split over two processes)."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path

from site_builder import processes
from site_builder.build import feeds
from site_builder.build.cache import save_index
from site_builder.build.collector import young_collections_only
from site_builder.build.markdown_pages import page_problems
from site_builder.build.shared import SharedWork
from site_builder.build.writer import Staging
from site_builder.checks.finding import Finding
from site_builder.checks.gate import build_findings, findings_made, quality_gate
from site_builder.content import LoadResult, load_site
from site_builder.core.background import Background, give_back_memory
from site_builder.core.outputs import BuildContext, BuildStats, Output, Producer
from site_builder.diagnostics import Diagnostic, SiteBuilderError
from site_builder.settings import load_settings, option_value

Progress = Callable[[int, int], None]

CACHE_DIR = ".site-builder-cache"
"""Cache folder inside the site; safe to delete at any time."""
CONTENT_CACHE = "content.json"
"""File in the cache folder holding parsed content files (see :func:`load_site`)."""


def producers() -> list[Producer]:
    """Every producer of output files, in a fixed order."""
    from site_builder.build import forms, opendata, pages, quality_page, static
    from site_builder.search import producer as search

    return [pages.produce, opendata.produce, static.produce, search.produce,
            quality_page.produce, forms.produce]


BACKGROUND_FROM = 2000
"""Projects from which a build with several jobs splits its work over two processes (see
:func:`split_producers`); below, forking costs more than it saves."""


Split = tuple[list[Producer], list[Producer], list[Producer], list[Producer]]
"""What a build makes in the building process, in the background process, in whichever of
the two is free first, and in the building process once both are done."""


def split_producers(context: BuildContext) -> Split | None:
    """(here, behind, shared, after) with several jobs and a large site, else None.  The
    building process makes the home and project pages, the background one search and the
    listing pages; then each takes what is left, as it gets free: the quality findings and
    page, each project's open-data file in two halves, ``projects.json`` and
    ``indicators.csv``, the units' workbooks.  The data package and the download page need
    the sizes of all open-data files, so they come last."""
    from site_builder.build import forms, opendata, pages, static
    from site_builder.search import producer as search

    if context.jobs < 2 or len(context.site.projects) < BACKGROUND_FROM or not processes.can_fork():
        return None
    return ([pages.produce_own, static.produce],
            [search.produce, pages.produce_listings],
            [_quality, partial(opendata.produce_files, part=0, parts=2),
             partial(opendata.produce_files, part=1, parts=2), opendata.produce_whole,
             partial(forms.produce, part=0, parts=2), partial(forms.produce, part=1, parts=2)],
            [opendata.produce_package])


def _quality(context: BuildContext) -> Iterable[Output]:
    """The quality findings (whether or not the site publishes them) and page."""
    from site_builder.build import quality_page

    build_findings(context)
    return quality_page.produce(context)


@dataclass(frozen=True)
class Behind:
    """What the background process made."""

    paths: list[str]
    """Files it wrote into the staging folder."""
    stats: BuildStats
    """Its counters."""
    findings: tuple[Finding, ...] | None
    """The quality findings, if it made them."""


def _behind(context: BuildContext, staging: Staging, produce: list[Producer],
            shared: SharedWork, save_cache: SaveCache) -> Behind:
    """The background process's work: the content cache, ``produce``, then ``shared`` work.
    It reports no progress (the terminal belongs to the building process) and forks no
    workers (but search may fork one process of its own)."""
    save_cache()
    context.stats.clear()  # its own counters only
    context = replace(context, jobs=1, progress=None)
    paths: list[str] = []
    for one in produce:
        paths.extend(staging.write_unclaimed(one(context)))
        give_back_memory()
    shared.run(context, lambda files: paths.extend(staging.write_unclaimed(files)))
    return Behind(paths, context.stats, findings_made(context))


def run_producers(context: BuildContext, staging: Staging,
                  produce: Sequence[Producer] | None = None) -> None:
    """Write the files of ``produce`` (default: every producer) into ``staging`` as they are
    made."""
    for one in producers() if produce is None else produce:
        staging.write(one(context))


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


SaveCache = Callable[[], None]
"""Writes the content cache (see :func:`_prepare`)."""


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


def _with_background(context: BuildContext, staging: Staging, split: Split, strict: bool,
                     save_cache: SaveCache) -> tuple[Diagnostic, ...]:
    """``here`` in this process, ``behind`` (and writing the content cache) in a forked one,
    the shared work in both; ``after`` and the quality gate once both are done."""
    here, behind, together, after = split
    shared = SharedWork(together)
    with Background(partial(_behind, context, staging, behind, shared, save_cache)
                    ) as background:
        # The background process takes one of the jobs: a render worker more would only
        # compete with it for the cores, and hold its own copy of the site.
        run_producers(replace(context, jobs=context.jobs - 1), staging, here)
        give_back_memory()
        shared.run(context, staging.write)
        done = background.result()
    staging.claim(done.paths)
    context.stats.add(done.stats)
    run_producers(context, staging, after)
    return quality_gate(context, strict, done.findings)


@young_collections_only()
def build(root: Path, out_dir: Path, jobs: int = 1, base_url: str | None = None,
          progress: Progress | None = None, strict: bool = False) -> BuildReport:
    started = time.perf_counter()
    context, save_cache = _prepare(root, jobs, base_url, progress, save_later=True)
    return build_site(context, out_dir, strict, started, save_cache)


def build_site(context: BuildContext, out_dir: Path, strict: bool = False,
               started: float | None = None, save_cache: SaveCache | None = None
               ) -> BuildReport:
    """Build the site of ``context`` into ``out_dir`` (``started``: when the build began;
    ``save_cache``: writes the content cache, in the background process if there is one)."""
    started = time.perf_counter() if started is None else started
    save_cache = save_cache or _nothing
    context = replace(context, out_dir=out_dir)
    with Staging(out_dir, context.root) as staging:
        split = split_producers(context)
        if split:
            findings = _with_background(context, staging, split, strict, save_cache)
        else:
            save_cache()
            findings = quality_gate(context, strict)
            run_producers(context, staging)
        staging.write(feeds.produce_after(context, staging.paths))
        count = staging.commit()
    save_index(context.cache_dir, out_dir, context.stats.made)
    warnings = tuple(d for d in context.diagnostics if d.severity != "error")
    return BuildReport(count, time.perf_counter() - started, warnings + findings,
                       context.stats.pages, context.stats.rendered)

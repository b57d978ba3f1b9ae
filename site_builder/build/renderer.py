"""Render page jobs through Jinja, reusing cached pages and spreading the rest over processes."""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import Environment

from site_builder.build.cache import RenderCache, page_key
from site_builder.build.outputs import BuildContext, OutputFile, relative_root
from site_builder.build.render import make_environment, template_error
from site_builder.diagnostics import Diagnostic, SiteBuilderError
from site_builder.model import Site

PARALLEL_MINIMUM = 48
"""Fewer pages than this to render are rendered in-process: forking would cost more."""


@dataclass(frozen=True)
class PageJob:
    """One page to render: where it goes, with which template and which page data."""

    path: str
    """Site-relative output path."""
    template: str
    """Template name (a site's templates/ may override it)."""
    data: dict[str, Any]
    """Page-specific variables; with the standard ones (root, settings, site, page_path)
    they form the template's context.  Their repr is part of the cache key."""


class SiteAccess:
    """The whole site handed to templates as ``site``; notes whether a template used it."""

    def __init__(self, site: Site) -> None:
        self._site = site
        self.used = False

    def __getattr__(self, name: str) -> Any:
        self.used = True
        return getattr(self._site, name)


@dataclass(frozen=True)
class _State:
    root: Path
    settings: dict[str, Any]
    site: Site
    jobs: Sequence[PageJob]


_WORKER: dict[str, Any] = {}
"""State a forked worker inherits: the jobs and, once made, its Jinja environment."""


def render_one(env: Environment, state: _State, job: PageJob) -> tuple[bytes, bool]:
    """Render ``job``; returns the page and whether its template read the whole site."""
    site = SiteAccess(state.site)
    try:
        html = env.get_template(job.template).render(
            root=relative_root(job.path), settings=state.settings, site=site,
            page_path=job.path, **job.data)
    except Exception as exc:  # any template failure becomes a file:line diagnostic
        raise SiteBuilderError([template_error(state.root, exc, job.path)]) from None
    return html.encode("utf-8"), site.used


def _render_chunk(indexes: list[int]) -> tuple[list[tuple[bytes, bool]], list[Diagnostic]]:
    """Render some jobs in a worker; (pages, []) or ([], diagnostics) of the first failure."""
    state: _State = _WORKER["state"]
    if "env" not in _WORKER:
        _WORKER["env"] = make_environment(state.root)
    try:
        return [render_one(_WORKER["env"], state, state.jobs[i]) for i in indexes], []
    except SiteBuilderError as exc:  # exceptions with diagnostics do not pickle well
        return [], exc.diagnostics


def job_key(digests: tuple[str, str], job: PageJob) -> str:
    """Cache key of a page: code and settings digests, its path, template and data."""
    data = repr(sorted(job.data.items()))
    return page_key(*digests, job.path, job.template, data)


def render_pages(context: BuildContext, jobs: Sequence[PageJob], code: str,
                 progress: Callable[[int], None] | None = None) -> list[OutputFile]:
    """Every job as an output file, from the cache when its inputs did not change."""
    cache = RenderCache(context.cache_dir, context.site_digest, context.stats.cache_used)
    digests = (code, repr(sorted(context.settings.items())) + context.base_url)
    keys = [job_key(digests, job) for job in jobs]
    results: dict[int, bytes] = {}
    missing: list[int] = []
    for index, key in enumerate(keys):
        cached = cache.get(key)
        if cached is None:
            missing.append(index)
        else:
            results[index] = cached
    if progress:
        progress(len(results))
    state = _State(context.root, context.settings, context.site, jobs)
    for index, (data, used_site) in _render_missing(state, missing, context.jobs, progress):
        results[index] = data
        cache.put(keys[index], data, used_site)
    context.stats.rendered += len(missing)
    context.stats.reused += len(jobs) - len(missing)
    return [OutputFile(job.path, results[i]) for i, job in enumerate(jobs)]


def _render_missing(state: _State, missing: list[int], workers: int,
                    progress: Callable[[int], None] | None) -> list[tuple[int, tuple[bytes, bool]]]:
    done: list[tuple[int, tuple[bytes, bool]]] = []
    if workers <= 1 or len(missing) < PARALLEL_MINIMUM or os.name != "posix":
        env = make_environment(state.root)
        for index in missing:
            done.append((index, render_one(env, state, state.jobs[index])))
            if progress:
                progress(1)
        return done
    _WORKER.clear()
    _WORKER["state"] = state
    size = max(1, len(missing) // (workers * 4))
    chunks = [missing[i:i + size] for i in range(0, len(missing), size)]
    fork = multiprocessing.get_context("fork")
    try:
        with ProcessPoolExecutor(max_workers=workers, mp_context=fork) as pool:
            for chunk, (pages, errors) in zip(chunks, pool.map(_render_chunk, chunks),
                                              strict=True):
                if errors:
                    raise SiteBuilderError(errors)
                done.extend(zip(chunk, pages, strict=True))
                if progress:
                    progress(len(chunk))
    finally:
        _WORKER.clear()
    return done

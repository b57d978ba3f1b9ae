"""Render page jobs through Jinja, reusing cached pages; with several jobs, cache keys, cache
reads and writes and rendering are spread over worker processes."""

from __future__ import annotations

import hashlib
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
"""Fewer pages than this are made in-process: forking would cost more."""
CHUNKS_PER_WORKER = 8
"""Pages are handed to the workers in this many chunks per worker."""


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
    keys: PageKeys
    """Makes the pages' cache keys."""
    cache_dir: Path
    site_digest: str


_PLAIN = frozenset({str, int, float, bool, type(None), tuple})
"""Types whose ``repr`` is made again each time inside a tuple: cheap, or (tuples of a row)
made for one page only.  Other values are records, kept with their ``repr``."""

_WORKER: dict[str, Any] = {}
"""State of one render_pages call: the jobs a forked worker inherits and, once made, the
process's Jinja environment."""


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


Page = tuple[bytes, bool]
"""A finished page, and True when it was rendered (False: it came from the render cache)."""


def _environment(state: _State) -> Environment:
    """This process's Jinja environment, made on first use (cached pages need none)."""
    if "env" not in _WORKER:
        _WORKER["env"] = make_environment(state.root)
    env: Environment = _WORKER["env"]
    return env


def _pages(state: _State, indexes: list[int], used: set[Path]) -> list[Page]:
    """The pages of some jobs: from the cache when their key is there, else rendered and
    stored; the cache entries read or written are added to ``used``.  Runs in the building
    process or in a worker, so that keys, cache reads and writes and rendering all spread over
    the workers."""
    cache = RenderCache(state.cache_dir, state.site_digest, used)
    done = []
    for index in indexes:
        job = state.jobs[index]
        key = state.keys.key(job)
        data = cache.get(key)
        if data is None:
            data, used_site = render_one(_environment(state), state, job)
            cache.put(key, data, used_site)
            done.append((data, True))
        else:
            done.append((data, False))
    return done


def _pages_chunk(indexes: list[int]) -> tuple[list[Page], set[Path], list[Diagnostic]]:
    """:func:`_pages` in a worker: (pages, cache entries used, []), or ([], set(),
    diagnostics) of the first failure."""
    used: set[Path] = set()
    try:
        return _pages(_WORKER["state"], indexes, used), used, []
    except SiteBuilderError as exc:  # exceptions with diagnostics do not pickle well
        return [], set(), exc.diagnostics


class PageKeys:
    """Cache keys of pages: code and settings digests, path, template and the ``repr`` of the
    page data.  A value that several pages share (the navigation, a category split over many
    pages) stands in the key as the digest of its ``repr``, made once per process: hashing a
    whole category again for each of its pages made the keys grow with the square of the
    site.  In a tuple of records (a unit's other projects, listed on each of their pages), the
    ``repr`` of each record is made once per process too."""

    def __init__(self, digests: tuple[str, str], jobs: Sequence[PageJob]) -> None:
        self.digests = digests
        seen: set[int] = set()
        shared: set[int] = set()
        for job in jobs:  # the jobs keep every value alive, so ids stay unique meanwhile
            for value in job.data.values():
                (shared if id(value) in seen else seen).add(id(value))
        self._shared = frozenset(shared)
        self._texts: dict[int, str] = {}
        self._records: dict[int, tuple[object, str]] = {}

    def _text(self, value: object) -> str:
        if id(value) not in self._shared:
            return self._tuple_text(value) if type(value) is tuple else repr(value)
        text = self._texts.get(id(value))
        if text is None:
            digest = hashlib.sha256(repr(value).encode("utf-8")).hexdigest()
            text = self._texts[id(value)] = f"<shared {digest}>"
        return text

    def _tuple_text(self, items: tuple[object, ...]) -> str:
        """``repr(items)``, with the ``repr`` of each record in it made once."""
        texts = [repr(item) if type(item) in _PLAIN else self._record_text(item)
                 for item in items]
        return "(" + ", ".join(texts) + ("," if len(texts) == 1 else "") + ")"

    def _record_text(self, record: object) -> str:
        found = self._records.get(id(record))
        if found is None or found[0] is not record:  # kept alive here, so ids stay unique
            found = self._records[id(record)] = (record, repr(record))
        return found[1]

    def key(self, job: PageJob) -> str:
        """The key of ``job``: its data part reads as ``repr(sorted(job.data.items()))`` with
        each shared value replaced by its digest."""
        items = sorted(job.data.items(), key=lambda item: item[0])
        data = "[" + ", ".join(f"({name!r}, {self._text(value)})" for name, value in items) + "]"
        return page_key(*self.digests, job.path, job.template, data)


def render_pages(context: BuildContext, jobs: Sequence[PageJob], code: str,
                 progress: Callable[[int], None] | None = None) -> list[OutputFile]:
    """Every job as an output file, from the cache when its inputs did not change."""
    digests = (code, repr(sorted(context.settings.items())) + context.base_url)
    state = _State(context.root, context.settings, context.site, jobs,
                   PageKeys(digests, jobs), context.cache_dir, context.site_digest)
    _WORKER.clear()
    try:
        pages = _all_pages(state, context.jobs, context.stats.cache_used, progress)
    finally:
        _WORKER.clear()
    rendered = sum(1 for _, was_rendered in pages if was_rendered)
    context.stats.rendered += rendered
    context.stats.reused += len(jobs) - rendered
    return [OutputFile(job.path, data) for job, (data, _) in zip(jobs, pages, strict=True)]


def _all_pages(state: _State, workers: int, used: set[Path],
               progress: Callable[[int], None] | None) -> list[Page]:
    indexes = list(range(len(state.jobs)))
    if workers <= 1 or len(indexes) < PARALLEL_MINIMUM or os.name != "posix":
        done: list[Page] = []
        for index in indexes:
            done.extend(_pages(state, [index], used))
            if progress:
                progress(1)
        return done
    _WORKER["state"] = state
    # Chunks take every count-th page: costly pages of one kind (the category pages) come one
    # after another, and would otherwise all land in the last chunk while other workers idle.
    count = min(len(indexes), workers * CHUNKS_PER_WORKER)
    chunks = [indexes[start::count] for start in range(count)]
    fork = multiprocessing.get_context("fork")
    by_index: dict[int, Page] = {}
    with ProcessPoolExecutor(max_workers=workers, mp_context=fork) as pool:
        for chunk, (pages, chunk_used, errors) in zip(chunks, pool.map(_pages_chunk, chunks),
                                                      strict=True):
            if errors:
                raise SiteBuilderError(errors)
            by_index.update(zip(chunk, pages, strict=True))
            used.update(chunk_used)
            if progress:
                progress(len(chunk))
    return [by_index[index] for index in indexes]

"""Render page jobs through Jinja, keeping the pages of the output whose inputs did not change
(:mod:`~site_builder.build.cache`); with several jobs, cache keys, those checks and rendering
are spread over worker processes."""

from __future__ import annotations

import hashlib
import multiprocessing
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import Environment

from site_builder.build.cache import PageIndex, page_key
from site_builder.build.jinja_env import make_environment, template_error
from site_builder.controls import markup_bytes
from site_builder.core.outputs import BuildContext, Made, OutputFile, relative_root
from site_builder.diagnostics import Diagnostic, SiteBuilderError
from site_builder.model import Site
from site_builder.processes import can_fork

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
    index: PageIndex | None
    """What the output holds (None: render every page)."""
    site_digest: Callable[[], str]


_PLAIN = frozenset({str, int, float, bool, type(None), tuple})
"""Types whose ``repr`` is made again each time inside a tuple: cheap, or (tuples of a row)
made for one page only.  Other values are records, kept with their ``repr``."""

_WORKER: dict[str, Any] = {}
"""State of one stream_pages call: the jobs a forked worker inherits."""


def render_one(env: Environment, state: _State, job: PageJob) -> tuple[bytes, bool]:
    """Render ``job``; returns the page (without the control characters HTML forbids, see
    :func:`~site_builder.controls.markup_bytes`) and whether its template read the whole
    site."""
    site = SiteAccess(state.site)
    try:
        html = env.get_template(job.template).render(
            root=relative_root(job.path), settings=state.settings, site=site,
            page_path=job.path, **job.data)
    except Exception as exc:  # any template failure becomes a file:line diagnostic
        raise SiteBuilderError([template_error(state.root, exc, job.path)]) from None
    return markup_bytes(html.encode("utf-8")), site.used


Page = tuple[bytes, bool, str]
"""A finished page: its bytes and True when it was rendered, or b"", False and the output
file it is kept from."""


_ENVIRONMENT: dict[tuple[Path, str], Environment] = {}
"""The last Jinja environment made, by site and code digest: a process that builds again and
again (the preview server) keeps its compiled templates (the digest covers every template)."""


def _environment(state: _State) -> Environment:
    """This process's Jinja environment, made on first use (cached pages need none)."""
    key = (state.root, state.keys.digests[0])
    if key not in _ENVIRONMENT:
        _ENVIRONMENT.clear()
        _ENVIRONMENT[key] = make_environment(state.root)
    return _ENVIRONMENT[key]


def _pages(state: _State, indexes: list[int], made: list[Made]) -> list[Page]:
    """The pages of some jobs: kept from the output when their key did not change, else
    rendered; each page's key is added to ``made``.  Runs in the building process or in a
    worker, so that keys, those checks and rendering all spread over the workers."""
    done: list[Page] = []
    for index in indexes:
        job = state.jobs[index]
        key = state.keys.key(job)
        kept = state.index.kept(job.path, key, state.site_digest) if state.index else None
        if kept is None:
            data, used_site = render_one(_environment(state), state, job)
            done.append((data, True, ""))
        else:
            used_site = bool(state.index and state.index.entries[job.path][1])
            done.append((b"", False, kept))
        made.append(Made(job.path, key, state.site_digest() if used_site else ""))
    return done


ChunkResult = tuple[list[Page], list[Made], list[Diagnostic]]
"""What a worker returns for a chunk of jobs (see :func:`_pages_chunk`)."""


def _pages_chunk(indexes: list[int]) -> ChunkResult:
    """:func:`_pages` in a worker: (pages, their keys, []), or ([], [], diagnostics) of the
    first failure."""
    made: list[Made] = []
    try:
        return _pages(_WORKER["state"], indexes, made), made, []
    except SiteBuilderError as exc:  # exceptions with diagnostics do not pickle well
        return [], [], exc.diagnostics


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
        self._repeated = _repeated_records(jobs, self._shared)
        """Records that stand in the tuples of more than one page; only their ``repr`` is
        kept (a category's entries each stand on one page: keeping theirs took 400 MB at
        50,000 projects)."""
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
        if id(record) not in self._repeated:
            return repr(record)
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


def _repeated_records(jobs: Sequence[PageJob], shared: frozenset[int]) -> frozenset[int]:
    """The ids of the records found in the tuples of the data of more than one job (a
    shared tuple counts once: it is digested whole)."""
    seen: set[int] = set()
    repeated: set[int] = set()
    for job in jobs:
        for value in job.data.values():
            if type(value) is tuple and id(value) not in shared:
                for item in value:
                    if type(item) not in _PLAIN:
                        (repeated if id(item) in seen else seen).add(id(item))
    return frozenset(repeated)


def stream_pages(context: BuildContext, jobs: Sequence[PageJob], code: str,
                 progress: Callable[[int], None] | None = None) -> Iterator[OutputFile]:
    """Every job as an output file, from the cache when its inputs did not change, each handed
    over as soon as it is done (in no fixed order) so that the caller can write it and let it
    go."""
    digests = (code, repr(sorted(context.settings.items())) + context.base_url)
    index = None if context.out_dir is None else PageIndex(context.cache_dir, context.out_dir)
    state = _State(context.root, context.settings, context.site, jobs,
                   PageKeys(digests, jobs), index, lambda: context.site_digest)
    _WORKER.clear()
    rendered = 0
    try:
        for number, (data, was_rendered, kept) in _all_pages(state, context.jobs,
                                                             context.stats.made, progress):
            rendered += was_rendered
            yield OutputFile(jobs[number].path, data, kept)
    finally:
        _WORKER.clear()
    context.stats.rendered += rendered
    context.stats.reused += len(jobs) - rendered


def _all_pages(state: _State, workers: int, made: list[Made],
               progress: Callable[[int], None] | None) -> Iterator[tuple[int, Page]]:
    """(job index, page) of every job, as they are done."""
    indexes = list(range(len(state.jobs)))
    if workers <= 1 or len(indexes) < PARALLEL_MINIMUM or not can_fork():
        for index in indexes:
            yield index, _pages(state, [index], made)[0]
            if progress:
                progress(1)
        return
    _WORKER["state"] = state
    # Chunks take every count-th page: costly pages of one kind (the category pages) come one
    # after another, and would otherwise all land in the last chunk while other workers idle.
    count = min(len(indexes), workers * CHUNKS_PER_WORKER)
    chunks = [indexes[start::count] for start in range(count)]
    for chunk, pages in _chunks_shared(state, chunks, workers - 1, made):
        yield from zip(chunk, pages, strict=True)
        if progress:
            progress(len(chunk))


def _chunks_shared(state: _State, chunks: list[list[int]], helpers: int, made: list[Made]
                   ) -> Iterator[tuple[list[int], list[Page]]]:
    """(chunk, its pages) of every chunk, as they are done, made by ``helpers`` forked workers
    and by this process, which takes chunks from the end of the queue while the workers take
    them from its start.  (A worker forked from a large site soon holds a copy of most of it,
    since reading an object writes its reference count: the building process working too saves
    one such copy.)"""
    fork = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=helpers, mp_context=fork) as pool:
        queued = [(chunk, pool.submit(_pages_chunk, chunk)) for chunk in chunks]
        handed: set[int] = set()
        for position in range(len(queued) - 1, -1, -1):
            chunk, future = queued[position]
            if not future.cancel():
                break
            handed.add(position)
            yield chunk, _pages(state, chunk, made)
            yield from _finished(queued, handed, made, wait=False)
        yield from _finished(queued, handed, made, wait=True)


def _finished(queued: list[tuple[list[int], Future[ChunkResult]]], handed: set[int],
              made: list[Made], wait: bool) -> Iterator[tuple[list[int], list[Page]]]:
    """The workers' chunks that are done (with ``wait``: all of them) and not yet handed on."""
    for position, (chunk, future) in enumerate(queued):
        if position in handed or not (wait or future.done()):
            continue
        pages, chunk_made, errors = future.result()
        if errors:
            raise SiteBuilderError(errors)
        handed.add(position)
        made.extend(chunk_made)
        yield chunk, pages

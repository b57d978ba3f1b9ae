"""The Whoosh index of every project, kept in the build cache and updated incrementally.

A query term never contains white space, so it occurs in a project exactly when it occurs in
one of the project's white-space separated *runs* (:func:`~site_builder.search.analyzer.runs`).
Budget tables repeat themselves (``≥95%``, ``服务对象满意度``, the same goal in every
village), so the index is built over **distinct runs**, not over projects:

* a *run document* holds one distinct run: the run itself (stored, field ``text``) and field
  ``grams`` (its 1–3 character pieces and whole words, with counts);
* a *project document* holds field ``id``, the filter fields ``year``, ``unit`` and
  ``category``, and field ``runs`` / ``name_runs``: the runs of its text / of its name, with
  counts.  Its display data, digest and text length are stored.

A term's projects are then the projects linked (``runs``) to the runs holding its grams.  At
10,000 synthetic projects that is 1.5 million gram postings instead of 6.4 million.

Only projects whose :attr:`SearchDoc.digest` changed are re-analysed; runs no longer used are
deleted.  Each update writes one new segment straight from the analysed documents
(:mod:`~site_builder.search.segment`); segments are never merged: from :data:`MAX_SEGMENTS` on,
or once a quarter of the documents are deleted ones, the update rewrites the whole index (as
fast as a first build, and it leaves one segment).  The cache is safe to delete: the next build
recreates it.
"""

from __future__ import annotations

import dataclasses
import json
import shutil
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from whoosh import formats  # type: ignore[import-untyped]
from whoosh import index as whoosh_index
from whoosh.fields import STORED, FieldType, Schema  # type: ignore[import-untyped]
from whoosh.reading import IndexReader  # type: ignore[import-untyped]

from site_builder.search.analyzer import run_gram_counts, runs
from site_builder.search.documents import SearchDoc
from site_builder.search.segment import DirectWriter

SCHEMA_VERSION = "8"
"""Bumped whenever the schema, the analyzer or the posting layout changes; a mismatch rebuilds
the index."""
INDEX_NAME = "projects"
VERSION_FILE = "site-builder-search.json"
MAX_SEGMENTS = 8
"""Every update writes one segment (none are merged); from this many on, or when more than a
quarter of the documents would be deleted ones, the update rewrites the index instead."""


class CountsField(FieldType):  # type: ignore[misc]
    """An indexed field whose value is already analysed: ``[(term, count), ...]``.  A posting's
    weight is its count (read back with :func:`weighted`).

    The analysis (:mod:`~site_builder.search.analyzer`) runs once per distinct run instead of
    once per occurrence.  Only a ``scorable`` field has a length column (the sum of its
    counts per document, and in all).
    """

    def __init__(self, scorable: bool = False) -> None:
        self.format = formats.Existence()
        self.analyzer = None
        self.scorable = scorable
        self.stored = False
        self.unique = False
        self.vector = None

    def index(self, value: Iterable[tuple[str, int]], **kwargs: Any
              ) -> Iterator[tuple[bytes, int, float, bytes]]:
        for term, count in value:
            yield term.encode("utf-8"), count, float(count), b""


def weighted(reader: IndexReader, field: str, term: bytes) -> Iterator[tuple[int, int]]:
    """(document, count) of every posting of ``term`` in a :class:`CountsField`."""
    matcher = reader.postings(field, term)
    while matcher.is_active():
        yield matcher.id(), int(matcher.weight())
        matcher.next()


def make_schema() -> Schema:
    """Lengths are kept for ``id`` (its total: the number of projects) and ``runs`` (BM25's
    document length in ``site-builder search``)."""
    return Schema(grams=CountsField(), text=STORED,
                  id=CountsField(scorable=True), runs=CountsField(scorable=True),
                  name_runs=CountsField(),
                  year=CountsField(), unit=CountsField(), category=CountsField(),
                  evaluation=CountsField(),
                  project=STORED)


@dataclass(frozen=True)
class IndexUpdate:
    """What an incremental update did."""

    added: int
    """Projects indexed for the first time."""
    changed: int
    """Projects re-indexed because their content changed."""
    removed: int
    """Projects deleted from the index."""
    runs_added: int = 0
    """Distinct runs analysed and indexed by this update."""


@dataclass(frozen=True)
class _Held:
    """What the index holds before an update (document numbers of live documents)."""

    projects: dict[str, tuple[str, int]] = field(default_factory=dict)
    """Project id → digest of its indexed content and document number."""
    runs: dict[str, int] = field(default_factory=dict)
    """Run → document number."""
    segments: int = 0
    """Segments of the index."""
    deleted: int = 0
    """Deleted documents still in the segments."""


def index_dir(cache_dir: Path) -> Path:
    """Where the Whoosh index lives inside the build cache."""
    return cache_dir / "search"


def open_index(directory: Path) -> whoosh_index.Index:
    """The existing index (the CLI's search and the export read it)."""
    return whoosh_index.open_dir(str(directory), indexname=INDEX_NAME)


def doc_runs(doc: SearchDoc) -> Counter[str]:
    """The runs of a project's normalised text, with how often each occurs."""
    return Counter(runs(doc.text))


def name_runs(doc: SearchDoc) -> Counter[str]:
    """The runs of a project's normalised name."""
    return Counter(runs(doc.normalized_name))


def update_index(directory: Path, docs: Sequence[SearchDoc], consume: bool = False
                 ) -> IndexUpdate:
    """Make the index at ``directory`` hold exactly ``docs``, touching only what changed.
    With ``consume`` (``docs`` a list), ``docs`` is emptied and each document let go once it
    is indexed (at 50,000 projects the documents are 200 MB)."""
    ix, held = _open_or_create(directory)
    removed = sorted(held.projects.keys() - {d.id for d in docs})
    fresh = [d for d in docs if held.projects.get(d.id, ("",))[0] != d.digest]
    changed = [d.id for d in fresh if d.id in held.projects]
    if not (removed or fresh):
        return IndexUpdate(0, 0, 0)
    update = IndexUpdate(len(fresh) - len(changed), len(changed), len(removed))
    if _rewrite(held, len(removed) + len(changed), len(docs)):
        ix, held, removed, fresh, changed = _fresh(directory), _Held(), [], list(docs), []
    writer = DirectWriter(ix)
    if removed or changed:
        unused = held.runs.keys() - _runs_in_use(docs)
        for docnum in sorted([held.projects[i][1] for i in removed + changed]
                             + [held.runs[run] for run in unused]):
            writer.delete_document(docnum)
    if consume and isinstance(docs, list):
        docs.clear()
    runs_added = _add(writer, fresh, held.runs)
    writer.commit_segment()
    return dataclasses.replace(update, runs_added=runs_added)


def _rewrite(held: _Held, outdated: int, total: int) -> bool:
    """Whether to rewrite the index rather than add a segment (see :data:`MAX_SEGMENTS`)."""
    live = len(held.projects) + len(held.runs)
    return held.segments >= MAX_SEGMENTS or outdated > total // 4 or held.deleted > live // 4


def _add(writer: DirectWriter, fresh: list[SearchDoc], known_runs: Iterable[str]) -> int:
    """Add the runs not in the index yet, then the projects (emptying ``fresh``: each
    document is let go once added); returns the runs added.  Each project's runs are found
    again when it is added rather than kept for all projects (their counters were 250 MB at
    50,000 projects)."""
    distinct: set[str] = set()
    for doc in fresh:
        distinct.update(runs(doc.text))
    new_runs = sorted(distinct.difference(known_runs))
    del distinct
    for run in new_runs:
        writer.add({"grams": run_gram_counts(run)}, {"text": run})
    fresh.reverse()
    while fresh:
        doc = fresh.pop()
        counts = doc_runs(doc)
        writer.add(_project_fields(doc, counts), {"project": _stored(doc, counts)})
    return len(new_runs)


def _runs_in_use(docs: Sequence[SearchDoc]) -> set[str]:
    used: set[str] = set()
    for doc in docs:
        used.update(runs(doc.text))
    return used


def _open_or_create(directory: Path) -> tuple[whoosh_index.Index, _Held]:
    """The cached index and what it holds; a missing, outdated or damaged cache is replaced by
    an empty index (a cache must never break a build)."""
    if _usable(directory):
        try:
            ix = open_index(directory)
            with ix.reader() as reader:
                return ix, _held(reader)
        except Exception:  # noqa: BLE001 - any damage to a cache means: rebuild it
            pass
    return _fresh(directory), _Held()


def _held(reader: IndexReader) -> _Held:
    held = _Held(segments=len(list(reader.leaf_readers())),
                 deleted=reader.doc_count_all() - reader.doc_count())
    for docnum, fields in reader.iter_docs():  # live documents only: deleted ones keep
        if "project" in fields:  # their terms in the lexicon until the index is rewritten
            held.projects[fields["project"]["id"]] = (fields["project"]["digest"], docnum)
        else:
            held.runs[fields["text"]] = docnum
    return held


def _fresh(directory: Path) -> whoosh_index.Index:
    shutil.rmtree(directory, ignore_errors=True)
    directory.mkdir(parents=True)
    (directory / VERSION_FILE).write_text(json.dumps({"schema": SCHEMA_VERSION}), "utf-8")
    return whoosh_index.create_in(str(directory), make_schema(), indexname=INDEX_NAME)


def _usable(directory: Path) -> bool:
    try:
        version = json.loads((directory / VERSION_FILE).read_text("utf-8"))
        return bool(version.get("schema") == SCHEMA_VERSION
                    and whoosh_index.exists_in(str(directory), indexname=INDEX_NAME))
    except (OSError, ValueError, AttributeError):
        return False


def _project_fields(doc: SearchDoc, linked: Counter[str]) -> dict[str, Mapping[str, int]]:
    return {"id": {doc.id: 1}, "runs": linked, "name_runs": name_runs(doc),
            "year": {doc.year: 1}, "unit": {doc.unit_code: 1},
            "category": dict.fromkeys(doc.categories, 1),
            "evaluation": dict.fromkeys(doc.evaluation, 1)}


def _stored(doc: SearchDoc, linked: Counter[str]) -> dict[str, object]:
    """``length`` is the number of the project's runs (with repeats): BM25's document length,
    counted in the unit its term frequencies are counted in (see :mod:`.export`)."""
    return {"id": doc.id, "digest": doc.digest, "length": sum(linked.values()),
            "doc": display_data(doc)}


def display_data(doc: SearchDoc) -> dict[str, object]:
    """What the browser shows for a result (and checks the query against)."""
    return {"id": doc.id, "url": doc.url, "name": doc.name, "unit_code": doc.unit_code,
            "unit_name": doc.unit_name, "year": doc.year, "amount": doc.amount,
            "parts": list(doc.parts), "scopes": list(doc.scopes)}

"""The Whoosh index of every project, kept in the build cache and updated incrementally.

A query term never contains white space, so it occurs in a project exactly when it occurs in
one of the project's white-space separated *runs* (:func:`~site_builder.search.analyzer.runs`).
Budget tables repeat themselves (``≥95%``, ``服务对象满意度``, the same goal in every
village), so the index is built over **distinct runs**, not over projects:

* a *run document* holds one distinct run: field ``run`` (the run itself) and field ``grams``
  (its 1–3 character pieces and whole words, with counts);
* a *project document* holds field ``id``, the filter fields ``year``, ``unit`` and
  ``category``, and field ``runs`` / ``name_runs``: the runs of its text / of its name, with
  counts.  Its display data, digest and text length are stored.

A term's projects are then the projects linked (``runs``) to the runs holding its grams.  At
10,000 synthetic projects that is 1.5 million gram postings instead of 6.4 million.

Only projects whose :attr:`SearchDoc.digest` changed are re-analysed; runs no longer used are
deleted.  The cache is safe to delete: the next build recreates it.
"""

from __future__ import annotations

import json
import shutil
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from whoosh import formats  # type: ignore[import-untyped]
from whoosh import index as whoosh_index
from whoosh.codec.whoosh3 import W3Codec  # type: ignore[import-untyped]
from whoosh.fields import STORED, FieldType, Schema  # type: ignore[import-untyped]
from whoosh.reading import IndexReader  # type: ignore[import-untyped]
from whoosh.writing import SegmentWriter  # type: ignore[import-untyped]

from site_builder.search.analyzer import run_tokens, runs
from site_builder.search.documents import SearchDoc

SCHEMA_VERSION = "3"
"""Bumped whenever the schema or the analyzer changes; a mismatch rebuilds the index."""
INDEX_NAME = "projects"
VERSION_FILE = "site-builder-search.json"
POOL_MB = 512
"""Memory Whoosh's writer may use for postings before it sorts them on disk."""
SEGMENT_POSTINGS = 1_500_000
"""Postings after which the writer commits a segment, so that Whoosh sorts them in memory
(about 160 bytes each by its estimate) instead of spilling them to disk and merging."""


class Codec(W3Codec):  # type: ignore[misc]
    """Whoosh's default codec without per-block length statistics.

    Whoosh uses them only to skip blocks in BM25 top-k searches, which this index never runs;
    collecting them costs a column lookup per posting written (a third of commit time).
    """

    length_stats = False


class CountsField(FieldType):  # type: ignore[misc]
    """An indexed field whose value is already analysed: ``[(term, count), ...]``.  A posting's
    weight is its count (read back with :func:`weighted`).

    The analysis (:mod:`~site_builder.search.analyzer`) runs once per distinct run instead of
    once per occurrence.  The field is scorable so that Whoosh keeps a length column; without
    one, Whoosh 2.7 looks for the column file on disk for every single posting it writes.
    """

    def __init__(self) -> None:
        self.format = formats.Existence()
        self.analyzer = None
        self.scorable = True
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
    return Schema(run=CountsField(), grams=CountsField(), text=STORED,
                  id=CountsField(), runs=CountsField(), name_runs=CountsField(),
                  year=CountsField(), unit=CountsField(), category=CountsField(),
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


def update_index(directory: Path, docs: Sequence[SearchDoc]) -> IndexUpdate:
    """Make the index at ``directory`` hold exactly ``docs``, touching only what changed."""
    ix, stored, known_runs = _open_or_create(directory)
    wanted = {d.id for d in docs}
    removed = sorted(set(stored) - wanted)
    fresh = [d for d in docs if stored.get(d.id) != d.digest]
    changed = sum(1 for d in fresh if d.id in stored)
    if not (removed or fresh):
        return IndexUpdate(0, 0, 0)
    linked = {d.id: doc_runs(d) for d in fresh}
    used = _runs_in_use(docs, linked) if removed or changed else None
    new_runs = sorted({r for c in linked.values() for r in c} - known_runs)
    writer = _Writer(ix)
    for doc_id in removed + [d.id for d in fresh if d.id in stored]:
        writer.delete("id", doc_id)
    for run in sorted(known_runs - used) if used is not None else ():
        writer.delete("run", run)
    for run in new_runs:
        grams = sorted(Counter(run_tokens(run)).items())
        writer.add({"run": [(run, 1)], "grams": grams, "text": run}, len(grams) + 1)
    for doc in fresh:
        fields = _project_fields(doc, linked[doc.id])
        writer.add(fields, len(fields["runs"]) + len(fields["name_runs"]) + 4)
    writer.commit(optimize=len(removed) + changed > len(docs) // 4)
    return IndexUpdate(len(fresh) - changed, changed, len(removed), len(new_runs))


class _Writer:
    """A Whoosh writer that commits a segment every :data:`SEGMENT_POSTINGS` postings."""

    def __init__(self, ix: whoosh_index.Index) -> None:
        self.ix = ix
        self.writer = self._open()
        self.postings = 0

    def _open(self) -> SegmentWriter:
        return self.ix.writer(timeout=60.0, limitmb=POOL_MB, codec=Codec())

    def delete(self, field: str, term: str) -> None:
        self.writer.delete_by_term(field, term)

    def add(self, fields: dict[str, Any], postings: int) -> None:
        if self.postings + postings > SEGMENT_POSTINGS and self.postings:
            self.writer.commit(merge=False)
            self.writer = self._open()
            self.postings = 0
        self.writer.add_document(**fields)
        self.postings += postings

    def commit(self, optimize: bool) -> None:
        self.writer.commit(optimize=optimize, merge=not optimize and self.postings < 10_000)


def _runs_in_use(docs: Sequence[SearchDoc], linked: dict[str, Counter[str]]) -> set[str]:
    used: set[str] = set()
    for doc in docs:
        used.update(linked[doc.id] if doc.id in linked else runs(doc.text))
    return used


def _open_or_create(directory: Path) -> tuple[whoosh_index.Index, dict[str, str], set[str]]:
    """The cached index with each project's digest and the runs it holds; a missing, outdated
    or damaged cache is replaced by an empty index (a cache must never break a build)."""
    if _usable(directory):
        try:
            ix = open_index(directory)
            digests: dict[str, str] = {}
            known: set[str] = set()
            with ix.reader() as reader:  # live documents only: deleted ones keep their
                for _, fields in reader.iter_docs():  # terms in the lexicon until a merge
                    if "project" in fields:
                        digests[fields["project"]["id"]] = fields["project"]["digest"]
                    else:
                        known.add(fields["text"])
            return ix, digests, known
        except Exception:  # noqa: BLE001 - any damage to a cache means: rebuild it
            pass
    return _fresh(directory), {}, set()


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


def _project_fields(doc: SearchDoc, linked: Counter[str]) -> dict[str, Any]:
    return {
        "id": [(doc.id, 1)], "runs": sorted(linked.items()),
        "name_runs": sorted(name_runs(doc).items()),
        "year": [(doc.year, 1)], "unit": [(doc.unit_code, 1)],
        "category": [(c, 1) for c in doc.categories],
        "project": {"id": doc.id, "digest": doc.digest, "length": len(doc.text),
                    "doc": display_data(doc)},
    }


def display_data(doc: SearchDoc) -> dict[str, object]:
    """What the browser shows for a result (and checks the query against)."""
    return {"id": doc.id, "url": doc.url, "name": doc.name, "unit_code": doc.unit_code,
            "unit_name": doc.unit_name, "year": doc.year, "amount": doc.amount,
            "parts": list(doc.parts)}

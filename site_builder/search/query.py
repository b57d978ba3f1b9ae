"""Queries against the Whoosh index with substring semantics.

A project matches when every space-separated term of the query occurs in its searchable text,
that is, in one of its runs (see :mod:`~site_builder.search.index`).  The runs holding all of a
term's grams are the candidates; a term longer than a gram is confirmed against each candidate
run's text, so no result lacks the query.  The projects linked to the matching runs are the
term's projects.  Ranking: projects whose name contains every term first, then BM25 (a term
found in the name counts :data:`NAME_BOOST` times).
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from whoosh.reading import IndexReader  # type: ignore[import-untyped]

from site_builder.search.analyzer import is_exact, normalize, query_terms, required_grams
from site_builder.search.documents import category_parts, category_text, normalized_part
from site_builder.search.export import K1, B
from site_builder.search.index import open_index, weighted

NAME_BOOST = 2.0
"""Weight of a term found in the project name, relative to the same term elsewhere."""


@dataclass(frozen=True)
class Filters:
    """Optional restrictions of a search."""

    year: str | None = None
    """Only projects of this budget year."""
    unit: str | None = None
    """Only projects of the unit with this code."""
    category: str | None = None
    """Only projects whose indicator rows in this canonical category (一级 or 二级) hold
    every term, each term in one of those rows."""
    evaluation: str | None = None
    """Only projects with a self-evaluation (``evaluated``), or with a total below 80
    (``below-80``; see :data:`~site_builder.achievement.EVALUATION_FILTERS`)."""


@dataclass(frozen=True)
class Hit:
    """One project found."""

    id: str
    """Project id (as in the open-data export)."""
    url: str
    """Page relative to the site root."""
    name: str
    """Project name."""
    unit_code: str
    """Unit code."""
    unit_name: str
    """Unit name."""
    year: str
    """Budget year."""
    amount: str
    """Amount in 万元."""
    tier: int
    """1 when the project name contains every term, else 0; higher tiers rank first."""
    score: float
    """BM25F relevance within the tier."""
    indicators: tuple[str, ...] = ()
    """With a category filter: the project's indicator rows in that category that hold a
    term, as published (most terms first, then in table order)."""

    def to_json(self) -> dict[str, Any]:
        data = {"id": self.id, "url": self.url, "name": self.name, "unit_code": self.unit_code,
                "unit_name": self.unit_name, "year": self.year, "amount": self.amount,
                "tier": self.tier, "score": round(self.score, 4)}
        if self.indicators:
            data["indicators"] = list(self.indicators)
        return data


def tier(name: str, terms: list[str]) -> int:
    """Rank tier of a project name for the normalised query terms."""
    return int(contains_all(normalize(name), terms))


def contains_all(text: str, terms: list[str]) -> bool:
    """The substring test that decides membership (``text`` already normalised)."""
    return all(term in text for term in terms)


def term_projects(reader: IndexReader, term: str) -> Counter[int]:
    """Project documents whose text holds ``term``, with the number of runs holding it."""
    candidates: set[int] | None = None
    for gram in required_grams(term):
        key = gram.encode("utf-8")
        if ("grams", key) not in reader:
            return Counter()
        found = set(reader.postings("grams", key).all_ids())
        candidates = found if candidates is None else candidates & found
    counts: Counter[int] = Counter()
    for run_doc in sorted(candidates or ()):
        run = reader.stored_fields(run_doc)["text"]
        key = run.encode("utf-8")
        if (is_exact(term) or term in run) and ("runs", key) in reader:
            for docnum, count in weighted(reader, "runs", key):
                counts[docnum] += count
    return counts


def matching_rows(parts: list[str], terms: list[str]) -> tuple[str, ...]:
    """The rows holding at least one term, most terms first (then in order)."""
    counted = [(sum(t in normalized_part(p) for t in terms), i, p) for i, p in enumerate(parts)]
    return tuple(p for count, _, p in sorted(counted, key=lambda c: (-c[0], c[1])) if count)


def filter_docs(reader: IndexReader, filters: Filters) -> set[int] | None:
    """Project documents passing ``filters`` (None: no filter given)."""
    wanted = [(f, v) for f, v in (("year", filters.year), ("unit", filters.unit),
                                  ("category", filters.category),
                                  ("evaluation", filters.evaluation)) if v]
    allowed: set[int] | None = None
    for field, value in wanted:
        key = value.encode("utf-8")
        found = set(reader.postings(field, key).all_ids()) if (field, key) in reader else set()
        allowed = found if allowed is None else allowed & found
    return allowed


class _Scorer:
    """BM25 with the number of a project's runs as its length."""

    def __init__(self, reader: IndexReader) -> None:
        self.reader = reader
        self.total = max(1, int(reader.field_length("id")))
        self.avg = max(1.0, reader.field_length("runs") / self.total)

    def score(self, docnum: int, name: str, per_term: list[tuple[str, Counter[int]]]) -> float:
        length = self.reader.doc_field_length(docnum, "runs", 1) or 1
        norm = K1 * (1 - B + B * length / self.avg)
        total = 0.0
        for term, counts in per_term:
            df = len(counts)
            idf = math.log(1 + (self.total - df + 0.5) / (df + 0.5))
            tf = counts[docnum]
            boost = NAME_BOOST if term in name else 1.0
            total += boost * idf * tf * (K1 + 1) / (tf + norm)
        return total


def search(index_path: Path, text: str, filters: Filters = Filters(),
           limit: int | None = None) -> tuple[int, list[Hit]]:
    """(total, hits) for ``text``; ``limit`` None or 0 returns every hit."""
    terms = query_terms(text)
    if not terms:
        return 0, []
    with open_index(index_path).reader() as reader:
        per_term = [(term, term_projects(reader, term)) for term in terms]
        matching = set.intersection(*(set(c) for _, c in per_term))
        allowed = filter_docs(reader, filters)
        if allowed is not None:
            matching &= allowed
        scorer = _Scorer(reader)
        docs = {d: reader.stored_fields(d)["project"]["doc"] for d in matching}
        rows: dict[int, tuple[str, ...]] = {}
        if filters.category:
            for d, doc in docs.items():
                parts = category_parts(doc["parts"], doc["scopes"], filters.category)
                if contains_all(category_text(doc["parts"], doc["scopes"], filters.category),
                                terms):
                    rows[d] = matching_rows(parts, terms)
            docs = {d: doc for d, doc in docs.items() if d in rows}
        hits = [_hit(doc, d, terms, per_term, scorer, rows.get(d, ()))
                for d, doc in docs.items()]
    hits.sort(key=lambda h: (-h.tier, -h.score, h.year, h.unit_code, h.id))
    return len(hits), hits[:limit] if limit else hits


def _hit(doc: dict[str, Any], docnum: int, terms: list[str],
         per_term: list[tuple[str, Counter[int]]], scorer: _Scorer,
         indicators: tuple[str, ...]) -> Hit:
    name = normalize(doc["name"])
    return Hit(id=doc["id"], url=doc["url"], name=doc["name"], unit_code=doc["unit_code"],
               unit_name=doc["unit_name"], year=doc["year"], amount=doc["amount"],
               tier=int(contains_all(name, terms)),
               score=scorer.score(docnum, name, per_term), indicators=indicators)

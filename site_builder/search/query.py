"""Queries against the Whoosh index with substring semantics.

A project matches when every space-separated term of the query occurs in its searchable text.
The index narrows the candidates (all bigrams of each term must be present); each candidate's
stored text then confirms the substrings, so no result lacks the query.  Ranking: projects whose
name contains every term first, then BM25F (name matches and whole words and numbers boosted).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from whoosh import query as wq  # type: ignore[import-untyped]
from whoosh.scoring import BM25F  # type: ignore[import-untyped]

from site_builder.search.analyzer import (
    FIELD_SEPARATOR,
    normalize,
    query_terms,
    required_grams,
    word_tokens,
)
from site_builder.search.index import open_index

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
    """Only projects with an indicator in this canonical category."""


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

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "url": self.url, "name": self.name, "unit_code": self.unit_code,
                "unit_name": self.unit_name, "year": self.year, "amount": self.amount,
                "tier": self.tier, "score": round(self.score, 4)}


def tier(name: str, terms: list[str]) -> int:
    """Rank tier of a project name for the normalised query terms."""
    return int(contains_all(normalize(name), terms))


def contains_all(text: str, terms: list[str]) -> bool:
    """The substring test that decides membership (``text`` already normalised)."""
    return all(term in text for term in terms)


def build_query(terms: list[str], filters: Filters, words: list[str]) -> wq.Query:
    grams = list(dict.fromkeys(g for term in terms for g in required_grams(term)))
    required: list[wq.Query] = [wq.Term("content", g) for g in grams]
    if filters.year:
        required.append(wq.Term("year", filters.year))
    if filters.unit:
        required.append(wq.Term("unit", filters.unit))
    if filters.category:
        required.append(wq.Term("category", filters.category))
    boosts = [wq.Term("name", t, boost=NAME_BOOST) for t in [*grams, *words]]
    boosts += [wq.Term("content", w) for w in words]
    return wq.AndMaybe(wq.And(required), wq.Or(boosts))


def search(index_path: Path, text: str, filters: Filters = Filters(),
           limit: int | None = None) -> tuple[int, list[Hit]]:
    """(total, hits) for ``text``; ``limit`` None or 0 returns every hit."""
    terms = query_terms(text)
    if not terms:
        return 0, []
    ix = open_index(index_path)
    hits: list[Hit] = []
    with ix.searcher(weighting=BM25F()) as searcher:
        for result in searcher.search(build_query(terms, filters, word_tokens(text)), limit=None):
            doc = result["doc"]
            if not contains_all(normalize(FIELD_SEPARATOR.join(doc["parts"])), terms):
                continue
            hits.append(Hit(id=result["id"], url=doc["url"], name=doc["name"],
                            unit_code=doc["unit_code"], unit_name=doc["unit_name"],
                            year=doc["year"], amount=doc["amount"],
                            tier=tier(doc["name"], terms), score=float(result.score)))
    hits.sort(key=lambda h: (-h.tier, -h.score, h.year, h.unit_code, h.id))
    return len(hits), hits[:limit] if limit else hits

"""Random substrings of the shipped content: every project containing one is found, nothing else.

Recall and precision are measured for the Python search (behind ``site-builder search``), the CLI
itself and the browser, and written to ``test-artifacts/search-quality.json``.
"""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import pytest
from conftest import REPO, run_json
from hypothesis import given, settings
from hypothesis import strategies as st
from search_pages import open_search, search_all

from site_builder.content.reader import load_site
from site_builder.search.analyzer import query_terms
from site_builder.search.documents import SearchDoc, search_docs
from site_builder.search.index import update_index
from site_builder.search.query import search

ARTIFACTS = REPO / "test-artifacts"
FULL_WIDTH = str.maketrans("0123456789.%ABCabc", "０１２３４５６７８９．％ＡＢＣａｂｃ")


@pytest.fixture(scope="module")
def docs() -> list[SearchDoc]:
    return search_docs(load_site(REPO).site)


@pytest.fixture(scope="module")
def index(docs: list[SearchDoc], tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("search-index")
    update_index(path, docs)
    return path


def expected(docs: list[SearchDoc], query: str) -> set[str]:
    """The oracle: projects whose searchable text contains every term (plain ``in``)."""
    terms = query_terms(query)
    return {d.id for d in docs if all(t in d.text for t in terms)}


def draw_substring(rng: random.Random, docs: list[SearchDoc]) -> str:
    text = rng.choice(docs).text
    start = rng.randrange(len(text))
    sub = text[start:start + rng.choice([1, 1, 2, 2, 3, 4, 5, 8, 12])].split()
    return sub[0] if sub and sub[0] else text.split()[0]


def random_queries(docs: list[SearchDoc], count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    queries = []
    for i in range(count):
        query = draw_substring(rng, docs)
        if i % 4 == 0:
            query += " " + draw_substring(rng, docs)
        if i % 7 == 0:
            query = query.translate(FULL_WIDTH)
        queries.append(query)
    return queries


def quality(found: list[set[str]], wanted: list[set[str]]) -> dict[str, float]:
    hits = sum(len(f & w) for f, w in zip(found, wanted, strict=True))
    return {"queries": len(found),
            "recall": hits / max(1, sum(len(w) for w in wanted)),
            "precision": hits / max(1, sum(len(f) for f in found))}


def record(name: str, value: dict[str, Any]) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / "search-quality.json"
    data = json.loads(path.read_text("utf-8")) if path.exists() else {}
    data[name] = value
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True), "utf-8")


@settings(max_examples=80, deadline=None)
@given(st.randoms(use_true_random=False))
def test_python_search_returns_exactly_the_containing_projects(
        docs: list[SearchDoc], index: Path, rng: random.Random) -> None:
    query = random_queries(docs, 1, rng.randrange(10**9))[0]
    total, hits = search(index, query)
    assert {h.id for h in hits} == expected(docs, query), query
    assert total == len(hits)


def test_python_search_quality(docs: list[SearchDoc], index: Path) -> None:
    queries = random_queries(docs, 200, seed=1)
    found = [{h.id for h in search(index, q)[1]} for q in queries]
    measured = quality(found, [expected(docs, q) for q in queries])
    record("python", measured)
    assert measured["recall"] == 1.0 and measured["precision"] == 1.0


def test_cli_returns_exactly_the_containing_projects(docs: list[SearchDoc]) -> None:
    for query in random_queries(docs, 4, seed=2):
        data = run_json("search", query, "--limit", "0", "--json")
        assert {r["id"] for r in data["results"]} == expected(docs, query), query
        assert data["total"] == len(data["results"])


def test_browser_returns_exactly_the_containing_projects(page: Any, site_url: str,
                                                         docs: list[SearchDoc]) -> None:
    queries = random_queries(docs, 300, seed=3)
    open_search(page, site_url)
    found = [set(ids) for ids in search_all(page, queries)]
    wanted = [expected(docs, q) for q in queries]
    measured = quality(found, wanted)
    record("browser", measured)
    misses = [(q, sorted(w - f), sorted(f - w))
              for q, f, w in zip(queries, found, wanted, strict=True) if f != w]
    assert not misses, misses[:5]

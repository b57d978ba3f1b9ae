"""Filters that filter: the category filter keeps a project only when its indicator rows of that
category hold every term, the self-evaluation filter only projects with a self-evaluation (or
one totalling below 80), the same in the browser, in ``site-builder search`` and in a
brute-force reference, over seeded random queries on the shipped content and on generated
sites (fictional townships; the self-evaluations fictional too)."""

from __future__ import annotations

import random
import sys
from collections.abc import Iterator
from dataclasses import replace
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from conftest import REPO, run_cli, run_json, serve_dir
from hypothesis import given, settings
from hypothesis import strategies as st
from playwright.sync_api import expect
from search_pages import open_search

from site_builder.content.reader import load_site
from site_builder.content.writer import evaluation_data
from site_builder.search.analyzer import normalize, query_terms
from site_builder.search.documents import (
    KNOWN_CATEGORIES,
    SearchDoc,
    category_mask,
    category_text,
    search_docs,
)
from site_builder.search.index import update_index
from site_builder.search.query import Filters, search

sys.path.insert(0, str(REPO))
from benchmarks.evaluations import evaluation_of  # noqa: E402
from benchmarks.generate import fast_dump, generate, write_content  # noqa: E402

CATEGORIES = sorted(KNOWN_CATEGORIES)
Query = tuple[str, dict[str, str]]
"""A query and its filters (year, unit, category)."""


def reference(docs: list[SearchDoc], query: str, options: dict[str, str],
              totals: dict[str, Decimal] | None = None) -> set[str]:
    """Brute force: every term in the text; with a category, every term in that category's
    rows (each term in one row); year and unit as published; ``totals``: the total score of
    each project's self-evaluation, as written (for the self-evaluation filter)."""
    terms = query_terms(query)
    found = set()
    totals = totals or {}
    for doc in docs:
        if options.get("evaluation") == "evaluated" and doc.id not in totals:
            continue
        if options.get("evaluation") == "below-80" and not totals.get(doc.id, 100) < 80:
            continue
        if options.get("year") and doc.year != options["year"]:
            continue
        if options.get("unit") and doc.unit_code != options["unit"]:
            continue
        text = doc.text
        if options.get("category"):
            text = category_text(doc.parts, doc.scopes, options["category"])
        if terms and all(term in text for term in terms):
            found.add(doc.id)
    return found


def _piece(rng: random.Random, text: str) -> str:
    runs = text.split()
    run = rng.choice(runs) if runs else text
    start = rng.randrange(len(run))
    return run[start:start + rng.choice([1, 2, 2, 3, 3, 4, 6])] or run


def random_queries(docs: list[SearchDoc], count: int, seed: int) -> list[Query]:
    """Queries drawn from the rows of one category (so most have hits), from elsewhere in the
    project (so many have none), with one or two terms and random year or unit filters."""
    rng = random.Random(seed)
    queries: list[Query] = []
    while len(queries) < count:
        doc = rng.choice(docs)
        rows = [(p, m) for p, m in zip(doc.parts, doc.scopes, strict=True) if m]
        if not rows:
            continue
        part, mask = rng.choice(rows)
        holding = [c for c in CATEGORIES if category_mask(c) & mask]
        category = rng.choice(holding) if rng.random() < 0.8 else rng.choice(CATEGORIES)
        source = normalize(part) if rng.random() < 0.7 else doc.text
        query = _piece(rng, source)
        if rng.random() < 0.3:
            query += " " + _piece(rng, normalize(rng.choice(rows)[0]))
        options = {"category": category}
        if rng.random() < 0.3:
            options["year"] = doc.year
        elif rng.random() < 0.2:
            options["unit"] = doc.unit_code
        queries.append((query, options))
    return queries


def browser_ids(page: Any, queries: list[Query]) -> list[set[str]]:
    found: list[list[str]] = page.evaluate(
        """async (queries) => {
            const out = [];
            for (const [q, options] of queries) {
                const found = await SiteBuilderSearch.search(q, {...options, limit: 0});
                if (found.total !== found.results.length || !found.exact) {
                    throw new Error("not exact: " + q);
                }
                out.push(found.results.map(r => r.id));
            }
            return out;
        }""", [list(q) for q in queries])
    return [set(ids) for ids in found]


def python_ids(index: Path, query: str, options: dict[str, str]) -> set[str]:
    filters = Filters(options.get("year"), options.get("unit"), options.get("category"),
                      options.get("evaluation"))
    return {hit.id for hit in search(index, query, filters)[1]}


def cli_ids(query: str, options: dict[str, str], project: Path | None = None) -> set[str]:
    args = ["search", query, "--limit", "0", "--json"]
    for name, value in sorted(options.items()):
        args += [f"--{name}", value]
    if project is not None:
        args += ["--project", str(project)]
    return {r["id"] for r in run_json(*args)["results"]}


@pytest.fixture(scope="module")
def shipped_docs() -> list[SearchDoc]:
    return search_docs(load_site(REPO).site)


@pytest.fixture(scope="module")
def shipped_index(shipped_docs: list[SearchDoc],
                  tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("filter-index")
    update_index(path, shipped_docs)
    return path


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, list[SearchDoc],
                                                                         str]]:
    """A generated site of 300 projects (fictional townships), built and served."""
    root = tmp_path_factory.mktemp("filter-site") / "site"
    generate(root, 300, seed=11)
    run_cli("build", "--project", root, "--out", root / "output", check=True)
    server, url = serve_dir(root / "output")
    yield root, search_docs(load_site(root).site), url
    server.shutdown()


def test_the_category_changes_what_is_found(page: Any, site_url: str) -> None:
    """The issue's example: 宣传 in 2023 under 成本指标 and under 满意度指标."""
    cost = run_json("search", "宣传", "--year", "2023", "--category", "成本指标", "--limit", "0",
                    "--json")
    satisfaction = run_json("search", "宣传", "--year", "2023", "--category", "满意度指标",
                            "--limit", "0", "--json")
    assert cost["total"] > 0 and satisfaction["total"] < cost["total"]
    for result in cost["results"]:
        assert result["indicators"] and all("宣传" in row for row in result["indicators"])
        assert all("成本指标" in row for row in result["indicators"])
    open_search(page, site_url, "?q=宣传&year=2023&category=成本指标")
    items = page.locator("#search-results .search-result")
    assert items.count() == cost["total"]
    rows = page.locator("#search-results .search-result-rows li")
    assert rows.count() == sum(len(r["indicators"]) for r in cost["results"])
    assert set(rows.locator("mark").all_inner_texts()) == {"宣传"}
    assert "成本指标" in page.inner_text("#search-results .search-result-rows")


def test_text_output_lists_the_matching_rows() -> None:
    shown = run_cli("search", "宣传", "--year", "2023", "--category", "成本指标",
                    check=True).stdout
    assert "成本指标: " in shown and "宣传" in shown.split("成本指标: ", 1)[1]


@settings(max_examples=120, deadline=None)
@given(st.randoms(use_true_random=False))
def test_python_search_equals_the_reference(shipped_docs: list[SearchDoc],
                                            shipped_index: Path, rng: random.Random) -> None:
    query, options = random_queries(shipped_docs, 1, rng.randrange(10**9))[0]
    assert python_ids(shipped_index, query, options) == reference(shipped_docs, query,
                                                                  options), (query, options)


def test_browser_and_cli_equal_the_reference_on_the_shipped_site(
        page: Any, site_url: str, shipped_docs: list[SearchDoc], shipped_index: Path) -> None:
    queries = random_queries(shipped_docs, 150, seed=5)
    open_search(page, site_url)
    found = browser_ids(page, queries)
    wanted = [reference(shipped_docs, q, o) for q, o in queries]
    assert sum(map(bool, wanted)) > 40 and sum(not w for w in wanted) > 10
    misses = [(q, o) for (q, o), f, w in zip(queries, found, wanted, strict=True) if f != w]
    assert not misses, misses[:5]
    for (query, options), want in zip(queries, wanted, strict=True):
        assert python_ids(shipped_index, query, options) == want, (query, options)
    for query, options in queries[:5]:
        assert cli_ids(query, options) == reference(shipped_docs, query, options)


def test_browser_and_cli_equal_the_reference_on_a_generated_site(
        page: Any, generated: tuple[Path, list[SearchDoc], str]) -> None:
    root, docs, url = generated
    queries = random_queries(docs, 200, seed=6)
    open_search(page, url)
    found = browser_ids(page, queries)
    wanted = [reference(docs, q, o) for q, o in queries]
    assert sum(map(bool, wanted)) > 60
    misses = [(q, o) for (q, o), f, w in zip(queries, found, wanted, strict=True) if f != w]
    assert not misses, misses[:5]
    index = root / ".site-builder-cache" / "search"
    for (query, options), want in zip(queries, wanted, strict=True):
        assert python_ids(index, query, options) == want, (query, options)
    for query, options in queries[:4]:
        assert cli_ids(query, options, root) == reference(docs, query, options)


@pytest.fixture(scope="module")
def evaluated(tmp_path_factory: pytest.TempPathFactory
              ) -> Iterator[tuple[Path, list[SearchDoc], str, dict[str, Decimal]]]:
    """A generated site of 200 projects, about half with a FICTIONAL self-evaluation whose
    total is drawn around 80, and a few fictional self-evaluations of projects the site does
    not have (another name, so they link to none), built and served.  ``totals`` is keyed by
    search id."""
    root = tmp_path_factory.mktemp("evaluated-site") / "site"
    generate(root, 200, seed=12)
    rng = random.Random(12)
    totals: dict[str, Decimal] = {}
    for project in load_site(root).site.projects:
        if rng.random() < 0.5:
            continue
        total = Decimal(rng.choice(["62", "79.5", "79.99", "80", "85", "98.5"]))
        evaluation = replace(evaluation_of(project, rng), total_score=str(total))
        if rng.random() < 0.1:  # of a project the site does not have
            evaluation = replace(evaluation, id=f"{project.id}-e", project="",
                                 name=f"{project.name}（另一项目）")
            totals[f"evaluations/{evaluation.id}"] = total
        else:
            totals[project.id] = total
        path = root / "content" / project.year / project.unit_code / \
            f"{evaluation.id}.evaluation.yaml"
        write_content(path, fast_dump(evaluation_data(evaluation)), "evaluation")
    assert sum(key.startswith("evaluations/") for key in totals) >= 5
    run_cli("build", "--project", root, "--out", root / "output", check=True)
    server, url = serve_dir(root / "output")
    yield root, search_docs(load_site(root).site), url, totals
    server.shutdown()


def test_the_self_evaluation_filter_equals_the_reference(
        page: Any, evaluated: tuple[Path, list[SearchDoc], str, dict[str, Decimal]]) -> None:
    root, docs, url, totals = evaluated
    rng = random.Random(7)
    queries = []
    for query, options in random_queries(docs, 120, seed=8):
        if rng.random() < 0.5:
            options.pop("category")
        queries.append((query, {**options, "evaluation": rng.choice(["evaluated", "below-80"])}))
    open_search(page, url)
    found = browser_ids(page, queries)
    wanted = [reference(docs, q, o, totals) for q, o in queries]
    everything = [reference(docs, q, {k: v for k, v in o.items() if k != "evaluation"})
                  for q, o in queries]
    assert sum(map(bool, wanted)) > 30
    assert sum(w != e for w, e in zip(wanted, everything, strict=True)) > 30  # it filters
    misses = [(q, o) for (q, o), f, w in zip(queries, found, wanted, strict=True) if f != w]
    assert not misses, misses[:5]
    index = root / ".site-builder-cache" / "search"
    for (query, options), want in zip(queries, wanted, strict=True):
        assert python_ids(index, query, options) == want, (query, options)
    for query, options in queries[:4]:
        assert cli_ids(query, options, root) == reference(docs, query, options, totals)


def test_the_search_page_offers_the_filter_only_on_a_site_with_self_evaluations(
        page: Any, site_url: str,
        evaluated: tuple[Path, list[SearchDoc], str, dict[str, Decimal]]) -> None:
    _, docs, url, totals = evaluated
    open_search(page, site_url)
    assert page.locator("#search-evaluation").count() == 0
    open_search(page, url)
    page.select_option("#search-evaluation", "below-80")
    page.fill("#search-q", "经费")
    page.locator("#search-form button[type=submit]").click()
    expect(page.locator("#search-status")).to_contain_text("自评总分低于 80 分")
    assert "evaluation=below-80" in page.url
    want = reference(docs, "经费", {"evaluation": "below-80"}, totals)
    assert want, "the generated site has projects below 80 named …经费"
    expect(page.locator("#search-status")).to_contain_text(f"找到 {len(want)} 个")


def test_a_self_evaluation_of_its_own_is_found_and_leads_to_its_page(
        page: Any, evaluated: tuple[Path, list[SearchDoc], str, dict[str, Decimal]]) -> None:
    root, docs, url, totals = evaluated
    own = sorted(key for key in totals if key.startswith("evaluations/"))
    assert reference(docs, "另一项目", {}) == set(own)
    assert cli_ids("另一项目", {}, root) == set(own)
    assert cli_ids("另一项目", {"evaluation": "evaluated"}, root) == set(own)
    below = {key for key in own if totals[key] < 80}
    assert cli_ids("另一项目", {"evaluation": "below-80"}, root) == below
    first = next(doc for doc in docs if doc.id == own[0])
    assert first.url == f"{own[0]}.html" and (root / "output" / first.url).is_file()
    assert "（基准测试用虚构数据）按计划完成。" in first.parts  # what was achieved
    open_search(page, url)
    page.fill("#search-q", "另一项目")
    page.locator("#search-form button[type=submit]").click()
    expect(page.locator("#search-status")).to_contain_text(f"找到 {len(own)} 个")
    item = page.locator(".search-result", has=page.locator(f'a[href$="{first.url}"]'))
    expect(item).to_contain_text("绩效自评（本站无其绩效目标表）")
    item.locator("a").first.click()
    expect(page.locator("h1")).to_contain_text(first.name)

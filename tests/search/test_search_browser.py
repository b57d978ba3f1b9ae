"""The search page in Debian's Chromium: results, filters, paging, URL state, file://, no JS."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from conftest import REPO, run_cli, serve_dir
from search_pages import (
    enforce_csp,
    open_search,
    quiet_favicon,
    result_names,
    search_all,
    wait_done,
)

from site_builder.content.reader import load_site
from site_builder.search.analyzer import gram_hash, query_terms, required_grams
from site_builder.search.documents import category_text, search_docs


def params(page: Any) -> dict[str, list[str]]:
    return parse_qs(urlsplit(page.url).query)


def test_results_show_name_unit_year_amount_and_highlight(page: Any, site_url: str) -> None:
    enforce_csp(page)
    status = open_search(page, site_url, "?q=医保")
    assert "找到 3 个包含“医保”的项目" in status
    assert result_names(page)[:2] == ["城乡医保经费", "社区医保经费"]
    first = page.locator("#search-results li").first
    assert "门源县青石嘴镇政府 · 2021年 · 2.21万元" in first.inner_text()
    assert set(first.locator("mark").all_inner_texts()) == {"医保"}
    assert page.title().startswith("“医保”的搜索结果")
    first.locator("a").click()
    page.wait_for_url("**/projects/2021-703001-06.html")


def test_typing_a_query_keeps_it_in_the_url(page: Any, site_url: str) -> None:
    open_search(page, site_url)
    assert "请输入" in page.text_content("#search-status")
    page.fill("#search-q", "石嘴 宣传")
    page.press("#search-q", "Enter")
    page.wait_for_function("location.search.includes('q=')")
    assert "找到 14 个" in wait_done(page)
    assert params(page)["q"] == ["石嘴 宣传"]
    page.reload()
    assert "找到 14 个" in wait_done(page)
    assert page.input_value("#search-q") == "石嘴 宣传"


def test_filters_narrow_and_show_in_the_url(page: Any, site_url: str) -> None:
    docs = search_docs(load_site(REPO).site)
    open_search(page, site_url, "?q=经费")
    total = len([d for d in docs if "经费" in d.text])
    assert f"找到 {total} 个" in page.text_content("#search-status")
    page.select_option("#search-year", "2023")
    page.wait_for_function("location.search.includes('year=2023')")
    wait_done(page)
    metas = page.locator("#search-results .search-result-meta").all_inner_texts()
    assert metas and all("2023年" in m for m in metas)
    page.select_option("#search-year", "")
    page.select_option("#search-unit", "703001")
    page.wait_for_function("location.search.includes('unit=703001')")
    wait_done(page)
    assert all("青石嘴" in m for m in page.locator(".search-result-meta").all_inner_texts())
    rare = min({c for d in docs for c in d.categories},
               key=lambda c: sum(c in d.categories for d in docs))
    expected = sum("经费" in category_text(d.parts, d.scopes, rare) and d.unit_code == "703001"
                   for d in docs)
    page.select_option("#search-category", rare)
    page.wait_for_function("location.search.includes('category=')")
    assert f"找到 {expected} 个" in wait_done(page) or (expected == 0 and "没有" in
                                                          page.text_content("#search-status"))
    assert params(page)["category"] == [rare]


def test_paging_and_back_button(page: Any, site_url: str) -> None:
    open_search(page, site_url, "?q=指标")
    assert "找到 42 个" in page.text_content("#search-status")
    assert page.locator("#search-results li").count() == 20
    page.click("#search-pager >> text=下一页")
    page.wait_for_function("location.search.includes('page=2')")
    assert "第 21–40 个" in wait_done(page)
    assert page.get_attribute("#search-results", "start") == "21"
    assert page.get_attribute("#search-pager [aria-current=page]", "href").endswith("page=2")
    page.click("#search-pager >> text=3")
    page.wait_for_function("location.search.includes('page=3')")
    wait_done(page)
    assert page.locator("#search-results li").count() == 2
    page.go_back()
    page.wait_for_function("location.search.includes('page=2')")
    assert "第 21–40 个" in wait_done(page)


def test_no_results_is_helpful(page: Any, site_url: str) -> None:
    status = open_search(page, site_url, "?q=石嘴&year=2023")
    assert "没有找到包含“石嘴”的项目（2023年）" in status
    page.click("#search-advice >> text=取消筛选")
    page.wait_for_function("!location.search.includes('year=')")
    assert "找到 26 个" in wait_done(page)
    assert page.input_value("#search-year") == ""


def test_works_from_file_url(page: Any, built_site: Path) -> None:
    status = open_search(page, built_site.as_uri() + "/", "?q=0.76万元")
    assert "找到 1 个" in status
    page.locator("#search-results a").first.click()
    page.wait_for_url("**/projects/2023-002001-01.html")


def test_works_under_a_sub_path(page: Any, built_site: Path) -> None:
    server, url = serve_dir(built_site, "zwgk/jxmb")
    try:
        enforce_csp(page)
        assert "找到 3 个" in open_search(page, url, "?q=医保")
        href = page.get_attribute("#search-results a", "href")
        assert href and "/zwgk/jxmb/projects/" in href
    finally:
        server.shutdown()


def test_without_javascript_the_page_says_so(browser: Any, site_url: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(f"{site_url}search.html?q=医保")
        message = page.locator(".search-nojs")
        assert message.is_visible() and "JavaScript" in message.inner_text()
        assert page.get_attribute(".search-nojs a", "href") == "index.html"
        assert not page.locator("#search-form").is_visible()
    finally:
        context.close()


def test_a_query_downloads_only_the_shards_it_needs(page: Any, site_url: str,
                                                    built_site: Path) -> None:
    loaded: list[str] = []
    page.on("request", lambda r: loaded.append(urlsplit(r.url).path))
    query = "石嘴镇 宣传资料"  # a long term: read through their trigrams, confirmed by the data
    open_search(page, site_url, "?q=" + query)
    data = [p.removeprefix("/search/") for p in loaded if p.startswith("/search/")]
    # the manifest comes inside engine.js: no request of its own; enough hits: no suggestions
    assert {p for p in data if not p.startswith(("s/", "d/"))} == {"engine.js", "ui.js"}
    manifest = (built_site / "search" / "manifest.js").read_text("utf-8")
    count = json.loads(manifest.split(",", 1)[1].rsplit(")", 1)[0])["shards"]
    wanted = {f"s/{gram_hash(g) & (count - 1):x}.js"
              for t in query_terms(query) for g in required_grams(t)}
    assert {p for p in data if p.startswith("s/")} == wanted
    docs = [p for p in data if p.startswith("d/")]
    assert len(docs) == page.locator("#search-results li").count() >= 3


def test_embedding_the_es_module_in_another_page(page: Any, built_site: Path,
                                                 tmp_path: Path) -> None:
    site = tmp_path / "portal"
    shutil.copytree(built_site, site)
    (site / "cms").mkdir()
    (site / "cms" / "page.html").write_text(
        '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>CMS</title>'
        '<script type="module" src="page.js"></script></head>'
        '<body><ul id="out"></ul><p id="total"></p></body></html>', "utf-8")
    (site / "cms" / "page.js").write_text(
        'import { search } from "../search/search.js";\n'
        'const found = await search("宣传", { year: "2021", limit: 5, offset: 5 });\n'
        'for (const r of found.results) {\n'
        '  const li = document.createElement("li"); const a = document.createElement("a");\n'
        '  a.href = r.href; a.textContent = r.name; li.append(a);\n'
        '  document.getElementById("out").append(li);\n}\n'
        'document.getElementById("total").textContent = String(found.total);\n', "utf-8")
    server, url = serve_dir(site)
    loaded: list[str] = []
    page.on("request", lambda r: loaded.append(urlsplit(r.url).path))
    try:
        enforce_csp(page)
        quiet_favicon(page)
        page.goto(f"{url}cms/page.html")
        page.wait_for_function("document.getElementById('total').textContent !== ''")
        # the module holds the engine and the manifest: neither is a request of its own
        assert "/search/search.js" in loaded
        assert not {"/search/engine.js", "/search/manifest.js"} & set(loaded)
        docs = search_docs(load_site(REPO).site)
        assert page.text_content("#total") == str(
            sum("宣传" in d.text and d.year == "2021" for d in docs))
        assert page.locator("#out a").count() == 5
        href = page.get_attribute("#out a", "href")
        assert href and href.startswith(url + "projects/")
    finally:
        server.shutdown()


def test_xss_in_content_and_query_never_executes(page: Any, shipped_site: Path,
                                                  browser: Any) -> None:
    project = shipped_site / "content" / "2023" / "002001" / "2023-002001-02.yaml"
    text = project.read_text("utf-8").replace(
        "name: ", "name: '<img src=x onerror=window.__xss=1>XSS测试'\nold_name: ", 1)
    text = text.replace("goals:\n", "goals:\n- '<script>window.__xss=2</script>XSS目标'\n", 1)
    project.write_text(text.replace("\nold_name: ", "\n# was: ", 1), "utf-8")
    out = shipped_site / "output"
    run_cli("build", "--project", shipped_site, "--out", out, check=True)
    server, url = serve_dir(out)
    try:
        enforce_csp(page)
        assert "找到 1 个" in open_search(page, url, "?q=XSS")
        assert result_names(page) == ["<img src=x onerror=window.__xss=1>XSS测试"]
        assert "<script>window.__xss=2</script>XSS目标" in page.inner_text("#search-results")
        payload = "<img src=x onerror=window.__xss=3>"
        status = open_search(page, url, "?q=" + payload)
        assert payload in status
        assert page.locator("main img, main script").count() == 0
        assert page.evaluate("window.__xss") is None
    finally:
        server.shutdown()


def test_browser_returns_what_the_cli_returns(page: Any, site_url: str) -> None:
    queries = ["石嘴 宣传", "０．７６万元", "村干部", "(社区)",
               "本经费主要用于培训乡村干部及宗教人员"]
    open_search(page, site_url)
    browser_ids = search_all(page, queries)
    for query, found in zip(queries, browser_ids, strict=True):
        cli = json.loads(run_cli("search", query, "--limit", "0", "--json", check=True).stdout)
        assert sorted(found) == sorted(r["id"] for r in cli["results"]), query
        assert found, query

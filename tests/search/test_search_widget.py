"""The search widget in a county portal's page: the host page on its own 127.0.0.1 server with a
strict Content-Security-Policy of its own, the built site on another server, Debian's Chromium."""

from __future__ import annotations

import functools
import http.server
import re
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from conftest import REPO, run_json, serve_dir

AXE = REPO / "node_modules/axe-core/axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
TIMEOUT = 90_000

HOST_PAGE = """<!DOCTYPE html>
<html lang="zh-CN">
<head><meta charset="utf-8"><title>某某县人民政府门户网站（测试用，虚构）</title>
<link rel="stylesheet" href="portal.css"></head>
<body>
<header><p class="portal">某某县人民政府（测试用，虚构）</p></header>
<main>
<h1>乡镇预算绩效目标</h1>
<div data-site-builder-search {attributes}>
  <form action="{site}search.html" method="get" role="search" aria-label="搜索乡镇项目绩效目标">
    <label for="jxmb-q">搜索乡镇项目绩效目标</label>
    <input id="jxmb-q" name="q" type="search">
    <button type="submit">搜索</button>
  </form>
</div>
</main>
<script src="{site}search/widget.js" defer></script>
</body>
</html>
"""
"""What a portal pastes (docs/search.md), with the site's address filled in."""


class _PortalHandler(http.server.SimpleHTTPRequestHandler):
    policy = ""

    def end_headers(self) -> None:
        self.send_header("Content-Security-Policy", self.policy)
        super().end_headers()

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass


def serve_portal(folder: Path, site: str) -> tuple[http.server.ThreadingHTTPServer, str]:
    """The portal on a port of its own: default-src 'self', scripts also from the site."""
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(site))
    handler = type("Portal", (_PortalHandler,),
                   {"policy": f"default-src 'self'; script-src 'self' {origin}"})
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(handler, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def portal(tmp: Path, site: str, attributes: str = "") -> Path:
    tmp.mkdir(parents=True, exist_ok=True)
    (tmp / "index.html").write_text(HOST_PAGE.format(site=site, attributes=attributes), "utf-8")
    (tmp / "portal.css").write_text("body { font-family: sans-serif; margin: 1rem; }\n", "utf-8")
    (tmp / "favicon.ico").write_bytes(b"")
    return tmp


@pytest.fixture
def host(tmp_path: Path, site_url: str) -> Iterator[str]:
    server, url = serve_portal(portal(tmp_path / "portal", site_url), site_url)
    yield url
    server.shutdown()


def search(page: Any, text: str) -> str:
    """Search in the widget; its status line.  (Waits use locators: the portal's policy forbids
    the eval that Playwright's polled string predicates need.)"""
    page.fill("#jxmb-q", text)
    page.press("#jxmb-q", "Enter")
    page.locator(".sbw-status", has_text=re.compile(f"(找到|没有找到).*“{re.escape(text)}”")
                 ).wait_for(timeout=TIMEOUT)
    return str(page.text_content(".sbw-status"))


def test_results_link_into_the_site_from_another_origin(page: Any, host: str,
                                                       site_url: str) -> None:
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.set_default_timeout(TIMEOUT)
    page.goto(host)
    assert site_url != host and urlsplit(site_url).port != urlsplit(host).port
    assert "找到 3 个" in search(page, "医保")
    # the default look applies under the portal's policy (a constructed style sheet)
    assert page.locator("#jxmb-q").evaluate("e => e.getBoundingClientRect().height") >= 44
    links = page.locator(".sbw-results a")
    assert links.count() == 3
    hrefs = [str(links.nth(i).get_attribute("href")) for i in range(3)]
    assert all(h.startswith(site_url + "projects/") for h in hrefs), hrefs
    assert links.first.locator("mark").all_inner_texts() == ["医保"]
    index = [r for r in requests if "/search/" in r]
    assert index and all(r.startswith(site_url + "search/") for r in index)
    assert not any(r.startswith(host + "search/") for r in requests)
    links.first.click()
    page.wait_for_url(site_url + "projects/*")
    assert page.locator("h1").inner_text().startswith("城乡医保经费")


def test_more_results_open_the_sites_search_page(page: Any, host: str, site_url: str) -> None:
    page.goto(host)
    assert "找到 42 个" in search(page, "指标")
    assert page.locator(".sbw-results li").count() == 5
    more = page.locator(".sbw-more a")
    assert more.inner_text() == "查看全部 42 个结果"
    href = str(more.get_attribute("href"))
    assert href.startswith(site_url + "search.html?") and parse_qs(urlsplit(href).query) == {
        "q": ["指标"]}


def test_near_misses_are_corrected_in_the_widget(page: Any, host: str) -> None:
    page.goto(host)
    assert "没有找到" in search(page, "名族团结")
    suggestion = page.locator(".sbw-suggest a").first
    suggestion.wait_for(timeout=TIMEOUT)
    assert suggestion.inner_text() == "民族团结"
    suggestion.click()
    page.locator(".sbw-status", has_text="找到 3 个包含“民族团结”").wait_for(timeout=TIMEOUT)
    assert page.input_value("#jxmb-q") == "民族团结"


def test_fixed_filters_and_a_sub_path(page: Any, tmp_path: Path, built_site: Path) -> None:
    site_server, site = serve_dir(built_site, "zwgk/jxmb")
    server, url = serve_portal(portal(tmp_path / "p", site, 'data-year="2023" '
                                      'data-category="成本指标" data-limit="3"'), site)
    try:
        page.goto(url)
        expected = run_json("search", "宣传", "--year", "2023", "--category", "成本指标",
                            "--json")["total"]
        assert f"找到 {expected} 个" in search(page, "宣传")
        links = page.locator(".sbw-results a")
        assert links.count() == 3
        assert str(links.first.get_attribute("href")).startswith(site + "projects/")
        assert "/zwgk/jxmb/projects/" in str(links.first.get_attribute("href"))
        more = parse_qs(urlsplit(str(page.get_attribute(".sbw-more a", "href"))).query)
        assert more == {"q": ["宣传"], "year": ["2023"], "category": ["成本指标"]}
    finally:
        server.shutdown()
        site_server.shutdown()


def test_without_javascript_the_form_opens_the_sites_search(browser: Any, host: str,
                                                             site_url: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(host)
        page.fill("#jxmb-q", "医保")
        page.press("#jxmb-q", "Enter")
        page.wait_for_url(site_url + "search.html?q=*")
        assert page.locator(".search-nojs").is_visible()
    finally:
        context.close()


def test_the_widget_in_the_portal_is_accessible(browser: Any, host: str) -> None:
    context = browser.new_context(bypass_csp=True)  # only so that axe can be injected
    try:
        page = context.new_page()
        page.set_default_timeout(TIMEOUT)
        for width in (320, 1280):
            page.set_viewport_size({"width": width, "height": 900})
            page.goto(host)
            search(page, "指标")
            page.add_script_tag(path=str(AXE))
            found = page.evaluate(
                "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS)
            assert [v["id"] for v in found["violations"]] == [], found["violations"][:2]
            sizes = page.evaluate("""() => [...document.querySelectorAll(
                '.sbw input, .sbw button, .sbw a')].map(e => {
                    const b = e.getBoundingClientRect(); return [e.tagName, b.width, b.height];
                })""")
            assert len(sizes) >= 8
            assert all(h >= 44 for _, _, h in sizes), sizes
            assert all(w >= 44 for tag, w, _ in sizes if tag != "A"), sizes
            assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")
    finally:
        context.close()

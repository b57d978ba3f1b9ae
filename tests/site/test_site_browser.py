"""The built shipped site in Debian's Chromium: every page type at the root, under a sub-path and
from file://; axe-core (WCAG 2.1 A/AA), layout at 360/1280 px with screenshots, CSP, print."""

from __future__ import annotations

import functools
import http.server
import re
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import REPO, serve_dir
from playwright.sync_api import expect
from site_helpers import ARTIFACTS

AXE = REPO / "node_modules/axe-core/axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
PAGES = {
    "home": "index.html",
    "year": "years/2023.html",
    "year-by-order": "years/2021-by-order.html",
    "unit": "units/2021-703001.html",
    "project": "projects/2023-002001-01.html",
    "project-variants": "projects/2023-002001-04.html",
    "categories": "categories/index.html",
    "category": "categories/output-cost.html",
    "page": "pages/about.html",
    "guide": "pages/guide.html",
    "downloads": "downloads.html",
    "search": "search.html",
    "not-found": "404.html",
}
"""One page of every type (and the project with variant values)."""
WIDTHS = (360, 1280)
TIMEOUT_MS = 120_000
"""Generous: a busy CI machine can take long over a full-page screenshot."""


def run_axe(page: Any) -> list[dict[str, Any]]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})",
                           WCAG_TAGS)
    return [{"id": v["id"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]][:5]}
            for v in result["violations"]]


def failed_requests(page: Any) -> list[str]:
    failed: list[str] = []
    page.on("response", lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 400
            else None)
    # a navigation cancels requests still loading (e.g. the print stylesheet): not a failure
    page.on("requestfailed", lambda r: failed.append(f"failed {r.url}: {r.failure}")
            if "ERR_ABORTED" not in (r.failure or "") else None)
    page.set_default_timeout(TIMEOUT_MS)
    return failed


@pytest.mark.parametrize("name", list(PAGES))
def test_page_type_passes_axe_and_fits_the_screen(page: Any, site_url: str, name: str) -> None:
    failed = failed_requests(page)
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        response = page.goto(site_url + PAGES[name])
        assert response is not None and response.status == 200
        assert page.locator("html").get_attribute("lang") == "zh-CN"
        ARTIFACTS.joinpath("screenshots").mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "screenshots" / f"{name}-{width}.png"),
                        full_page=True)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{name} scrolls sideways at {width}px"
        assert run_axe(page) == [], f"axe violations on {name} at {width}px"
    assert failed == []


def test_skip_link_is_first_and_moves_focus_to_main(page: Any, site_url: str) -> None:
    page.goto(site_url + PAGES["project"])
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert focused == "跳到正文"
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"


def test_project_table_is_laid_out_like_the_form(page: Any, site_url: str) -> None:
    page.goto(site_url + PAGES["project-variants"])
    table = page.locator("table#indicators")
    level1 = table.locator("tbody th.l1")
    spans = [int(level1.nth(i).get_attribute("rowspan") or 1) for i in range(level1.count())]
    rows = table.locator("tbody tr").count()
    assert sum(spans) == rows and max(spans) > 1
    ids = set(table.locator("th[id]").evaluate_all("els => els.map(e => e.id)"))
    headers = table.locator("td[headers]").evaluate_all(
        "els => els.map(e => e.getAttribute('headers'))")
    for cell in headers:
        assert set(cell.split()) <= ids
    variant = table.locator("td .reading").first
    assert variant.inner_text().startswith("≤")
    assert "≦" in variant.locator("xpath=..").inner_text()  # published text still visible


def test_print_stylesheet_prints_the_form_only(page: Any, site_url: str) -> None:
    page.goto(site_url + PAGES["project"])
    page.emulate_media(media="print")
    assert page.locator(".site-header").is_hidden()
    assert page.locator("#related").is_hidden()
    assert page.locator("table#indicators").is_visible()


def navigate(page: Any, start: str) -> None:
    """Home → year → other order → project → unit, by clicking links like a visitor.

    Every check after a click waits (``expect``) for the next page: a click
    only starts the navigation, and a count taken at once may see the old page.
    """
    failed = failed_requests(page)
    page.goto(start)
    assert page.locator("link[rel=stylesheet]").count() == 2
    assert page.locator(".site-header").evaluate(
        "e => getComputedStyle(e).backgroundColor") == "rgb(29, 79, 145)"
    page.locator(".site-nav a", has_text="2023年").click()
    expect(page.locator("h1")).to_have_text("2023年项目")
    page.locator(".orders a", has_text="按公开顺序").click()
    expect(page).to_have_url(re.compile(r"years/2023-by-order\.html$"))
    page.locator("table.listing tbody a").first.click()
    expect(page.locator("table#indicators tbody tr").first).to_be_attached()
    page.locator(".breadcrumbs a").nth(2).click()
    expect(page).to_have_url(re.compile(r"units/2023-002001\.html"))
    page.locator(".site-nav a", has_text="指标分类").click()
    expect(page.locator(".category-list a").first).to_be_attached()
    page.locator(".category-list a").first.click()
    expect(page.locator("table.category-table tbody tr").first).to_be_attached()
    page.locator(".site-nav a", has_text="数据下载").click()
    page.locator("a", has_text="indicators.csv").wait_for()
    assert failed == []


def test_navigation_at_the_root(page: Any, site_url: str) -> None:
    navigate(page, site_url + "index.html")


def test_navigation_under_a_sub_path(page: Any, built_site: Path) -> None:
    server, url = serve_dir(built_site, "zwgk/jxmb")
    try:
        assert url.endswith("/zwgk/jxmb/")
        navigate(page, url + "index.html")
        assert "/zwgk/jxmb/" in page.url
    finally:
        server.shutdown()


def test_navigation_from_file(page: Any, built_site: Path) -> None:
    navigate(page, (built_site / "index.html").as_uri())
    assert page.url.startswith("file://")


class _CspHandler(http.server.SimpleHTTPRequestHandler):
    def end_headers(self) -> None:
        self.send_header("Content-Security-Policy", "default-src 'self'")
        super().end_headers()

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass


@pytest.fixture(scope="module")
def csp_url(built_site: Path) -> Iterator[str]:
    handler = functools.partial(_CspHandler, directory=str(built_site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


def test_every_page_type_works_under_a_strict_csp(page: Any, csp_url: str) -> None:
    page.add_init_script("window.__csp = []; document.addEventListener("
                         "'securitypolicyviolation', e => window.__csp.push("
                         "e.violatedDirective + ' ' + e.blockedURI));")
    for path in PAGES.values():
        response = page.goto(csp_url + path)
        assert response is not None
        assert response.headers["content-security-policy"] == "default-src 'self'"
        page.wait_for_load_state("load")
        assert page.evaluate("window.__csp") == [], path
        assert page.locator(".site-header").evaluate(
            "e => getComputedStyle(e).backgroundColor") == "rgb(29, 79, 145)"


def test_csp_check_catches_an_inline_style(page: Any, csp_url: str, built_site: Path) -> None:
    bad = built_site.parent / "csp-probe"
    page.add_init_script("window.__csp = []; document.addEventListener("
                         "'securitypolicyviolation', e => window.__csp.push(e.violatedDirective));")
    page.on("console", lambda m: None)
    page.goto(csp_url + "index.html")
    page.evaluate("document.body.insertAdjacentHTML('beforeend', '<p style=\"color:red\">x</p>')")
    page.wait_for_timeout(200)
    assert page.evaluate("window.__csp")  # the probe itself is refused
    page.console_errors.clear()  # the refusal is the expected console error of this probe
    assert not bad.exists()

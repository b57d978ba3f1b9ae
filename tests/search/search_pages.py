"""Helpers for the search browser tests: open the search page, read what it shows."""

from __future__ import annotations

from typing import Any

CSP = "default-src 'self'"
TIMEOUT = 90_000
"""Generous: CI machines may be busy; a passing search takes well under a second."""
DONE = ("document.getElementById('search-status').textContent.match(/找到|没有找到|请输入|未能/)")


def _no_favicon(route: Any) -> None:
    route.fulfill(status=204, body=b"")


def quiet_favicon(page: Any) -> None:
    """Answer Chromium's automatic /favicon.ico request (the site ships none yet; its 404 would
    count as a console error in the shared ``page`` fixture)."""
    page.route("**/favicon.ico", _no_favicon)


def enforce_csp(page: Any) -> None:
    """Serve every response with ``Content-Security-Policy: default-src 'self'``."""

    def handle(route: Any) -> None:
        if route.request.url.endswith("/favicon.ico"):
            _no_favicon(route)
            return
        response = route.fetch()
        route.fulfill(response=response,
                      headers={**response.headers, "content-security-policy": CSP})

    page.route("**/*", handle)


def wait_done(page: Any) -> str:
    """Wait for the search page to finish and return its status line."""
    page.wait_for_function(DONE, timeout=TIMEOUT)
    return str(page.text_content("#search-status"))


def open_search(page: Any, base: str, query: str = "") -> str:
    quiet_favicon(page)
    page.set_default_timeout(TIMEOUT)
    page.goto(f"{base}search.html{query}")
    return wait_done(page)


def result_names(page: Any) -> list[str]:
    return [str(t) for t in page.locator("#search-results .search-result-title").all_inner_texts()]


def search_all(page: Any, queries: list[str]) -> list[list[str]]:
    """Run ``search(q, {limit: 0})`` in the page for every query; ids per query."""
    result: list[list[str]] = page.evaluate(
        """async (queries) => {
            const out = [];
            for (const q of queries) {
                const found = await SiteBuilderSearch.search(q, {limit: 0});
                if (found.total !== found.results.length) throw new Error("total " + q);
                out.push(found.results.map(r => r.id));
            }
            return out;
        }""", queries)
    return result

"""Query both engines in headless Debian Chromium and count what a visitor downloads.

For each engine and query the harness opens an empty page on the site's origin (see
:mod:`benchmarks.serve`), imports the engine's own browser client and asks for the first
``limit`` results *with their display data* (what a results page shows). Bytes are the response
bodies as transferred (``request.sizes()['responseBodySize']``, gzip where the server
compressed) and as stored on disk; latency is measured inside the page with
``performance.now()`` from the call to the results being ready.

* first query: every query once in a fresh browser context (empty cache), so the figure
  includes the client code, the index metadata and everything the query needs;
* later queries: the other queries in one context, one after another, after the first;
* completeness: every result of every query (ids only), for recall and precision.
"""

from __future__ import annotations

import gzip
import json
import re
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from benchmarks.serve import BENCH_PAGE, StaticServer

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--disable-extensions"]

OURS_SHOWN = """async ([q, limit]) => {
  const t0 = performance.now();
  const client = await import("/search/search.js");
  const found = await client.search(q, {limit});
  const ms = performance.now() - t0;
  return {ms, total: found.total, keys: found.results.map((r) => String(r.id ?? r.url))};
}"""
OURS_ALL = """async ([q]) => {
  const client = await import("/search/search.js");
  const first = await client.search(q, {limit: 1});
  if (first.total <= 1) return first.results.map((r) => String(r.id ?? r.url));
  const all = await client.search(q, {limit: first.total});
  return all.results.map((r) => String(r.id ?? r.url));
}"""
PAGEFIND_SHOWN = """async ([q, limit]) => {
  const t0 = performance.now();
  const pagefind = await import("/pagefind/pagefind.js");
  const found = await pagefind.search(q);
  const shown = await Promise.all(found.results.slice(0, limit).map((r) => r.data()));
  const ms = performance.now() - t0;
  return {ms, total: found.results.length, keys: shown.map((d) => d.url)};
}"""
PAGEFIND_ALL = """async ([q]) => {
  const pagefind = await import("/pagefind/pagefind.js");
  const found = await pagefind.search(q);
  return found.results.map((r) => r.id);
}"""

PROJECT_ID = re.compile(r"(\d{4}-[0-9A-Za-z]+-[0-9A-Za-z]+)(?:\.html|/)?$")


@dataclass(frozen=True)
class Engine:
    """How to query one engine in the browser."""

    name: str
    """Shown in the table."""
    site: Path
    """The built site folder, served at the root."""
    shown_js: str
    """Page function ``([query, limit]) → {ms, total, keys}`` for the first results."""
    all_js: str
    """Page function ``([query]) → keys`` of every result."""
    key_to_id: Callable[[str], str]
    """Maps a result key (id, url or Pagefind page hash) to a project id."""


@dataclass(frozen=True)
class QueryRun:
    """One query as a visitor experiences it."""

    query: str
    ms: float
    """Latency inside the page."""
    wire: int
    """Response bytes as transferred."""
    raw: int
    """The same files' bytes on disk."""
    requests: int
    total: int
    """Matches the engine reports."""


@dataclass
class BrowserResult:
    """Everything measured for one engine."""

    first: list[QueryRun] = field(default_factory=list)
    later: list[QueryRun] = field(default_factory=list)
    found: dict[str, set[str]] = field(default_factory=dict)


def project_id(key: str) -> str:
    match = PROJECT_ID.search(unquote(urlsplit(key).path) if "/" in key else key)
    return match.group(1) if match else key


def pagefind_key_to_id(site: Path) -> Callable[[str], str]:
    """Pagefind results carry a page hash; its fragment file holds the page's url."""
    cache: dict[str, str] = {}

    def lookup(key: str) -> str:
        if key not in cache:
            data = gzip.decompress((site / "pagefind" / "fragment" /
                                    f"{key}.pf_fragment").read_bytes())
            body = data[len(b"pagefind_dcd"):] if data.startswith(b"pagefind_dcd") else data
            cache[key] = project_id(json.loads(body)["url"])
        return cache[key]
    return lookup


@contextmanager
def chromium() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                             args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


class _Page:
    """A page on the bench origin that records the requests made while a query runs."""

    def __init__(self, context: Any, base: str, site: Path) -> None:
        self.page = context.new_page()
        self.site = site
        self.errors: list[str] = []
        self.requests: list[Any] = []
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("console", lambda m: self.errors.append(m.text)
                     if m.type == "error" and "Failed to load resource" not in m.text else None)
        self.page.on("response", lambda r: self.errors.append(f"{r.status} {r.url}")
                     if r.status >= 400 and not r.url.endswith("/favicon.ico") else None)
        self.page.on("requestfinished", lambda r: self.requests.append(r))
        self.page.goto(base + BENCH_PAGE)
        self.requests.clear()

    def query(self, script: str, text: str, limit: int) -> QueryRun:
        self.requests.clear()
        result = self.page.evaluate(script, [text, limit])
        self._settle()
        if self.errors:
            raise RuntimeError(f"errors in the page for {text!r}: {self.errors}")
        wire = raw = 0
        for request in self.requests:
            wire += request.sizes()["responseBodySize"]
            raw += self._disk_size(request.url)
        return QueryRun(text, float(result["ms"]), wire, raw, len(self.requests),
                        int(result["total"]))

    def _settle(self) -> None:
        """Let finished-request events that are still in flight arrive."""
        seen = -1
        while seen != len(self.requests):
            seen = len(self.requests)
            self.page.wait_for_timeout(50)

    def _disk_size(self, url: str) -> int:
        path = (self.site / unquote(urlsplit(url).path).lstrip("/")).resolve()
        if path.is_dir():
            path = path / "index.html"
        return path.stat().st_size if path.is_file() else 0


def measure(browser: Any, engine: Engine, queries: Sequence[str], limit: int,
            completeness: bool = True) -> BrowserResult:
    """First-query and later-query figures, and (optionally) every result of every query."""
    result = BrowserResult()
    with StaticServer(engine.site) as base:
        for text in queries:
            context = browser.new_context()
            try:
                result.first.append(_Page(context, base, engine.site).query(
                    engine.shown_js, text, limit))
            finally:
                context.close()
        context = browser.new_context()
        try:
            page = _Page(context, base, engine.site)
            page.query(engine.shown_js, queries[0], limit)
            result.later = [page.query(engine.shown_js, text, limit) for text in queries[1:]]
            if completeness:
                for text in queries:
                    keys = page.page.evaluate(engine.all_js, [text])
                    result.found[text] = {engine.key_to_id(str(k)) for k in keys}
        finally:
            context.close()
    return result

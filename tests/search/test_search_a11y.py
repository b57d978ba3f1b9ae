"""The search page for fingers, eyes and screen readers, in Debian's Chromium: axe-core (WCAG 2.2
AA and best practice) at 320, 360 and 1280 px and at 200% zoom, target and text sizes measured,
labels on one line, the result count announced once per search."""

from __future__ import annotations

from typing import Any

import pytest
from conftest import REPO
from search_pages import open_search, wait_done

AXE = REPO / "node_modules/axe-core/axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
WIDTHS = (320, 360, 640, 1280)
"""640 px is a 1280 px window at 200% zoom."""
STATES = {
    "results and pager": "?q=指标&page=2",
    "category rows": "?q=宣传&year=2023&category=成本指标",
    "nothing found": "?q=石嘴&year=2023",
    "near miss": "?q=名族团结",
}
"""The page in each state it can show."""
COMFORT = 44
"""Target size where space allows (px)."""
MINIMUM = 24
"""WCAG 2.2 2.5.8: never smaller (px)."""

MEASURE = """() => {
    const main = document.querySelector('main');
    const out = [];
    for (const el of main.querySelectorAll('a[href], button, input, select')) {
        const box = el.getBoundingClientRect();
        if (!box.width || !box.height) continue;
        out.push({tag: el.tagName.toLowerCase(), cls: el.className || el.id,
                  text: (el.textContent || el.value || '').trim().slice(0, 20),
                  w: box.width, h: box.height,
                  font: parseFloat(getComputedStyle(el).fontSize)});
    }
    return out;
}"""


def run_axe(page: Any) -> list[dict[str, Any]]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})",
                           AXE_TAGS)
    return [{"id": v["id"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]][:5]}
            for v in result["violations"]]


def settle(page: Any) -> None:
    """Wait until the suggestions, which follow the status, have had their chance."""
    page.wait_for_function("!document.getElementById('search-busy') || "
                           "document.getElementById('search-busy').hidden")
    page.wait_for_timeout(300)


@pytest.mark.parametrize("state", list(STATES))
def test_axe_finds_nothing_and_targets_are_large(page: Any, site_url: str, state: str) -> None:
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        open_search(page, site_url, STATES[state])
        settle(page)
        assert run_axe(page) == [], f"axe on the search page ({state}) at {width}px"
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"scrolls sideways at {width}px"
        targets = page.evaluate(MEASURE)
        assert len(targets) >= 6
        small = [t for t in targets if min(t["w"], t["h"]) < MINIMUM]
        assert not small, small
        cramped = [t for t in targets if t["h"] < COMFORT
                   or (t["tag"] != "a" and t["w"] < COMFORT)
                   or ("search-page" in t["cls"] and t["w"] < COMFORT)]
        assert not cramped, (width, cramped)
        controls = [t for t in targets if t["tag"] in ("input", "button", "select")]
        assert controls and all(t["font"] >= 16 for t in controls), controls


def test_labels_stay_on_one_line(page: Any, site_url: str) -> None:
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        open_search(page, site_url, "?q=医保")
        heights = page.evaluate("""() => [...document.querySelectorAll('#search-form label')]
            .map(l => [l.textContent, l.getBoundingClientRect().height,
                       parseFloat(getComputedStyle(l).lineHeight)])""")
        assert len(heights) == 4
        for text, height, line in heights:
            assert height < 1.5 * line, f"label {text} wraps at {width}px"


def test_the_pager_is_a_row_of_buttons(page: Any, site_url: str) -> None:
    page.set_viewport_size({"width": 360, "height": 900})
    open_search(page, site_url, "?q=指标&page=2")
    links = page.locator("#search-pager a")
    assert links.all_inner_texts() == ["上一页", "1", "2", "3", "下一页"]
    current = page.locator("#search-pager [aria-current=page]")
    assert current.inner_text() == "2" and current.get_attribute("aria-label") == "第 2 页"
    colours = current.evaluate("e => [getComputedStyle(e).backgroundColor, getComputedStyle(e).color]")
    assert colours[0] != "rgba(0, 0, 0, 0)" and colours[1] == "rgb(255, 255, 255)"
    style = page.locator("#search-pager ul").evaluate("e => getComputedStyle(e).listStyleType")
    assert style == "none"


def test_titles_are_highlighted_too(page: Any, site_url: str) -> None:
    open_search(page, site_url, "?q=医保")
    titles = page.locator("#search-results .search-result-title")
    assert titles.first.locator("mark").all_inner_texts() == ["医保"]
    assert titles.first.inner_text() == "城乡医保经费"


def test_the_count_is_announced_once_per_search(page: Any, site_url: str) -> None:
    open_search(page, site_url)
    live = page.locator("main [aria-live]")
    assert live.count() == 1
    assert live.get_attribute("id") == "search-status"
    assert live.get_attribute("aria-live") == "polite"
    assert live.get_attribute("role") == "status"
    page.evaluate("""() => {
        window.__said = [];
        const status = document.getElementById('search-status');
        new MutationObserver(() => {
            if (status.textContent) window.__said.push(status.textContent);
        }).observe(status, {childList: true, characterData: true, subtree: true});
    }""")
    for query in ("医保", "石嘴 宣传", "医保"):
        page.fill("#search-q", query)
        page.press("#search-q", "Enter")
        wait_done(page)
        page.wait_for_timeout(300)
    said = page.evaluate("window.__said")
    assert len(said) == 3, said
    assert said[0] == said[2] and "找到 3 个" in said[0] and "找到 14 个" in said[1]


def test_the_two_search_forms_are_told_apart(page: Any, site_url: str) -> None:
    open_search(page, site_url, "?q=医保")
    names = page.evaluate("""() => [...document.querySelectorAll('[role=search]')]
        .map(f => f.getAttribute('aria-label') || f.getAttribute('aria-labelledby') || '')""")
    assert len(names) == 2 and "搜索与筛选" in names

"""The shipped site as a citizen uses it, in Debian's Chromium: every page type (search has
its own tests) at 320, 360 and 1280 px in the normal and the large-text mode — no sideways
scrolling, the key columns on screen, axe (WCAG 2.2 AA and best practice) clean, target sizes
measured — and printing the seed projects to A4."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import REPO, run_cli, serve_dir
from site_helpers import ARTIFACTS

AXE = REPO / "node_modules/axe-core/axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
PAGES = {
    "home": "index.html",
    "year": "years/2023.html",
    "year-by-order": "years/2021-by-order.html",
    "unit": "units/2021-703001.html",
    "project": "projects/2023-002001-01.html",
    "project-blank-level2": "projects/2021-703001-11.html",
    "categories": "categories/index.html",
    "category": "categories/output-cost.html",
    "page": "pages/about.html",
    "guide": "pages/guide.html",
    "downloads": "downloads.html",
    "not-found": "404.html",
}
"""One page of every type but search (and a project whose form has a blank 二级)."""
WIDTHS = (320, 360, 1280)
MODE_KEY = "site-builder:mode"
TIMEOUT_MS = 120_000

TARGETS_JS = """(large) => {
  const chosen = 'a[href], button, input, select, summary, [tabindex="0"]';
  const shown = e => {
    const r = e.getBoundingClientRect(), s = getComputedStyle(e);
    return r.width > 0 && r.height > 0 && r.bottom > 0 && s.visibility !== 'hidden';
  };
  // WCAG 2.5.8 exception: a link inside a sentence (a paragraph or caption of text).
  const inSentence = e => e.tagName === 'A' && getComputedStyle(e).display === 'inline'
    && e.closest('p, caption, figcaption, .meta') !== null;
  const all = [...document.querySelectorAll(chosen)].filter(shown);
  const boxes = all.map(e => e.getBoundingClientRect());
  const label = e => (e.textContent || e.getAttribute('aria-label') || e.tagName).trim()
    .slice(0, 30);
  const small = [], big = [];
  all.forEach((e, i) => {
    const r = boxes[i];
    if (large && e.matches(
        'button, input, .site-nav a, .orders a, .action, .footer-links a, .link-list a')
        && (r.height < 43.5 || r.width < 43.5)) {
      big.push(`${label(e)} ${Math.round(r.width)}x${Math.round(r.height)}`);
    }
    if ((r.width >= 24 && r.height >= 24) || inSentence(e)) return;
    // Undersized: a 24 px circle on its centre must not touch another target.
    const cx = r.left + r.width / 2, cy = r.top + r.height / 2;
    const clash = boxes.some((o, j) => {
      if (j === i || all[j].contains(all[i]) || all[i].contains(all[j])) return false;
      const dx = Math.max(o.left - cx, 0, cx - o.right);
      const dy = Math.max(o.top - cy, 0, cy - o.bottom);
      return Math.hypot(dx, dy) < 12;
    });
    if (clash) small.push(`${label(e)} ${Math.round(r.width)}x${Math.round(r.height)}`);
  });
  return {count: all.length, small, big};
}"""


def run_axe(page: Any) -> list[dict[str, Any]]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})",
                           AXE_TAGS)
    return [{"id": v["id"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]][:5]}
            for v in result["violations"]]


def set_mode(page: Any, url: str, large: bool) -> None:
    page.goto(url + "index.html")
    page.evaluate("([key, on]) => on ? localStorage.setItem(key, 'large') : "
                  "localStorage.removeItem(key)", [MODE_KEY, large])


@pytest.mark.parametrize("large", [False, True], ids=["normal", "large-text"])
@pytest.mark.parametrize("name", list(PAGES))
def test_page_fits_passes_axe_and_has_big_enough_targets(page: Any, site_url: str, name: str,
                                                         large: bool) -> None:
    page.set_default_timeout(TIMEOUT_MS)
    set_mode(page, site_url, large)
    folder = ARTIFACTS / "screenshots" / "citizen"
    folder.mkdir(parents=True, exist_ok=True)
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        response = page.goto(site_url + PAGES[name])
        assert response is not None and response.status == 200
        assert page.evaluate("document.documentElement.classList.contains('mode-large')") \
            == large
        page.screenshot(path=str(folder / f"{name}-{width}{'-large' if large else ''}.png"),
                        full_page=True)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{name} scrolls sideways at {width}px"
        targets = page.evaluate(TARGETS_JS, large)
        assert targets["count"] > 5
        assert targets["small"] == [], f"targets under 24 px on {name} at {width}px"
        assert targets["big"] == [], f"targets under 44 px in large text on {name} at {width}px"
        assert run_axe(page) == [], f"axe on {name} at {width}px"


def _inside(page: Any, selector: str) -> list[str]:
    """The elements of ``selector`` not wholly inside the viewport's width."""
    return page.eval_on_selector_all(selector, """(els) => els.filter(e => {
        const r = e.getBoundingClientRect();
        return r.left < 0 || r.right > window.innerWidth + 0.5;
    }).map(e => e.textContent.trim().slice(0, 20))""")


@pytest.mark.parametrize("width", [320, 360, 480])
def test_category_cards_put_indicator_value_and_project_first(page: Any, site_url: str,
                                                              width: int) -> None:
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(site_url + PAGES["category"])
    assert page.locator(".table-scroll").count() == 0
    for selector in ("table.category-table tbody th.l3", "table.category-table tbody td.value",
                     "table.category-table tbody td.project a"):
        assert page.locator(selector).count() > 10
        assert _inside(page, selector) == [], selector
    first = page.locator("table.category-table tbody tr").first
    top = {cell: first.locator(cell).bounding_box()["y"]
           for cell in ("th.l3", "td.value", "td.project", "td.unit")}
    assert top["th.l3"] < top["td.value"] < top["td.project"] < top["td.unit"]
    snapshot = page.locator("table.category-table").aria_snapshot()
    assert '- rowheader "调研燃油费及差旅费"' in snapshot and '- cell "≤0.76万元"' in snapshot


@pytest.mark.parametrize("width", [320, 360])
def test_form_on_a_phone_has_level_headings_over_full_width_rows(page: Any, site_url: str,
                                                                  width: int) -> None:
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(site_url + PAGES["project"])
    table = page.locator("table#indicators")
    for selector in ("table#indicators th.l3", "table#indicators td.value",
                     "table#indicators th.l1", "table#indicators th.l2"):
        assert _inside(page, selector) == [], selector
    wide = table.bounding_box()["width"]
    level1 = table.locator("th.l1").first.bounding_box()
    level2 = table.locator("th.l2").first.bounding_box()
    name = table.locator("th.l3").first.bounding_box()
    assert level1["width"] > 0.95 * wide and level2["width"] > 0.95 * wide
    assert level1["y"] < level2["y"] < name["y"]
    assert name["width"] > 0.5 * wide  # no longer two characters a line
    char = page.evaluate("parseFloat(getComputedStyle(document.querySelector("
                         "'table#indicators th.l3')).fontSize)")
    assert name["width"] > 8 * char
    snapshot = table.aria_snapshot()
    assert '- rowheader "组织召开专委会"' in snapshot and '- cell "5次"' in snapshot


def test_official_form_keeps_its_columns_on_a_wide_screen(page: Any, site_url: str) -> None:
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(site_url + PAGES["project"])
    first = page.locator("table#indicators tbody tr").first
    boxes = [first.locator(cell).bounding_box() for cell in ("th.l1", "th.l2", "th.l3",
                                                              "td.value")]
    assert [round(b["y"]) for b in boxes] == [round(boxes[0]["y"])] * 4  # one row, 4 columns
    assert boxes[0]["x"] < boxes[1]["x"] < boxes[2]["x"] < boxes[3]["x"]


def test_chart_text_keeps_its_size_at_every_width(page: Any, site_url: str) -> None:
    sizes = []
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 800})
        page.goto(site_url + PAGES["unit"])
        sizes.append(page.evaluate("""[...document.querySelectorAll(
            '.hbar-label, .hbar-value')].map(e => getComputedStyle(e).fontSize).join()"""))
        assert page.locator("svg text").count() == 0  # no text drawn inside a drawing
    assert sizes[0] and sizes[0] == sizes[1] == sizes[2]


def test_mix_chart_has_a_direct_legend(page: Any, site_url: str) -> None:
    page.goto(site_url + PAGES["project"])
    segments = page.locator("svg.stack rect")
    legend = page.locator(".mix-legend li")
    assert segments.count() == legend.count() > 2
    for index in range(legend.count()):
        colour = segments.nth(index).evaluate("e => getComputedStyle(e).fill")
        assert legend.nth(index).locator("svg.swatch rect").evaluate(
            "e => getComputedStyle(e).fill") == colour
        assert re.search(r"\d+ 项（\d+(\.\d)?%）", legend.nth(index).inner_text())


def _luminance(colour: str) -> float:
    channels = [int(c) / 255 for c in re.findall(r"\d+", colour)[:3]]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(one: str, two: str) -> float:
    a, b = sorted((_luminance(one), _luminance(two)), reverse=True)
    return (a + 0.05) / (b + 0.05)


@pytest.mark.parametrize("large", [False, True], ids=["normal", "large-text"])
def test_bar_colours_stand_out_from_the_page(page: Any, site_url: str, large: bool) -> None:
    """Bars and segments are graphics that carry meaning: 3:1 against the page (WCAG 1.4.11);
    the text beside them 4.5:1 (axe checks text too, this also covers the large mode)."""
    set_mode(page, site_url, large)
    for path, bars in ((PAGES["unit"], "svg.hbar-bar rect.s0, svg.bar .bar-fill"),
                       (PAGES["project"], "svg.stack rect"),
                       (PAGES["home"], "svg.hbar-bar rect.s0, svg.bar .bar-fill")):
        page.goto(site_url + path)
        fills = set(page.eval_on_selector_all(bars, "els => els.map(e => getComputedStyle(e)"
                                                    ".fill)"))
        assert fills
        for fill in fills:
            assert contrast(fill, "rgb(255, 255, 255)") >= 3, (path, fill)
        texts = page.eval_on_selector_all(".hbar-value, .hbar-label, .mix-count, .share-text",
                                          "els => els.map(e => getComputedStyle(e).color)")
        for colour in set(texts):
            assert contrast(colour, "rgb(255, 255, 255)") >= 4.5, (path, colour)


def test_large_text_switch_is_remembered_without_a_flash(page: Any, site_url: str) -> None:
    set_mode(page, site_url, False)
    page.goto(site_url + PAGES["project"])
    switch = page.locator("button[data-mode-switch]")
    assert switch.is_visible() and switch.get_attribute("aria-pressed") == "false"
    normal = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    switch.click()
    assert switch.get_attribute("aria-pressed") == "true"
    large = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    assert normal == 16 and large >= 20
    line = page.evaluate("""(() => { const s = getComputedStyle(document.querySelector(
        'main p')); return parseFloat(s.lineHeight) / parseFloat(s.fontSize); })()""")
    assert line >= 1.5
    # The next page is in large text from its first paint: the class is there before <body>.
    page.add_init_script("""new MutationObserver((_, observer) => {
        if (document.body) { window.__atBody = document.documentElement.className;
          observer.disconnect(); } }).observe(document, {childList: true, subtree: true});""")
    page.goto(site_url + PAGES["category"])
    assert "mode-large" in page.evaluate("window.__atBody")
    page.locator("button[data-mode-switch]").click()
    page.goto(site_url + PAGES["home"])
    assert "mode-large" not in page.evaluate("window.__atBody")


def test_without_javascript_everything_but_the_switches_works(browser: Any, site_url: str
                                                              ) -> None:
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(site_url + PAGES["project"])
        assert page.locator("button[data-mode-switch]").is_hidden()
        assert page.locator("[data-print-item]").is_hidden()
        assert page.locator("a.action", has_text="下载 Excel 表").is_visible()
        assert page.locator("table#indicators tbody tr").count() == 13
        page.emulate_media(media="print")
        assert page.locator("table#indicators").is_visible()
    finally:
        context.close()


def test_print_button_prints_and_excel_link_downloads(page: Any, site_url: str) -> None:
    page.add_init_script("window.__printed = 0; window.print = () => { window.__printed++; };")
    page.goto(site_url + PAGES["project"])
    button = page.locator("button[data-print]")
    assert button.is_visible()
    button.click()
    assert page.evaluate("window.__printed") == 1
    with page.expect_download() as info:
        page.locator("a.action", has_text="下载 Excel 表").click()
    download = info.value
    assert download.suggested_filename == "祁连县阿柔乡人民政府2023年项目支出绩效目标表.xlsx"
    path = Path(download.path())
    assert path.read_bytes()[:2] == b"PK"


def _pdf_pages(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", pdf], check=True, capture_output=True, text=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))  # type: ignore[union-attr]


def _page_texts(pdf: Path) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", pdf, "-"], check=True, capture_output=True,
                          text=True).stdout
    return text.split("\f")[:_pdf_pages(pdf)]


def _ink_rows(pgm: Path) -> list[bool]:
    """For each pixel row of a greyscale PGM made by ``pdftoppm -gray``: whether it has dark
    pixels."""
    data = pgm.read_bytes()
    fields = re.match(rb"P5\s+(\d+)\s+(\d+)\s+(\d+)\s", data)
    assert fields is not None, "not a binary PGM"
    width, height = int(fields.group(1)), int(fields.group(2))
    pixels = data[fields.end():]
    return [min(pixels[y * width:(y + 1) * width]) < 128 for y in range(height)]


def test_every_seed_project_prints_on_one_a4_page(page: Any, site_url: str,
                                                  built_site: Path, tmp_path: Path) -> None:
    """Each seed project's form, with its 原表备注, fits one A4 page; the page's margins name
    the site, the data date, the page's address and the page number."""
    projects = sorted(p.name for p in (built_site / "projects").glob("*.html"))
    assert len(projects) == 42
    for name in projects:
        page.goto(site_url + "projects/" + name)
        pdf = tmp_path / f"{name}.pdf"
        page.pdf(path=str(pdf), prefer_css_page_size=True)
        assert _pdf_pages(pdf) == 1, f"{name} prints on more than one page"
        text = _page_texts(pdf)[0]
        assert "项目支出绩效目标公开" in text and "数据日期：2023年度预算" in text
        assert site_url + "projects/" + name in text.replace("\n", "")
        assert "第 1 页，共 1 页" in text
        if (built_site / "projects" / name).read_text(encoding="utf-8").count("原表备注"):
            assert "原表备注" in text and re.search("备注[:：]", text)
    pdf = tmp_path / f"{projects[0]}.pdf"
    subprocess.run(["pdftoppm", "-r", "40", "-gray", pdf, tmp_path / "first"], check=True)
    rows = _ink_rows(next(tmp_path.glob("first*.pgm")))
    band = len(rows) // 20  # the top and bottom 5 %: the margins with the page's facts
    assert any(rows[:band]) and any(rows[-band:])
    assert sum(rows) > len(rows) // 3  # the form itself
    subprocess.run(["pdftoppm", "-r", "60", "-png", pdf, ARTIFACTS / "print-first-project"],
                   check=True)


@pytest.fixture
def long_form_url(shipped_site: Path, tmp_path: Path) -> Iterator[str]:
    """The shipped site with one project of 60 indicators, built and served."""
    path = shipped_site / "content/2023/002001/2023-002001-01.yaml"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    rows = [line for line in lines if line.startswith("- {level1:")]
    extra = [row.replace("name: ", f"name: 第{n}组") for n in range(4) for row in rows]
    at = lines.index(rows[-1]) + 1
    path.write_text("".join(lines[:at] + extra + lines[at:]), encoding="utf-8")
    out = tmp_path / "out"
    run_cli("build", "--project", shipped_site, "--out", out, "--base-url",
            "https://example.org/jxmb/", check=True)
    server, url = serve_dir(out)
    yield url
    server.shutdown()


def test_a_long_form_prints_over_pages_with_the_facts_on_each(page: Any,
                                                              long_form_url: str,
                                                              tmp_path: Path) -> None:
    page.goto(long_form_url + PAGES["project"])
    assert page.locator("table#indicators tbody tr").count() == 65
    pdf = tmp_path / "long.pdf"
    page.pdf(path=str(pdf), prefer_css_page_size=True)
    texts = _page_texts(pdf)
    assert len(texts) >= 2
    for number, text in enumerate(texts, 1):
        assert "项目支出绩效目标公开" in text
        assert "https://example.org/jxmb/projects/2023-002001-01.html" in text  # base_url
        assert f"第 {number} 页，共 {len(texts)} 页" in text
        assert "三级指标" in text  # the header row repeats
    assert "原表备注" in texts[-1] and "群众满意度" in texts[-1]  # the remark stays with rows


def test_a_table_that_still_scrolls_says_so(page: Any, site_url: str) -> None:
    """In large text at 320 px the download table is wider than the screen: its region is
    labelled and focusable, shows a hint, and scrolls with the keyboard; at 1280 px the hint
    is gone."""
    page.set_default_timeout(TIMEOUT_MS)
    set_mode(page, site_url, True)
    page.set_viewport_size({"width": 320, "height": 800})
    page.goto(site_url + PAGES["downloads"])
    region = page.locator(".table-scroll")
    assert region.count() == 1
    assert (region.get_attribute("role"), region.get_attribute("tabindex")) == ("region", "0")
    assert "可左右滑动" in (region.get_attribute("aria-label") or "")
    sizes = region.evaluate("e => [e.scrollWidth, e.clientWidth]")
    assert sizes[0] > sizes[1]
    assert region.locator(".scroll-hint").is_visible()
    region.focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_function("e => e.scrollLeft > 0", arg=region.element_handle())
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(site_url + PAGES["downloads"])
    assert page.locator(".scroll-hint").is_hidden()

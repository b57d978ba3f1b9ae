"""The 绩效自评 section as a citizen reads it: the example site (two real target tables, two
fictional self-evaluations) built through the CLI; the section against its golden copy; each
indicator's 年度指标值 and 实际完成值 side by side with the outcome in words; Chromium at 320,
360 and 1280 px (no sideways scrolling, axe clean, targets) and printed to A4 (the target form
on the first page, the self-evaluation on its own); and the preview after an edit of a
self-evaluation file making what a full build makes.

Regenerate the golden section with ``REGEN_GOLDEN=1 pytest tests/site/test_site_evaluation.py``.
"""

from __future__ import annotations

import html
import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import REPO, serve_dir
from site_helpers import HERE, build
from test_site_citizen import TARGETS_JS, _page_texts, _pdf_pages, run_axe
from test_site_live import primed, same_as_full_build

from site_builder.content.reader import load_site

EXAMPLE = REPO / "examples" / "self-evaluation"
GOLDEN_SECTION = HERE / "golden_evaluation" / "2023-002001-01.section.html"
PROJECT = "projects/2023-002001-01.html"
FLAWED = "projects/2023-002001-02.html"


@pytest.fixture(scope="module")
def example_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("evaluation") / "out"
    build(EXAMPLE, out)
    return out


@pytest.fixture(scope="module")
def example_url(example_out: Path) -> Iterator[str]:
    server, url = serve_dir(example_out)
    yield url
    server.shutdown()


def section(page: str) -> str:
    found = re.search(r'<section class="evaluation".*?</section>', page, re.S)
    assert found, "no 绩效自评 section"
    return found.group(0) + "\n"


def test_the_section_matches_its_golden_copy(example_out: Path) -> None:
    made = section((example_out / PROJECT).read_text(encoding="utf-8"))
    if os.environ.get("REGEN_GOLDEN") == "1":
        GOLDEN_SECTION.write_text(made, encoding="utf-8")
    assert made == GOLDEN_SECTION.read_text(encoding="utf-8"), "REGEN_GOLDEN=1 to accept"


def _cells(row: str) -> dict[str, str]:
    cells = re.findall(r'<td headers="[^"]*" data-label="([^"]+)"[^>]*>(.*?)</td>', row, re.S)
    return {label: html.unescape(re.sub(r"<[^>]+>", "", text)).strip() for label, text in cells}


@pytest.mark.parametrize("path", [PROJECT, FLAWED])
def test_every_indicator_shows_its_target_beside_what_was_achieved(example_out: Path,
                                                                   path: str) -> None:
    evaluation = next(e for e in load_site(EXAMPLE).site.evaluations
                      if path.endswith(f"{e.id}.html"))
    page = (example_out / path).read_text(encoding="utf-8")
    table = re.search(r'<table class="stacked evaluation-table".*?</table>', page, re.S)
    assert table is not None
    rows = re.findall(r"<tr>\n(.*?)</tr>", table.group(0).split("<tbody>")[1], re.S)
    assert len(rows) == len(evaluation.indicators)
    for row, indicator in zip(rows, evaluation.indicators, strict=True):
        cells = _cells(row)
        assert f'class="l3">{html.escape(indicator.name, quote=False)}</th>' in row
        assert cells["年度指标值"] == (indicator.target or "（未填）")
        assert cells["实际完成值"] == (indicator.actual or "（未填）")
        assert (cells["分值"], cells["得分"]) == (indicator.weight, indicator.score)
        assert cells["是否达成"] in ("✓ 达成", "✗ 未达成", "– 无法比较")


def test_outcomes_and_scores_read_in_words(example_out: Path) -> None:
    good = (example_out / PROJECT).read_text(encoding="utf-8")
    assert "总分 <strong>98.36</strong>（满分 100）" in good
    assert "绩效指标 13 项：达成 12 项，未达成 1 项" in good
    assert '<a href="#self-evaluation">绩效自评：总分 98.36</a>' in good
    flawed = (example_out / FLAWED).read_text(encoding="utf-8")
    assert "自评等级 <strong>良</strong>（按总分应为“优”）" in flawed
    assert "达成 6 项，未达成 1 项，无法比较 2 项" in flawed
    assert "示例数据（虚构）" in flawed
    table = flawed.split('<table class="stacked evaluation-table"')[1]
    row = next(r for r in table.split("<tr>") if "乡镇用餐人数" in r)
    assert _cells(row)["是否达成"] == "✗ 未达成"


@pytest.mark.parametrize(("path", "shown"), [
    (PROJECT, "#self-evaluation"), (FLAWED, "#self-evaluation"),
    ("units/2023-002001.html", "#evaluations"), ("years/2023.html", "#evaluations"),
    ("downloads.html", "a[href='data/evaluations.csv']")])
def test_the_section_fits_phones_and_passes_axe(page: Any, example_url: str, path: str,
                                                shown: str) -> None:
    for width in (320, 360, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(example_url + path)
        assert page.locator(shown).is_visible()
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{path} scrolls sideways at {width}px"
        outside = page.eval_on_selector_all(  # the download table scrolls, and says so
            "section.evaluation td, section.evaluation th, dl.facts dd", """(els) => els.filter(e => {
            const r = e.getBoundingClientRect();
            return r.width > 0 && (r.left < 0 || r.right > window.innerWidth + 0.5);
            }).map(e => e.textContent.trim().slice(0, 20))""")
        assert outside == [], f"cells outside the screen at {width}px"
        assert page.evaluate(TARGETS_JS, False)["small"] == []
        assert run_axe(page) == [], f"axe on {path} at {width}px"
    if not path.startswith("projects/"):
        return
    page.set_viewport_size({"width": 360, "height": 900})
    page.goto(example_url + path)
    label = page.evaluate("""getComputedStyle(document.querySelector(
        '.evaluation-table td[data-label="实际完成值"]'), '::before').content""")
    assert "实际完成值" in label  # each cell of a card names its column


def test_the_self_evaluation_prints_on_a_page_of_its_own(page: Any, example_url: str,
                                                         tmp_path: Path) -> None:
    page.goto(example_url + PROJECT)
    pdf = tmp_path / "project.pdf"
    page.pdf(path=str(pdf), prefer_css_page_size=True)
    texts = _page_texts(pdf)
    assert _pdf_pages(pdf) == 2, "the target form and the self-evaluation, a page each"
    assert "项目支出绩效目标表" in texts[0] or "绩效指标" in texts[0]
    assert "项目支出绩效自评表" not in texts[0] and "实际完成值" not in texts[0]
    assert "项目支出绩效自评表" in texts[1] and "组织召开专委会" in texts[1]
    assert "第 2 页，共 2 页" in texts[1]


def test_a_preview_edit_of_a_self_evaluation_makes_what_a_full_build_makes(
        tmp_path: Path) -> None:
    root = tmp_path / "site"
    shutil.copytree(EXAMPLE, root)
    out = tmp_path / "out"
    live = primed(root, out)
    path = root / "content/2023/002001/2023-002001-01.evaluation.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("actual: 4次", "actual: 5次"),
                    encoding="utf-8")
    live.rebuild({path})
    assert live.ready, "the edit of a self-evaluation took a full build"
    page = (out / PROJECT).read_text(encoding="utf-8")
    assert "达成 13 项" in page
    same_as_full_build(root, out, tmp_path)
    path.write_text(path.read_text(encoding="utf-8").replace(  # below 80: the unit's list,
        "total_score: '98.36'", "total_score: '76'"), encoding="utf-8")  # the search filter
    live.rebuild({path})
    assert live.ready
    assert "总分 76" in (out / "units/2023-002001.html").read_text(encoding="utf-8")
    (tmp_path / "below").mkdir()
    same_as_full_build(root, out, tmp_path / "below")
    live.prime()
    linked = root / "content/2023/002001/2023-002001-01.yaml"  # linked by 'project:': a
    linked.write_text(linked.read_text(encoding="utf-8").replace(  # rename stays quick
        "name: 乡级人大代表活动经费", "name: 乡级人大代表活动补助"), encoding="utf-8")
    live.rebuild({linked})
    assert live.ready, "the rename of a project linked by id took a full build"
    (tmp_path / "renamed").mkdir()
    same_as_full_build(root, out, tmp_path / "renamed")
    project = root / "content/2023/002001/2023-002001-02.yaml"  # linked by name: renamed,
    project.write_text(project.read_text(encoding="utf-8").replace(  # it loses its evaluation
        "name: 乡镇食堂伙食补助", "name: 乡镇食堂伙食补助经费"), encoding="utf-8")
    live.rebuild({project})
    assert (out / "evaluations/2023-002001-02.html").is_file()
    (tmp_path / "again").mkdir()
    same_as_full_build(root, out, tmp_path / "again")


def test_unit_and_year_pages_sum_the_self_evaluations_up(example_out: Path, tmp_path: Path
                                                         ) -> None:
    unit = (example_out / "units/2023-002001.html").read_text(encoding="utf-8")
    assert "<dt>已发布自评的项目</dt><dd>2 / 2</dd>" in unit
    assert "<dt>平均总分</dt><dd>98.68</dd>" in unit  # (98.36 + 99) / 2
    assert "<dt>预算执行率（合计）</dt><dd>96.08%</dd>" in unit  # (3.20 + 7.10) / (3.28 + 7.44)
    assert "<dt>总分低于 80 分</dt><dd>0 个</dd>" in unit
    assert 'id="chart-evaluation" role="img"' in unit
    year = (example_out / "years/2023.html").read_text(encoding="utf-8")
    assert "<dt>平均总分</dt><dd>98.68</dd>" in year and "平均 98.68 分" in year
    root = tmp_path / "site"
    shutil.copytree(EXAMPLE, root)
    path = root / "content/2023/002001/2023-002001-02.evaluation.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("total_score: '99'",
                                                             "total_score: '75'"),
                    encoding="utf-8")
    out = tmp_path / "out"
    build(root, out)
    for page in ("units/2023-002001.html", "years/2023.html"):
        text = (out / page).read_text(encoding="utf-8")
        assert "<dt>总分低于 80 分</dt><dd>1 个</dd>" in text
        assert '<a href="../projects/2023-002001-02.html#self-evaluation">乡镇食堂伙食补助</a>' \
            in text

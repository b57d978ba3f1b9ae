"""A project seen across years: the example site (two real 2023 target tables, fictional
self-evaluations) with a FICTIONAL 2024 year made here from its 2023 tables (an amount, a
value and an indicator changed, labelled fictional in its notes).  The page puts each year's
amount, 指标值 and 实际完成值 side by side; every year's project page links to it; Chromium
at 320 and 1280 px (no sideways scrolling, axe clean); the preview after edits that make and
unmake a group making what a full build makes.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import REPO, serve_dir
from site_helpers import build
from test_site_citizen import TARGETS_JS, run_axe
from test_site_live import primed, same_as_full_build

from site_builder.core.urls import history_path

EXAMPLE = REPO / "examples" / "self-evaluation"
HISTORY = history_path("002001", "乡级人大代表活动经费")
FICTIONAL = "notes:\n- 虚构数据：本年度由测试从2023年的表生成，用于演示历年对比，不是公开数据。\n"


def with_a_fictional_2024(root: Path) -> Path:
    """``root``: a copy of the example site with a 2024 year made from its 2023 tables."""
    shutil.copytree(EXAMPLE, root, ignore=shutil.ignore_patterns(".site-builder-cache"))
    old, new = root / "content/2023/002001", root / "content/2024/002001"
    new.mkdir(parents=True)
    unit = (old / "_unit.yaml").read_text(encoding="utf-8")
    (new / "_unit.yaml").write_text(unit.replace("2023", "2024"), encoding="utf-8")
    for number in ("01", "02"):
        text = (old / f"2023-002001-{number}.yaml").read_text(encoding="utf-8")
        text = re.sub(r"^# import-digest.*\n", "", text, flags=re.M)
        text = text.replace("2023-002001-", "2024-002001-").replace("year: '2023'",
                                                                    "year: '2024'")
        if number == "01":
            text = text.replace("amount: '3.28'", "amount: '3.50'").replace(
                "table_total: '3.28'", "table_total: '3.50'")
            text = text.replace("name: 组织召开专委会, value: 5次", "name: 组织召开专委会, value: 6次")
            text = re.sub(r"^- \{.*name: 人大代表住宿费.*\n", "", text, flags=re.M)
        (new / f"2024-002001-{number}.yaml").write_text(text + FICTIONAL, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def history_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    base = tmp_path_factory.mktemp("history")
    root = with_a_fictional_2024(base / "site")
    out = base / "out"
    build(root, out)
    return root, out


@pytest.fixture(scope="module")
def history_url(history_site: tuple[Path, Path]) -> Iterator[str]:
    server, url = serve_dir(history_site[1])
    yield url
    server.shutdown()


def rows_of(page: str) -> dict[str, list[str]]:
    """Each indicator row of the comparison table: its 三级 name → its year cells as text."""
    table = re.search(r'<table class="stacked history-table">.*?</table>', page, re.S)
    assert table, "no comparison table"
    found: dict[str, list[str]] = {}
    for row in re.findall(r"<tr>(.*?)</tr>", table.group(0), re.S):
        name = re.search(r'class="l3">(.*?)</th>', row)
        if name:
            cells = re.findall(r'class="value">(.*?)</td>', row, re.S)
            found[name.group(1)] = [re.sub(r"<[^>]+>", "", c) for c in cells]
    return found


def test_the_page_puts_the_years_side_by_side(history_site: tuple[Path, Path]) -> None:
    _, out = history_site
    page = (out / HISTORY).read_text(encoding="utf-8")
    assert "<h1>乡级人大代表活动经费：历年对比</h1>" in page
    assert re.search(r'data-label="金额（万元）" class="num">3\.28<', page)
    assert re.search(r'data-label="金额（万元）" class="num">3\.50<', page)
    rows = rows_of(page)
    assert rows["组织召开专委会"][1] == "6次"  # 2024: the target only (no self-evaluation)
    assert rows["组织召开专委会"][0].startswith("5次实际：")  # 2023: target and actual
    assert "达成" in rows["组织召开专委会"][0] or "未达成" in rows["组织召开专委会"][0]
    assert rows["人大代表住宿费"][1] == "当年无此指标"
    assert len(rows) == 13, "every indicator of either year once"
    assert "未发布" in page  # 2024 has no self-evaluation


def test_an_indicator_only_the_self_evaluation_has_is_a_row_of_its_own(tmp_path: Path) -> None:
    """The (fictional) 2023 self-evaluation names an indicator otherwise than its target
    table: both rows are shown, each saying what the year lacks."""
    root = with_a_fictional_2024(tmp_path / "site")
    path = root / "content/2023/002001/2023-002001-01.evaluation.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("name: 群众满意度, target: ≥95%", "name: 群众满意率, target: ≥90%"),
                    encoding="utf-8")
    build(root, tmp_path / "out")
    rows = rows_of((tmp_path / "out" / HISTORY).read_text(encoding="utf-8"))
    assert rows["群众满意率"][0] == "目标表无此指标（自评表指标值：≥90%）实际：96%（✓ 达成）"
    assert rows["群众满意率"][1] == "当年无此指标"
    assert rows["群众满意度"][0] == "≥95%"  # no longer evaluated that year
    assert rows["群众满意度"][1] == "≥95%"
    assert len(rows) == 14


def test_every_year_links_to_it_and_only_groups_of_two_years_have_one(
        history_site: tuple[Path, Path]) -> None:
    _, out = history_site
    for project in ("2023-002001-01", "2024-002001-01"):
        page = (out / f"projects/{project}.html").read_text(encoding="utf-8")
        assert f'href="../{HISTORY}"' in page, project
    pages = sorted(p.relative_to(out).as_posix() for p in (out / "history").glob("*.html"))
    assert pages == sorted([HISTORY, history_path("002001", "乡镇食堂伙食补助")])
    assert HISTORY in (out / "sitemap.xml").read_text(encoding="utf-8")


def test_the_shipped_site_has_no_project_in_two_years(tmp_path: Path) -> None:
    out = tmp_path / "out"
    build(REPO, out)
    assert not (out / "history").exists()
    assert "历年对比" not in (out / "projects/2023-002001-01.html").read_text(encoding="utf-8")


def test_the_page_fits_phones_and_passes_axe(page: Any, history_url: str) -> None:
    for width in (320, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(history_url + HISTORY)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"scrolls sideways at {width}px"
        assert page.evaluate(TARGETS_JS, False)["small"] == []
        assert run_axe(page) == [], f"axe at {width}px"
    page.locator(".summary a", has_text="2024年").click()
    page.wait_for_url("**/projects/2024-002001-01.html")


def test_preview_edits_that_make_and_unmake_a_group(tmp_path: Path) -> None:
    root = with_a_fictional_2024(tmp_path / "site")
    out = tmp_path / "out"
    live = primed(root, out)
    path = root / "content/2024/002001/2024-002001-01.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("value: 6次", "value: 7次"),
                    encoding="utf-8")
    live.rebuild({path})
    assert live.ready
    assert "7次" in (out / HISTORY).read_text(encoding="utf-8")
    (tmp_path / "edited").mkdir()
    same_as_full_build(root, out, tmp_path / "edited")
    live.prime()
    path.write_text(path.read_text(encoding="utf-8").replace(  # the group falls apart
        "name: 乡级人大代表活动经费", "name: 乡级人大代表履职经费"), encoding="utf-8")
    live.rebuild({path})
    assert not (out / HISTORY).exists()
    (tmp_path / "renamed").mkdir()
    same_as_full_build(root, out, tmp_path / "renamed")
    live.prime()
    path.write_text(path.read_text(encoding="utf-8").replace(  # and comes together again
        "name: 乡级人大代表履职经费", "name: 乡级人大代表活动经费"), encoding="utf-8")
    live.rebuild({path})
    assert (out / HISTORY).is_file()
    (tmp_path / "back").mkdir()
    same_as_full_build(root, out, tmp_path / "back")

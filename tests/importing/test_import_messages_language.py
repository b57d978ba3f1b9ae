"""Import messages speak the clerk's language: Chinese by default, English with --lang en.

Each bad workbook is imported by the real CLI; the message keeps its ``file:sheet!cell``
position in both languages, and nothing is written.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import run_cli
from openpyxl import Workbook

DEFAULT_LANGUAGE = {"SITE_BUILDER_LANG": "", "LC_ALL": "", "LC_MESSAGES": "", "LANG": "C.UTF-8"}
"""An environment that names no language: the tool's default (Chinese) applies."""

HEADER = ("单位编码", "单位及项目名称", "金额", "绩效目标", "一级指标", "二级指标", "三级指标",
          "指标值")
SELF_EVALUATION_HEADER = ("一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值",
                          "得分", "偏差原因分析及改进措施")


def title_without_year(path: Path) -> Path:
    """A fictional form whose title names no budget year."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "表一"
    sheet["A1"] = "示例乡人民政府部门预算项目支出绩效目标公开表"
    sheet.append(HEADER)
    sheet.append(("009001", "示例工作经费（虚构）", "1.00", "目标1：示例", "产出指标", "数量指标",
                  "开展示例活动", "5次"))
    book.save(path)
    return path


def self_evaluation(path: Path) -> Path:
    """The header of a 自评表 (a form of another kind), with no title above it."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet["A1"] = "绩效自评情况"
    for col, text in enumerate(SELF_EVALUATION_HEADER, 1):
        sheet.cell(3, col, text)
    sheet["A4"], sheet["D4"], sheet["E4"], sheet["G4"] = "产出指标", "5次", "5次", 10
    book.save(path)
    return path


@pytest.mark.parametrize(("make", "where", "chinese", "english"), [
    (title_without_year, "表一!A1",
     "错误：标题中没有写预算年度：示例乡人民政府部门预算项目支出绩效目标公开表（请按正式表样写标题",
     "error: The title does not name the budget year: 示例乡人民政府部门预算项目支出绩效目标公开表 "
     "(Write the title as in the official form"),
    (self_evaluation, "Sheet!A1", "错误：自评表没有写年度（在表头写上年度",
     "error: The 项目支出绩效自评表 states no year"),
])
def test_a_bad_workbook_is_refused_in_chinese_by_default_and_in_english_on_request(
        tmp_path: Path, make: object, where: str, chinese: str, english: str) -> None:
    workbook = make(tmp_path / "bad.xlsx")  # type: ignore[operator]
    site = tmp_path / "site"
    run_cli("init", site, check=True)
    before = sorted(p.relative_to(site) for p in site.rglob("*"))
    by_default = run_cli("import", "--project", site, workbook, env=DEFAULT_LANGUAGE)
    assert by_default.returncode == 1 and "Traceback" not in by_default.stderr
    # the hint follows the message in brackets (half- or full-width, as diagnostics print it)
    assert f"{workbook}:{where}: {chinese}" in by_default.stderr.replace(" (", "（"), (
        by_default.stderr)
    in_english = run_cli("--lang", "en", "import", "--project", site, workbook,
                         env=DEFAULT_LANGUAGE)
    assert in_english.returncode == 1 and "Traceback" not in in_english.stderr
    assert f"{workbook}:{where}: {english}" in in_english.stderr, in_english.stderr
    assert chinese.split("：")[0].split("，")[0] not in in_english.stderr
    assert sorted(p.relative_to(site) for p in site.rglob("*")) == before

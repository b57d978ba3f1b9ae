"""The check report a clerk works through: errors first, repeated findings collapsed, counts
per rule, sections per severity reachable without JavaScript, places in the imported form."""

from __future__ import annotations

import shutil
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from check_sites import P, with_row, write_site
from conftest import REPO, run_cli, run_json
from openpyxl import load_workbook

sys.path.insert(0, str(REPO / "tests" / "site"))
from test_site_browser import AXE  # noqa: E402

TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
ORDER = {"error": 0, "warning": 1, "info": 2}


def axe(page: Any) -> list[Any]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})",
                           TAGS)
    return [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in result["violations"]]


@pytest.fixture(scope="module")
def shipped_report(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Any]]:
    root = tmp_path_factory.mktemp("worklist") / "site"
    for name in ("content", "schema"):
        shutil.copytree(REPO / name, root / name)
    shutil.copy2(REPO / "site.yaml", root / "site.yaml")
    report = root / "report.html"
    proc = run_cli("check", "--project", root, "--format", "html", "-o", report)
    assert proc.returncode == 1 and report.is_file()
    findings: list[Any] = run_json("check", "--project", root, "--format", "json")
    return report, findings


def test_text_lists_errors_then_warnings_then_notes_with_the_form_place() -> None:
    proc = run_cli("check", cwd=REPO)
    lines = proc.stdout.splitlines()[:-1]
    severities = [line.split(": ", 2)[1] for line in lines]
    assert severities == sorted(severities, key=ORDER.__getitem__)
    assert severities[0] == "error" and severities[-1] == "info"
    assert lines[0].endswith("[published table 000_abb118598c0a674e.txt:46]"), lines[0]
    rules = [line.split("[", 1)[1].split("]", 1)[0] for line in lines if ": info: " in line]
    assert rules == sorted(rules, key=["level2-missing", "category-variant"].index)


def test_report_reads_in_work_order(shipped_report: tuple[Path, list[Any]], page: Any) -> None:
    report, findings = shipped_report
    counts = Counter(f["severity"] for f in findings)
    page.set_default_timeout(120_000)
    page.set_viewport_size({"width": 1000, "height": 800})
    page.goto(report.as_uri())
    assert page.locator("html").get_attribute("lang") == "zh-CN"
    assert page.locator("script").count() == 0
    headings = page.locator("section.severity > h2").all_inner_texts()
    assert headings == [f"错误：{counts['error']} 条", f"警告：{counts['warning']} 条",
                        f"提示：{counts['info']} 条"]
    # the one error is the first finding on the page, with where it is in the form
    first = page.locator("table.quality-findings tbody tr").first
    assert "没有指标值" in first.inner_text()
    assert "原表：000_abb118598c0a674e.txt 第 46 行" in first.inner_text()
    assert "content/2021/703001/2021-703001-21.yaml:16:3" in first.inner_text()
    # counts per rule at the top, each linking to its group
    rows = page.locator("table.quality-rules tbody tr")
    by_rule = Counter((f["severity"], f["rule"]) for f in findings)
    assert rows.count() == len(by_rule)
    assert rows.first.inner_text().split("\t")[0] == "错误"
    # the 40 repeated notes are one line until opened
    group = page.locator("#rule-level2-missing-info")
    summary = group.locator("details > summary")
    assert summary.inner_text().startswith(f"未填二级指标共 {by_rule[('info', 'level2-missing')]} 条")
    assert not group.locator("tbody tr").first.is_visible()
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height < 5000, height  # it was 13,600 px in project order
    assert axe(page) == []
    summary.click()
    assert group.locator("tbody tr").count() == by_rule[("info", "level2-missing")]
    assert group.locator("tbody tr").first.is_visible()
    assert axe(page) == []


def test_severity_links_filter_without_javascript(shipped_report: tuple[Path, list[Any]],
                                                  browser: Any) -> None:
    report, _ = shipped_report
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(report.as_uri())
        page.get_by_role("link", name="只看错误（1）").click()
        assert page.locator("section#error").is_visible()
        assert not page.locator("section#warning").is_visible()
        assert not page.locator("section#info").is_visible()
        page.get_by_role("link", name="全部显示").click()
        assert all(page.locator(f"section#{s}").is_visible() for s in ORDER)
        page.get_by_role("link", name="符号写法不规范").click()
        assert page.locator("#rule-variant-operator-warning").is_visible()
        assert page.url.endswith("#rule-variant-operator-warning")
    finally:
        context.close()


def test_places_in_word_pdf_and_excel_forms_are_shown(tmp_path: Path) -> None:
    sources = {1: "表.docx:表2:5:2", 2: "表.pdf:第3页", 3: "表.xlsx:阿柔乡!B12"}
    projects = [with_row(P(n, extra={"source": source}), 1,
                         ("产出指标", "质量指标", f"第{n}片区维护验收合格率", "≧95%"))
                for n, source in sources.items()]
    site = write_site(tmp_path / "s", projects)
    proc = run_cli("check", "--project", site, "--format", "html")
    assert proc.returncode == 0, proc.stderr
    for shown in ("表.docx 第 2 个表格第 5 行", "表.pdf 第 3 页", "表.xlsx 工作表「阿柔乡」单元格 B12"):
        assert f'<span class="place">原表：</span>{shown}<br>' in proc.stdout
    text = run_cli("check", "--project", site).stdout
    assert ("[published table 表.docx:表2:5:2]" in text
            and "[published table 表.pdf:第3页]" in text)


def test_a_filled_in_excel_form_shows_its_sheet_and_cell(tmp_path: Path) -> None:
    sys.path.insert(0, str(REPO / "tests"))
    from test_start_from_form import fill

    blank, filled = tmp_path / "blank.xlsx", tmp_path / "县表.xlsx"
    run_cli("template", "-o", blank, check=True)
    fill(blank, filled)
    book = load_workbook(filled)
    sheet = book.active
    assert sheet is not None
    sheet["H5"] = "≧100%"  # a variant sign: one finding
    book.save(filled)
    run_cli("init", tmp_path / "s", check=True)
    run_cli("import", "--project", tmp_path / "s", filled, check=True)
    proc = run_cli("check", "--project", tmp_path / "s", "--format", "html")
    assert '<span class="place">原表：</span>县表.xlsx 工作表「绩效目标表」单元格 B4<br>' in proc.stdout
    assert "content/2024/002001/2024-002001-01.yaml:" in proc.stdout

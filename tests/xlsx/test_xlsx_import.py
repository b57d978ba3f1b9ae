"""Importing the official form from .xlsx workbooks the tests build with openpyxl."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import run_cli
from openpyxl import Workbook
from xlsx_forms import (
    FIRST_SEED_PROJECT,
    TITLE_2023,
    Table,
    rewrite_parts,
    store_formula_results,
    write_table,
)

from site_builder.commands.import_cmd import read_table
from site_builder.diagnostics import SiteBuilderError
from site_builder.export import project_json
from site_builder.importers.base import ImportResult
from site_builder.model import Project, Site

GOAL = "目标：为发挥乡镇人大的监督职责，督促全镇财经工作安全运行，提供必要的工作经费。"
SEED_TABLE = Table("002001", "乡级人大代表活动经费", 3.28, GOAL, FIRST_SEED_PROJECT,
                   total=3.28, formats={"amount": "0.00", "total": "0.00"})


def save(book: Workbook, tmp_path: Path, name: str = "form.xlsx") -> Path:
    path = tmp_path / name
    book.save(path)
    return path


def one_sheet(table: Table, top: int = 1, left: int = 1,
              blank_rows: tuple[int, ...] = ()) -> Workbook:
    book = Workbook()
    write_table(book.active, table, top, left, blank_rows)  # type: ignore[arg-type]
    return book


def comparable(result: ImportResult, project: Project) -> dict[str, object]:
    data = project_json(Site(tuple(result.units), tuple(result.projects)), project)
    data.pop("source")
    return data


def messages(result: ImportResult) -> list[str]:
    return [d.format() for d in result.diagnostics]


def test_official_form_imports_as_the_text_table(tmp_path: Path, seeds: list[Path]) -> None:
    """Header shifted to C4, empty rows inside the table, 一级/二级 merged: same as the text."""
    path = save(one_sheet(SEED_TABLE, top=4, left=3, blank_rows=(2, 9)), tmp_path)
    from_xlsx = read_table(path, None)
    from_text = read_table(seeds[1], None)
    assert len(from_xlsx.projects) == 1
    assert comparable(from_xlsx, from_xlsx.projects[0]) == comparable(
        from_text, from_text.projects[0])
    assert from_xlsx.units[0] == replace(from_text.units[0], pos=from_xlsx.units[0].pos)
    assert from_xlsx.projects[0].source == "form.xlsx:Sheet!D8"
    assert not [d for d in from_xlsx.diagnostics if d.severity != "info"], messages(from_xlsx)


def test_blank_category_cells_continue_like_merged_ones(tmp_path: Path) -> None:
    merged = read_table(save(one_sheet(SEED_TABLE), tmp_path, "merged.xlsx"), None)
    blank = read_table(save(one_sheet(replace(SEED_TABLE, merge=False)), tmp_path, "b.xlsx"),
                       None)
    def rows(result: ImportResult) -> list[tuple[str, str, str, str]]:
        return [(i.level1, i.level2, i.name, i.value) for i in result.projects[0].indicators]

    assert rows(merged) == rows(blank)
    pairs = [(i.level1, i.level2) for i in blank.projects[0].indicators]
    assert pairs[1] == ("产出指标", "数量指标")
    assert pairs[10] == ("效益指标", "可持续影响指标")


def test_several_projects_per_sheet(tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    second = replace(SEED_TABLE, name="乡镇食堂伙食补助", amount=7.44, total=7.44,
                     rows=[("产出指标", "数量指标", "乡镇用餐人数", "31人次"),
                           ("满意度指标", "", "群众满意度", "≥95%")])
    row = write_table(sheet, SEED_TABLE, 1)  # type: ignore[arg-type]
    row = write_table(sheet, second, row + 2)  # type: ignore[arg-type]
    # a third project under the second table's header: a new 单位及项目名称 cell
    sheet.cell(row - 2, 1).value = None  # type: ignore[union-attr]
    result = read_table(save(book, tmp_path), None)
    assert [p.id for p in result.projects] == ["2023-002001-01", "2023-002001-02"]
    assert [p.name for p in result.projects] == ["乡级人大代表活动经费", "乡镇食堂伙食补助"]
    assert [p.table_total for p in result.projects] == ["3.28", "7.44"]
    last = result.projects[1].indicators[-1]
    assert (last.level1, last.level2, last.name) == ("满意度指标", "", "群众满意度")
    assert len(result.units) == 1


def test_two_projects_under_one_header(tmp_path: Path) -> None:
    book = one_sheet(replace(SEED_TABLE, remark=""))
    sheet = book.active
    assert sheet is not None
    row = sheet.max_row + 1
    for col, value in enumerate(("002001", "乡镇食堂伙食补助", 7.44, "目标：解决干部就餐。",
                                 "产出指标", "数量指标", "乡镇用餐人数", "31人次"), 1):
        sheet.cell(row, col).value = value
    result = read_table(save(book, tmp_path), None)
    assert [p.name for p in result.projects] == ["乡级人大代表活动经费", "乡镇食堂伙食补助"]
    assert result.projects[1].goals == ("目标：解决干部就餐。",)
    assert result.projects[1].indicators[0].value == "31人次"
    assert result.projects[1].amount.as_tuple().exponent == -2


def test_displayed_text_is_kept(tmp_path: Path) -> None:
    """Numbers read as formatted: 0.1 as 0.10, 2001 as 002001, 0.95 as 95%, dates as shown."""
    rows = [("产出指标", "数量指标", "完成率", 0.95), ("", "时效指标", "完成时间",
                                                     dt.datetime(2021, 12, 31)),
            ("", "", "培训人数", 50)]
    table = replace(SEED_TABLE, code=2001, amount=0.1, total=0.1, rows=rows,
                    formats={"code": "000000", "amount": "0.00", "total": "0.00"})
    book = one_sheet(table)
    sheet = book.active
    assert sheet is not None
    sheet["H5"].number_format = "0%"
    sheet["H6"].number_format = 'yyyy"年"m"月"d"日"'
    result = read_table(save(book, tmp_path), None)
    project = result.projects[0]
    assert (project.unit_code, str(project.amount), project.table_total) == (
        "002001", "0.10", "0.10")
    assert [i.value for i in project.indicators] == ["95%", "2021年12月31日", "50"]
    assert "numeric-code" in {d.code for d in result.diagnostics}


def test_code_written_as_text_keeps_its_zeros(tmp_path: Path) -> None:
    result = read_table(save(one_sheet(SEED_TABLE), tmp_path), None)
    assert result.projects[0].unit_code == "002001"
    assert "numeric-code" not in {d.code for d in result.diagnostics}


def test_formula_takes_the_stored_result(tmp_path: Path) -> None:
    table = replace(SEED_TABLE, total="=SUM(C5:C5)", formats={"amount": "0.00",
                                                              "total": "0.00"})
    path = save(one_sheet(table), tmp_path)
    store_formula_results(path, {"C4": "3.28"})
    result = read_table(path, None)
    assert result.projects[0].table_total == "3.28"
    assert "formula-without-value" not in {d.code for d in result.diagnostics}


def test_formula_without_stored_result_is_reported(tmp_path: Path) -> None:
    table = replace(SEED_TABLE, total="=SUM(C5:C5)")
    result = read_table(save(one_sheet(table), tmp_path), None)
    assert result.projects[0].table_total == ""
    found = [d.format() for d in result.diagnostics if d.code == "formula-without-value"]
    assert found == [f"{tmp_path / 'form.xlsx'}:Sheet!C4: warning: The formula =SUM(C5:C5) has "
                     "no stored result; the cell was read as empty (Open the workbook in Excel or "
                     "LibreOffice and save it, so that the results are stored)"]


def test_unplaceable_cells_are_reported_with_sheet_and_cell(tmp_path: Path) -> None:
    book = one_sheet(SEED_TABLE, top=3)
    sheet = book.active
    assert sheet is not None
    sheet.title = "阿柔乡"
    sheet["A1"] = "单位：万元"
    sheet["K9"] = "待核实"
    result = read_table(save(book, tmp_path), None)
    shown = str(tmp_path / "form.xlsx")
    found = {d.code: str(d.pos) for d in result.diagnostics if d.severity == "warning"}
    assert found == {"stray-text": f"{shown}:阿柔乡!A1", "unplaced-text": f"{shown}:阿柔乡!K9"}
    assert result.projects[0].notes == ("单位：万元", "待核实")


def test_missing_title_stops_the_import(tmp_path: Path) -> None:
    book = one_sheet(replace(SEED_TABLE, title="项目支出绩效目标表"))
    with pytest.raises(SiteBuilderError) as caught:
        read_table(save(book, tmp_path), None)
    assert [d.code for d in caught.value.diagnostics] == ["no-year"]
    assert str(caught.value.diagnostics[0].pos).endswith("form.xlsx:Sheet!A1")


def test_workbook_without_a_table(tmp_path: Path) -> None:
    book = Workbook()
    book.active["A1"] = TITLE_2023  # type: ignore[index]
    with pytest.raises(SiteBuilderError) as caught:
        read_table(save(book, tmp_path), None)
    assert [d.code for d in caught.value.diagnostics] == ["no-table"]


@pytest.mark.parametrize("name,data", [("broken.xlsx", b"PK\x03\x04 not really")])
def test_unreadable_workbook_is_a_clear_error(tmp_path: Path, name: str, data: bytes) -> None:
    (tmp_path / name).write_bytes(data)
    proc = run_cli("import", "--project", tmp_path / "site", tmp_path / name)
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    assert f"{name}: error: Not a readable Excel workbook" in proc.stderr
    assert "Save it from Excel or LibreOffice as .xlsx" in proc.stderr


def test_import_command_writes_valid_content(tmp_path: Path) -> None:
    path = save(one_sheet(SEED_TABLE), tmp_path)
    site = tmp_path / "site"
    proc = run_cli("import", "--project", site, path, check=True)
    assert "xlsx layout, 1 unit(s), 1 project(s): 2 created" in proc.stdout
    project = site / "content" / "2023" / "002001" / "2023-002001-01.yaml"
    assert "value: 2023全年" in project.read_text(encoding="utf-8")
    assert run_cli("validate", "--project", site).returncode == 0


def test_sheet_without_a_table_is_reported_not_imported(tmp_path: Path) -> None:
    book = one_sheet(SEED_TABLE)
    notes = book.create_sheet("填表说明")
    notes["B2"] = "一个项目一张表，金额单位为万元。"
    result = read_table(save(book, tmp_path), None)
    assert len(result.projects) == 1 and result.projects[0].notes == ()
    found = [(str(d.pos), d.code) for d in result.diagnostics if d.severity == "warning"]
    assert found == [(f"{tmp_path / 'form.xlsx'}:填表说明!B2", "stray-text")]


def test_xml_entities_are_refused(tmp_path: Path) -> None:
    """A workbook declaring XML entities (billion laughs) is refused, not expanded."""
    path = save(one_sheet(SEED_TABLE), tmp_path)

    def entity(name: str, body: str) -> str:
        if name != "xl/worksheets/sheet1.xml":
            return body
        start = body.index("<worksheet")
        doctype = '<!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa">]>'
        return (body[:start] + doctype + body[start:]).replace("5次", "&a;", 1)

    rewrite_parts(path, entity)
    with pytest.raises(SiteBuilderError) as caught:
        read_table(path, None)
    assert caught.value.diagnostics[0].code == "bad-workbook"
    assert "EntitiesForbidden" in caught.value.diagnostics[0].message

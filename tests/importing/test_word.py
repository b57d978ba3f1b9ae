"""Word (.docx) official forms made with python-docx, with real merges, read back.

The forms hold the seed tables' content (:mod:`word_forms`); their import must give the same
projects as the text import, indicator by indicator.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest
from compare import compare
from conftest import run_cli
from docx import Document
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from openpyxl import Workbook
from word_forms import write_form

from site_builder.commands.import_cmd import read_table
from site_builder.diagnostics import SiteBuilderError
from site_builder.importers.base import ImportResult
from site_builder.limits import DEFAULT_LIMITS, InputLimits

W = nsdecls("w")


@pytest.fixture(scope="module")
def imported(seeds: list[Path]) -> list[ImportResult]:
    return [read_table(seed, None) for seed in seeds]


@pytest.fixture(scope="module")
def form(tmp_path_factory: pytest.TempPathFactory, imported: list[ImportResult]) -> Path:
    """Both seed tables as one Word document: 42 tables."""
    units = [u for r in imported for u in r.units]
    projects = [p for r in imported for p in r.projects]
    return write_form(tmp_path_factory.mktemp("word") / "forms.docx", units, projects)


def refused(path: Path, limits: InputLimits = DEFAULT_LIMITS) -> list[str]:
    with pytest.raises(SiteBuilderError) as caught:
        read_table(path, None, limits)
    return [d.format() for d in caught.value.diagnostics]


def test_word_form_gives_the_text_content(form: Path, imported: list[ImportResult]) -> None:
    result = read_table(form, None)
    expected = [p for r in imported for p in r.projects]
    comparison = compare(expected, result.projects)
    assert comparison.differences == (), comparison.report()
    assert comparison.exact == comparison.indicators == 501
    assert [(u.year, u.code, u.name, u.title) for u in result.units] == [
        (u.year, u.code, u.name, u.title) for r in imported for u in r.units]
    assert result.layout == "docx"
    assert result.projects[0].source == "forms.docx:表1:3:2"
    assert result.projects[-1].source == "forms.docx:表42:4:2"
    for diagnostic in result.diagnostics:
        assert re.fullmatch(rf"{re.escape(str(form))}:(表\d+:\d+:\d+|第\d+段)",
                            str(diagnostic.pos)), diagnostic


def test_the_form_really_has_merged_cells(form: Path) -> None:
    """The comparison above means something only if the document holds real merges."""
    xml = zipfile.ZipFile(form).read("word/document.xml").decode("utf-8")
    assert xml.count('<w:vMerge w:val="restart"/>') > 400  # 一级/二级, code, name, amount, goals
    assert xml.count("<w:vMerge/>") > 1000
    assert xml.count('<w:gridSpan w:val="4"/>') == 42  # 绩效指标 over the four columns
    assert xml.count('<w:gridSpan w:val="8"/>') == 16  # 备注 rows of the 2023 tables


def one_project(tmp_path: Path, imported: list[ImportResult], name: str = "form.docx") -> Path:
    return write_form(tmp_path / name, imported[1].units, imported[1].projects[:1])


def test_text_is_read_as_it_reads(tmp_path: Path, imported: list[ImportResult]) -> None:
    """Tracked changes, hidden text, Symbol-font characters and a table nested in a cell."""
    path = one_project(tmp_path, imported)
    document = Document(str(path))
    table = document.tables[0]
    name_cell, value_cell, goals_cell = table.cell(3, 6), table.cell(14, 7), table.cell(3, 3)
    name_cell._tc.remove(name_cell.paragraphs[0]._p)
    name_cell._tc.append(parse_xml(
        f'<w:p {W}><w:r><w:t>组织召开</w:t></w:r><w:del w:id="1" w:author="a" w:date="2023-01-01T00:00:00Z">'
        '<w:r><w:delText>乡</w:delText></w:r></w:del><w:ins w:id="2" w:author="a" '
        'w:date="2023-01-01T00:00:00Z"><w:r><w:t>专委会</w:t></w:r></w:ins>'
        '<w:r><w:rPr><w:vanish/></w:rPr><w:t>（隐藏）</w:t></w:r></w:p>'))
    value_cell._tc.remove(value_cell.paragraphs[0]._p)
    value_cell._tc.append(parse_xml(
        f'<w:p {W}><w:r><w:sym w:font="Symbol" w:char="F0B3"/><w:t>95%</w:t></w:r></w:p>'))
    goal = imported[1].projects[0].goals[0]
    goals_cell._tc.remove(goals_cell.paragraphs[0]._p)
    goals_cell._tc.append(parse_xml(
        f'<w:tbl {W}><w:tr><w:tc><w:p><w:r><w:t>{goal[:20]}</w:t></w:r><w:r><w:t>{goal[20:]}'
        '</w:t></w:r></w:p></w:tc></w:tr><w:tr><w:tc><w:p><w:r><w:t>目标2：第二个目标</w:t></w:r>'
        '</w:p></w:tc></w:tr></w:tbl>'))
    goals_cell._tc.append(parse_xml(f"<w:p {W}/>"))
    document.save(str(path))
    project = read_table(path, None).projects[0]
    assert project.indicators[0].name == "组织召开专委会"
    assert project.indicators[-1].value == "≥95%"
    assert project.goals == (goal, "目标2：第二个目标")


def test_blank_category_cells_read_like_merged_ones(tmp_path: Path,
                                                   imported: list[ImportResult]) -> None:
    """A form whose 一级/二级 cells are not merged but left blank below the first."""
    path = one_project(tmp_path, imported)
    document = Document(str(path))
    body = document.element.body
    xml = body.xml
    assert "<w:vMerge/>" in xml
    for element in body.iter("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}vMerge"):
        element.getparent().remove(element)
    document.save(str(path))
    result = read_table(path, None)
    rows = [(i.level1, i.level2) for i in result.projects[0].indicators]
    assert rows == [(i.level1, i.level2) for i in imported[1].projects[0].indicators]


def test_word_tables_are_bounded(tmp_path: Path, imported: list[ImportResult]) -> None:
    path = one_project(tmp_path, imported)
    rows = InputLimits({**DEFAULT_LIMITS.values, "limit_rows": 10})
    found = refused(path, rows)
    assert found[0].startswith(f"{path}:表1: error: number of rows over the limit: 11 rows (the limit is 10 rows)")
    cells = InputLimits({**DEFAULT_LIMITS.values, "limit_cells": 30})
    assert "number of cells over the limit" in refused(path, cells)[0]
    members = InputLimits({**DEFAULT_LIMITS.values, "limit_zip_members": 3})
    assert "over the limit" in refused(path, members)[0]


def test_xml_entities_in_a_document_are_refused(tmp_path: Path,
                                                imported: list[ImportResult]) -> None:
    path = one_project(tmp_path, imported)
    source = zipfile.ZipFile(io.BytesIO(path.read_bytes()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            body = source.read(info.filename)
            if info.filename == "word/document.xml":
                text = body.decode("utf-8")
                start = text.index("<w:document")
                text = text[:start] + '<!DOCTYPE d [<!ENTITY a "aaaa">]>' + text[start:]
                body = text.replace("5次", "&a;", 1).encode("utf-8")
            target.writestr(info, body)
    path.write_bytes(out.getvalue())
    found = refused(path)
    assert found[0].startswith(f"{path}: error: The Word document is damaged or "
                              "cannot be read (EntitiesForbidden")


def test_a_document_without_the_form_is_refused(tmp_path: Path) -> None:
    document = Document()
    document.add_paragraph("会议纪要")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "姓名", "职务"
    document.save(str(tmp_path / "notes.docx"))
    found = refused(tmp_path / "notes.docx")
    assert found == [f"{tmp_path / 'notes.docx'}: error: No project expenditure performance target "
                     "table was found in the document (1 tables and 1 paragraphs read); nothing "
                     "was imported (Each project's table needs the header of the official form "
                     "(单位编码、单位及项目名称、金额、绩效目标、一级指标、二级指标、三级指标、指标值), "
                     "and a title above the table (unit name + year + …绩效目标表))"]


SELF_EVALUATION_HEADER = ("一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分",
                          "偏差原因分析及改进措施")


def test_an_incomplete_word_self_evaluation_is_refused_with_what_it_lacks(
        tmp_path: Path) -> None:
    """A Word 自评表 is read as one (tests/importing/test_import_evaluations.py); one with
    only its header is refused, the lack named."""
    document = Document()
    document.add_paragraph("2022年度项目支出绩效自评表")
    table = document.add_table(rows=2, cols=8)
    for col, text in enumerate(SELF_EVALUATION_HEADER):
        table.cell(0, col).text = text
    document.save(str(tmp_path / "self.docx"))
    assert refused(tmp_path / "self.docx")[0].startswith(
        f"{tmp_path / 'self.docx'}:第1段: error: The 项目支出绩效自评表 has no 项目名称")
    document.paragraphs[0].text = "绩效情况"  # no title: the header tells
    document.save(str(tmp_path / "self.docx"))
    messages = refused(tmp_path / "self.docx")
    assert [m.split(": error: ")[1].split(" (")[0] for m in messages] == [
        "The 项目支出绩效自评表 states no year", "The 项目支出绩效自评表 has no 项目名称",
        "The 项目支出绩效自评表 has no indicator rows under its header"]
    assert messages[2].startswith(f"{tmp_path / 'self.docx'}:表1:1:1: ")


def test_an_incomplete_excel_self_evaluation_is_refused_with_what_it_lacks(
        tmp_path: Path) -> None:
    """An Excel 自评表 is read as one (tests/importing/test_import_evaluations.py); one that
    lacks its name, year or indicator rows is refused, each lack named at its cell."""
    book = Workbook()
    sheet = book.active
    sheet["A1"] = "2022年度项目支出绩效自评表"
    for col, text in enumerate(SELF_EVALUATION_HEADER, 1):
        sheet.cell(3, col, text)
    sheet["A4"], sheet["D4"], sheet["E4"], sheet["G4"] = "产出指标", "5次", "5次", 10
    book.save(tmp_path / "self.xlsx")
    shown = tmp_path / "self.xlsx"
    assert refused(shown) == [
        f"{shown}:Sheet!A1: error: The 项目支出绩效自评表 has no 项目名称 (Write the project's "
        "name in the cell after 项目名称)",
        f"{shown}:Sheet!A3: error: The 项目支出绩效自评表 has no indicator rows under its "
        "header (Each row needs its 三级指标 (with 年度指标值, 实际完成值, 分值, 得分))"]
    sheet["A1"] = "绩效自评情况"
    book.save(shown)
    assert refused(shown)[0] == (f"{shown}:Sheet!A1: error: The 项目支出绩效自评表 states no "
                                 "year (Write the year in the form's heading, e.g. （2023年度）)")


def test_import_command_writes_valid_content_from_word(tmp_path: Path, form: Path) -> None:
    site = tmp_path / "site"
    proc = run_cli("import", "--project", site, form)
    assert proc.returncode == 0, proc.stderr
    assert len(list((site / "content").rglob("*.yaml"))) == 42 + 2  # projects + unit files
    assert run_cli("validate", "--project", site).returncode == 0


def test_a_renamed_word_file_is_read_by_its_content(tmp_path: Path, form: Path,
                                                    imported: list[ImportResult]) -> None:
    renamed = tmp_path / "forms.txt"
    renamed.write_bytes(form.read_bytes())
    result = read_table(renamed, None)
    assert result.layout == "docx"
    expected = [p for r in imported for p in r.projects]
    assert compare(expected, result.projects).differences == ()
    assert result.projects[0] == replace(result.projects[0], source="forms.txt:表1:3:2")

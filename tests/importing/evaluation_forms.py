"""项目支出绩效自评表 files the import tests build, laid out as offices fill in the form
(merged title, 项目资金 label over its rows, 一级/二级 merged down), from a self-evaluation
of the example site (fictional data, see examples/self-evaluation/): an Excel workbook with
openpyxl, a Word document with python-docx, both from one grid of cells.

The printable variants are ruled, their columns wide enough and their rows high enough for
the text, as offices print the form to PDF: a workbook with one form per sheet (each fitted
to one landscape page), a document with the forms one after another (a form going on over a
page break, a row cut by it)."""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from docx import Document
from docx.document import Document as WordDocument
from docx.shared import Cm
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet
from word_forms import merge, put

from site_builder.model import SelfEvaluation

Cell = tuple[int, int, int, int, object]
"""(first row, first column, last row, last column, value), 1-based: a cell or a merge."""
WIDTH = 9
COLUMN_WIDTHS = (10, 12, 22, 13, 13, 8, 8, 16, 16)
"""Widths of the printable workbook's columns A–I (in characters)."""
COLUMN_CM = (1.7, 2.0, 3.2, 1.9, 1.9, 1.2, 1.2, 1.9, 1.9)
"""Widths of the printable document's columns (an A4 portrait page)."""


class Amount(float):
    """An amount in 万元: shown with two decimals (3.20), as offices format them."""


def _amount(text: str) -> object:
    number = _number(text)
    return Amount(number) if isinstance(number, float) else number


def _number(text: str) -> object:
    """A cell value as an office types it: a number where the text is one."""
    try:
        return float(text) if "." in text else int(text)
    except ValueError:
        return text


def comparable(evaluation: SelfEvaluation) -> SelfEvaluation:
    """What a form carries of a self-evaluation (not its file, notes or source)."""
    return replace(evaluation, id="", project="", notes=(), source="", remark="",
                   pos=evaluation.pos.__class__("<x>"), field_pos={},
                   funds=tuple(replace(f, pos=f.pos.__class__("<x>")) for f in evaluation.funds),
                   indicators=tuple(replace(i, pos=i.pos.__class__("<x>"))
                                    for i in evaluation.indicators))


def form_cells(evaluation: SelfEvaluation) -> list[Cell]:
    cells: list[Cell] = [(1, 1, 1, WIDTH, "项目支出绩效自评表"),
                         (2, 1, 2, WIDTH, f"（{evaluation.year}年度）"),
                         (3, 1, 3, 1, "项目名称"), (3, 2, 3, WIDTH, evaluation.name),
                         (4, 1, 4, 1, "主管部门"), (4, 2, 4, 4, evaluation.department),
                         (4, 5, 4, 5, "实施单位"), (4, 6, 4, WIDTH, evaluation.implementer)]
    cells += [(5, col, 5, col, text) for col, text in enumerate(
        ("年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"), 3)]
    row = 6
    for funds in evaluation.funds:
        cells.append((row, 2, row, 2, funds.label))
        amounts = (funds.initial, funds.full_year, funds.executed)
        cells += [(row, col, row, col, _amount(v)) for col, v in enumerate(amounts, 3) if v]
        others = (funds.weight, funds.rate, funds.score)
        cells += [(row, col, row, col, _number(v)) for col, v in enumerate(others, 6) if v]
        row += 1
    cells.append((5, 1, row - 1, 1, "项目资金（万元）"))
    cells += [(row, 1, row + 1, 1, "年度总体目标"), (row, 2, row, 5, "预期目标"),
              (row, 6, row, WIDTH, "实际完成情况"),
              (row + 1, 2, row + 1, 5, "\n".join(evaluation.expected)),
              (row + 1, 6, row + 1, WIDTH, "\n".join(evaluation.achieved))]
    row += 2
    cells += [(row, col, row, col, text) for col, text in enumerate(
        ("一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分"), 1)]
    cells.append((row, 8, row, WIDTH, "偏差原因分析及改进措施"))
    row += 1
    rows = evaluation.indicators
    start1 = start2 = row
    for index, indicator in enumerate(rows):
        here = row + index
        last = index == len(rows) - 1
        nxt = rows[index + 1] if not last else None
        cells += [(here, 3, here, 3, indicator.name), (here, 4, here, 4, indicator.target),
                  (here, 5, here, 5, indicator.actual),
                  (here, 6, here, 6, _number(indicator.weight)),
                  (here, 7, here, 7, _number(indicator.score)),
                  (here, 8, here, WIDTH, indicator.reason or None)]
        if nxt is None or (nxt.level1, nxt.level2) != (indicator.level1, indicator.level2):
            cells.append((start2, 2, here, 2, indicator.level2 or None))
            start2 = here + 1
        if nxt is None or nxt.level1 != indicator.level1:
            cells.append((start1, 1, here, 1, indicator.level1))
            start1 = here + 1
    end = row + len(rows)
    cells += [(end, 1, end, 5, "总分"), (end, 6, end, 6, _number(evaluation.total_weight)),
              (end, 7, end, 7, _number(evaluation.total_score)),
              (end, 8, end, WIDTH, f"自评等级：{evaluation.grade}")]
    return cells


def write_form(evaluation: SelfEvaluation, path: Path, sheet_title: str = "自评表") -> Path:
    """The form as an Excel workbook (amounts typed as numbers, shown with two decimals when
    they have them)."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = sheet_title
    _fill(sheet, evaluation)
    book.save(path)
    return path


def write_printable_forms(evaluations: Sequence[SelfEvaluation], path: Path) -> Path:
    """The forms as an Excel workbook ready to print, one form per sheet (自评表1, 自评表2 …):
    ruled, text wrapped in columns wide enough, each form fitted to one landscape A4 page."""
    book = Workbook()
    first = book.active
    assert first is not None
    book.remove(first)
    for number, evaluation in enumerate(evaluations, 1):
        sheet = book.create_sheet(f"自评表{number}")
        _fill(sheet, evaluation)
        _printable(sheet, form_cells(evaluation))
    book.save(path)
    return path


def _fill(sheet: Worksheet, evaluation: SelfEvaluation) -> None:
    for r1, c1, r2, c2, value in form_cells(evaluation):
        ref = f"{get_column_letter(c1)}{r1}"
        sheet[ref] = value
        if isinstance(value, Amount):
            sheet[ref] = float(value)
            sheet[ref].number_format = "0.00"
        if (r1, c1) != (r2, c2):
            sheet.merge_cells(f"{ref}:{get_column_letter(c2)}{r2}")


def _printable(sheet: Worksheet, cells: list[Cell]) -> None:
    """Rules, widths, heights and page setup (LibreOffice does not fit the rows of a workbook
    openpyxl wrote to their text, so each row is given the height its text needs)."""
    thin = Side(style="thin")
    last = max(r2 for _, _, r2, _, _ in cells)
    for row in sheet.iter_rows(min_row=3, max_row=last, max_col=WIDTH):
        for cell in row:
            cell.border = Border(left=thin, right=thin, top=thin, bottom=thin)
            cell.alignment = Alignment(wrap_text=True, vertical="center")
    for col, width in enumerate(COLUMN_WIDTHS, 1):
        sheet.column_dimensions[get_column_letter(col)].width = width
    lines: dict[int, int] = {}
    for r1, c1, r2, c2, value in cells:
        if r1 == r2 and value is not None:
            room = sum(COLUMN_WIDTHS[c1 - 1:c2]) - 1
            text = f"{value:.2f}" if isinstance(value, Amount) else str(value)
            needed = sum(math.ceil(_width(part) / room) or 1 for part in text.split("\n"))
            lines[r1] = max(lines.get(r1, 1), needed)
    for row, count in lines.items():
        sheet.row_dimensions[row].height = 16 * count + 4
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = sheet.page_setup.fitToHeight = 1
    sheet.sheet_properties.pageSetUpPr.fitToPage = True


def _width(text: str) -> float:
    """Characters of a column's width ``text`` takes (an ideograph takes two and a bit)."""
    return sum(2.2 if unicodedata.east_asian_width(char) in "WF" else 1.1 for char in text)


def write_document(evaluation: SelfEvaluation, path: Path) -> Path:
    """The form as a Word document: its title as a paragraph, the rest as one table."""
    document = Document()
    _add_form(document, evaluation, ruled=False)
    document.save(str(path))
    return path


def write_printable_document(evaluations: Sequence[SelfEvaluation], path: Path) -> Path:
    """The forms as one Word document ready to print: each a title paragraph and a ruled
    table (Table Grid) of fixed column widths, one after another, going on over page breaks
    as Word and LibreOffice lay them out."""
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    for evaluation in evaluations:
        _add_form(document, evaluation, ruled=True)
    document.save(str(path))
    return path


def _add_form(document: WordDocument, evaluation: SelfEvaluation, ruled: bool) -> None:
    cells = form_cells(evaluation)
    document.add_paragraph(f"{evaluation.year}年度项目支出绩效自评表")
    height = max(r2 for _, _, r2, _, _ in cells) - 2
    table = document.add_table(rows=height, cols=WIDTH)
    if ruled:
        table.style = "Table Grid"
        table.autofit = False
        for row in table.rows:
            for width, cell in zip(COLUMN_CM, row.cells, strict=True):
                cell.width = Cm(width)
    for r1, c1, r2, c2, value in cells:
        if r1 <= 2:
            continue  # the title is the paragraph above
        merge(table, r1 - 3, c1 - 1, r2 - 3, c2 - 1)
        if value is not None:
            text = f"{value:.2f}" if isinstance(value, Amount) else str(value)
            put(table, r1 - 3, c1 - 1, text)
    document.add_paragraph(f"（{evaluation.year}年度）")

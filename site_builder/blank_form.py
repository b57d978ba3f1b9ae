"""A blank official 项目支出绩效目标表 (.xlsx) to fill in and import, for ``site-builder
template``.

The layout is the exporter's (:mod:`site_builder.export_xlsx`: its columns, widths, two
header rows, A4 landscape one page wide; the font and line height of
:mod:`site_builder.xlsx_layout`): a title row (empty to fill in, or given), the header rows
and one project block of indicator rows.  The 一级 and 二级 columns get drop-down lists of the
form's names instead of pre-filled cells, so that the form imported untouched holds no project
and no stray text.  Written with openpyxl, which also writes the
drop-down lists and input prompts; the file is byte-for-byte reproducible.
"""

from __future__ import annotations

import io
import re
import zipfile

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from site_builder.categories import LEVEL1, LEVEL2
from site_builder.export_xlsx import COLUMNS
from site_builder.xlsx_layout import FONT, LINE_HEIGHT

BLANK_ROWS = 20
"""Indicator rows of the blank form (rows left empty are not imported)."""
SHEET_NAME = "绩效目标表"
"""Name of the blank form's sheet."""
FIRST_ROW = 4
"""The project block starts below the title row and the two header rows."""
PROMPTS: dict[str, tuple[str, str]] = {
    "A": ("单位编码", "按文本填写，开头的 0 会保留，如 002001"),
    "B": ("项目名称", "一个项目一张工作表：复制这张工作表（右键工作表标签 → 移动或复制 → "
          "建立副本）填写下一个项目"),
    "C": ("金额（万元）", "以万元为单位，如 3.28"),
    "D": ("绩效目标", "每条目标一行（单元格内换行：Alt+Enter），如：目标1：……"),
    "E": ("一级指标", "从下拉列表选择；同一一级指标下的各行可以只在第一行填写"),
    "F": ("二级指标", "从下拉列表选择二级指标，须属于左边的一级指标"),
    "G": ("三级指标", "指标名称；不用的行留空，导入时跳过"),
    "H": ("指标值", "照实填写目标值，如 ≥95%、10次、2024年12月底前"),
}
"""Input prompt of each column (shown by Excel, WPS and LibreOffice on the cell)."""
TITLE_PROMPT = ("表头",
                "写明单位和年度，如：祁连县阿柔乡人民政府2024年部门预算项目支出绩效目标公开表")
"""Input prompt of the title cell."""
MERGED_DOWN = "ABCD"
"""Columns whose cell spans the whole project block (code, name, amount, goals)."""
_THIN = Side(style="thin")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_MOMENT = (1980, 1, 1, 0, 0, 0)
"""The time stamp of every part of the file (no clock: same input, same bytes)."""


def blank_form_bytes(title: str = "", rows: int = BLANK_ROWS) -> bytes:
    """The blank official form with ``title`` (may be empty) and ``rows`` indicator rows."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = SHEET_NAME
    last_col = get_column_letter(len(COLUMNS))
    last = FIRST_ROW + rows - 1
    for index, column in enumerate(COLUMNS, 1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    _cell(sheet, "A1", title, 16, bold=True, border=False)
    sheet.merge_cells(f"A1:{last_col}1")
    sheet.row_dimensions[1].height = 30.0
    _header(sheet)
    for index, column in enumerate(COLUMNS, 1):
        letter = get_column_letter(index)
        for row in range(FIRST_ROW, last + 1):
            _cell(sheet, f"{letter}{row}", None, 10, align=column.align)
        if letter in MERGED_DOWN:
            sheet.merge_cells(f"{letter}{FIRST_ROW}:{letter}{last}")
    sheet[f"A{FIRST_ROW}"].number_format = "@"
    sheet[f"C{FIRST_ROW}"].number_format = "0.00"
    for row in range(FIRST_ROW, last + 1):
        sheet.row_dimensions[row].height = LINE_HEIGHT + 6
    _rules(sheet, last)
    _page_setup(sheet, last, last_col)
    book.properties.creator = "site-builder"
    buffer = io.BytesIO()
    book.save(buffer)
    return _reproducible(buffer.getvalue())


def _cell(sheet: Worksheet, ref: str, value: str | None, size: int, *, bold: bool = False,
          align: str = "center", border: bool = True) -> None:
    cell = sheet[ref]
    cell.value = value or None
    cell.font = Font(name=FONT, size=size, bold=bold)
    cell.alignment = Alignment(horizontal=align, vertical="center", wrap_text=True,
                               indent=1 if align == "left" else 0)
    if border:
        cell.border = _BORDER


def _header(sheet: Worksheet) -> None:
    """单位编码, 单位及项目名称, 金额, 绩效目标 over two rows; 绩效指标 over its four columns."""
    for index, column in enumerate(COLUMNS[:4], 1):
        letter = get_column_letter(index)
        _cell(sheet, f"{letter}2", column.header, 10, bold=True)
        _cell(sheet, f"{letter}3", None, 10)
        sheet.merge_cells(f"{letter}2:{letter}3")
    for index, column in enumerate(COLUMNS[4:], 5):
        letter = get_column_letter(index)
        _cell(sheet, f"{letter}2", "绩效指标" if index == 5 else None, 10, bold=True)
        _cell(sheet, f"{letter}3", column.header, 10, bold=True)
    sheet.merge_cells(f"E2:{get_column_letter(len(COLUMNS))}2")


def _rules(sheet: Worksheet, last: int) -> None:
    """A prompt on every cell a clerk fills in, with the drop-down lists of the 一级 and 二级
    names on theirs (other text is accepted after a warning: a form may publish a variant).
    One rule per cell: office suites keep only one."""
    level2 = list(dict.fromkeys(name for names in LEVEL2.values() for name in names))
    listed = {"E": list(LEVEL1), "F": level2}
    targets = [("A1", TITLE_PROMPT)] + [
        (f"{c}{FIRST_ROW}" if c in MERGED_DOWN else f"{c}{FIRST_ROW}:{c}{last}", prompt)
        for c, prompt in PROMPTS.items()]
    for cells, (heading, text) in targets:
        names = listed.get(cells[0])
        if names is None:
            rule = DataValidation(allow_blank=True)
        else:
            rule = DataValidation(type="list", formula1='"' + ",".join(names) + '"',
                                  allow_blank=True, showErrorMessage=True,
                                  errorStyle="warning", errorTitle="不是表格中的名称",
                                  error="这不是绩效目标表中的名称；原表确实这样写时选“是”保留。")
        rule.showInputMessage, rule.promptTitle, rule.prompt = True, heading, text
        rule.add(cells)
        sheet.add_data_validation(rule)


def _page_setup(sheet: Worksheet, last_row: int, last_col: str) -> None:
    setup = sheet.page_setup
    setup.paperSize = sheet.PAPERSIZE_A4
    setup.orientation = "landscape"
    setup.fitToWidth = 1
    setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    sheet.print_title_rows = "2:3"
    sheet.print_area = f"A1:{last_col}{last_row}"
    sheet.print_options.horizontalCentered = True


def _reproducible(data: bytes) -> bytes:
    """The workbook with fixed time stamps in its properties and its zip entries."""
    stamp = "{:04d}-{:02d}-{:02d}T{:02d}:{:02d}:{:02d}Z".format(*_MOMENT)
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            body = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                body = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*",
                              rb"\g<1>" + stamp.encode(), body)
            entry = zipfile.ZipInfo(info.filename, date_time=_MOMENT)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o600 << 16
            target.writestr(entry, body)
    return out.getvalue()

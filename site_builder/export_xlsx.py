"""Projects as the official 项目支出绩效目标表 in Excel: one sheet per project, ready to print.

Each sheet has the form's title row, the two header rows, the 合计 row when the published
table has one, the project row with 单位编码, name, amount and goals merged down the indicator
rows, 一级/二级 cells merged over the rows they cover, then 备注 and the project's notes
(``附注：…``).  Pages are A4 landscape, scaled to one page wide, header rows repeated.
The file is byte-for-byte reproducible (timestamps from ``SOURCE_DATE_EPOCH`` or 1980-01-01).
"""

from __future__ import annotations

import io
import math
import os
import re
import weakref
import zipfile
from collections.abc import Sequence
from copy import copy
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.cell.cell import Cell, MergedCell
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.cell_range import CellRange
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from site_builder.importers.residue import TITLE
from site_builder.importers.xlsx import NOTE_PREFIX, SUMMARY_TITLE
from site_builder.model import Indicator, Project, Site, Unit, format_amount


@dataclass(frozen=True)
class Column:
    """One column of the official form."""

    header: str
    """Header text as printed on the form."""
    width: float
    """Width in Excel character units."""
    align: str
    """Horizontal alignment of its body cells."""


COLUMNS: tuple[Column, ...] = (
    Column("单位编码", 9, "center"), Column("单位及项目名称", 16, "center"),
    Column("金额（万元）", 10, "center"), Column("绩效目标", 33, "left"),
    Column("一级指标", 10, "center"), Column("二级指标", 12, "center"),
    Column("三级指标", 30, "left"), Column("指标值", 14, "center"),
)
"""The form's columns, A to H."""
SUMMARY_COLUMNS: tuple[Column, ...] = (
    Column("年度", 8, "center"), Column("单位编码", 12, "center"),
    Column("单位名称", 36, "left"), Column("上级单位编码", 14, "center"),
    Column("单位合计（万元）", 16, "center"), Column("项目数", 10, "center"),
)
"""Columns of the unit summary sheet that opens a workbook of whole units."""
SUMMARY_SHEET = "单位汇总"
CODE, NAME, AMOUNT, GOALS, LEVEL1, LEVEL2, NAME3, VALUE = range(1, 9)
LAST = get_column_letter(len(COLUMNS))
FONT = "宋体"
"""The form's font; LibreOffice without SimSun substitutes a CJK font of the same metrics."""
LINE_HEIGHT = 13.5
"""Points per text line at 10 pt."""
FONTS: dict[str, Font] = {
    "title": Font(name=FONT, size=16, bold=True), "bold": Font(name=FONT, size=10, bold=True),
    "plain": Font(name=FONT, size=10),
}
"""The three fonts of the form."""
_STYLES: weakref.WeakKeyDictionary[Workbook, dict[tuple[str, str, bool], StyleArray]] = (
    weakref.WeakKeyDictionary())
_THIN = Side(style="thin")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_INVALID_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")


def form_title(site: Site, project: Project) -> str:
    """The unit's published title, or the official one when it has none in that form."""
    unit = site.unit(project.year, project.unit_code)
    if unit and TITLE.match(unit.title):
        return unit.title
    name = unit.name if unit else ""
    return f"{name}{project.year}年部门预算项目支出绩效目标公开表"


def workbook_bytes(site: Site, projects: Sequence[Project], summary: bool = True) -> bytes:
    """An .xlsx workbook with one sheet per project, in the order given.

    With ``summary`` the first sheet lists the units of these projects with the facts the
    project forms do not carry (parent department, declared total).
    """
    book = Workbook()
    book.remove(book.active)  # type: ignore[arg-type]
    used: set[str] = {SUMMARY_SHEET.lower()}
    if summary:
        keys = {(p.year, p.unit_code) for p in projects}
        units = [u for u in site.units if u.key in keys]
        write_summary(book.create_sheet(SUMMARY_SHEET), units, projects)
    for project in projects:
        sheet = book.create_sheet(_sheet_name(project.id, used))
        write_form(sheet, form_title(site, project), project)
    moment = _timestamp()
    book.properties.creator = "site-builder"
    book.properties.created = moment
    buffer = io.BytesIO()
    book.save(buffer)
    return _reproducible(buffer.getvalue(), moment)


def _sheet_name(wanted: str, used: set[str]) -> str:
    base = _INVALID_SHEET_CHARS.sub("_", wanted)[:28] or "表"
    name, number = base, 1
    while name.lower() in used:
        number += 1
        name = f"{base}_{number}"
    used.add(name.lower())
    return name


def write_form(sheet: Worksheet, title: str, project: Project) -> None:
    """Fill ``sheet`` with the official form of ``project``."""
    for index, column in enumerate(COLUMNS, 1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    heights: dict[int, float] = {}
    _put(sheet, 1, 1, title, "title", "center", border=False)
    _merge(sheet, f"A1:{LAST}1")
    heights[1] = 30.0
    _header(sheet)
    row = 4
    if project.table_total is not None:
        _put(sheet, row, NAME, "合计", "bold", "center")
        _amount(sheet, row, AMOUNT, project.table_total)
        _borders(sheet, row, row)
        row += 1
    last = _project_rows(sheet, row, project, heights)
    _borders(sheet, 2, last)
    row = last + 1
    extras = ([project.remark] if project.remark else []) + [
        f"{NOTE_PREFIX}{note}" for note in project.notes]
    for text in extras:
        _put(sheet, row, 1, text, "plain", "left", border=False)
        _merge(sheet, f"A{row}:{LAST}{row}")
        heights[row] = _height(text, sum(c.width for c in COLUMNS))
        row += 1
    for number, height in heights.items():
        sheet.row_dimensions[number].height = height
    _page_setup(sheet, row - 1)


def write_summary(sheet: Worksheet, units: Sequence[Unit], projects: Sequence[Project]) -> None:
    """The unit summary: year, code, name, parent code, declared total, number of projects."""
    bold, plain = "bold", "plain"
    last = get_column_letter(len(SUMMARY_COLUMNS))
    for index, column in enumerate(SUMMARY_COLUMNS, 1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
        _put(sheet, 2, index, column.header, bold, "center")
    _put(sheet, 1, 1, SUMMARY_TITLE, "title", "center", False)
    _merge(sheet, f"A1:{last}1")
    sheet.row_dimensions[1].height = 30.0
    for row, unit in enumerate(units, 3):
        count = sum(1 for p in projects if (p.year, p.unit_code) == unit.key)
        for col, text in enumerate((unit.year, unit.code, unit.name, unit.parent_code), 1):
            _put(sheet, row, col, text, plain, SUMMARY_COLUMNS[col - 1].align)
            sheet.cell(row, col).number_format = "@"
        total = "" if unit.declared_total is None else format_amount(unit.declared_total)
        _amount(sheet, row, 5, total)
        _put(sheet, row, 6, str(count), plain, "center")
    _borders(sheet, 2, 2 + len(units), len(SUMMARY_COLUMNS))
    _page_setup(sheet, 2 + len(units), last, "2:2")


def _header(sheet: Worksheet) -> None:
    bold = "bold"
    for col in (CODE, NAME, AMOUNT, GOALS):
        _put(sheet, 2, col, COLUMNS[col - 1].header, bold, "center")
        _merge(sheet, start_row=2, start_column=col, end_row=3, end_column=col)
    _put(sheet, 2, LEVEL1, "绩效指标", bold, "center")
    _merge(sheet, start_row=2, start_column=LEVEL1, end_row=2, end_column=VALUE)
    for col in (LEVEL1, LEVEL2, NAME3, VALUE):
        _put(sheet, 3, col, COLUMNS[col - 1].header, bold, "center")


def _project_rows(sheet: Worksheet, first: int, project: Project,
                  heights: dict[int, float]) -> int:
    """Write the project row and its indicators from row ``first``; returns the last row."""
    font = "plain"
    indicators = list(project.indicators)
    last = first + max(len(indicators), 1) - 1
    for offset, indicator in enumerate(indicators):
        row = first + offset
        _put(sheet, row, NAME3, indicator.name, font, "left")
        _put(sheet, row, VALUE, indicator.value, font, "center")
        heights[row] = max(_height(indicator.name, COLUMNS[NAME3 - 1].width),
                           _height(indicator.value, COLUMNS[VALUE - 1].width))
    heights.setdefault(first, LINE_HEIGHT + 6)
    for start, end, text in _runs(indicators, first, level=1):
        _merged(sheet, start, end, LEVEL1, text, font, heights)
    for start, end, text in _runs(indicators, first, level=2):
        _merged(sheet, start, end, LEVEL2, text, font, heights)
    _merged(sheet, first, last, CODE, project.unit_code, font, heights)
    sheet.cell(first, CODE).number_format = "@"
    _merged(sheet, first, last, NAME, project.name, font, heights)
    _merged(sheet, first, last, GOALS, "\n".join(project.goals), font, heights)
    _merge(sheet, start_row=first, start_column=AMOUNT, end_row=last, end_column=AMOUNT)
    _amount(sheet, first, AMOUNT, format_amount(project.amount))
    return last


def _runs(indicators: list[Indicator], first: int, level: int) -> list[tuple[int, int, str]]:
    """(first row, last row, text) of each run of equal 一级 (level 1) or 一级+二级 (level 2).

    An empty 二级 after a filled one under the same 一级 starts a new 一级 run, so that the
    import does not carry the 二级 above down into it.
    """
    keys: list[tuple[int, str]] = []
    group = 0
    for offset, indicator in enumerate(indicators):
        previous = indicators[offset - 1] if offset else None
        if previous is None or indicator.level1 != previous.level1 or (
                previous.level2 and not indicator.level2):
            group += 1
        keys.append((group, indicator.level2 if level == 2 else ""))
    runs: list[tuple[int, int, str]] = []
    for offset, indicator in enumerate(indicators):
        text = indicator.level1 if level == 1 else indicator.level2
        if offset and keys[offset - 1] == keys[offset]:
            runs[-1] = (runs[-1][0], first + offset, text)
        else:
            runs.append((first + offset, first + offset, text))
    return runs


def _merged(sheet: Worksheet, start: int, end: int, col: int, text: str, font: str,
            heights: dict[int, float]) -> None:
    _put(sheet, start, col, text, font, COLUMNS[col - 1].align)
    if end > start:
        _merge(sheet, start_row=start, start_column=col, end_row=end, end_column=col)
    needed = _height(text, COLUMNS[col - 1].width)
    have = sum(heights.get(row, LINE_HEIGHT + 6) for row in range(start, end + 1))
    if needed > have:
        extra = (needed - have) / (end - start + 1)
        for row in range(start, end + 1):
            heights[row] = heights.get(row, LINE_HEIGHT + 6) + extra


def _put(sheet: Worksheet, row: int, col: int, value: str, font: str, align: str,
         border: bool = True) -> None:
    cell = sheet.cell(row, col)
    cell.value = value
    _style(cell, font, align, border)


def _style(cell: Cell | MergedCell, font: str, align: str, border: bool) -> None:
    """Give ``cell`` a font (title, bold, plain), an alignment and maybe borders.

    openpyxl hashes every style object on each assignment, which made exports slow; each
    combination is therefore built once per workbook and its style indices copied.
    """
    book = cell.parent.parent
    assert book is not None, "the cell's sheet belongs to a workbook"
    styles = _STYLES.setdefault(book, {})
    key = (font, align, border)
    if key in styles:
        cell._style = copy(styles[key])  # type: ignore[union-attr]
        return
    cell.font = FONTS[font]
    cell.alignment = Alignment(horizontal=align, vertical="center", wrap_text=True,
                               indent=1 if align == "left" else 0)
    if border:
        cell.border = _BORDER
    styles[key] = copy(cell._style)  # type: ignore[union-attr]


def _merge(sheet: Worksheet, ref: str = "", start_row: int = 0, start_column: int = 0,
           end_row: int = 0, end_column: int = 0) -> None:
    """Merge a range without openpyxl's per-cell border formatting (borders are set by us)."""
    cells = CellRange(ref) if ref else CellRange(min_row=start_row, min_col=start_column,
                                                 max_row=end_row, max_col=end_column)
    sheet.merged_cells.add(cells)


def _amount(sheet: Worksheet, row: int, col: int, text: str) -> None:
    """An amount as a number shown with its published decimals, or as text if it is not one."""
    cell = sheet.cell(row, col)
    _style(cell, "plain", "center", True)
    if re.fullmatch(r"\d{1,12}(?:\.\d{1,6})?", text):
        value = Decimal(text)
        number = float(value)
        if Decimal(repr(number)) == value:
            places = len(text.partition(".")[2])
            cell.value = number
            cell.number_format = "0." + "0" * places if places else "0"
            return
    cell.value = text
    cell.number_format = "@"


def _borders(sheet: Worksheet, first: int, last: int, columns: int = len(COLUMNS)) -> None:
    """Borders on every cell of the table, also those covered by merges."""
    for row in sheet.iter_rows(min_row=first, max_row=last, max_col=columns):
        for cell in row:
            if not cell.has_style:
                _style(cell, "plain", "center", True)


def _height(text: str, width: float) -> float:
    """Points a wrapped cell of ``width`` characters needs to show ``text``."""
    per_line = max(width - 1.5, 1.0)
    lines = 0
    for paragraph in text.split("\n") or [""]:
        size = sum(1.85 if ord(ch) > 0x2E7F else 1.0 for ch in paragraph)
        lines += max(1, math.ceil(size / per_line))
    return lines * LINE_HEIGHT + 6


def _page_setup(sheet: Worksheet, last_row: int, last_col: str = LAST,
                title_rows: str = "2:3") -> None:
    setup = sheet.page_setup
    setup.paperSize = sheet.PAPERSIZE_A4
    setup.orientation = "landscape"
    setup.fitToWidth = 1
    setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    sheet.print_title_rows = title_rows
    sheet.print_area = f"A1:{last_col}{last_row}"
    sheet.print_options.horizontalCentered = True
    margins = sheet.page_margins
    margins.left = margins.right = 0.4
    margins.top = margins.bottom = 0.6
    margins.header = margins.footer = 0.3


def _timestamp() -> datetime:
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    seconds = int(epoch) if epoch.isdigit() else 315532800
    return datetime.fromtimestamp(max(seconds, 315532800), UTC).replace(tzinfo=None)


def _reproducible(data: bytes, moment: datetime) -> bytes:
    """The workbook with fixed timestamps in docProps/core.xml and in the zip entries."""
    stamp = moment.strftime("%Y-%m-%dT%H:%M:%SZ")
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            body = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                body = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*",
                              rb"\g<1>" + stamp.encode(), body)
            entry = zipfile.ZipInfo(info.filename, date_time=moment.timetuple()[:6])
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o600 << 16
            target.writestr(entry, body)
    return out.getvalue()

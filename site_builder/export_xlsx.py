"""Projects as the official 项目支出绩效目标表 in Excel: one sheet per project, ready to print,
followed by the project's 项目支出绩效自评表 when it has a self-evaluation
(:mod:`site_builder.export_evaluation_xlsx`).

Each sheet has the form's title row, the two header rows, the 合计 row when the published
table has one, the project row with 单位编码, name, amount and goals merged down the indicator
rows, 一级/二级 cells merged over the rows they cover, then 备注 and the project's notes
(``附注：…``).  Pages are A4 landscape, scaled to one page wide, header rows repeated.
The file is byte-for-byte reproducible (timestamps from ``SOURCE_DATE_EPOCH`` or 1980-01-01);
it is written by :mod:`site_builder.xlsx_package`, where every text is a string cell, never a
formula (``=1+1`` stays the text ``=1+1`` and is marked as text, see :mod:`~site_builder.cells`).
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from site_builder.export_evaluation_xlsx import evaluation_sheet
from site_builder.model import Project, Site, Unit, format_amount
from site_builder.xlsx_layout import (
    NOTE_PREFIX,
    ROW_HEIGHT,
    cell_style,
    level_runs,
    merged_down,
    number_cell,
    text_height,
)
from site_builder.xlsx_package import Sheet, Style, workbook

TITLE = re.compile(r"^#*\s*(?P<unit>\S+?)(?P<year>\d{4})年.*?绩效目标.*?表\s*$")
"""A published table's title (as :data:`site_builder.importers.residue.TITLE` reads it)."""
SUMMARY_TITLE = "预算单位汇总"
"""Title of the unit summary sheet (:data:`site_builder.importers.xlsx.SUMMARY_TITLE`).
These two (and :data:`~site_builder.xlsx_layout.NOTE_PREFIX`) are written here, not imported:
the importers load openpyxl (a second of start-up on a busy machine), which a build that
writes workbooks does not need."""


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
_INVALID_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")
EVALUATION_SHEET_SUFFIX = "自评表"
"""What the name of a sheet holding a 自评表 ends in, after the id it belongs to."""

PLAIN_CENTER = cell_style("plain", "center")
"""A bordered cell of the table (also the cells merged ranges cover)."""
PLAIN_LEFT = cell_style("plain", "left")
BOLD_CENTER = cell_style("bold", "center")
TEXT_CENTER = cell_style("plain", "center", number_format="@")
TITLE_STYLE = cell_style("title", "center", border=False)
REMARK_STYLE = cell_style("plain", "left", border=False)
COLUMN_STYLES = {col: cell_style("plain", COLUMNS[col - 1].align) for col in range(1, 9)}
"""The style of a body cell of each column of the form."""


def form_title(site: Site, project: Project) -> str:
    """The unit's published title, or the official one when it has none in that form."""
    unit = site.unit(project.year, project.unit_code)
    if unit and TITLE.match(unit.title):
        return unit.title
    name = unit.name if unit else ""
    return f"{name}{project.year}年部门预算项目支出绩效目标公开表"


def workbook_bytes(site: Site, projects: Sequence[Project], summary: bool = True,
                   epoch: int | None = None) -> bytes:
    """An .xlsx workbook with one sheet per project, in the order given, each project with a
    self-evaluation in ``site`` followed by a sheet holding its 自评表.

    With ``summary`` the first sheet lists the units of these projects with the facts the
    project forms do not carry (parent department, declared total).  Every time in the file
    is ``epoch`` (seconds), else ``SOURCE_DATE_EPOCH``, else 1980-01-01.
    """
    sheets: list[Sheet] = []
    used: set[str] = {SUMMARY_SHEET.lower()}
    if summary:
        keys = {(p.year, p.unit_code) for p in projects}
        units = [u for u in site.units if u.key in keys]
        sheets.append(summary_sheet(units, projects))
    for project in projects:
        sheets.append(form_sheet(_sheet_name(project.id, used), form_title(site, project),
                                 project))
        evaluation = site.evaluation_of(project)
        if evaluation is not None:
            sheets.append(evaluation_sheet(_evaluation_name(project.id, used), evaluation))
    if not sheets:
        sheets.append(summary_sheet([], []))
    title = form_title(site, projects[0]) if projects else SUMMARY_TITLE
    return workbook(sheets, _timestamp(epoch), title=title)


def sheet_name(project_id: str) -> str:
    """The sheet a project's form gets in a workbook (ids are unique within a unit-year)."""
    return _sheet_name(project_id, {SUMMARY_SHEET.lower()})


def evaluation_sheet_name(project_id: str) -> str:
    """The sheet the 自评表 of a project gets in a workbook (after the project's own)."""
    return _evaluation_name(project_id, {SUMMARY_SHEET.lower()})


def _evaluation_name(project_id: str, used: set[str]) -> str:
    keep = 28 - len(EVALUATION_SHEET_SUFFIX)
    return _sheet_name(project_id[:keep] + EVALUATION_SHEET_SUFFIX, used)


def _sheet_name(wanted: str, used: set[str]) -> str:
    """``wanted`` made a valid sheet name (at most 28 characters, none of ``[]:*?/\\``) that
    is not in ``used`` (a number added), and added to ``used``."""
    base = _INVALID_SHEET_CHARS.sub("_", wanted)[:28] or "表"
    name, number = base, 1
    while name.lower() in used:
        number += 1
        name = f"{base}_{number}"
    used.add(name.lower())
    return name


def form_sheet(name: str, title: str, project: Project) -> Sheet:
    """A sheet holding the official form of ``project``."""
    sheet = Sheet(name, widths=[c.width for c in COLUMNS], print_titles="2:3")
    heights = sheet.heights
    sheet.put(1, 1, title, TITLE_STYLE)
    sheet.merge(1, 1, 1, len(COLUMNS))
    heights[1] = 30.0
    _header(sheet)
    row = 4
    if project.table_total is not None:
        sheet.put(row, NAME, "合计", BOLD_CENTER)
        number_cell(sheet, row, AMOUNT, project.table_total)
        _borders(sheet, row, row)
        row += 1
    last = _project_rows(sheet, row, project)
    _borders(sheet, 2, last)
    row = last + 1
    extras = ([project.remark] if project.remark else []) + [
        f"{NOTE_PREFIX}{note}" for note in project.notes]
    for text in extras:
        sheet.put(row, 1, text, REMARK_STYLE)
        sheet.merge(row, 1, row, len(COLUMNS))
        heights[row] = text_height(text, sum(c.width for c in COLUMNS))
        row += 1
    return sheet


def summary_sheet(units: Sequence[Unit], projects: Sequence[Project]) -> Sheet:
    """The unit summary: year, code, name, parent code, declared total, number of projects."""
    sheet = Sheet(SUMMARY_SHEET, widths=[c.width for c in SUMMARY_COLUMNS], print_titles="2:2")
    bold = cell_style("bold", "center")
    for index, column in enumerate(SUMMARY_COLUMNS, 1):
        sheet.put(2, index, column.header, bold)
    sheet.put(1, 1, SUMMARY_TITLE, cell_style("title", "center", border=False))
    sheet.merge(1, 1, 1, len(SUMMARY_COLUMNS))
    sheet.heights[1] = 30.0
    counts: dict[tuple[str, str], int] = {}
    for project in projects:
        key = (project.year, project.unit_code)
        counts[key] = counts.get(key, 0) + 1
    for row, unit in enumerate(units, 3):
        for col, text in enumerate((unit.year, unit.code, unit.name, unit.parent_code), 1):
            sheet.put(row, col, text, cell_style("plain", SUMMARY_COLUMNS[col - 1].align,
                                             number_format="@"))
        total = "" if unit.declared_total is None else format_amount(unit.declared_total)
        number_cell(sheet, row, 5, total)
        sheet.put(row, 6, str(counts.get(unit.key, 0)), PLAIN_CENTER)
    _borders(sheet, 2, 2 + len(units), len(SUMMARY_COLUMNS))
    return sheet


def _header(sheet: Sheet) -> None:
    bold = BOLD_CENTER
    for col in (CODE, NAME, AMOUNT, GOALS):
        sheet.put(2, col, COLUMNS[col - 1].header, bold)
        sheet.merge(2, col, 3, col)
    sheet.put(2, LEVEL1, "绩效指标", bold)
    sheet.merge(2, LEVEL1, 2, VALUE)
    for col in (LEVEL1, LEVEL2, NAME3, VALUE):
        sheet.put(3, col, COLUMNS[col - 1].header, bold)


def _project_rows(sheet: Sheet, first: int, project: Project) -> int:
    """Write the project row and its indicators from row ``first``; returns the last row."""
    heights = sheet.heights
    indicators = list(project.indicators)
    last = first + max(len(indicators), 1) - 1
    name_width, value_width = COLUMNS[NAME3 - 1].width, COLUMNS[VALUE - 1].width
    cells = sheet.cells
    for offset, indicator in enumerate(indicators):
        row = first + offset
        cells[row] = {NAME3: (indicator.name, False, PLAIN_LEFT),
                      VALUE: (indicator.value, False, PLAIN_CENTER)}
        heights[row] = max(text_height(indicator.name, name_width),
                           text_height(indicator.value, value_width))
    heights.setdefault(first, ROW_HEIGHT)
    for start, end, text in level_runs(indicators, first, level=1):
        _merged(sheet, start, end, LEVEL1, text)
    for start, end, text in level_runs(indicators, first, level=2):
        _merged(sheet, start, end, LEVEL2, text)
    _merged(sheet, first, last, CODE, project.unit_code, TEXT_CENTER)
    _merged(sheet, first, last, NAME, project.name)
    _merged(sheet, first, last, GOALS, "\n".join(project.goals))
    sheet.merge(first, AMOUNT, last, AMOUNT)
    number_cell(sheet, first, AMOUNT, format_amount(project.amount))
    return last


def _merged(sheet: Sheet, start: int, end: int, col: int, text: str,
            style: Style | None = None) -> None:
    merged_down(sheet, col, start, end, text, style or COLUMN_STYLES[col],
                COLUMNS[col - 1].width)


def _borders(sheet: Sheet, first: int, last: int, columns: int = len(COLUMNS)) -> None:
    """Borders on every cell of the table, also those covered by merges."""
    sheet.fill(first, last, columns, PLAIN_CENTER)


def _timestamp(epoch: int | None = None) -> datetime:
    if epoch is None:
        text = os.environ.get("SOURCE_DATE_EPOCH", "")
        epoch = int(text) if text.isdigit() else 315532800
    return datetime.fromtimestamp(max(epoch, 315532800), UTC).replace(tzinfo=None)

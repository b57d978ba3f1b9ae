"""Word documents of the official form, made with python-docx as offices fill it in.

One table per project, laid out as the 项目支出绩效目标表: the title as a paragraph above the
table; two header rows (单位编码 … 绩效目标 merged down over both, 绩效指标 spanning the four
indicator columns); a 合计 row; the project row with 单位编码, name, amount and goals merged
down over all its indicator rows (``w:vMerge``); 一级/二级 cells merged over the rows they
cover; 备注 as a last row spanning the whole width (``w:gridSpan``).  The content comes from
projects read elsewhere (the seed tables), so the import of the document can be compared
with them indicator by indicator.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from docx import Document
from docx.document import Document as WordDocument
from docx.table import Table

from site_builder.model import Indicator, Project, Unit, format_amount
from site_builder.xlsx_layout import level_runs

HEADER = ("单位编码", "单位及项目名称", "金额（万元）", "绩效目标")
INDICATOR_HEADER = ("一级指标", "二级指标", "三级指标", "指标值")
WIDTH = 8


def runs(indicators: Sequence[Indicator], level: int) -> list[tuple[int, int, str]]:
    """(first, last, text) of each run of equal 一级 (level 1) or 一级+二级 (level 2), merged
    as the Excel export merges them."""
    return level_runs(indicators, 0, level)


def put(table: Table, row: int, col: int, text: str) -> None:
    """Write ``text`` into a cell, one paragraph per line."""
    cell = table.cell(row, col)
    lines = text.split("\n") if text else [""]
    cell.text = lines[0]
    for line in lines[1:]:
        cell.add_paragraph(line)


def merge(table: Table, r1: int, c1: int, r2: int, c2: int) -> None:
    if (r1, c1) != (r2, c2):
        table.cell(r1, c1).merge(table.cell(r2, c2))


def add_project(document: WordDocument, project: Project, title: str, remark: str) -> None:
    """The title paragraph and the table of one project."""
    document.add_paragraph(title)
    indicators = list(project.indicators) or [Indicator("", "", "", "")]
    has_total = project.table_total is not None
    first = 3 if has_total else 2
    rows = first + len(indicators) + (1 if remark else 0)
    table = document.add_table(rows=rows, cols=WIDTH)
    table.style = "Table Grid"
    for col, text in enumerate(HEADER):
        put(table, 0, col, text)
        merge(table, 0, col, 1, col)
    put(table, 0, 4, "绩效指标")
    merge(table, 0, 4, 0, 7)
    for col, text in enumerate(INDICATOR_HEADER, 4):
        put(table, 1, col, text)
    if has_total:
        put(table, 2, 1, "合计")
        put(table, 2, 2, project.table_total or "")
    for offset, indicator in enumerate(indicators):
        put(table, first + offset, 6, indicator.name)
        put(table, first + offset, 7, indicator.value)
    for level, col in ((1, 4), (2, 5)):
        for start, end, text in runs(indicators, level):
            put(table, first + start, col, text)
            merge(table, first + start, col, first + end, col)
    last = first + len(indicators) - 1
    for col, text in enumerate((project.unit_code, project.name,
                                format_amount(project.amount), "\n".join(project.goals))):
        put(table, first, col, text)
        merge(table, first, col, last, col)
    if remark:
        put(table, rows - 1, 0, remark)
        merge(table, rows - 1, 0, rows - 1, WIDTH - 1)


def write_form(path: Path, units: Iterable[Unit], projects: Iterable[Project]) -> Path:
    """A Word document holding every project's table, in order."""
    titles = {(u.year, u.code): u.title or f"{u.name}{u.year}年部门预算项目支出绩效目标公开表"
              for u in units}
    document = Document()
    for project in projects:
        add_project(document, project, titles[(project.year, project.unit_code)],
                    project.remark)
    document.add_paragraph("")  # Word always ends a document with a paragraph
    document.save(str(path))
    return path

"""Workbooks the xlsx tests build themselves with openpyxl, as offices fill in the form."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl.worksheet.worksheet import Worksheet

TITLE_2023 = "祁连县阿柔乡人民政府2023年部门预算项目支出绩效目标公开表"
REMARK = "备注：1.各单位请根据实际情况，从上述绩效指标中选择适合的填报，也可自行增加或适当调整。2.一个项目一张表。"

FIRST_SEED_PROJECT: list[tuple[str, str, str, str]] = [
    ("产出指标", "数量指标", "组织召开专委会", "5次"),
    ("", "", "组织召开人大代表会议", "3次"),
    ("", "质量指标", "及时有效办好上级下达的工作任务", "100%"),
    ("", "", "履行好监督职能", "100%"),
    ("", "时效指标", "顺利完成本年度乡人大工作", "2023全年"),
    ("", "成本指标", "调研燃油费及差旅费", "≤0.76万元"),
    ("", "", "制作档案及宣传费", "≤1.52万"),
    ("", "", "人大代表住宿费", "≤1万元"),
    ("效益指标", "社会效益", "提高参政议政能力", "稳步提升"),
    ("", "", "加强建议督办工作", "稳步提升"),
    ("", "可持续影响指标", "长效管理机制健全性", "健全"),
    ("满意度指标", "服务对象满意度指标", "参会人员满意度", "≥95%"),
    ("", "", "群众满意度", "≥95%"),
]
"""The first project of the 2023 seed table as its form has it: a blank category continues."""


@dataclass
class Table:
    """One project table of the official form."""

    code: Any
    name: str
    amount: Any
    goals: str
    rows: Sequence[tuple[str, str, str, Any]]
    total: Any = None
    remark: str = REMARK
    title: str = TITLE_2023
    merge: bool = True
    """Merge the 一级/二级 cells over the rows they cover (else leave the cells blank)."""
    formats: dict[str, str] = field(default_factory=dict)
    """Number formats: "code", "amount", "total"."""


def write_table(sheet: Worksheet, table: Table, top: int, left: int = 1,
                blank_rows: Sequence[int] = ()) -> int:
    """Write ``table`` with its title at (top, left); returns the next free row.

    ``blank_rows`` are offsets into the indicator rows before which an empty row is left.
    """
    def put(row: int, col: int, value: Any, fmt: str = "") -> None:
        cell = sheet.cell(row, left + col)
        cell.value = value
        if fmt:
            cell.number_format = fmt

    def merge(r1: int, c1: int, r2: int, c2: int) -> None:
        if (r1, c1) != (r2, c2):
            sheet.merge_cells(start_row=r1, start_column=left + c1, end_row=r2,
                              end_column=left + c2)

    put(top, 0, table.title)
    merge(top, 0, top, 7)
    for col, text in enumerate(("单位编码", "单位及项目名称", "金额（万元）", "绩效目标")):
        put(top + 1, col, text)
        merge(top + 1, col, top + 2, col)
    put(top + 1, 4, "绩效指标")
    merge(top + 1, 4, top + 1, 7)
    for col, text in enumerate(("一级指标", "二级指标", "三级指标", "指标值"), 4):
        put(top + 2, col, text)
    row = top + 3
    if table.total is not None:
        put(row, 1, "合计")
        put(row, 2, table.total, table.formats.get("total", ""))
        row += 1
    first = row
    starts: dict[int, list[int]] = {4: [], 5: []}
    for offset, (level1, level2, name, value) in enumerate(table.rows):
        if offset in blank_rows:
            row += 1
        for col, text in ((4, level1), (5, level2)):
            if text:
                put(row, col, text)
                starts[col].append(row)
        put(row, 6, name)
        put(row, 7, value)
        row += 1
    last = row - 1
    if table.merge:
        for col, rows in starts.items():
            ends = [*rows[1:], last + 1]
            if col == 5:  # a 二级 cell also ends where the next 一级 starts
                ends = [min([e for e in starts[4] if e > r] + [end])
                        for r, end in zip(rows, ends, strict=True)]
            for start, end in zip(rows, ends, strict=True):
                merge(start, col, end - 1, col)
    for col, value in enumerate((table.code, table.name, table.amount, table.goals)):
        fmt = table.formats.get(("code", "", "amount", "")[col], "")
        put(first, col, value, fmt)
        merge(first, col, last, col)
    if table.remark:
        put(row, 0, table.remark)
        merge(row, 0, row, 7)
        row += 1
    return row + 1


def rewrite_parts(path: Path, edit: Callable[[str, str], str]) -> None:
    """Rewrite each XML part of the workbook at ``path`` as ``edit(part name, text)``."""
    source = zipfile.ZipFile(io.BytesIO(path.read_bytes()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            body = source.read(info.filename).decode("utf-8")
            target.writestr(info, edit(info.filename, body).encode("utf-8"))
    path.write_bytes(out.getvalue())


def store_formula_results(path: Path, results: dict[str, str]) -> None:
    """Add cached results to formula cells (``{"C5": "3.28"}``), as Excel does on save.

    openpyxl writes formulas without results; Excel and LibreOffice store both.
    """
    def edit(name: str, body: str) -> str:
        if not name.startswith("xl/worksheets/sheet"):
            return body
        for ref, value in results.items():
            body = re.sub(rf'(<c r="{ref}"[^>]*>\s*<f>[^<]*</f>)\s*(<v\s*/>|<v></v>)?',
                          rf"\g<1><v>{value}</v>", body)
        return body

    rewrite_parts(path, edit)

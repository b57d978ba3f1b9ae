"""Small target tables for import tests, in the three-level text layout of the 2023 seed
(one table per project, tab-separated, as extracted from the published PDF).

FICTIONAL: the units, projects and amounts are made up for tests; only the layout is real.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

UNITS = {"009001": "示例县甲乡人民政府", "009002": "示例县乙镇人民政府"}
"""Fictional units by code."""


@dataclass(frozen=True)
class Row:
    """One fictional project of a table."""

    name: str
    """Project name as printed."""
    amount: str = "1.00"
    """Amount in 万元 as printed."""
    value: str = "5次"
    """指标值 of its 数量指标 row."""


def table(year: str, code: str, rows: list[Row]) -> str:
    """The text of a published table with one block per row, as the seed has them."""
    parts = []
    for row in rows:
        parts.append(
            f"{UNITS[code]}{year}年部门预算项目支出绩效目标公开表\n\n"
            "单位编码\t单位及项目名称\t金额 (万元)\t绩效目标\t绩效指标\t\t\t\t\n"
            f"\t合计\t{row.amount}\t\t一级指标\t二级指标\t三级指标\t指标值\t\n"
            f"{code}\t{row.name}\t{row.amount}\t目标：按期完成{row.name}。\t产出指标\t数量指标\t"
            f"开展次数\t{row.value}\t\n"
            "\t\t\t\t\t质量指标\t完成率\t100%\t\n"
            "\t\t\t\t满意度指标\t服务对象满意度指标\t群众满意度\t≥95%\t\n\n"
            "备注：一个项目一张表。\n\n\n")
    return "".join(parts)


def write_table(path: Path, year: str, code: str, rows: list[Row]) -> Path:
    path.write_text(table(year, code, rows), encoding="utf-8")
    return path

"""``site-builder template``: write a blank official 项目支出绩效目标表 to fill in and import."""

from __future__ import annotations

import argparse
from pathlib import Path

from site_builder.diagnostics import SiteBuilderError, error
from site_builder.invocation import argument, command

NAME = "template"
HELP = "write a blank 项目支出绩效目标表 (.xlsx) to fill in and import"
DEFAULT_FILE = Path("项目支出绩效目标表.xlsx")
"""Where the blank form goes without ``-o``."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--format", choices=("xlsx", "docx"), default="xlsx",
                        help="xlsx: Excel/WPS workbook (docx: not provided yet)")
    parser.add_argument("-o", "--output", type=Path, default=DEFAULT_FILE, metavar="FILE",
                        help=f"where to write the form (default: {DEFAULT_FILE})")
    parser.add_argument("--unit", metavar="NAME",
                        help="单位名称 for the title row (with --year), e.g. 祁连县阿柔乡人民政府")
    parser.add_argument("--year", metavar="YEAR", help="预算年度 for the title row (with --unit)")
    parser.add_argument("--force", action="store_true", help="overwrite FILE if it exists")


def run(args: argparse.Namespace) -> int:
    output: Path = args.output
    if args.format == "docx":
        raise SiteBuilderError([error(
            str(output), "暂时只能写出 Excel 格式（.xlsx）的空白表，还没有 Word 格式的",
            f"用 {command()} template --format xlsx，在 Excel 或 WPS 中填写后导入",
            code="unsupported-format")])
    title = _title(args.unit, args.year, output)
    if output.exists() and not args.force:
        raise SiteBuilderError([error(
            str(output), "这个文件已经存在，没有覆盖",
            "换一个文件名（-o 新文件名.xlsx），或加 --force 覆盖", code="exists")])
    if output.suffix.lower() != ".xlsx":
        raise SiteBuilderError([error(str(output), "空白表是 Excel 工作簿，文件名应以 .xlsx 结尾",
                                      "例如 -o 项目支出绩效目标表.xlsx", code="wrong-suffix")])
    # openpyxl is loaded only here: every other command starts without it
    from site_builder.blank_form import blank_form_bytes

    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_bytes(blank_form_bytes(title))
    print(f"已写出空白的项目支出绩效目标表：{output}")
    print(f"填写后导入：{command()} import {argument(output)}"
          "（在网站文件夹中运行，或加 --project 网站文件夹）")
    return 0


def _title(unit: str | None, year: str | None, output: Path) -> str:
    """The title row: ``<unit><year>年部门预算项目支出绩效目标公开表``, or empty to fill in."""
    if unit is None and year is None:
        return ""
    if not unit or not year or not (len(year) == 4 and year.isdigit()):
        raise SiteBuilderError([error(
            str(output), "表头需要单位名称和四位数的预算年度",
            "同时给出 --unit 和 --year，如 --unit 祁连县阿柔乡人民政府 --year 2024；"
            "或都不给，在表中填写表头", code="wrong-usage")])
    return f"{unit.strip()}{year}年部门预算项目支出绩效目标公开表"

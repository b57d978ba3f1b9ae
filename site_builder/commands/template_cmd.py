"""``site-builder template``: write a blank official 项目支出绩效目标表 to fill in and import."""

from __future__ import annotations

import argparse
from pathlib import Path

from site_builder.diagnostics import SiteBuilderError, error
from site_builder.invocation import argument, command

NAME = "template"
HELP = "write a blank 项目支出绩效目标表 (Excel .xlsx or Word .docx) to fill in and import"
DEFAULT_STEM = "项目支出绩效目标表"
"""The blank form's file name without ``-o`` (with the format's suffix)."""
FORMATS = ("xlsx", "docx")
"""The formats of the blank form."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--format", choices=FORMATS,
                        help="xlsx: Excel/WPS workbook; docx: Word/WPS document (default: "
                             "the suffix of FILE, else xlsx)")
    parser.add_argument("-o", "--output", type=Path, metavar="FILE",
                        help=f"where to write the form (default: {DEFAULT_STEM}.xlsx or .docx)")
    parser.add_argument("--unit", metavar="NAME",
                        help="单位名称 for the title row (with --year), e.g. 祁连县阿柔乡人民政府")
    parser.add_argument("--year", metavar="YEAR", help="预算年度 for the title row (with --unit)")
    parser.add_argument("--force", action="store_true", help="overwrite FILE if it exists")


def run(args: argparse.Namespace) -> int:
    form = chosen_format(args.format, args.output)
    output: Path = args.output or Path(f"{DEFAULT_STEM}.{form}")
    title = _title(args.unit, args.year, output)
    if output.exists() and not args.force:
        raise SiteBuilderError([error(
            str(output), "这个文件已经存在，没有覆盖",
            "换一个文件名（-o 新文件名.xlsx），或加 --force 覆盖", code="exists")])
    if output.suffix.lower() != f".{form}":
        kind = "Excel 工作簿" if form == "xlsx" else "Word 文档"
        raise SiteBuilderError([error(str(output), f"空白表是 {kind}，文件名应以 .{form} 结尾",
                                      f"例如 -o {DEFAULT_STEM}.{form}", code="wrong-suffix")])
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_bytes(form_bytes(form, title))
    print(f"已写出空白的项目支出绩效目标表：{output}")
    print(f"填写后导入：{command()} import {argument(output)}"
          "（在网站文件夹中运行，或加 --project 网站文件夹）")
    return 0


def chosen_format(option: str | None, output: Path | None) -> str:
    """``--format``, else the suffix of ``-o`` when it names one of the formats, else xlsx."""
    if option:
        return option
    suffix = output.suffix.lower().lstrip(".") if output else ""
    return suffix if suffix in FORMATS else FORMATS[0]


def form_bytes(form: str, title: str) -> bytes:
    """The blank form in ``form`` (xlsx or docx)."""
    if form == "docx":
        from site_builder.blank_form_docx import blank_docx_bytes

        return blank_docx_bytes(title)
    # openpyxl is loaded only here: every other command starts without it
    from site_builder.blank_form import blank_form_bytes

    return blank_form_bytes(title)


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

"""``site-builder template``: write a blank official 项目支出绩效目标表 to fill in and import."""

from __future__ import annotations

import argparse
from pathlib import Path

from site_builder.diagnostics import SiteBuilderError, error
from site_builder.i18n import N_, _
from site_builder.invocation import argument, command

NAME = "template"
HELP = N_("write a blank 项目支出绩效目标表 (.xlsx) to fill in and import")
DEFAULT_FILE = Path("项目支出绩效目标表.xlsx")
"""Where the blank form goes without ``-o``."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--format", choices=("xlsx", "docx"), default="xlsx",
                        help=_("xlsx: Excel/WPS workbook (docx: not provided yet)"))
    parser.add_argument("-o", "--output", type=Path, default=DEFAULT_FILE, metavar="FILE",
                        help=_("where to write the form (default: {file})").format(
                            file=DEFAULT_FILE))
    parser.add_argument("--unit", metavar="NAME",
                        help=_("单位名称 for the title row (with --year), "
                               "e.g. 祁连县阿柔乡人民政府"))
    parser.add_argument("--year", metavar="YEAR",
                        help=_("预算年度 for the title row (with --unit)"))
    parser.add_argument("--force", action="store_true", help=_("overwrite FILE if it exists"))


def run(args: argparse.Namespace) -> int:
    output: Path = args.output
    if args.format == "docx":
        raise SiteBuilderError([error(
            str(output), _("only an Excel (.xlsx) blank form can be written for now; there is no "
                           "Word form yet"),
            _("use {command} template --format xlsx, fill it in in Excel or WPS, then import "
              "it").format(command=command()),
            code="unsupported-format")])
    title = _title(args.unit, args.year, output)
    if output.exists() and not args.force:
        raise SiteBuilderError([error(
            str(output), _("this file already exists and was not overwritten"),
            _("choose another file name (-o NEW-NAME.xlsx), or add --force to overwrite it"),
            code="exists")])
    if output.suffix.lower() != ".xlsx":
        raise SiteBuilderError([error(
            str(output), _("the blank form is an Excel workbook: its file name must end in .xlsx"),
            _("for example -o 项目支出绩效目标表.xlsx"), code="wrong-suffix")])
    # openpyxl is loaded only here: every other command starts without it
    from site_builder.blank_form import blank_form_bytes

    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_bytes(blank_form_bytes(title))
    print(_("wrote a blank 项目支出绩效目标表: {file}").format(file=output))
    print(_("after filling it in, import it: {command} import {file} (run it in the site's "
            "folder, or add --project SITE-FOLDER)").format(command=command(),
                                                            file=argument(output)))
    return 0


def _title(unit: str | None, year: str | None, output: Path) -> str:
    """The title row: ``<unit><year>年部门预算项目支出绩效目标公开表``, or empty to fill in."""
    if unit is None and year is None:
        return ""
    if not unit or not year or not (len(year) == 4 and year.isdigit()):
        raise SiteBuilderError([error(
            str(output), _("the title row needs the unit's name and a four-digit budget year"),
            _("give both --unit and --year, e.g. --unit 祁连县阿柔乡人民政府 --year 2024; or "
              "neither, and fill in the title row in the form"), code="wrong-usage")])
    return f"{unit.strip()}{year}年部门预算项目支出绩效目标公开表"

"""``site-builder template``: write a blank official 项目支出绩效目标表 to fill in and import."""

from __future__ import annotations

import argparse
from pathlib import Path

from site_builder.diagnostics import SiteBuilderError, error
from site_builder.i18n import N_, _
from site_builder.invocation import argument, command

NAME = "template"
HELP = N_("write a blank 项目支出绩效目标表 (Excel .xlsx or Word .docx) to fill in and import")
DEFAULT_STEM = "项目支出绩效目标表"
"""The blank form's file name without ``-o`` (with the format's suffix)."""
FORMATS = ("xlsx", "docx")
"""The formats of the blank form."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--format", choices=FORMATS,
                        help=_("xlsx: Excel/WPS workbook; docx: Word/WPS document (default: "
                               "the suffix of FILE, else xlsx)"))
    parser.add_argument("-o", "--output", type=Path, metavar="FILE",
                        help=_("where to write the form (default: {file})").format(
                            file=f"{DEFAULT_STEM}.xlsx / .docx"))
    parser.add_argument("--unit", metavar="NAME",
                        help=_("单位名称 for the title row (with --year), "
                               "e.g. 祁连县阿柔乡人民政府"))
    parser.add_argument("--year", metavar="YEAR",
                        help=_("预算年度 for the title row (with --unit)"))
    parser.add_argument("--force", action="store_true", help=_("overwrite FILE if it exists"))


def run(args: argparse.Namespace) -> int:
    form = chosen_format(args.format, args.output)
    output: Path = args.output or Path(f"{DEFAULT_STEM}.{form}")
    title = _title(args.unit, args.year, output)
    if output.exists() and not args.force:
        raise SiteBuilderError([error(
            str(output), _("this file already exists and was not overwritten"),
            _("choose another file name (-o NEW-NAME.{suffix}), or add --force to overwrite "
              "it").format(suffix=form), code="exists")])
    if output.suffix.lower() != f".{form}":
        message = (_("the blank form is an Excel workbook: its file name must end in .xlsx")
                   if form == "xlsx" else
                   _("the blank form is a Word document: its file name must end in .docx"))
        raise SiteBuilderError([error(
            str(output), message, _("for example -o {file}").format(
                file=f"{DEFAULT_STEM}.{form}"), code="wrong-suffix")])
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_bytes(form_bytes(form, title))
    print(_("wrote a blank 项目支出绩效目标表: {file}").format(file=output))
    print(_("after filling it in, import it: {command} import {file} (run it in the site's "
            "folder, or add --project SITE-FOLDER)").format(command=command(),
                                                            file=argument(output)))
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
            str(output), _("the title row needs the unit's name and a four-digit budget year"),
            _("give both --unit and --year, e.g. --unit 祁连县阿柔乡人民政府 --year 2024; or "
              "neither, and fill in the title row in the form"), code="wrong-usage")])
    return f"{unit.strip()}{year}年部门预算项目支出绩效目标公开表"

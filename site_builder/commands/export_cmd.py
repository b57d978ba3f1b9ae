"""``site-builder export``: the content as open data (JSON or CSV) or the official forms (.xlsx:
each project's 绩效目标表, and its 自评表 when it has a self-evaluation)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from site_builder.content.reader import load_site
from site_builder.diagnostics import SiteBuilderError, error
from site_builder.export import to_csv, to_json
from site_builder.export_xlsx import workbook_bytes
from site_builder.i18n import N_, _
from site_builder.selection import select
from site_builder.terminal import data_output

NAME = "export"
HELP = N_("write the content as open data (JSON, CSV) or as the official form (.xlsx)")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--format", choices=("json", "csv", "xlsx"), default="json",
                        help=_("json: one object per project; csv: one row per indicator; "
                        "xlsx: the official forms, one sheet per project, then its 自评表 when it "
                        "has a self-evaluation"))
    parser.add_argument("--project-id", metavar="ID", help=_("only the project with this id"))
    parser.add_argument("--unit", metavar="CODE", help=_("only the projects of this unit"))
    parser.add_argument("--year", metavar="YEAR", help=_("only the projects of this year"))
    parser.add_argument("-o", "--output", type=Path, metavar="FILE",
                        help=_("write to FILE instead of stdout"))


def run(args: argparse.Namespace) -> int:
    result = load_site(args.project)
    errors = [d for d in result.diagnostics if d.severity == "error"]
    if errors:
        raise SiteBuilderError(errors)
    site = select(result.site, args.project_id, args.unit, args.year)
    if args.format == "xlsx":
        book = workbook_bytes(site, site.projects, summary=not args.project_id)
        return _write_binary(book, args.output)
    text = to_json(site) if args.format == "json" else to_csv(site)
    if args.output:
        args.output.write_text(text, encoding="utf-8", newline="")
    else:
        data_output().write(text)
    return 0


def _write_binary(data: bytes, output: Path | None) -> int:
    if output is not None:
        output.write_bytes(data)
    elif sys.stdout.isatty():
        raise SiteBuilderError([error("<stdout>", _("an .xlsx workbook is binary and is not "
                                                          "written to a terminal"),
                                      _("pass -o FILE.xlsx"), code="binary-to-terminal")])
    else:
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    return 0

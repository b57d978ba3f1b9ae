"""``site-builder export``: the content as open data (JSON or CSV)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from site_builder.content import load_site
from site_builder.diagnostics import SiteBuilderError
from site_builder.export import to_csv, to_json

NAME = "export"
HELP = "write the content as open data (JSON or CSV) to stdout or a file"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--format", choices=("json", "csv"), default="json",
                        help="json: one object per project; csv: one row per indicator")
    parser.add_argument("-o", "--output", type=Path, metavar="FILE",
                        help="write to FILE instead of stdout")


def run(args: argparse.Namespace) -> int:
    result = load_site(args.project)
    errors = [d for d in result.diagnostics if d.severity == "error"]
    if errors:
        raise SiteBuilderError(errors)
    text = to_json(result.site) if args.format == "json" else to_csv(result.site)
    if args.output:
        args.output.write_text(text, encoding="utf-8", newline="")
    else:
        sys.stdout.write(text)
    return 0

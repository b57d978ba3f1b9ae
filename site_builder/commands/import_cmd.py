"""``site-builder import FILE…``: turn published tables into content YAML."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from site_builder.commands.init_cmd import write_schemas
from site_builder.content_writer import write_content
from site_builder.importers import LAYOUTS, ImportResult, formats
from site_builder.limits import DEFAULT_LIMITS, InputLimits

NAME = "import"
HELP = "import published tables (Word, Excel, WPS, OpenDocument, PDF or text) into content/"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("files", nargs="+", type=Path, metavar="FILE", help="tables to import")
    parser.add_argument("--layout", choices=[layout.name for layout in LAYOUTS],
                        help="the table's layout (default: detected)")
    parser.add_argument("--force", action="store_true",
                        help="overwrite content files that were edited by hand")
    parser.add_argument("--format", choices=("text", "json"), default="text",
                        help="report format (default: text)")


def read_table(path: Path, layout_name: str | None,
               limits: InputLimits = DEFAULT_LIMITS) -> ImportResult:
    """The table at ``path``, whatever its format (:mod:`site_builder.importers.formats`)."""
    return formats.read(path, layout_name, limits)


def run(args: argparse.Namespace) -> int:
    root: Path = args.project
    reports = []
    for path in args.files:
        result = read_table(path, args.layout)
        write_schemas(root)
        outcomes = write_content(root, result.units, result.projects, path.name, args.force)
        reports.append((path, result, outcomes))
    if args.format == "json":
        print(json.dumps([_json_report(*r) for r in reports], ensure_ascii=False, indent=2))
    else:
        for report in reports:
            _print_report(*report)
    return 0


def _json_report(path: Path, result: ImportResult, outcomes: list) -> dict[str, object]:  # type: ignore[type-arg]
    return {
        "file": str(path), "layout": result.layout, "projects": len(result.projects),
        "units": len(result.units),
        "files": [{"path": o.path, "action": o.action} for o in outcomes],
        "diagnostics": [d.to_json() for d in result.diagnostics],
    }


def _print_report(path: Path, result: ImportResult, outcomes: list) -> None:  # type: ignore[type-arg]
    for diagnostic in result.diagnostics:
        print(diagnostic.format(), file=sys.stderr)
    counts = {a: sum(1 for o in outcomes if o.action == a)
              for a in ("created", "updated", "unchanged", "skipped")}
    summary = ", ".join(f"{n} {a}" for a, n in counts.items())
    print(f"{path}: {result.layout} layout, {len(result.units)} unit(s), "
          f"{len(result.projects)} project(s): {summary}")
    for outcome in outcomes:
        if outcome.action == "skipped":
            print(f"  skipped {outcome.path}: edited by hand (use --force to overwrite)")

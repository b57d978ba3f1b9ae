"""``site-builder import FILE…``: turn published tables into content YAML."""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from pathlib import Path

from site_builder.commands.init_cmd import write_schemas
from site_builder.content_writer import write_content
from site_builder.diagnostics import Diagnostic, SiteBuilderError, error
from site_builder.importers import (
    LAYOUTS,
    ImportResult,
    detect_layout,
    layout_named,
    pdf,
    xlsx,
)

NAME = "import"
HELP = "import published tables (text extracted from PDF, or .xlsx workbooks) into content/"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("files", nargs="+", type=Path, metavar="FILE", help="tables to import")
    parser.add_argument("--layout", choices=[layout.name for layout in LAYOUTS],
                        help="the table's layout (default: detected)")
    parser.add_argument("--force", action="store_true",
                        help="overwrite content files that were edited by hand")
    parser.add_argument("--format", choices=("text", "json"), default="text",
                        help="report format (default: text)")


def read_table(path: Path, layout_name: str | None) -> ImportResult:
    shown = str(path)
    if path.read_bytes()[:5] == pdf.MAGIC:  # until the format dispatcher reads magic bytes
        return pdf.read(path, shown)
    if path.suffix.lower() in xlsx.SUFFIXES:
        return xlsx.read(path, shown)
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise SiteBuilderError([error(shown, "file is not UTF-8 text", "save it as UTF-8",
                                      code="encoding")]) from None
    layout = layout_named(layout_name) if layout_name else detect_layout(text)
    if layout is None:
        names = ", ".join(layout.name for layout in LAYOUTS)
        raise SiteBuilderError([error(shown, "the table's layout was not recognised",
                                      f"pass --layout ({names}) or check the file",
                                      code="unknown-layout")])
    result = layout.parse(text, path.name)
    result.diagnostics = [_shown(d, shown) for d in result.diagnostics]
    return result


def _shown(diagnostic: Diagnostic, shown: str) -> Diagnostic:
    return dataclasses.replace(diagnostic, pos=dataclasses.replace(diagnostic.pos, path=shown))


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

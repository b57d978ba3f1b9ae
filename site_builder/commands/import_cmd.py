"""``site-builder import FILE…``: turn published tables into content YAML."""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

from site_builder.commands.init_cmd import write_schemas
from site_builder.content_merge import (
    ACTIONS,
    FIELD_NAMES,
    Change,
    ImportInput,
    Step,
    check_plan,
    plan_import,
)
from site_builder.content_writer import commit
from site_builder.diagnostics import Diagnostic, SiteBuilderError, error
from site_builder.importers import LAYOUTS, ImportResult, formats, opendata
from site_builder.limits import DEFAULT_LIMITS, InputLimits
from site_builder.settings import limits_for

NAME = "import"
HELP = ("import published tables (Word, Excel, WPS, OpenDocument, PDF or text), or a site's "
        "open data (JSON, CSV), into content/")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("files", nargs="+", type=Path, metavar="FILE", help="tables to import")
    parser.add_argument("--layout", choices=[layout.name for layout in LAYOUTS],
                        help="the table's layout (default: detected)")
    parser.add_argument("--force", action="store_true",
                        help="overwrite content files that were edited by hand")
    parser.add_argument("--format", choices=("text", "json"), default="text",
                        help="report format (default: text)")
    parser.add_argument("--dry-run", action="store_true",
                        help="预演：只列出将新增、更新、不变、跳过和删除的文件，什么也不写")
    parser.add_argument("--prune", action="store_true",
                        help="删除从同一文件导入过、但这次表中已没有的项目（默认只报告并保留）")


def read_table(path: Path, layout_name: str | None,
               limits: InputLimits = DEFAULT_LIMITS) -> ImportResult:
    """The table at ``path``, whatever its format (:mod:`site_builder.importers.formats`)."""
    return formats.read(path, layout_name, limits)


def read_input(path: Path, layout_name: str | None,
               limits: InputLimits = DEFAULT_LIMITS) -> ImportInput:
    """Read one file to import: our own open data (JSON, CSV) when no layout is forced and
    the file holds it, else a published table (:func:`read_table`)."""
    shown = str(path)
    kind = None if layout_name else opendata.kind_of(path)
    if kind is None:
        result = read_table(path, layout_name, limits)
        item = ImportInput(shown, path.name, result)
    else:
        result = opendata.read(path, shown)
        item = ImportInput(shown, path.name, result, keeps_ids=True, whole_file=False,
                           project_fields=opendata.CSV_PROJECT_FIELDS
                           if kind == opendata.CSV_NAME else None,
                           unit_fields=opendata.CSV_UNIT_FIELDS
                           if kind == opendata.CSV_NAME else opendata.JSON_UNIT_FIELDS)
    if not result.projects:
        raise SiteBuilderError([*result.diagnostics, _nothing_found(shown, result)])
    return item


def _nothing_found(shown: str, result: ImportResult) -> Diagnostic:
    counts = Counter(d.severity for d in result.diagnostics)
    found = (f"按 {result.layout} 格式读到 {len(result.units)} 个单位、0 个项目，"
             f"{counts['error']} 个错误、{counts['warning']} 个警告、{counts['info']} 条说明")
    return error(shown, f"没有读到任何项目（{found}），什么也没有写入",
                 "确认这是项目支出绩效目标表；格式认错时用 --layout 指定", code="no-projects")


def run(args: argparse.Namespace) -> int:
    root: Path = args.project
    limits = limits_for(root)
    # every file is read before anything is written: a refused file leaves the site as it was
    inputs = [read_input(path, args.layout, limits) for path in args.files]
    plan = plan_import(root, inputs, force=args.force, prune=args.prune)
    problems = check_plan(root, plan)
    if problems and not args.dry_run:
        raise SiteBuilderError([*problems, _refused(problems, dry_run=False)])
    if not args.dry_run:
        commit(root, plan.writes, plan.removals)
        write_schemas(root)
    if args.format == "json":
        print(json.dumps([_json_report(step, args.dry_run) for step in plan.steps],
                         ensure_ascii=False, indent=2))
    else:
        if args.dry_run:
            print("预演（--dry-run）：以下是这次导入将做的改动，没有写入任何文件。")
        for diagnostic in plan.warnings:
            print(diagnostic.format(), file=sys.stderr)
        for step in plan.steps:
            _print_report(step)
    if problems:
        raise SiteBuilderError([*problems, _refused(problems, dry_run=True)])
    return 0


def _refused(problems: list[Diagnostic], dry_run: bool) -> Diagnostic:
    files = sorted({d.pos.path for d in problems})
    done = "真正导入时会被拒绝，不会写入任何文件" if dry_run else "导入被拒绝，没有写入任何文件"
    return error(files[0] if len(files) == 1 else "content",
                 f"导入后的内容有 {len(problems)} 处通不过 validate 检查（见上），{done}",
                 "改正公开表（或指定正确的 --layout）后再导入", code="invalid-import")


def _json_report(step: Step, dry_run: bool) -> dict[str, object]:
    result = step.input.result
    return {
        "file": step.input.shown, "layout": result.layout, "dry_run": dry_run,
        "projects": len(result.projects), "units": len(result.units),
        "counts": {action: step.count(action) for action in ACTIONS},
        "files": [change.to_json() for change in step.changes],
        "diagnostics": [d.to_json() for d in (*result.diagnostics, *step.notes)],
    }


_VERBS = {"created": "新增", "updated": "更新", "skipped": "跳过", "absent": "保留",
          "removed": "删除"}


def _print_report(step: Step) -> None:
    result = step.input.result
    for diagnostic in (*result.diagnostics, *step.notes):
        print(diagnostic.format(), file=sys.stderr)
    summary = ", ".join(f"{step.count(a)} {a}"
                        for a in ("created", "updated", "unchanged", "skipped"))
    print(f"{step.input.shown}: {result.layout} layout, {len(result.units)} unit(s), "
          f"{len(result.projects)} project(s): {summary}")
    if step.count("absent") or step.count("removed"):
        print(f"  不在表中的项目：保留 {step.count('absent')} 个，删除 {step.count('removed')} 个")
    for change in step.changes:
        if change.action != "unchanged":
            print(f"  {_VERBS[change.action]} {change.path}：{_described(change)}")


def _described(change: Change) -> str:
    what = change.name if change.kind == "project" else f"单位「{change.name}」"
    fields = "、".join(FIELD_NAMES.get(f, f) for f in change.fields)
    if change.action == "created":
        return what
    if change.action == "updated":
        text = f"{what}（改动：{fields}）"
        return f"{text}；{change.reason}" if change.reason else text
    if change.action == "skipped":
        return (f"{what}，{change.reason}；表中的新内容（{fields}）没有写入，"
                "要用表中的内容覆盖就加 --force")
    return change.reason

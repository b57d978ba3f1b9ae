"""``site-builder import FILE…``: turn published tables into content YAML."""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

from site_builder.commands.init_cmd import write_schemas
from site_builder.content.writer import commit
from site_builder.diagnostics import Diagnostic, SiteBuilderError, error
from site_builder.i18n import N_, _, listing
from site_builder.importers import LAYOUTS, ImportResult, formats, opendata
from site_builder.importers.merge import (
    ACTIONS,
    FIELD_NAMES,
    Change,
    ImportInput,
    Step,
    check_plan,
    plan_import,
)
from site_builder.limits import DEFAULT_LIMITS, InputLimits
from site_builder.settings import limits_for

NAME = "import"
HELP = N_("import published tables (Word, Excel, WPS, OpenDocument, PDF or text), or a site's "
          "open data (JSON, CSV), into content/")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("files", nargs="+", type=Path, metavar="FILE", help=_("tables to import"))
    parser.add_argument("--layout", choices=[layout.name for layout in LAYOUTS],
                        help=_("the table's layout (default: detected)"))
    parser.add_argument("--force", action="store_true",
                        help=_("overwrite content files that were edited by hand"))
    parser.add_argument("--format", choices=("text", "json"), default="text",
                        help=_("report format (default: text)"))
    parser.add_argument("--dry-run", action="store_true",
                        help=_("rehearse: only list the files that would be created, updated, left "
                               "unchanged, skipped and removed; write nothing"))
    parser.add_argument("--prune", action="store_true",
                        help=_("remove projects imported from the same file before that are no "
                               "longer in its table (by default they are reported and kept)"))


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
    if not result.projects and not result.evaluations:
        raise SiteBuilderError([*result.diagnostics, _nothing_found(shown, result)])
    return item


def _nothing_found(shown: str, result: ImportResult) -> Diagnostic:
    counts = Counter(d.severity for d in result.diagnostics)
    found = _("read as the {layout} layout: {units} unit(s), 0 projects, {errors} error(s), "
              "{warnings} warning(s), {infos} note(s)").format(
        layout=result.layout, units=len(result.units), errors=counts["error"],
        warnings=counts["warning"], infos=counts["info"])
    return error(shown, _("no project found ({found}); nothing was written").format(found=found),
                 _("make sure this is a 项目支出绩效目标表; if its layout was taken for another, "
                   "name it with --layout"), code="no-projects")


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
            print(_("Rehearsal (--dry-run): the changes this import would make; no file was "
                    "written."))
        for diagnostic in plan.warnings:
            print(diagnostic.format(), file=sys.stderr)
        for step in plan.steps:
            _print_report(step)
    if problems:
        raise SiteBuilderError([*problems, _refused(problems, dry_run=True)])
    return 0


def _refused(problems: list[Diagnostic], dry_run: bool) -> Diagnostic:
    files = sorted({d.pos.path for d in problems})
    message = (_("the imported content would fail validate in {count} place(s) (see above); "
                 "the real import will be refused and will write nothing") if dry_run else
               _("the imported content would fail validate in {count} place(s) (see above); "
                 "the import was refused and nothing was written"))
    return error(files[0] if len(files) == 1 else "content",
                 message.format(count=len(problems)),
                 _("correct the published table (or name the right --layout), then import it "
                   "again"), code="invalid-import")


def _json_report(step: Step, dry_run: bool) -> dict[str, object]:
    result = step.input.result
    return {
        "file": step.input.shown, "layout": result.layout, "dry_run": dry_run,
        "projects": len(result.projects), "units": len(result.units),
        "evaluations": len(result.evaluations),
        "counts": {action: step.count(action) for action in ACTIONS},
        "files": [change.to_json() for change in step.changes],
        "diagnostics": [d.to_json() for d in (*result.diagnostics, *step.notes)],
    }


_VERBS = {"created": N_("created"), "updated": N_("updated"), "unchanged": N_("unchanged"),
          "skipped": N_("skipped"), "absent": N_("kept"), "removed": N_("removed")}
"""How each action is written in the report (translated where shown)."""


def _print_report(step: Step) -> None:
    result = step.input.result
    for diagnostic in (*result.diagnostics, *step.notes):
        print(diagnostic.format(), file=sys.stderr)
    summary = _(", ").join(_("{count} {action}").format(count=step.count(a), action=_(_VERBS[a]))
                           for a in ("created", "updated", "unchanged", "skipped"))
    if result.evaluations and result.projects:
        print(_("{file}: {layout} layout, {units} unit(s), {projects} project(s), {count} "
                "self-evaluation(s) (项目支出绩效自评表): {summary}").format(
                    file=step.input.shown, layout=result.layout, units=len(result.units),
                    projects=len(result.projects), count=len(result.evaluations),
                    summary=summary))
    elif result.evaluations:
        print(_("{file}: {count} self-evaluation(s) (项目支出绩效自评表): {summary}").format(
            file=step.input.shown, count=len(result.evaluations), summary=summary))
    else:
        print(_("{file}: {layout} layout, {units} unit(s), {projects} project(s): "
                "{summary}").format(file=step.input.shown, layout=result.layout,
                                    units=len(result.units), projects=len(result.projects),
                                    summary=summary))
    if step.count("absent") or step.count("removed"):
        print("  " + _("projects no longer in the table: {kept} kept, {removed} removed").format(
            kept=step.count("absent"), removed=step.count("removed")))
    for change in step.changes:
        if change.action != "unchanged":
            print("  " + _("{action} {file}: {what}").format(
                action=_(_VERBS[change.action]), file=change.path, what=_described(change)))


def _described(change: Change) -> str:
    what = (change.name if change.kind == "project"
            else _("self-evaluation of “{name}”").format(name=change.name)
            if change.kind == "evaluation" else _("unit “{name}”").format(name=change.name))
    fields = listing(_(FIELD_NAMES[f]) if f in FIELD_NAMES else f for f in change.fields)
    if change.action == "created":
        return what
    if change.action == "updated":
        text = _("{what} (changed: {fields})").format(what=what, fields=fields)
        return _("{text}; {reason}").format(text=text, reason=change.reason) if change.reason \
            else text
    if change.action == "skipped":
        return _("{what}, {reason}; the table's new content ({fields}) was not written; add "
                 "--force to overwrite it with the table's").format(
            what=what, reason=change.reason, fields=fields)
    return change.reason

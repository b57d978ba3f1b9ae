"""``site-builder validate``: schema and integrity errors with positions."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from site_builder.build.markdown_pages import page_problems
from site_builder.content.reader import content_files, load_site
from site_builder.diagnostics import Diagnostic, SiteBuilderError
from site_builder.i18n import N_, _
from site_builder.settings import defaults, load_settings

NAME = "validate"
HELP = N_("check the content files: types, keys, categories, ids, totals; site.yaml; links "
          "and images to other hosts in the pages")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--strict", action="store_true", help=_("treat warnings as findings"))
    parser.add_argument("--format", choices=("text", "json"), default="text",
                        help=_("output format (default: text)"))


def run(args: argparse.Namespace) -> int:
    result = load_site(args.project)
    settings, problems = _settings(args.project)
    diagnostics = sorted([*result.diagnostics, *problems,
                          *page_problems(args.project, str(settings["base_url"]))],
                         key=lambda d: (d.pos, d.message))
    files = len(content_files(args.project))
    errors = sum(1 for d in diagnostics if d.severity == "error")
    warnings = sum(1 for d in diagnostics if d.severity == "warning")
    failed = errors > 0 or (args.strict and warnings > 0)
    if args.format == "json":
        print(json.dumps({
            "ok": not failed, "files": files, "projects": len(result.site.projects),
            "units": len(result.site.units), "evaluations": len(result.site.evaluations),
            "errors": errors, "warnings": warnings,
            "diagnostics": [d.to_json() for d in diagnostics],
        }, ensure_ascii=False, indent=2))
    else:
        for diagnostic in diagnostics:
            print(diagnostic.format())
        print(summary_line(files, len(result.site.projects), errors, warnings,
                           len(result.site.evaluations)))
    return 1 if failed else 0


def summary_line(files: int, projects: int, errors: int, warnings: int,
                 evaluations: int = 0) -> str:
    """``17 file(s), 12 project(s): 0 error(s), 1 warning(s)`` in the language in use (with
    the self-evaluations after the projects when there are any)."""
    if evaluations:
        return _("{files} file(s), {projects} project(s), {evaluations} self-evaluation(s): "
                 "{errors} error(s), {warnings} warning(s)").format(
                     files=files, projects=projects, evaluations=evaluations, errors=errors,
                     warnings=warnings)
    return _("{files} file(s), {projects} project(s): {errors} error(s), {warnings} "
             "warning(s)").format(files=files, projects=projects, errors=errors,
                                  warnings=warnings)


def _settings(root: Path) -> tuple[dict[str, Any], list[Diagnostic]]:
    """The site's settings (the defaults when site.yaml has errors) and those errors."""
    try:
        return load_settings(root), []
    except SiteBuilderError as exc:
        return defaults(), exc.diagnostics

"""``site-builder check``: data-quality checks (审核) as text, JSON or an HTML report."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from site_builder.build.jinja_env import make_environment
from site_builder.checks import run_checks
from site_builder.checks.config import CheckConfig, load_check_config
from site_builder.checks.registry import RULES, rules_help
from site_builder.checks.report import summary, to_html, to_json, to_text
from site_builder.content.reader import load_site
from site_builder.diagnostics import SiteBuilderError
from site_builder.i18n import N_, _
from site_builder.settings import load_settings

NAME = "check"
HELP = N_("data-quality checks (审核): categories, values, money, years, copied text")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    parser.epilog = rules_help() + "\n\n" + _(
        "exit status: 1 when there are errors (with --strict: errors or warnings), else 0. "
        "See docs/checks.md.")
    parser.add_argument("--format", choices=("text", "json", "html"), default="text",
                        help=_("report format (default: text); html groups findings by project"))
    parser.add_argument("-o", "--output", type=Path, default=None, metavar="FILE",
                        help=_("write the report to FILE (save an HTML report at the site root "
                        "of the built site so its project links work)"))
    parser.add_argument("--strict", action="store_true",
                        help=_("also exit 1 when there are warnings"))
    parser.add_argument("--list-rules", action="store_true",
                        help=_("list every rule with its level in this site, then exit"))


def run(args: argparse.Namespace) -> int:
    settings = load_settings(args.project)
    config = load_check_config(args.project)
    if args.list_rules:
        _list_rules(config, args.format == "json")
        return 0
    result = load_site(args.project)
    errors = [d for d in result.diagnostics if d.severity == "error"]
    if errors:
        raise SiteBuilderError(errors)
    site = result.site
    findings = run_checks(site, config)
    if args.format == "json":
        text = to_json(findings)
    elif args.format == "html":
        text = to_html(make_environment(args.project), site, findings, settings)
    else:
        text = to_text(findings, site)
    if args.output is not None:
        args.output.write_text(text, encoding="utf-8")
        print(f"{summary(findings, len(site.projects))} -> {args.output}")
    else:
        sys.stdout.write(text)
        if args.format != "text":
            print(summary(findings, len(site.projects)), file=sys.stderr)
    failing = {"error", "warning"} if args.strict else {"error"}
    return 1 if any(f.severity in failing for f in findings) else 0


def _list_rules(config: CheckConfig, as_json: bool) -> None:
    rows = [{"rule": r.id, "family": r.family, "default": r.severity,
             "level": config.levels[r.id], "title": r.title, "description": r.description}
            for r in RULES]
    if as_json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    width = max(len(r.id) for r in RULES)
    for row in rows:
        print(f"{row['rule']:<{width}}  {row['level']:<7}  {row['family']:<10}  {row['title']}")

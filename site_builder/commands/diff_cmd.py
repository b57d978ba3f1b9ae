"""``site-builder diff``: what a build would change compared with the last output or a
published copy, before anything is built into ``output/`` or uploaded.

The site is built, by the normal build, into a temporary folder outside the site (with its
own caches, so the site's caches describe ``output/`` as before) and compared; the temporary
folder is removed afterwards.  Exit status: 0 nothing would change, 1 something would (or the
content has errors), 2 wrong usage.
"""

from __future__ import annotations

import argparse
import json
import shutil
import tempfile
from dataclasses import asdict, replace
from pathlib import Path

from site_builder.build.pipeline import build_site, default_jobs, make_context
from site_builder.diagnostics import SiteBuilderError, error
from site_builder.i18n import N_, _
from site_builder.invocation import argument, command
from site_builder.publish_diff import FileChange, ProjectChange, SiteDiff, compare, size_text

NAME = "diff"
HELP = N_("list what a build would change compared with output/ or a published copy "
          "(exit 0: nothing, 1: something)")


ADDED, CHANGED, REMOVED = N_("added"), N_("changed"), N_("removed")
"""How the report names each kind of change (translated where shown)."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--against", type=Path, default=None, metavar="DIR",
                        help=_("the earlier output or a copy of the published site "
                        "(default: output/ in the site)"))
    parser.add_argument("--format", choices=("text", "json"), default="text",
                        help=_("output format (default: text)"))
    parser.add_argument("--limit", type=int, default=50, metavar="N",
                        help=_("list at most N files of each kind (default: 50; 0 = all)"))
    parser.add_argument("--base-url", default=None, metavar="URL",
                        help=_("absolute address, as for build (default: base_url in site.yaml)"))
    parser.add_argument("--jobs", type=int, default=None, metavar="N",
                        help=_("worker processes (default: one per CPU core)"))


def run(args: argparse.Namespace) -> int:
    against: Path = args.against if args.against is not None else args.project / "output"
    if against.exists() and not against.is_dir():
        raise SiteBuilderError([error(
            str(against), _("--against must be a folder (the last output or a copy of the "
                            "published site); this is a file"),
            _("give a folder, e.g. --against output"), code="not-a-folder")])
    context = make_context(args.project, args.jobs or default_jobs(), args.base_url)
    scratch = Path(tempfile.mkdtemp(prefix="site-builder-diff-"))
    try:
        built = scratch / "site"
        build_site(replace(context, cache_dir=scratch / "cache"), built)
        diff = compare(against, built)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    if args.format == "json":
        print(json.dumps(_as_json(diff, against), ensure_ascii=False, indent=2))
    else:
        for line in report_lines(diff, against, args.limit, args.project):
            print(line)
    return 0 if diff.empty else 1


def report_lines(diff: SiteDiff, against: Path, limit: int, root: Path) -> list[str]:
    """The text report: projects, then files, with sizes; what to do next."""
    shown = argument(against)
    if not against.is_dir():
        lines = [_("{folder} does not exist yet: everything below is new.").format(folder=shown)]
    elif diff.empty:
        return [_("No changes: this build is the same as {folder}; nothing to upload.").format(
            folder=shown)]
    else:
        lines = [_("Compared with {folder}, this build would:").format(folder=shown)]
    lines.append(_("projects: {added} added, {changed} changed, {removed} removed").format(
        added=len(diff.projects_added), changed=len(diff.projects_changed),
        removed=len(diff.projects_removed)))
    lines += _projects(_(ADDED), diff.projects_added)
    lines += _projects(_(CHANGED), diff.projects_changed)
    lines += _projects(_(REMOVED), diff.projects_removed)
    grown = sum((c.new_size or 0) - (c.old_size or 0) for c in
                [*diff.files_added, *diff.files_changed, *diff.files_removed])
    sign = "+" if grown >= 0 else "-"
    lines.append(_("files: {added} added, {changed} changed, {removed} removed (in all "
                   "{size})").format(added=len(diff.files_added),
                                     changed=len(diff.files_changed),
                                     removed=len(diff.files_removed),
                                     size=f"{sign}{size_text(abs(grown))}"))
    lines += _files(_(ADDED), diff.files_added, limit)
    lines += _files(_(CHANGED), diff.files_changed, limit)
    lines += _files(_(REMOVED), diff.files_removed, limit)
    run, site = command(), argument(root)
    lines.append(_("Next: {command} build --project {site}, then upload the files in output/ "
                   "(upload the added and changed ones; delete the removed ones on the server "
                   "too); see docs/publishing.md").format(command=run, site=site))
    return lines


def _projects(verb: str, changes: list[ProjectChange]) -> list[str]:
    return [f"  {verb} {c.id} {c.name}" + (_(": {fields}").format(
        fields=_("; ").join(c.fields)) if c.fields else "") for c in changes]


def _files(verb: str, changes: list[FileChange], limit: int) -> list[str]:
    listed = changes if limit <= 0 else changes[:limit]
    lines = []
    for change in listed:
        if change.old_size is None:
            sizes = size_text(change.new_size or 0)
        elif change.new_size is None:
            sizes = size_text(change.old_size)
        elif size_text(change.old_size) == size_text(change.new_size):
            sizes = _("{old} → {new} bytes").format(old=change.old_size, new=change.new_size)
        else:
            sizes = f"{size_text(change.old_size)} → {size_text(change.new_size)}"
        lines.append("  " + _("{verb} {file} ({sizes})").format(verb=verb, file=change.path,
                                                                 sizes=sizes))
    if len(listed) < len(changes):
        lines.append("  " + _("… and {count} more {verb} file(s) (--limit 0 lists them all)")
                     .format(count=len(changes) - len(listed), verb=verb))
    return lines


def _as_json(diff: SiteDiff, against: Path) -> dict[str, object]:
    return {
        "against": str(against), "exists": against.is_dir(), "changed": not diff.empty,
        "projects": {"added": [asdict(c) for c in diff.projects_added],
                     "changed": [asdict(c) for c in diff.projects_changed],
                     "removed": [asdict(c) for c in diff.projects_removed]},
        "files": {"added": [asdict(c) for c in diff.files_added],
                  "changed": [asdict(c) for c in diff.files_changed],
                  "removed": [asdict(c) for c in diff.files_removed]},
    }

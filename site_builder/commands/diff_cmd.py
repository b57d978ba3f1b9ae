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
from site_builder.invocation import argument, command
from site_builder.publish_diff import FileChange, ProjectChange, SiteDiff, compare, size_text

NAME = "diff"
HELP = ("list what a build would change compared with output/ or a published copy "
        "(exit 0: nothing, 1: something)")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--against", type=Path, default=None, metavar="DIR",
                        help="the earlier output or a copy of the published site "
                        "(default: output/ in the site)")
    parser.add_argument("--format", choices=("text", "json"), default="text",
                        help="output format (default: text)")
    parser.add_argument("--limit", type=int, default=50, metavar="N",
                        help="list at most N files of each kind (default: 50; 0 = all)")
    parser.add_argument("--base-url", default=None, metavar="URL",
                        help="absolute address, as for build (default: base_url in site.yaml)")
    parser.add_argument("--jobs", type=int, default=None, metavar="N",
                        help="worker processes (default: one per CPU core)")


def run(args: argparse.Namespace) -> int:
    against: Path = args.against if args.against is not None else args.project / "output"
    if against.exists() and not against.is_dir():
        raise SiteBuilderError([error(str(against), "--against 应当是一个文件夹（上一次的输出或"
                                      "网站的发布副本），这里是一个文件",
                                      "给出文件夹，如 --against output", code="not-a-folder")])
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
        lines = [f"{shown} 还不存在：下面全部是新增的。"]
    elif diff.empty:
        return [f"没有变化：这次构建与 {shown} 完全相同，不需要上传。"]
    else:
        lines = [f"与 {shown} 相比，这次构建将："]
    lines.append(f"项目：新增 {len(diff.projects_added)} 个，修改 {len(diff.projects_changed)} 个，"
                 f"删除 {len(diff.projects_removed)} 个")
    lines += _projects("新增", diff.projects_added)
    lines += _projects("修改", diff.projects_changed)
    lines += _projects("删除", diff.projects_removed)
    grown = sum((c.new_size or 0) - (c.old_size or 0) for c in
                [*diff.files_added, *diff.files_changed, *diff.files_removed])
    sign = "+" if grown >= 0 else "-"
    lines.append(f"文件：新增 {len(diff.files_added)} 个，修改 {len(diff.files_changed)} 个，"
                 f"删除 {len(diff.files_removed)} 个（合计 {sign}{size_text(abs(grown))}）")
    lines += _files("新增", diff.files_added, limit)
    lines += _files("修改", diff.files_changed, limit)
    lines += _files("删除", diff.files_removed, limit)
    run, site = command(), argument(root)
    lines.append(f"下一步：{run} build --project {site}，再把 output/ 中的文件上传"
                 "（新增和修改的上传，删除的在服务器上也删除）；见 docs/publishing.md")
    return lines


def _projects(verb: str, changes: list[ProjectChange]) -> list[str]:
    return [f"  {verb} {c.id} {c.name}" + (f"：{'；'.join(c.fields)}" if c.fields else "")
            for c in changes]


def _files(verb: str, changes: list[FileChange], limit: int) -> list[str]:
    listed = changes if limit <= 0 else changes[:limit]
    lines = []
    for change in listed:
        if change.old_size is None:
            sizes = size_text(change.new_size or 0)
        elif change.new_size is None:
            sizes = size_text(change.old_size)
        elif size_text(change.old_size) == size_text(change.new_size):
            sizes = f"{change.old_size} → {change.new_size} 字节"
        else:
            sizes = f"{size_text(change.old_size)} → {size_text(change.new_size)}"
        lines.append(f"  {verb} {change.path}（{sizes}）")
    if len(listed) < len(changes):
        lines.append(f"  ……另有 {len(changes) - len(listed)} 个{verb}的文件（--limit 0 全部列出）")
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

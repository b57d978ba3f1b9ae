"""``site-builder build``: render the content into a static site."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from site_builder.build.outfolder import check_output
from site_builder.build.outlock import Refused, hold_output
from site_builder.build.pipeline import BuildReport, build, default_jobs
from site_builder.build.progress import progress_for
from site_builder.checks.report import build_messages
from site_builder.i18n import N_, _

NAME = "build"
HELP = N_("build the static site into output/ (atomically: a failed build changes nothing)")
EXIT_REFUSED = 2
"""Exit code when the output folder may not be replaced or another build is writing it."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out", type=Path, default=None, metavar="DIR",
                        help=_("output folder (default: output/ in the site)"))
    parser.add_argument("--jobs", type=int, default=None, metavar="N",
                        help=_("worker processes (default: one per CPU core)"))
    parser.add_argument("--base-url", default=None, metavar="URL",
                        help=_("absolute address for sitemap.xml and the feed"))
    parser.add_argument("--strict", action="store_true",
                        help=_("stop (and keep the previous output) when the quality checks find "
                        "errors; see 'site-builder check'"))


def run(args: argparse.Namespace) -> int:
    out = args.out if args.out is not None else args.project / "output"
    try:
        report = _build(args, out)
    except Refused as exc:
        for diagnostic in exc.diagnostics:
            print(diagnostic.format(), file=sys.stderr)
        return EXIT_REFUSED
    for line in build_messages(report.diagnostics):
        print(line, file=sys.stderr)
    print(_("built {pages} pages ({files} files, {rendered} rendered, {cached} from cache) "
            "in {seconds} s -> {out}").format(
        pages=report.pages, files=report.files, rendered=report.rendered,
        cached=report.pages - report.rendered, seconds=f"{report.seconds:.2f}", out=out))
    return 0


def _build(args: argparse.Namespace, out: Path) -> BuildReport:
    """The build, holding the output folder's lock from before the content is read: a second
    build into the same folder is refused at once, not after reading everything."""
    check_output(out, args.project)
    out.resolve().parent.mkdir(parents=True, exist_ok=True)
    with hold_output(out, "site-builder build"):
        bar = progress_for()
        try:
            return build(args.project, out, jobs=args.jobs or default_jobs(),
                         base_url=args.base_url, progress=bar, strict=args.strict)
        finally:
            if bar:
                bar.close()

"""``site-builder build``: render the content into a static site."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from site_builder.build.pipeline import build, default_jobs
from site_builder.build.progress import progress_for
from site_builder.checks.report import build_messages

NAME = "build"
HELP = "build the static site into output/ (atomically: a failed build changes nothing)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out", type=Path, default=None, metavar="DIR",
                        help="output folder (default: output/ in the site)")
    parser.add_argument("--jobs", type=int, default=None, metavar="N",
                        help="worker processes (default: one per CPU core)")
    parser.add_argument("--base-url", default=None, metavar="URL",
                        help="absolute address for sitemap.xml and the feed")
    parser.add_argument("--strict", action="store_true",
                        help="stop (and keep the previous output) when the quality checks find "
                        "errors; see 'site-builder check'")


def run(args: argparse.Namespace) -> int:
    out = args.out if args.out is not None else args.project / "output"
    bar = progress_for()
    try:
        report = build(args.project, out, jobs=args.jobs or default_jobs(),
                       base_url=args.base_url, progress=bar, strict=args.strict)
    finally:
        if bar:
            bar.close()
    for line in build_messages(report.diagnostics):
        print(line, file=sys.stderr)
    print(f"built {report.pages} pages ({report.files} files, {report.rendered} rendered, "
          f"{report.pages - report.rendered} from cache) in {report.seconds:.2f} s -> {out}")
    return 0

"""``site-builder serve``: build, serve output/ locally and rebuild on every change."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from site_builder.build.outlock import Refused
from site_builder.build.serve import serve
from site_builder.i18n import N_, _

NAME = "serve"
HELP = N_("preview the site: build, serve it locally and reload pages after every change")
EXIT_REFUSED = 2
"""Exit code when the output folder may not be replaced or is in use, or the port is taken."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default="127.0.0.1",
                        help=_("address to listen on (default: 127.0.0.1, this computer only)"))
    parser.add_argument("--port", type=int, default=8000, metavar="N",
                        help=_("port to listen on (default: 8000; 0 picks a free one)"))
    parser.add_argument("--out", type=Path, default=None, metavar="DIR",
                        help=_("output folder (default: output/ in the site)"))
    parser.add_argument("--base-url", default=None, metavar="URL",
                        help=_("absolute address for sitemap.xml and the feed"))


def run(args: argparse.Namespace) -> int:
    out = args.out if args.out is not None else args.project / "output"
    try:
        serve(args.project, out, args.host, args.port, args.base_url)
    except Refused as exc:
        for diagnostic in exc.diagnostics:
            print(diagnostic.format(), file=sys.stderr)
        return EXIT_REFUSED
    return 0

"""The ``site-builder`` command line: one sub-command per module in :mod:`site_builder.commands`.

Exit codes: 0 success, 1 findings or errors in the input, 2 wrong usage.
"""

from __future__ import annotations

import argparse
import errno
import sys
from collections.abc import Sequence
from pathlib import Path

from site_builder import __version__
from site_builder.commands import COMMANDS
from site_builder.content.reader import CONTENT_DIR
from site_builder.diagnostics import SiteBuilderError, error
from site_builder.i18n import LANGUAGES, N_, _, choose, set_language
from site_builder.settings import SETTINGS_FILE
from site_builder.terminal import escaped_output

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2
SITELESS_COMMANDS = frozenset({"init", "import", "template"})
"""Commands that may run where there is no site yet."""


def require_site(root: Path) -> None:
    """Stop with a clear message when ``root`` holds neither site.yaml nor content/."""
    if not (root / SETTINGS_FILE).is_file() and not (root / CONTENT_DIR).is_dir():
        raise SiteBuilderError([error(
            str(root), _("no site here (no {settings} and no {content}/ folder)").format(
                settings=SETTINGS_FILE, content=CONTENT_DIR),
            _("run the command inside a site folder, pass --project DIR, or create one with "
              "'site-builder init DIR'"), code="no-site")])


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="site-builder",
        description=_("Turn 项目支出绩效目标表 into a searchable static website."),
        epilog=_("Exit codes: 0 ok, 1 findings or errors in the input, 2 wrong usage."),
    )
    parser.add_argument("--version", action="version", version=f"site-builder {__version__}",
                        help=_("show the version and exit"))
    parser.add_argument("--lang", choices=LANGUAGES, metavar="LANG",
                        help=_("language of the messages: zh_CN (default) or en; also "
                               "SITE_BUILDER_LANG"))
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for command in COMMANDS:
        sub = commands.add_parser(command.NAME, help=_(command.HELP),
                                  description=_(command.HELP))
        sub.add_argument("--project", type=Path, default=Path("."), metavar="DIR",
                         help=_("the site's folder (default: the current directory)"))
        command.add_arguments(sub)
        sub.set_defaults(run=command.run)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(encoding="utf-8")
    arguments = list(sys.argv[1:] if argv is None else argv)
    set_language(choose(language_option(arguments)))
    with escaped_output():
        return _run(build_parser().parse_args(arguments))


def language_option(arguments: Sequence[str]) -> str | None:
    """The value of ``--lang`` before the parser (its help must already be translated)."""
    for index, argument in enumerate(arguments):
        if argument == "--":
            break
        if argument.startswith("--lang="):
            return argument.split("=", 1)[1]
        if argument == "--lang" and index + 1 < len(arguments):
            return arguments[index + 1]
    return None


def _run(args: argparse.Namespace) -> int:
    """Run the command of ``args``; errors in the input become messages and exit 1."""
    try:
        if args.command not in SITELESS_COMMANDS:
            require_site(args.project)
        return int(args.run(args))
    except SiteBuilderError as exc:
        for diagnostic in exc.diagnostics:
            print(diagnostic.format(), file=sys.stderr)
        return EXIT_FINDINGS
    except KeyboardInterrupt:
        print(_("site-builder: interrupted"), file=sys.stderr)
        return 130
    except OSError as exc:
        print(os_error_text(exc), file=sys.stderr)
        return EXIT_FINDINGS


OS_ERRORS = {
    errno.ENOENT: N_("no such file or folder"),
    errno.EACCES: N_("permission denied"),
    errno.EPERM: N_("operation not permitted"),
    errno.EISDIR: N_("this is a folder, not a file"),
    errno.ENOTDIR: N_("a part of this path is a file, not a folder"),
    errno.EEXIST: N_("this file already exists"),
    errno.ENOSPC: N_("the disk is full"),
    errno.EROFS: N_("the disk is read-only"),
    errno.ENAMETOOLONG: N_("the file name is too long"),
}
"""The system's reasons shown in the language in use (others as the system words them)."""


def os_error_text(exc: OSError) -> str:
    """``site-builder: error: <reason>: <file>`` for a failed file operation."""
    reason = _(OS_ERRORS[exc.errno]) if exc.errno in OS_ERRORS else (exc.strerror or str(exc))
    if exc.filename:
        return _("site-builder: error: {reason}: {file}").format(reason=reason,
                                                                 file=exc.filename)
    return _("site-builder: error: {reason}").format(reason=reason)

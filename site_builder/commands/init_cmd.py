"""``site-builder init DIR``: create a new, empty site."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from site_builder.content.reader import CONTENT_DIR, PAGES_DIR
from site_builder.content.schema import SCHEMA_KINDS, json_schema
from site_builder.diagnostics import SiteBuilderError, error
from site_builder.i18n import N_, _
from site_builder.invocation import argument, command
from site_builder.settings import SETTINGS, SETTINGS_FILE
from site_builder.sitefiles import SCHEMA_DIR, check_inside

NAME = "init"
HELP = N_("create a new, empty site in DIR (site.yaml, content/, templates/)")


TEMPLATE_FILE = "项目支出绩效目标表.xlsx"
"""The blank form the next-step hint suggests writing."""
ASKED: tuple[tuple[str, str], ...] = (
    ("title", N_("Site title")), ("publisher", N_("Publisher (e.g. 祁连县财政局)")),
)
"""Settings ``init`` asks for on a terminal when they are not given: key, question (translated
where asked)."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("dir", type=Path, help=_("folder to create the site in"))
    parser.add_argument("--title", metavar="TEXT",
                        help=_("the site's title, written to site.yaml "
                               "(e.g. 祁连县项目支出绩效目标公开)"))
    parser.add_argument("--publisher", metavar="TEXT",
                        help=_("the publisher, written to site.yaml (e.g. 祁连县财政局)"))


def site_yaml(values: dict[str, str] | None = None) -> str:
    """The commented ``site.yaml`` of a new site, with ``values`` (title, publisher) set."""
    values = values or {}
    lines = ["# site-builder settings; every key is optional (see docs/settings.md)."]
    for setting in SETTINGS:
        if setting.type in ("text", "url", "int", "bool"):
            value = str(setting.default).lower() if setting.type == "bool" else setting.default
            lines.append(f"# {setting.help}")
            if setting.name in values:
                lines.append(f"{setting.name}: {yaml_text(values[setting.name])}")
            else:
                lines.append(f"{setting.name}: {value!s}" if value != "" else f"{setting.name}:")
    return "\n".join(lines) + "\n"


def yaml_text(text: str) -> str:
    """``text`` as a single-quoted YAML scalar on one line (read back exactly as typed)."""
    return "'" + text.replace("'", "''") + "'"


def chosen_settings(args: argparse.Namespace) -> dict[str, str]:
    """Title and publisher from the options, else asked for on a terminal (never when the
    input is not one: a script or a test is never kept waiting)."""
    values: dict[str, str] = {}
    for key, question in ASKED:
        given: str | None = getattr(args, key)
        if given is None and sys.stdin is not None and sys.stdin.isatty():
            default = next(s.default for s in SETTINGS if s.name == key)
            shown = (_(" (press Enter for: {default})").format(default=default) if default
                     else _(" (optional: press Enter to leave it empty)"))
            try:
                given = input(_("{question}{default}: ").format(question=_(question),
                                                                default=shown))
            except EOFError:
                given = None
        if given is not None:
            text = " ".join(given.split())
            if text or key != "title":
                values[key] = text
    return values


def write_schemas(root: Path) -> None:
    """Write the JSON Schemas that content files reference for editors."""
    folder = root / SCHEMA_DIR
    folder.mkdir(parents=True, exist_ok=True)
    for kind in SCHEMA_KINDS:
        target = folder / f"{kind}.schema.json"
        check_inside(root, target)  # never write through a link to outside the site
        text = json_schema(kind)
        if not target.exists() or target.read_text(encoding="utf-8") != text:
            target.write_text(text, encoding="utf-8", newline="\n")


def run(args: argparse.Namespace) -> int:
    root: Path = args.dir if args.dir.is_absolute() else args.project / args.dir
    if (root / SETTINGS_FILE).exists():
        raise SiteBuilderError([error(str(root / SETTINGS_FILE), _("a site already exists here"),
                                      _("choose another folder"), code="exists")])
    values = chosen_settings(args)
    (root / CONTENT_DIR / PAGES_DIR).mkdir(parents=True, exist_ok=True)
    (root / "templates").mkdir(exist_ok=True)
    (root / SETTINGS_FILE).write_text(site_yaml(values), encoding="utf-8", newline="\n")
    write_schemas(root)
    print(_("created a new site in {folder}").format(folder=root))
    for line in next_steps(root):
        print(line)
    return 0


def next_steps(root: Path) -> list[str]:
    """What to do after ``init``, as commands that work as typed."""
    run, site = command(), argument(root)
    form = argument(TEMPLATE_FILE)
    steps = [
        (f"{run} template -o {form}",
         _("write a blank 项目支出绩效目标表 and fill it in in Excel or WPS")),
        (f"{run} import --project {site} {form}",
         _("import the filled-in form (tables already published can be imported too)")),
        (f"{run} check --project {site}", _("check the data's quality and correct it as told")),
        (f"{run} build --project {site}",
         _("build the site (into {folder})").format(folder=argument(root / "output"))),
        (f"{run} serve --project {site}", _("preview it in a browser")),
    ]
    return [
        _("Next steps:"),
        *(f"  {number}. {line}    {what}" for number, (line, what) in enumerate(steps, 1)),
        _("The site's title and publisher are in site.yaml; change them at any time."),
    ]

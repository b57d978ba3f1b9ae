"""``site-builder init DIR``: create a new, empty site."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Literal

from site_builder.content import CONTENT_DIR, PAGES_DIR
from site_builder.diagnostics import SiteBuilderError, error
from site_builder.schema import json_schema
from site_builder.settings import SETTINGS, SETTINGS_FILE
from site_builder.sitefiles import SCHEMA_DIR, check_inside

NAME = "init"
HELP = "create a new, empty site in DIR (site.yaml, content/, templates/)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("dir", type=Path, help="folder to create the site in")


def site_yaml() -> str:
    lines = ["# site-builder settings; every key is optional (see docs/settings.md)."]
    for setting in SETTINGS:
        if setting.type in ("text", "url", "int", "bool"):
            value = str(setting.default).lower() if setting.type == "bool" else setting.default
            lines.append(f"# {setting.help}")
            lines.append(f"{setting.name}: {value!s}" if value != "" else f"{setting.name}:")
    return "\n".join(lines) + "\n"


def write_schemas(root: Path) -> None:
    """Write the JSON Schemas that content files reference for editors."""
    folder = root / SCHEMA_DIR
    folder.mkdir(parents=True, exist_ok=True)
    kinds: tuple[Literal["project", "unit"], ...] = ("project", "unit")
    for kind in kinds:
        target = folder / f"{kind}.schema.json"
        check_inside(root, target)  # never write through a link to outside the site
        text = json_schema(kind)
        if not target.exists() or target.read_text(encoding="utf-8") != text:
            target.write_text(text, encoding="utf-8", newline="\n")


def run(args: argparse.Namespace) -> int:
    root: Path = args.dir if args.dir.is_absolute() else args.project / args.dir
    if (root / SETTINGS_FILE).exists():
        raise SiteBuilderError([error(str(root / SETTINGS_FILE), "a site already exists here",
                                      "choose another folder", code="exists")])
    (root / CONTENT_DIR / PAGES_DIR).mkdir(parents=True, exist_ok=True)
    (root / "templates").mkdir(exist_ok=True)
    (root / SETTINGS_FILE).write_text(site_yaml(), encoding="utf-8", newline="\n")
    write_schemas(root)
    print(f"created a new site in {root}")
    print(f"next: site-builder import --project {root} TABLE.txt …")
    return 0

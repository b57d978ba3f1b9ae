"""``site-builder init DIR``: create a new, empty site."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Literal

from site_builder.content import CONTENT_DIR, PAGES_DIR
from site_builder.diagnostics import SiteBuilderError, error
from site_builder.invocation import argument, command
from site_builder.schema import json_schema
from site_builder.settings import SETTINGS, SETTINGS_FILE
from site_builder.sitefiles import SCHEMA_DIR, check_inside

NAME = "init"
HELP = "create a new, empty site in DIR (site.yaml, content/, templates/)"


TEMPLATE_FILE = "项目支出绩效目标表.xlsx"
"""The blank form the next-step hint suggests writing."""
ASKED: tuple[tuple[str, str], ...] = (
    ("title", "网站标题"), ("publisher", "发布单位（如 祁连县财政局）"),
)
"""Settings ``init`` asks for on a terminal when they are not given: key, question."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("dir", type=Path, help="folder to create the site in")
    parser.add_argument("--title", metavar="TEXT",
                        help="网站标题，写入 site.yaml（如 祁连县项目支出绩效目标公开）")
    parser.add_argument("--publisher", metavar="TEXT",
                        help="发布单位，写入 site.yaml（如 祁连县财政局）")


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
            shown = f"（直接回车：{default}）" if default else "（可以不填，直接回车）"
            try:
                given = input(f"{question}{shown}：")
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
    values = chosen_settings(args)
    (root / CONTENT_DIR / PAGES_DIR).mkdir(parents=True, exist_ok=True)
    (root / "templates").mkdir(exist_ok=True)
    (root / SETTINGS_FILE).write_text(site_yaml(values), encoding="utf-8", newline="\n")
    write_schemas(root)
    print(f"created a new site in {root}")
    for line in next_steps(root):
        print(line)
    return 0


def next_steps(root: Path) -> list[str]:
    """What to do after ``init``, as commands that work as typed."""
    run, site = command(), argument(root)
    form = argument(TEMPLATE_FILE)
    return [
        "下一步：",
        f"  1. {run} template -o {form}    写出空白的项目支出绩效目标表，用 Excel 或 WPS 填写",
        f"  2. {run} import --project {site} {form}    导入填好的表（也可以导入已公开的表格）",
        f"  3. {run} check --project {site}    检查数据质量，按提示改正",
        f"  4. {run} build --project {site}    生成网站（在 {argument(root / 'output')}）",
        f"  5. {run} serve --project {site}    在浏览器中预览",
        "网站标题和发布单位写在 site.yaml 中，随时可以修改。",
    ]

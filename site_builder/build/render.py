"""Jinja2 environment: site templates override built-in ones by file name.

A site's ``templates/project.html`` replaces the built-in one and can still extend it with
``{% extends "default:project.html" %}``.
"""

from __future__ import annotations

from pathlib import Path

from jinja2 import (
    ChoiceLoader,
    Environment,
    FileSystemLoader,
    PackageLoader,
    PrefixLoader,
    StrictUndefined,
    select_autoescape,
)

TEMPLATES_DIR = "templates"
"""Folder of a site holding template overrides."""


def make_environment(root: Path) -> Environment:
    default = PackageLoader("site_builder", "templates")
    loader = ChoiceLoader([
        FileSystemLoader(str(root / TEMPLATES_DIR)),
        PrefixLoader({"default": default}, delimiter=":"),
        default,
    ])
    env = Environment(
        loader=loader,
        autoescape=select_autoescape(enabled_extensions=("html", "xml", "svg"),
                                     default_for_string=True, default=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    return env

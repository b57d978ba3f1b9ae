"""The Jinja2 environment (not the rendering of pages: that is renderer.py): site templates
override built-in ones by file name.

A site's ``templates/project.html`` replaces the built-in one and can still extend it with
``{% extends "default:project.html" %}``.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from types import TracebackType

from jinja2 import (
    ChoiceLoader,
    Environment,
    FileSystemLoader,
    PackageLoader,
    PrefixLoader,
    StrictUndefined,
    TemplateSyntaxError,
    meta,
    select_autoescape,
)

from site_builder.build import charts, fragments
from site_builder.build.formtable import BLANK, form_rows
from site_builder.content.reader import shown_path
from site_builder.diagnostics import Diagnostic, Position
from site_builder.i18n import _
from site_builder.model import format_amount
from site_builder.sitefiles import TEMPLATES_DIR

PACKAGE_DIR = Path(__file__).resolve().parents[1]
"""The installed ``site_builder`` package (built-in templates and static files)."""


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
    env.globals.update(bar=charts.bar, swatch=charts.swatch, format_amount=format_amount,
                       form_rows=form_rows, form_table_rows=fragments.form_table_rows,
                       mix_legend=fragments.mix_legend, blank=BLANK,
                       namesake_items=fragments.namesake_items,
                       sibling_items=fragments.sibling_items,
                       listing_rows=fragments.listing_rows, category_rows=fragments.category_rows,
                       nav_years=fragments.nav_years)
    return env


def templates_reading_site(root: Path) -> list[str]:
    """The site's templates (overrides) that read the whole ``site``: a page made with one
    may change with any content, so quick rebuilds are off for such a site.  (The built-in
    templates never read it.)"""
    env = make_environment(root)
    folder = root / TEMPLATES_DIR
    found = []
    for path in sorted(folder.rglob("*")) if folder.is_dir() else []:
        if path.is_file() and not path.name.startswith("."):
            try:
                names = meta.find_undeclared_variables(env.parse(path.read_text("utf-8")))
            except (TemplateSyntaxError, UnicodeDecodeError):
                names = {"site"}  # the full build reports it; no quick rebuilds meanwhile
            if "site" in names:
                found.append(path.relative_to(folder).as_posix())
    return found


def code_digest(root: Path) -> str:
    """Digest of everything that turns data into pages: the package's code and templates, and
    the site's template overrides.  Part of every render-cache key."""
    files = sorted(PACKAGE_DIR.rglob("*.py")) + sorted((PACKAGE_DIR / "templates").rglob("*"))
    site_templates = root / TEMPLATES_DIR
    if site_templates.is_dir():
        files += sorted(site_templates.rglob("*"))
    digest = hashlib.sha256()
    for path in files:
        if path.is_file():
            digest.update(path.as_posix().encode("utf-8") + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def _template_position(root: Path, filename: str | None, line: int | None) -> Position:
    if not filename:
        return Position("<template>", line or 0)
    path = Path(filename)
    shown = shown_path(path, root)
    if shown == path.as_posix() and path.is_relative_to(PACKAGE_DIR):
        shown = f"{PACKAGE_DIR.name}/{path.relative_to(PACKAGE_DIR).as_posix()}"
    return Position(shown, line or 0)


def template_error(root: Path, exc: Exception, page: str) -> Diagnostic:
    """A template failure as a ``file:line`` diagnostic naming the template, not Python."""
    if isinstance(exc, TemplateSyntaxError):
        pos = _template_position(root, exc.filename, exc.lineno)
        return Diagnostic(pos, "error", _("template syntax: {problem}").format(
            problem=exc.message), _("fix the template (while rendering {page})").format(
                page=page), "template")
    filename, line = None, None
    tb: TracebackType | None = exc.__traceback__
    while tb is not None:
        name = tb.tb_frame.f_code.co_filename
        if name.endswith((".html", ".xml", ".txt", ".svg")):
            filename, line = name, tb.tb_lineno
        tb = tb.tb_next
    return Diagnostic(_template_position(root, filename, line), "error",
                      _("template error: {problem}").format(
                          problem=f"{type(exc).__name__}: {exc}"),
                      _("fix the template (while rendering {page})").format(page=page),
                      "template")


"""Pages written in Markdown (``content/pages/<name>.md``), rendered with raw HTML switched off."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from markdown_it import MarkdownIt
from markupsafe import Markup

from site_builder.build import urls
from site_builder.content import CONTENT_DIR, PAGES_DIR, shown_path
from site_builder.diagnostics import SiteBuilderError, error

STEM = re.compile(r"^[a-z0-9][a-z0-9-]*$")
"""Allowed page file names (without ``.md``): they become URLs."""


@dataclass(frozen=True)
class MarkdownPage:
    """One Markdown page."""

    stem: str
    """File name without ``.md`` (``about``)."""
    title: str
    """Text of the first level-1 heading, else the stem."""
    html: Markup
    """The body as HTML (raw HTML in the source is shown as text, never passed through)."""
    path: str
    """Site-relative output path."""


def _parser() -> MarkdownIt:
    parser = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}
                        ).enable("table").enable("strikethrough")
    parser.add_render_rule("table_open", _table_open)
    parser.add_render_rule("table_close", _table_close)
    return parser


SCROLL_OPEN = ('<div class="table-scroll" role="region" aria-label="表格（可左右滑动）" '
               'tabindex="0">\n<p class="scroll-hint" aria-hidden="true">← 左右滑动查看整张表 →'
               '</p>\n<table>\n')
"""A table of a page goes in a region that scrolls sideways when the table is wider than the
screen, and says so (the page's author decides how wide it is)."""


def _table_open(renderer: Any, tokens: Any, index: int, options: Any, env: Any) -> str:
    return SCROLL_OPEN


def _table_close(renderer: Any, tokens: Any, index: int, options: Any, env: Any) -> str:
    return "</table>\n</div>\n"


def _title(parser: MarkdownIt, text: str, stem: str) -> str:
    tokens = parser.parse(text)
    for index, token in enumerate(tokens[:-1]):
        if token.type == "heading_open" and token.tag == "h1":
            return tokens[index + 1].content.strip() or stem
    return stem


def read_pages(root: Path) -> tuple[MarkdownPage, ...]:
    """Every page under ``content/pages``, sorted by file name."""
    folder = root / CONTENT_DIR / PAGES_DIR
    if not folder.is_dir():
        return ()
    parser = _parser()
    pages = []
    for path in sorted(folder.glob("*.md")):
        if not STEM.match(path.stem):
            raise SiteBuilderError([error(
                shown_path(path, root), "page file names become web addresses",
                "rename it to lower-case letters, digits and '-' (e.g. about.md)",
                code="page-name")])
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError as exc:
            raise SiteBuilderError([error(shown_path(path, root), f"not UTF-8 text ({exc.reason})",
                                          "save the file as UTF-8", code="encoding")]) from None
        pages.append(MarkdownPage(path.stem, _title(parser, text, path.stem),
                                  Markup(parser.render(text)), urls.markdown_page_path(path.stem)))
    return tuple(pages)

"""Pages written in Markdown (``content/pages/<name>.md``), rendered with raw HTML switched off.

An image from another host (``![图](https://…/x.png)``) would break the pages'
``Content-Security-Policy: default-src 'self'`` and tell a third party who reads the page, so it
is never loaded: it is shown as a link to the image (or as its text when it is no web address).
``validate`` and ``build`` warn about such images and about links to other hosts
(:func:`page_problems`); links stay links.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict
from markupsafe import Markup, escape

from site_builder.content.reader import CONTENT_DIR, PAGES_DIR, shown_path
from site_builder.core import urls
from site_builder.diagnostics import Diagnostic, Position, SiteBuilderError, error
from site_builder.i18n import _
from site_builder.sitefiles import check_inside, refused_target

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
    parser.add_render_rule("image", _image)
    parser.add_render_rule("table_open", _table_open)
    parser.add_render_rule("table_close", _table_close)
    return parser


def from_elsewhere(address: str) -> bool:
    """Whether an image at ``address`` would be loaded from somewhere else than the site
    (another host, or a ``data:`` address, which the pages' policy refuses too)."""
    parts = urlsplit(address)
    return bool(parts.scheme or parts.netloc or address.startswith("//"))


def _image(renderer: RendererHTML, tokens: Sequence[Token], index: int, options: OptionsDict,
           env: EnvType) -> str:
    """An image as markdown-it writes it, or, from elsewhere, a link to it (its text only
    when it is no web address): the page never loads it."""
    token = tokens[index]
    src = str(token.attrs.get("src", ""))
    if not from_elsewhere(src):
        return renderer.image(tokens, index, options, env)
    alt = renderer.renderInlineAsText(token.children or [], options, env)
    text = f"图片：{alt}" if alt else "图片"
    if urlsplit(src).scheme in ("http", "https") or src.startswith("//"):
        return f'<a href="{escape(src)}">{escape(text)}</a>'
    return str(escape(f"（{text}）"))


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
        check_inside(root, path)  # a link to outside the site is never published
        if not STEM.match(path.stem):
            raise SiteBuilderError([error(
                shown_path(path, root), _("page file names become web addresses"),
                _("rename it to lower-case letters, digits and '-' (e.g. about.md)"),
                code="page-name")])
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError as exc:
            raise SiteBuilderError([error(shown_path(path, root), _(
                "not UTF-8 text ({reason})").format(reason=exc.reason),
                _("save the file as UTF-8"), code="encoding")]) from None
        pages.append(MarkdownPage(path.stem, _title(parser, text, path.stem),
                                  Markup(parser.render(text)), urls.markdown_page_path(path.stem)))
    return tuple(pages)


def page_problems(root: Path, base_url: str = "") -> list[Diagnostic]:
    """A warning for each image from elsewhere and each link to another host than
    ``base_url``'s in the site's Markdown pages, at its line and column."""
    folder = root / CONTENT_DIR / PAGES_DIR
    if not folder.is_dir():
        return []
    own = urlsplit(base_url).hostname or ""
    parser = _parser()
    problems: list[Diagnostic] = []
    for path in sorted(folder.glob("*.md")):
        if refused_target(root, path) is not None:
            continue  # reported as a link leading outside the site
        try:
            text = path.read_text(encoding="utf-8")
        except (UnicodeDecodeError, OSError):
            continue  # the build reports it
        shown = shown_path(path, root)
        for block in parser.parse(text):
            for token in block.children or () if block.type == "inline" else ():
                problem = _problem(token, own)
                if problem:
                    address, message, hint = problem
                    pos = _position(text, shown, block.map, address)
                    problems.append(Diagnostic(pos, "warning", message, hint,
                                               "remote-address"))
    return problems


def _problem(token: Token, own: str) -> tuple[str, str, str] | None:
    """(address, message, hint) when ``token`` is an image from elsewhere or a link to
    another host."""
    if token.type == "image":
        src = str(token.attrs.get("src", ""))
        if from_elsewhere(src):
            web = urlsplit(src).scheme in ("http", "https") or src.startswith("//")
            message = _("the image comes from outside the site ({address}): pages load nothing "
                        "from other sites (content security policy, no readers told to third "
                        "parties), so only a link to it is shown here") if web else \
                _("the image comes from outside the site ({address}): pages load nothing from "
                  "other sites (content security policy, no readers told to third parties), so "
                  "only its description is shown here")
            return src, message.format(address=src), _(
                "put the image file in the site's static/ folder and write it as {example}"
            ).format(example="![说明](../static/图片.png)")
    elif token.type == "link_open":
        href = str(token.attrs.get("href", ""))
        host = urlsplit(href).hostname or ""
        if host and host != own:
            return href, _("the link leads to another site ({host}): readers who follow it "
                           "leave this site").format(host=host), _(
                "make sure the site can be trusted and its address lasts; keep what can be on "
                "this site on this site")

    return None


def _position(text: str, shown: str, lines: Any, address: str) -> Position:
    """Where ``address`` is written, searched from the block's first line (a reference
    link's address is further down); the block's line when it is not found as written."""
    first = lines[0] if lines else 0
    start = sum(len(line) for line in text.splitlines(keepends=True)[:first])
    at = text.find(address, start)
    if at < 0:
        at = text.find(address)
    if at < 0:
        return Position(shown, first + 1, 1)
    line = text.count("\n", 0, at) + 1
    return Position(shown, line, at - (text.rfind("\n", 0, at) + 1) + 1)

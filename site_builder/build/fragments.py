"""HTML of the rows that pages repeat by the hundred, made in Python for the templates.

A ``{{ }}`` in a template costs three Python calls (attribute lookup, escape, ``Markup``); a row
of the indicator form or of a listing holds a dozen.  These functions write a whole row with
one f-string and escape only the published text in it (ids, numbers and paths made by the
builder are ASCII without markup characters, but are escaped too wherever they come from
content).  Each function's markup is exactly what its template loop wrote before; templates
call them as globals (see :func:`site_builder.build.jinja_env.make_environment`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from functools import partial

from markupsafe import Markup

from site_builder.build.category_views import CategoryEntry
from site_builder.build.charts import bar, swatch
from site_builder.build.formtable import BLANK, FormRow, Span
from site_builder.build.views import ProjectRef, share


def text(value: object) -> str:
    """``value`` as HTML text: the same characters as :func:`markupsafe.escape` replaces.
    Texts are remembered: a site repeats the same names, units and amounts on page after
    page."""
    if type(value) is str:
        found = _TEXTS.get(value)
        if found is None:
            if len(_TEXTS) >= MEMO_SIZE:
                _TEXTS.clear()
            found = _TEXTS[value] = _escaped(value)
        return found
    return _escaped(str(value))


def _escaped(value: str) -> str:
    return (value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace("'", "&#39;").replace('"', "&#34;"))


MEMO_SIZE = 200_000
"""Most entries a memo of this module holds before it starts again."""
_TEXTS: dict[str, str] = {}
_ROWS: dict[tuple[str, int, str], tuple[ProjectRef, str]] = {}
"""Listing items by kind, the record's id and the root (records are kept alive here, so ids
stay unique): a unit's projects list one another on each of their pages."""


def _remembered(kind: str, ref: ProjectRef, root: str, make: Callable[[], str]) -> str:
    key = (kind, id(ref), root)
    found = _ROWS.get(key)
    if found is None or found[0] is not ref:
        if len(_ROWS) >= MEMO_SIZE:
            _ROWS.clear()
        found = _ROWS[key] = (ref, make())
    return found[1]


def _published(value: str, reading: str) -> str:
    """A value cell's content: the value, or its reading with the value as published."""
    if not reading:
        return text(value)
    return (f'<span class="reading">{text(reading)}</span> '
            f'<span class="published">（原表写作“{text(value)}”）</span>')


def _span_cell(span: Span, level: str, headers: str) -> str:
    shown = text(span.text) if span.text else f'<span class="blank">{BLANK}</span>'
    return (f'<th id="{span.id}" headers="{headers}" rowspan="{span.rows}" '
            f'class="{level}">{shown}</th>\n')


def form_table_rows(rows: Iterable[FormRow]) -> Markup:
    """The ``<tr>`` elements of a project's indicator form (``project.html``)."""
    parts = []
    for r in rows:
        ids = f"{r.level1_id} {r.level2_id}"
        parts.append("<tr>\n")
        if r.level1:
            parts.append(_span_cell(r.level1, "l1", "h-l1"))
        if r.level2:
            parts.append(_span_cell(r.level2, "l2", f"h-l2 {r.level1_id}"))
        parts.append(f'<th id="row-{r.number}" headers="h-l3 {ids}" class="l3">{text(r.name)}'
                     f'</th>\n<td headers="h-val {ids} row-{r.number}" class="value">'
                     f'{_published(r.value, r.reading)}</td>\n</tr>\n')
    return Markup("".join(parts))


def mix_legend(mix: Sequence[tuple[str, str, int, str]], root: str) -> Markup:
    """The legend of a project's indicator mix, a list item per category in the bar's order:
    (一级, 二级, count, category path) each, with its colour, count and share."""
    root = text(root)
    whole = sum(count for _, _, count, _ in mix)
    return Markup("".join(
        f'<li>{swatch(index)}<a href="{root}{text(path)}">{text(one or BLANK)} › '
        f'{text(two or BLANK)}</a> <span class="mix-count">{count} 项（'
        f'{share(Decimal(count), Decimal(whole))[0]}）</span></li>\n'
        for index, (one, two, count, path) in enumerate(mix)))


def _link(ref: ProjectRef, root: str) -> str:
    """A link to ``ref``'s page; ``root`` already escaped."""
    return f'<a href="{root}{text(ref.path)}">{text(ref.name)}</a>'


def namesake_items(refs: Iterable[ProjectRef], root: str) -> Markup:
    """``<li>`` items of projects of the same name: link, year, unit and amount."""
    root = text(root)
    return Markup("".join(_remembered("namesake", p, root, partial(_namesake, p, root))
                          for p in refs))


def _namesake(p: ProjectRef, root: str) -> str:
    return (f'<li>{_link(p, root)} <span class="meta">{text(p.year)}年 · {text(p.unit_name)} · '
            f'{text(p.amount)} 万元</span></li>\n')


def sibling_items(refs: Iterable[ProjectRef], root: str) -> Markup:
    """``<li>`` items of the other projects of a unit: link, amount and share of the unit."""
    root = text(root)
    return Markup("".join(_remembered("sibling", p, root, partial(_sibling, p, root))
                          for p in refs))


def _sibling(p: ProjectRef, root: str) -> str:
    return (f'<li>{_link(p, root)} <span class="meta">{text(p.amount)} 万元 · 占本单位 '
            f'{text(p.share)}</span></li>\n')


def nav_years(years: Iterable[str], root: str, page_path: str) -> Markup:
    """The main navigation's items of the budget years, the current one marked."""
    root = text(root)
    return Markup("".join(
        f'<li><a href="{root}years/{text(year)}.html"'
        f'{CURRENT if page_path.startswith("years/" + year) else ""}>{text(year)}年</a></li>\n'
        for year in years))


CURRENT = ' aria-current="page"'
"""The attribute marking the link to the page itself."""


def listing_rows(refs: Sequence[ProjectRef], root: str, show_unit: bool = False,
                 show_year: bool = False, first: int = 1) -> Markup:
    """The ``<tr>`` elements of a project listing (macro ``project_table``), numbered from
    ``first``."""
    parts = []
    root = text(root)
    for number, p in enumerate(refs, first):
        unit = f'<span class="unit-inline">{text(p.unit_name)}</span>' if show_unit else ""
        parts.append(f'<tr>\n<td class="num">{number}</td>\n<th scope="row" class="name">'
                     f'{_link(p, root)}{unit}</th>\n')
        if show_year:
            parts.append(f'<td class="nowrap">{text(p.year)}</td>')
        if show_unit:
            parts.append(f'<td class="col-unit"><a href="{root}{text(p.unit_path)}">'
                         f'{text(p.unit_name)}</a></td>')
        parts.append(f'<td class="num">{text(p.amount)}</td>\n<td class="share"><span '
                     f'class="share-text">{text(p.share)}</span>{bar(p.fraction)}</td>\n</tr>\n')
    return Markup("".join(parts))


def category_rows(entries: Iterable[CategoryEntry], root: str) -> Markup:
    """The ``<tr>`` elements of a category page: indicator, value, project, year, unit (the
    indicator and its value first: on a phone each row is a card that starts with them)."""
    parts = []
    root = text(root)
    for e in entries:
        published = (f'<span class="meta">原表分类：{text(e.published)}</span>'
                     if e.published else "")
        parts.append(f'<tr>\n<th scope="row" class="l3">{text(e.name)}{published}</th>\n'
                     f'<td class="value">{_published(e.value, e.reading)}</td>\n'
                     f'<td class="project"><a href="{root}{text(e.project_path)}">'
                     f'{text(e.project_name)}</a></td>\n<td class="year nowrap">{text(e.year)}'
                     f'<span class="card-only">年</span></td>\n'
                     f'<td class="unit">{text(e.unit_name)}</td>\n</tr>\n')
    return Markup("".join(parts))

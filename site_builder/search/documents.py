"""What of a project is searchable, and what a search result shows."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache

from site_builder.categories import LEVEL1, LEVEL2
from site_builder.model import Indicator, Project, Site, format_amount
from site_builder.search.analyzer import FIELD_SEPARATOR, normalize

SCOPES: tuple[str, ...] = tuple(dict.fromkeys(
    [*LEVEL1, *(name for names in LEVEL2.values() for name in names)]))
"""Canonical indicator categories a project can be filtered by; category ``SCOPES[i]`` is bit
``i`` of a part's scope mask (:attr:`SearchDoc.scopes`)."""
KNOWN_CATEGORIES = frozenset(SCOPES)
"""Canonical indicator categories a project can be filtered by."""
SCOPE_BIT = {name: i for i, name in enumerate(SCOPES)}
"""Bit of each category in a scope mask."""


@dataclass(frozen=True)
class SearchDoc:
    """One project as the search index sees it."""

    id: str
    """The project's id (equal to the id in the open-data export)."""
    url: str
    """Its page, relative to the site root (``projects/<id>.html``)."""
    name: str
    """Project name as published."""
    unit_code: str
    """Code of its unit."""
    unit_name: str
    """Name of its unit."""
    year: str
    """Budget year."""
    amount: str
    """Amount in 万元 as text (``20.49``)."""
    categories: tuple[str, ...]
    """Canonical indicator categories (一级 and 二级) the project has indicators in."""
    parts: tuple[str, ...]
    """The searchable texts as published: name, unit, year, amount, goals, indicators, notes."""
    scopes: tuple[int, ...]
    """Parallel to :attr:`parts`: for an indicator row, the mask of its canonical categories
    (bit ``i`` for ``SCOPES[i]``); 0 for every other part.  A category filter matches a term
    only in the parts whose mask holds the category."""

    @cached_property
    def text(self) -> str:
        """Normalised searchable text; a project matches a term iff the term occurs in it.

        Equal to ``normalize(FIELD_SEPARATOR.join(self.parts))``: a line feed neither composes
        nor changes case with its neighbours, so each part is normalised on its own, and the
        parts that recur from project to project only once."""
        return FIELD_SEPARATOR.join(map(normalized_part, self.parts))

    @cached_property
    def normalized_name(self) -> str:
        """Normalised name (a term found here puts the project in the first rank tier)."""
        return normalize(self.name)

    @cached_property
    def digest(self) -> str:
        """Fingerprint of everything indexed, to re-index only changed projects."""
        data = json.dumps([self.url, self.name, self.unit_code, self.unit_name, self.year,
                           self.amount, self.categories, self.parts, self.scopes],
                          ensure_ascii=False)
        return hashlib.sha256(data.encode("utf-8")).hexdigest()[:20]


@lru_cache(maxsize=1 << 16)
def normalized_part(part: str) -> str:
    """:func:`normalize`, remembered for the texts that recur across projects."""
    return normalize(part)


def project_url(project: Project) -> str:
    """Page of a project relative to the site root (the site's pages use the same path)."""
    return f"projects/{project.id}.html"


def project_categories(project: Project) -> tuple[str, ...]:
    found = {c for i in project.indicators for c in (i.category1, i.category2)}
    return tuple(sorted(found & KNOWN_CATEGORIES))


def scope_mask(indicator: Indicator) -> int:
    """The scope mask of an indicator row: the bits of its canonical categories."""
    mask = 0
    for category in (indicator.category1, indicator.category2):
        bit = SCOPE_BIT.get(category)
        if bit is not None:
            mask |= 1 << bit
    return mask


def category_parts(parts: Sequence[str], scopes: Sequence[int], category: str) -> list[str]:
    """The parts (as published) that are indicator rows in ``category``."""
    bit = SCOPE_BIT.get(category)
    if bit is None:
        return []
    return [part for part, mask in zip(parts, scopes, strict=True) if mask >> bit & 1]


def category_text(parts: Sequence[str], scopes: Sequence[int], category: str) -> str:
    """The normalised text of the indicator rows in ``category`` (joined by
    :data:`FIELD_SEPARATOR`): with a category filter, every term must occur in it."""
    return FIELD_SEPARATOR.join(map(normalized_part, category_parts(parts, scopes, category)))


def search_doc(site: Site, project: Project) -> SearchDoc:
    amount = format_amount(project.amount)
    unit_name = site.unit_name(project)
    parts = [project.name, unit_name, project.year, f"{amount}万元", *project.goals]
    scopes = [0] * len(parts)
    for indicator in project.indicators:
        cells = (indicator.level1, indicator.level2, indicator.category1, indicator.category2,
                 indicator.name, indicator.value)
        parts.append(" ".join(dict.fromkeys(c for c in cells if c)))
        scopes.append(scope_mask(indicator))
    parts.extend(project.notes)
    if project.remark:
        parts.append(project.remark)
    scopes += [0] * (len(parts) - len(scopes))
    kept = [i for i, part in enumerate(parts) if part]
    return SearchDoc(
        id=project.id, url=project_url(project), name=project.name, unit_code=project.unit_code,
        unit_name=unit_name, year=project.year, amount=amount,
        categories=project_categories(project), parts=tuple(parts[i] for i in kept),
        scopes=tuple(scopes[i] for i in kept))


def search_docs(site: Site) -> list[SearchDoc]:
    """Every project in site order (year, unit, id); a doc's number is its position here."""
    return [search_doc(site, p) for p in site.projects]

"""What of a project is searchable, and what a search result shows."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from functools import cached_property, lru_cache

from site_builder.categories import LEVEL1, LEVEL2
from site_builder.model import Project, Site, format_amount
from site_builder.search.analyzer import FIELD_SEPARATOR, normalize

KNOWN_CATEGORIES = frozenset(LEVEL1) | {n for names in LEVEL2.values() for n in names}
"""Canonical indicator categories a project can be filtered by."""


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
                           self.amount, self.categories, self.parts], ensure_ascii=False)
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


def search_doc(site: Site, project: Project) -> SearchDoc:
    amount = format_amount(project.amount)
    unit_name = site.unit_name(project)
    parts = [project.name, unit_name, project.year, f"{amount}万元", *project.goals]
    for indicator in project.indicators:
        cells = (indicator.level1, indicator.level2, indicator.category1, indicator.category2,
                 indicator.name, indicator.value)
        parts.append(" ".join(dict.fromkeys(c for c in cells if c)))
    parts.extend(project.notes)
    if project.remark:
        parts.append(project.remark)
    return SearchDoc(
        id=project.id, url=project_url(project), name=project.name, unit_code=project.unit_code,
        unit_name=unit_name, year=project.year, amount=amount,
        categories=project_categories(project), parts=tuple(p for p in parts if p))


def search_docs(site: Site) -> list[SearchDoc]:
    """Every project in site order (year, unit, id); a doc's number is its position here."""
    return [search_doc(site, p) for p in site.projects]

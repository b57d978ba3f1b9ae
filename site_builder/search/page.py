"""Context of the search page: the choices its filters offer."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from site_builder.categories import LEVEL1, LEVEL2
from site_builder.model import Site
from site_builder.search.documents import project_categories

PAGE_PATH = "search.html"
"""Where the search page is written (at the site root: ``search.html?q=…``)."""


@dataclass(frozen=True)
class UnitChoice:
    """A unit in the unit filter (one entry per code, across years)."""

    code: str
    """Unit code, the filter's value."""
    name: str
    """Its name in the latest year it appears."""


def category_order() -> list[str]:
    """Canonical categories in the order of the official form (一级, then its 二级)."""
    ordered: list[str] = []
    for level1 in LEVEL1:
        ordered += [level1, *(c for c in LEVEL2[level1] if c not in ordered)]
    return list(dict.fromkeys(ordered))


def filter_context(site: Site) -> dict[str, Any]:
    """``years`` (newest first), ``units`` (UnitChoice by code), ``categories`` (in form order)."""
    names: dict[str, str] = {}
    for unit in site.units:
        names[unit.code] = unit.name
    used = {c for p in site.projects for c in project_categories(p)}
    return {
        "years": sorted({u.year for u in site.units} | {p.year for p in site.projects},
                        reverse=True),
        "units": [UnitChoice(code, names[code]) for code in sorted(names)],
        "categories": [c for c in category_order() if c in used],
    }

"""Browse by indicator category: every indicator of one (一级, 二级) category across projects."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from site_builder.build import urls
from site_builder.build.formtable import reading
from site_builder.categories import LEVEL1, LEVEL2
from site_builder.model import Indicator, Project, Site


@dataclass(frozen=True)
class CategoryEntry:
    """One indicator of a project, as listed on a category page."""

    project_name: str
    """Name of the project."""
    project_path: str
    """Site-relative path of the project's page."""
    year: str
    """Budget year."""
    unit_name: str
    """Name of the project's unit."""
    name: str
    """三级指标 as published."""
    value: str
    """指标值 as published."""
    reading: str
    """Normalised reading of a variant value, else ""."""
    published: str
    """一级 / 二级 as published, when they differ from the canonical names, else ""."""


@dataclass(frozen=True)
class Category:
    """A (一级, 二级) category with every indicator filed under it."""

    level1: str
    """Canonical 一级 (or the published text when unknown)."""
    level2: str
    """Canonical 二级 (or the published text; "" when the form left it blank)."""
    path: str
    """Site-relative path of the category's page."""
    entries: tuple[CategoryEntry, ...]
    """Its indicators: newest year first, then by unit and project in published order."""
    projects: int
    """How many projects have at least one indicator in it."""


def _rank(level1: str, level2: str) -> tuple[int, int, str, str]:
    one = LEVEL1.index(level1) if level1 in LEVEL1 else len(LEVEL1)
    names = LEVEL2.get(level1, ())
    two = names.index(level2) if level2 in names else len(names) + (1 if not level2 else 0)
    return (one, two, level1, level2)


def _entry(site: Site, project: Project, indicator: Indicator) -> CategoryEntry:
    published = f"{indicator.level1 or '（空）'} / {indicator.level2 or '（空）'}"
    canonical = (indicator.level1, indicator.level2) == (indicator.category1, indicator.category2)
    return CategoryEntry(project.name, urls.project_path(project), project.year,
                         site.unit_name(project), indicator.name, indicator.value,
                         reading(indicator), "" if canonical else published)


def categories(site: Site) -> tuple[Category, ...]:
    """Every category that has indicators, in the order of the official form."""
    entries: dict[tuple[str, str], list[CategoryEntry]] = defaultdict(list)
    projects: dict[tuple[str, str], set[str]] = defaultdict(set)
    ordered = sorted(site.projects, key=lambda p: (-int(p.year), p.unit_code, p.id))
    for project in ordered:
        for indicator in project.indicators:
            key = (indicator.category1, indicator.category2)
            entries[key].append(_entry(site, project, indicator))
            projects[key].add(project.id)
    return tuple(Category(one, two, urls.category_path(one, two), tuple(entries[(one, two)]),
                          len(projects[(one, two)]))
                 for one, two in sorted(entries, key=lambda k: _rank(*k)))


def mix(project: Project) -> tuple[tuple[str, str, int], ...]:
    """A project's indicator mix: (一级, 二级, count) per category, in form order."""
    counts: dict[tuple[str, str], int] = defaultdict(int)
    for indicator in project.indicators:
        counts[(indicator.category1, indicator.category2)] += 1
    return tuple((one, two, counts[(one, two)]) for one, two in sorted(counts, key=lambda k:
                                                                       _rank(*k)))

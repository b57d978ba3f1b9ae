"""Browse by indicator category: every indicator of one (一级, 二级) category across projects."""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict
from dataclasses import dataclass
from itertools import chain

from site_builder.build.formtable import BLANK, reading
from site_builder.categories import LEVEL1, LEVEL2
from site_builder.core import urls
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


@dataclass(frozen=True)
class CategoryHead:
    """A category as its pages show it around their own entries."""

    level1: str
    """Canonical 一级 (or the published text when unknown)."""
    level2: str
    """Canonical 二级 (or the published text; "" when the form left it blank)."""
    path: str
    """Site-relative path of the category's first page."""
    count: int
    """How many indicators it holds in all."""
    projects: int
    """How many projects have at least one indicator in it."""


def _rank(level1: str, level2: str) -> tuple[int, int, str, str]:
    one = LEVEL1.index(level1) if level1 in LEVEL1 else len(LEVEL1)
    names = LEVEL2.get(level1, ())
    two = names.index(level2) if level2 in names else len(names) + (1 if not level2 else 0)
    return (one, two, level1, level2)


def _entry(site: Site, project: Project, indicator: Indicator) -> CategoryEntry:
    published = f"{indicator.level1 or BLANK} / {indicator.level2 or BLANK}"
    canonical = (indicator.level1, indicator.level2) == (indicator.category1, indicator.category2)
    return CategoryEntry(project.name, urls.project_path(project), project.year,
                         site.unit_name(project), indicator.name, indicator.value,
                         reading(indicator), "" if canonical else published)


def categories(site: Site) -> tuple[Category, ...]:
    """Every category that has indicators, in the order of the official form."""
    return CategoryIndex(site).categories()


Key = tuple[str, str]
"""A category: (canonical 一级, canonical 二级)."""


def category_order(project: Project) -> tuple[int, str, str]:
    """Where a project's indicators stand in a category: newest year first, then unit, id."""
    return (-int(project.year), project.unit_code, project.id)


class CategoryIndex:
    """Every category's entries, kept per project, so that after an edit only the categories
    the edited project is (or was) in are made again (:meth:`replace`).  The preview server
    keeps one between rebuilds; a build makes one and asks it once for :meth:`categories`."""

    def __init__(self, site: Site) -> None:
        self.site = site
        self._entries: dict[str, dict[Key, tuple[CategoryEntry, ...]]] = {}
        """By project id: its entries in each of its categories, in published order."""
        self._members: dict[Key, list[str]] = defaultdict(list)
        """By category: the ids of the projects with entries in it, in category order."""
        self._made: dict[Key, Category] = {}
        """Categories made so far (dropped when their entries change)."""
        for project in sorted(site.projects, key=category_order):
            own = self._entries[project.id] = project_entries(site, project)
            for key in own:
                self._members[key].append(project.id)

    def categories(self) -> tuple[Category, ...]:
        """Every category that has indicators, in the order of the official form."""
        return tuple(self._category(key) for key in sorted(self._members, key=lambda k: _rank(*k)))

    def _category(self, key: Key) -> Category:
        found = self._made.get(key)
        if found is None:
            members = self._members[key]
            own = self._entries
            entries = tuple(chain.from_iterable([own[pid][key] for pid in members]))
            found = self._made[key] = Category(key[0], key[1], urls.category_path(*key),
                                               entries, len(members))
        return found

    def replace(self, site: Site, old: Project, new: Project) -> set[Key]:
        """Take ``new`` in place of ``old`` (same id, year and unit) in ``site``; returns the
        categories whose entries changed."""
        self.site = site
        before = self._entries[old.id]
        after = self._entries[new.id] = project_entries(site, new)
        changed = {key for key in before.keys() | after.keys()
                   if before.get(key) != after.get(key)}
        for key in before.keys() - after.keys():
            self._members[key].remove(old.id)
            if not self._members[key]:
                del self._members[key]
        for key in after.keys() - before.keys():
            members = self._members[key]
            orders = [category_order(self._project(pid)) for pid in members]
            members.insert(bisect_left(orders, category_order(new)), new.id)
        for key in changed:
            self._made.pop(key, None)
        return changed

    def counts(self, project_id: str) -> dict[Key, int]:
        """How many entries a project has in each of its categories."""
        return {key: len(entries) for key, entries in self._entries[project_id].items()}

    def span(self, key: Key, project_id: str) -> tuple[int, int]:
        """(index of the first, count) of a project's entries in a category; a project
        without entries there has count 0 at the index where they would go."""
        members = self._members.get(key, [])
        own = self._entries
        order = category_order(self._project(project_id))
        start = 0
        for pid in members:
            if pid == project_id:
                return start, len(own[pid][key])
            if category_order(self._project(pid)) > order:
                break
            start += len(own[pid][key])
        return start, 0

    def _project(self, project_id: str) -> Project:
        return self.site.project(project_id)


def project_entries(site: Site, project: Project) -> dict[Key, tuple[CategoryEntry, ...]]:
    """A project's entries in each of its categories, in published order."""
    found: dict[Key, list[CategoryEntry]] = {}
    for indicator in project.indicators:
        key = (indicator.category1, indicator.category2)
        entry = _entry(site, project, indicator)
        if key in found:
            found[key].append(entry)
        else:
            found[key] = [entry]
    return {key: tuple(entries) for key, entries in found.items()}


def mix(project: Project) -> tuple[tuple[str, str, int], ...]:
    """A project's indicator mix: (一级, 二级, count) per category, in form order."""
    counts: dict[tuple[str, str], int] = defaultdict(int)
    for indicator in project.indicators:
        counts[(indicator.category1, indicator.category2)] += 1
    return tuple((one, two, counts[(one, two)]) for one, two in sorted(counts, key=lambda k:
                                                                       _rank(*k)))

"""Plain data for templates: listings, totals and shares, computed once per build.

Page templates receive these small frozen records rather than the whole site, so that the
render cache can tell exactly which pages a content change affects.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import ROUND_HALF_UP, Decimal
from itertools import chain, islice

from site_builder.core import urls
from site_builder.model import Project, Site, Unit, format_amount


@dataclass(frozen=True)
class ProjectRef:
    """A project as it appears in a listing."""

    id: str
    """Project id."""
    name: str
    """Project name as published."""
    year: str
    """Budget year."""
    unit_name: str
    """Name of its unit."""
    unit_path: str
    """Site-relative path of its unit's page."""
    amount: str
    """Amount in 万元 as text (``3.28``)."""
    share: str
    """Share of the listing's total as text (``12.3%``)."""
    fraction: Decimal
    """Share of the listing's total between 0 and 1 (for bars)."""
    path: str
    """Site-relative path of its page."""


@dataclass(frozen=True)
class UnitSummary:
    """A unit-year with its totals."""

    year: str
    """Budget year."""
    code: str
    """Unit code."""
    name: str
    """Unit name."""
    count: int
    """Number of projects."""
    total: str
    """Sum of its project amounts in 万元, as text."""
    declared_total: str
    """Total the published table declares ("" when none)."""
    share: str
    """Share of the year's total, as text."""
    fraction: Decimal
    """Share of the year's total between 0 and 1."""
    path: str
    """Site-relative path of the unit's page."""


@dataclass(frozen=True)
class UnitFacts:
    """A unit-year's totals as its own page states them (no bar: nothing there moves with
    the other units' amounts but the share text)."""

    count: int
    """Number of projects."""
    total: str
    """Sum of its project amounts in 万元, as text."""
    declared_total: str
    """Total the published table declares ("" when none)."""
    share: str
    """Share of the year's total, as text."""

    @classmethod
    def of(cls, summary: UnitSummary) -> UnitFacts:
        return cls(summary.count, summary.total, summary.declared_total, summary.share)


@dataclass(frozen=True)
class UnitYear:
    """The same unit in another year, as a unit page links it."""

    year: str
    """Budget year."""
    count: int
    """Number of projects."""
    total: str
    """Sum of its project amounts in 万元, as text."""
    path: str
    """Site-relative path of that unit-year's page."""

    @classmethod
    def of(cls, summary: UnitSummary) -> UnitYear:
        return cls(summary.year, summary.count, summary.total, summary.path)


@dataclass(frozen=True)
class YearSummary:
    """A budget year with its totals and units."""

    year: str
    """Budget year."""
    count: int
    """Number of projects."""
    total: str
    """Sum of all project amounts of the year, as text."""
    units: tuple[UnitSummary, ...]
    """Its units, largest total first."""
    path: str
    """Site-relative path of the year's page."""


def share(part: Decimal, whole: Decimal) -> tuple[str, Decimal]:
    """``part`` as a percentage of ``whole`` (text with one decimal) and as a fraction."""
    if whole <= 0:
        return "—", Decimal(0)
    fraction = part / whole
    percent = (fraction * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return f"{percent}%", fraction


def total(projects: Iterable[Project]) -> Decimal:
    return sum((p.amount for p in projects), Decimal(0))


def refs(site: Site, projects: Sequence[Project], order: str = "order") -> tuple[ProjectRef, ...]:
    """Listing rows for ``projects`` with their share of the listing's total, in ``order``."""
    return Listings(site).refs(projects, order)


class Listings:
    """Makes listing rows for one site, working out each project's own columns only once
    (a project appears in many listings: its unit's, its year's, its namesakes' pages)."""

    def __init__(self, site: Site) -> None:
        self.site = site
        self._columns: dict[int, tuple[Project, str, str, str, str]] = {}
        self._alone: dict[int, tuple[Project, ProjectRef]] = {}

    def _own_columns(self, project: Project) -> tuple[Project, str, str, str, str]:
        found = self._columns.get(id(project))
        if found is None or found[0] is not project:
            found = (project, self.site.unit_name(project),
                     urls.unit_path((project.year, project.unit_code)),
                     format_amount(project.amount), urls.project_path(project))
            self._columns[id(project)] = found
        return found

    def alone(self, project: Project) -> ProjectRef:
        """``project`` in a list where shares mean nothing (its namesakes): share ``—``; made
        once per project, so the pages that list it share one record."""
        found = self._alone.get(id(project))
        if found is None or found[0] is not project:
            found = self._alone[id(project)] = (project, self.refs([project], whole=Decimal(0))[0])
        return found[1]

    def refs(self, projects: Sequence[Project], order: str = "order",
             whole: Decimal | None = None) -> tuple[ProjectRef, ...]:
        """Listing rows for ``projects`` with their share of the listing's total (or of
        ``whole``), in ``order``."""
        whole = total(projects) if whole is None else whole
        rows = []
        for project in projects:
            _, unit_name, unit_path, amount, path = self._own_columns(project)
            text, fraction = share(project.amount, whole)
            rows.append(ProjectRef(
                id=project.id, name=project.name, year=project.year, unit_name=unit_name,
                unit_path=unit_path, amount=amount, share=text, fraction=fraction, path=path))
        if order == "amount":
            rows.sort(key=lambda r: (-Decimal(r.amount), r.id))
        return tuple(rows)


def years(site: Site) -> tuple[str, ...]:
    """Every budget year, newest first."""
    return tuple(sorted({p.year for p in site.projects} | {u.year for u in site.units},
                        reverse=True))


def data_date(site: Site, source_date_epoch: int | None) -> str:
    """The data date pages show: SOURCE_DATE_EPOCH when set, else the newest budget year (a
    build never reads the clock, so that it stays reproducible)."""
    if source_date_epoch is not None:
        return datetime.fromtimestamp(source_date_epoch, UTC).strftime("%Y-%m-%d")
    newest = years(site)
    return f"{newest[0]}年度预算" if newest else "—"


def unit_summary(site: Site, unit: Unit, year_total: Decimal) -> UnitSummary:
    projects = site.projects_of(*unit.key)
    amount = total(projects)
    text, fraction = share(amount, year_total)
    declared = "" if unit.declared_total is None else format_amount(unit.declared_total)
    return UnitSummary(unit.year, unit.code, unit.name, len(projects), format_amount(amount),
                       declared, text, fraction, urls.unit_path(unit))


def year_summaries(site: Site) -> tuple[YearSummary, ...]:
    """Totals of every year and of each of its units, newest year first."""
    result = []
    for year in years(site):
        projects = [p for p in site.projects if p.year == year]
        amount = total(projects)
        units = [unit_summary(site, u, amount) for u in site.units if u.year == year]
        units.sort(key=lambda u: (-Decimal(u.total), u.code))
        result.append(YearSummary(year, len(projects), format_amount(amount), tuple(units),
                                  urls.year_path(year)))
    return tuple(result)


def recent(site: Site, count: int, listings: Listings | None = None) -> tuple[ProjectRef, ...]:
    """The most recently added projects: newest year first, then last published first.

    Content carries no publication date, so "recent" follows the budget year and the published
    order; this keeps the build deterministic (no file times).
    """
    ordered = sorted(site.projects, key=lambda p: (p.year, p.unit_code, p.id), reverse=True)
    return (listings or Listings(site)).refs(ordered[:max(count, 0)])


def same_name(site: Site) -> dict[str, tuple[Project, ...]]:
    """Projects grouped by name (white space ignored), for 'same project elsewhere' links."""
    groups: dict[str, list[Project]] = defaultdict(list)
    for project in site.projects:
        groups["".join(project.name.split())].append(project)
    return {name: tuple(group) for name, group in groups.items()}


def _newest_first(project: Project) -> tuple[int, str, str, str]:
    return (-int(project.year) if project.year.isdigit() else 0, project.year,
            project.unit_code, project.id)


class Namesakes:
    """Other projects of the same name (white space ignored), nearest first: the same unit
    (same year, then other years), then the same year, then the rest; newest year first, then
    by unit and id.  Indexed per name, so that finding a project's first few namesakes does
    not sort its whole group (a common name has thousands of namesakes in a large site)."""

    def __init__(self, site: Site) -> None:
        self._by_unit: dict[str, dict[str, list[Project]]] = {}
        self._by_year: dict[str, dict[str, list[Project]]] = {}
        self._size: dict[str, int] = {}
        for name, group in same_name(site).items():
            by_unit: dict[str, list[Project]] = defaultdict(list)
            by_year: dict[str, list[Project]] = defaultdict(list)  # years newest first
            for project in sorted(group, key=_newest_first):
                by_unit[project.unit_code].append(project)
                by_year[project.year].append(project)
            self._by_unit[name], self._by_year[name] = by_unit, by_year
            self._size[name] = len(group)

    def nearest(self, project: Project, count: int) -> tuple[list[Project], int]:
        """Up to ``count`` namesakes of ``project``, nearest first, and how many it has."""
        name = "".join(project.name.split())
        unit, year = project.unit_code, project.year
        same_unit = self._by_unit[name].get(unit, [])
        by_year = self._by_year[name]
        candidates = chain(
            (p for p in same_unit if p.year == year),
            (p for p in same_unit if p.year != year),
            (p for p in by_year.get(year, []) if p.unit_code != unit),
            (p for other, group in by_year.items() if other != year
             for p in group if p.unit_code != unit))
        found = list(islice((p for p in candidates if p.id != project.id), count))
        return found, self._size[name] - 1

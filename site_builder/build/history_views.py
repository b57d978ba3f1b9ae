"""A project seen across years: what the page ``history/<code>-<digest>.html`` shows.

The same project in several years is the projects of one unit code with one name (white
space ignored, as for namesakes).  Its page puts the years side by side: the amount, the
绩效目标, the self-evaluation's total and execution rate, and every indicator with each
year's 指标值 (and 实际完成值 where the year has a self-evaluation).  An indicator is the same
in two years when its 一级, 二级 and 三级 (spaces and punctuation ignored) are the same; one a
year's self-evaluation has and its target table does not is a row too, saying so.
Only groups with projects in at least two years get a page; every project of a group links
to it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from markupsafe import Markup

from site_builder.achievement import OUTCOME_WORDS, Outcome, indicator_key, outcome
from site_builder.build import charts
from site_builder.build.formtable import FormRow, form_rows
from site_builder.build.renderer import PageJob
from site_builder.core import urls
from site_builder.model import (
    EvaluatedIndicator,
    Indicator,
    Project,
    SelfEvaluation,
    Site,
    format_amount,
)

HistoryKey = tuple[str, str]
"""(unit code, project name without white space): the same project in every year."""

RowKey = tuple[str, str, str, int]
"""(一级, 二级, 三级 compared, occurrence): the same indicator in every year."""


def history_key(project: Project) -> HistoryKey:
    """The group ``project`` belongs to."""
    return (project.unit_code, "".join(project.name.split()))


class Histories:
    """The site's projects grouped by :func:`history_key`, the groups of two years or more."""

    def __init__(self, site: Site) -> None:
        groups: dict[HistoryKey, list[Project]] = defaultdict(list)
        for project in site.projects:
            groups[history_key(project)].append(project)
        self.groups: dict[HistoryKey, tuple[Project, ...]] = {
            key: tuple(sorted(group, key=lambda p: (p.year, p.id)))
            for key, group in groups.items() if len({p.year for p in group}) > 1}
        """Each group of projects in more than one year, oldest first."""

    def path_of(self, project: Project) -> str:
        """The page of ``project``'s years, or "" when it is the only year."""
        key = history_key(project)
        return urls.history_path(*key) if key in self.groups else ""


@dataclass(frozen=True)
class YearColumn:
    """One year of the project, as a column of the page's tables."""

    project: Project
    """The project that year."""
    unit_name: str
    """Its unit's name that year."""
    amount: str
    """Its amount in 万元, as pages show it."""
    path: str
    """Its page."""
    evaluation: SelfEvaluation | None
    """Its self-evaluation, when the site has one."""
    rate: str
    """执行率 of the self-evaluation's 年度资金总额 row as published ("" when none)."""


@dataclass(frozen=True)
class YearCell:
    """One indicator in one year."""

    target: str
    """指标值 of the target table as published; "" when the year has no such indicator."""
    present: bool
    """Whether the year's target table has the indicator."""
    evaluated_target: str
    """年度指标值 as the year's self-evaluation gives it, for an indicator the self-evaluation
    has and the target table does not ("" otherwise)."""
    actual: str
    """实际完成值 of the year's self-evaluation for it, as published ("" when none)."""
    word: str
    """Whether the self-evaluation's target was met, in words ("" when not evaluated)."""
    outcome: Outcome | None
    """The same as a value (None when not evaluated)."""


@dataclass(frozen=True)
class HistoryRow:
    """One indicator across the years."""

    form: FormRow
    """Its place in the table: the 一级 and 二级 cells it starts, its 三级 name."""
    cells: tuple[YearCell, ...]
    """One per :attr:`HistoryView.years` column."""


@dataclass(frozen=True)
class HistoryView:
    """What ``history.html`` shows."""

    name: str
    """The project's name in its latest year."""
    years: tuple[YearColumn, ...]
    """Its years, oldest first."""
    rows: tuple[HistoryRow, ...]
    """Every indicator of any year, grouped by 一级 and 二级 as in the newest year."""
    chart: Markup
    """The amount of each year as a bar (no JavaScript)."""


def history_view(site: Site, projects: Sequence[Project],
                 amount_of: Iterable[str]) -> HistoryView:
    """The view of one group's ``projects`` (oldest first), ``amount_of`` each as shown."""
    years = tuple(_column(site, project, amount)
                  for project, amount in zip(projects, amount_of, strict=True))
    rows = _rows(years)
    chart = charts.bar_chart(
        "chart-history", f"{projects[-1].name}各年度金额（万元）",
        [(f"{c.project.year}年", c.project.amount, f"{c.amount} 万元") for c in years])
    return HistoryView(projects[-1].name, years, rows, chart)


def _column(site: Site, project: Project, amount: str) -> YearColumn:
    unit = site.unit(project.year, project.unit_code)
    evaluation = site.evaluation_of(project)
    first = evaluation.funds[0] if evaluation and evaluation.funds else None
    return YearColumn(project, unit.name if unit else project.unit_code, amount,
                      urls.project_path(project), evaluation, first.rate if first else "")


def _keyed(items: Iterable[tuple[str, str, str]]) -> Iterator[RowKey]:
    """Each (一级, 二级, 三级) as a row key, the n-th of a repeated name numbered n."""
    seen: dict[tuple[str, str, str], int] = defaultdict(int)
    for level1, level2, name in items:
        key = (level1, level2, indicator_key(name))
        yield (*key, seen[key])
        seen[key] += 1


def _rows(years: Sequence[YearColumn]) -> tuple[HistoryRow, ...]:
    names: dict[RowKey, str] = {}
    targets: list[dict[RowKey, Indicator]] = []
    actuals: list[dict[RowKey, EvaluatedIndicator]] = []
    for column in reversed(years):  # the newest year's names and order first
        indicators = column.project.indicators
        keyed = dict(zip(_keyed((i.level1, i.level2, i.name) for i in indicators), indicators,
                         strict=True))
        for key, indicator in keyed.items():
            names.setdefault(key, indicator.name)
        targets.insert(0, keyed)
        rows = column.evaluation.indicators if column.evaluation else ()
        evaluated = dict(zip(_keyed((i.level1, i.level2, i.name) for i in rows), rows,
                             strict=True))
        for key, row in evaluated.items():  # one the target table lacks: a row of its own
            names.setdefault(key, row.name)
        actuals.insert(0, evaluated)
    order = _grouped(list(names))
    forms = form_rows([Indicator(key[0], key[1], names[key], "") for key in order])
    return tuple(HistoryRow(form, tuple(_cell(target.get(key), actual.get(key))
                                        for target, actual in zip(targets, actuals,
                                                                  strict=True)))
                 for form, key in zip(forms, order, strict=True))


def _grouped(keys: list[RowKey]) -> list[RowKey]:
    """``keys`` with each 一级, and each 二级 within it, together, in first-seen order."""
    first1: dict[str, int] = {}
    first2: dict[tuple[str, str], int] = {}
    for number, key in enumerate(keys):
        first1.setdefault(key[0], number)
        first2.setdefault((key[0], key[1]), number)
    place = {key: number for number, key in enumerate(keys)}
    return sorted(keys, key=lambda k: (first1[k[0]], first2[(k[0], k[1])], place[k]))


def _cell(target: Indicator | None, actual: EvaluatedIndicator | None) -> YearCell:
    found = outcome(actual) if actual is not None else None
    return YearCell(target.value if target else "", target is not None,
                    actual.target if actual and target is None else "",
                    actual.actual if actual else "", OUTCOME_WORDS[found] if found else "",
                    found)


def history_jobs(site: Site, chrome: object, histories: Histories,
                 only: Iterable[HistoryKey] | None = None) -> Iterator[PageJob]:
    """The pages of every group of ``histories`` (or of the groups ``only``)."""
    keys = sorted(histories.groups) if only is None else sorted(
        k for k in set(only) if k in histories.groups)
    for key in keys:
        projects = histories.groups[key]
        view = history_view(site, projects, [format_amount(p.amount) for p in projects])
        newest = projects[-1]
        yield PageJob(urls.history_path(*key), "history.html", {
            "chrome": chrome, "view": view,
            "unit_path": urls.unit_path((newest.year, newest.unit_code)),
            "unit_name": view.years[-1].unit_name})

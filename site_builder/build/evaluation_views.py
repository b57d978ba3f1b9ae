"""What the 绩效自评 section of a page shows: the self-evaluation's rows laid out like the
official form, each with whether its target was met, in words.

Both the project page (``project.html``) and the page of a self-evaluation whose project the
site does not have (``evaluation.html``) render :class:`EvaluationView` through the template
``_evaluation.html``, so a site's own template can change how it looks.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal

from markupsafe import Markup

from site_builder.achievement import (
    OUTCOME_WORDS,
    PASS_SCORE,
    Outcome,
    grade_differs,
    number,
    outcome,
)
from site_builder.build import charts
from site_builder.build.formtable import FormRow, form_rows
from site_builder.build.renderer import PageJob
from site_builder.core import urls
from site_builder.model import EvaluatedIndicator, Indicator, SelfEvaluation, Site


@dataclass(frozen=True)
class EvaluationRow:
    """One indicator of the self-evaluation as the page shows it."""

    form: FormRow
    """Its place in the form: the 一级 and 二级 cells it starts, their ids, its number."""
    indicator: EvaluatedIndicator
    """The row as published."""
    outcome: Outcome
    """Whether the actual value reaches the target (see :func:`achievement.outcome`)."""
    word: str
    """The outcome in words (达成, 未达成, 无法比较)."""


@dataclass(frozen=True)
class EvaluationView:
    """A self-evaluation ready for ``_evaluation.html``."""

    evaluation: SelfEvaluation
    """The self-evaluation as published."""
    rows: tuple[EvaluationRow, ...]
    """Its indicator rows in published order."""
    counts: tuple[tuple[str, int], ...]
    """How many rows have each outcome, in words, leaving out outcomes no row has."""
    earned_grade: str
    """The grade the published total earns when the published grade differs, else ""."""


def evaluation_view(evaluation: SelfEvaluation) -> EvaluationView:
    """The view of ``evaluation``."""
    spans = form_rows([Indicator(i.level1, i.level2, i.name, i.target)
                       for i in evaluation.indicators])
    rows = tuple(EvaluationRow(form, indicator, found, OUTCOME_WORDS[found])
                 for form, indicator in zip(spans, evaluation.indicators, strict=True)
                 for found in (outcome(indicator),))
    tally = Counter(row.outcome for row in rows)
    return EvaluationView(
        evaluation, rows,
        tuple((word, tally[key]) for key, word in OUTCOME_WORDS.items() if tally[key]),
        grade_differs(evaluation.grade, evaluation.total_score))


def evaluation_jobs(site: Site, chrome: object) -> Iterator[PageJob]:
    """The pages of the self-evaluations whose project the site does not have."""
    for evaluation in site.unlinked_evaluations:
        unit = site.unit(evaluation.year, evaluation.unit_code)
        yield PageJob(urls.evaluation_path(evaluation), "evaluation.html", {
            "chrome": chrome, "view": evaluation_view(evaluation), "unit": unit,
            "unit_path": urls.unit_path((evaluation.year, evaluation.unit_code)),
            "year_path": urls.year_path(evaluation.year)})


@dataclass(frozen=True)
class EvaluatedRef:
    """A self-evaluation as a unit or year page lists it."""

    name: str
    """项目名称 as published on the self-evaluation."""
    path: str
    """Where it is shown: its project's page (at ``#self-evaluation``) or its own page."""
    score: str
    """The published total."""
    unit_name: str
    """The unit's name."""


@dataclass(frozen=True)
class EvaluationSummary:
    """The self-evaluations of a unit-year or a year, in figures."""

    evaluated: int
    """How many self-evaluations."""
    projects: int
    """How many projects the unit-year or year has."""
    average: str
    """The average of the totals that are numbers, to two decimals ("" when none is)."""
    rate: str
    """All 全年执行数 over all 全年预算数 of the 年度资金总额 rows, as a percentage ("" when
    no row states both)."""
    below: tuple[EvaluatedRef, ...]
    """Those whose total is below :data:`PASS_SCORE`, lowest first."""
    chart: Markup
    """A bar per self-evaluation (unit page) or per unit (year page), no JavaScript."""


def ref_of(site: Site, evaluation: SelfEvaluation) -> EvaluatedRef:
    project = site.evaluated_project(evaluation)
    path = (f"{urls.project_path(project)}#self-evaluation" if project
            else urls.evaluation_path(evaluation))
    unit = site.unit(evaluation.year, evaluation.unit_code)
    return EvaluatedRef(evaluation.name, path, evaluation.total_score,
                        unit.name if unit else evaluation.unit_code)


def _percent(value: Decimal) -> str:
    return f"{value.quantize(Decimal('0.01'))}%"


def summary_of(site: Site, evaluations: Sequence[SelfEvaluation], projects: int,
               chart: Markup) -> EvaluationSummary | None:
    """The figures of ``evaluations`` (None when there are none)."""
    if not evaluations:
        return None
    scored = [(number(e.total_score), e) for e in evaluations]
    totals = [score for score, _ in scored if score is not None]
    budget = executed = Decimal(0)
    for evaluation in evaluations:
        first = evaluation.funds[0] if evaluation.funds else None
        full, done = (number(first.full_year), number(first.executed)) if first else (None, None)
        if full is not None and done is not None:
            budget, executed = budget + full, executed + done
    below = sorted(((score, e) for score, e in scored if score is not None
                    and score < PASS_SCORE), key=lambda item: (item[0], item[1].id))
    return EvaluationSummary(
        len(evaluations), projects,
        f"{(sum(totals, Decimal(0)) / len(totals)).quantize(Decimal('0.01'))}" if totals else "",
        _percent(executed / budget * 100) if budget else "",
        tuple(ref_of(site, e) for _, e in below), chart)


def unit_summary(site: Site, year: str, code: str, title: str) -> EvaluationSummary | None:
    """The self-evaluations of a unit-year, with a bar per self-evaluation's total."""
    evaluations = site.evaluations_of(year, code)
    items = sorted(((e.name, number(e.total_score) or Decimal(0), e.total_score or "—")
                    for e in evaluations), key=lambda item: (-item[1], item[0]))
    return summary_of(site, evaluations, len(site.projects_of(year, code)),
                      charts.bar_chart("chart-evaluation", title, items) if items else Markup(""))


def year_summary(site: Site, year: str, title: str) -> EvaluationSummary | None:
    """The self-evaluations of a year, with a bar per unit's average total."""
    evaluations = [e for e in site.evaluations if e.year == year]
    items = []
    for unit in (u for u in site.units if u.year == year):
        found = summary_of(site, site.evaluations_of(year, unit.code), 0, Markup(""))
        if found is not None and found.average:
            items.append((unit.name, Decimal(found.average), f"平均 {found.average} 分"))
    items.sort(key=lambda item: (-item[1], item[0]))
    projects = sum(1 for p in site.projects if p.year == year)
    return summary_of(site, evaluations, projects,
                      charts.bar_chart("chart-evaluation", title, items) if items else Markup(""))

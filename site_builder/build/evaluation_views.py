"""What the 绩效自评 section of a page shows: the self-evaluation's rows laid out like the
official form, each with whether its target was met, in words.

Both the project page (``project.html``) and the page of a self-evaluation whose project the
site does not have (``evaluation.html``) render :class:`EvaluationView` through the template
``_evaluation.html``, so a site's own template can change how it looks.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

from site_builder.achievement import OUTCOME_WORDS, Outcome, grade_differs, outcome
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

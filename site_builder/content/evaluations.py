"""Self-evaluation files (``<id>.evaluation.yaml``): read one, and the rules across files.

A self-evaluation (项目支出绩效自评表) sits beside the project files of its unit and year. It
is linked to its project by ``project:`` when the file states it, else by year, unit and name
(:func:`site_builder.model.evaluation_target`); one with no project still publishes, on a page
of its own, and the reader says so.  Every cell is kept as text, exactly as published.
"""

from __future__ import annotations

from pathlib import Path

from site_builder.content.schema import EVALUATION_FIELDS, EVALUATION_SUFFIX, UNIT_FILE_NAME
from site_builder.content.validate_fields import Fields, Row, check_mapping
from site_builder.content.yamlsafe import control_warnings, load_yaml_file
from site_builder.diagnostics import Diagnostic, Position
from site_builder.i18n import _
from site_builder.limits import DEFAULT_LIMITS, InputLimits
from site_builder.model import (
    EvaluatedIndicator,
    FundsRow,
    Project,
    SelfEvaluation,
    Unit,
    evaluation_target,
)


def is_evaluation_file(path: Path) -> bool:
    """Whether ``path`` is named as a self-evaluation file."""
    return path.name.endswith(EVALUATION_SUFFIX)


def read_evaluation(path: Path, shown: str, limits: InputLimits = DEFAULT_LIMITS
                    ) -> tuple[SelfEvaluation | None, list[Diagnostic]]:
    """The self-evaluation of one file, with its diagnostics (None when it has errors)."""
    node = load_yaml_file(path, shown, limits)
    values, positions, problems = check_mapping(node, EVALUATION_FIELDS, "evaluation",
                                                Position(shown, 1, 1))
    if any(d.severity == "error" for d in problems):
        return None, problems
    return evaluation_of(values, positions, shown), problems + control_warnings(node)


def _texts(values: Fields, key: str) -> tuple[str, ...]:
    return tuple(values.get(key) or ())  # type: ignore[arg-type]


def _text(values: Fields, key: str) -> str:
    return str(values.get(key) or "")


def _rows(values: Fields, key: str) -> tuple[Row, ...]:
    return tuple(values.get(key) or ())  # type: ignore[arg-type]


def evaluation_of(values: Fields, positions: dict[str, Position], shown: str
                  ) -> SelfEvaluation:
    """The self-evaluation of a file's checked fields."""
    funds = tuple(FundsRow(_text(row, "label"), _text(row, "initial"), _text(row, "full_year"),
                           _text(row, "executed"), _text(row, "weight"), _text(row, "rate"),
                           _text(row, "score"), pos) for row, pos in _rows(values, "funds"))
    indicators = tuple(
        EvaluatedIndicator(_text(row, "level1"), _text(row, "level2"), _text(row, "name"),
                           _text(row, "target"), _text(row, "actual"), _text(row, "weight"),
                           _text(row, "score"), _text(row, "reason"), pos)
        for row, pos in _rows(values, "indicators"))
    return SelfEvaluation(
        id=str(values["id"]), year=str(values["year"]), unit_code=str(values["unit"]),
        name=str(values["name"]), project=_text(values, "project"),
        department=_text(values, "department"), implementer=_text(values, "implementer"),
        funds=funds, expected=_texts(values, "expected"), achieved=_texts(values, "achieved"),
        indicators=indicators, total_weight=_text(values, "total_weight"),
        total_score=_text(values, "total_score"), grade=_text(values, "grade"),
        remark=_text(values, "remark"), notes=_texts(values, "notes"),
        source=_text(values, "source"), pos=Position(shown, 1, 1), field_pos=positions)


def check_evaluations(units: list[Unit], projects: list[Project],
                      evaluations: list[SelfEvaluation]) -> list[Diagnostic]:
    """Rules across files: one self-evaluation per id and per project, a unit file for each,
    and a word for each one that evaluates no project of the site."""
    problems: list[Diagnostic] = []
    unit_keys = {unit.key for unit in units}
    by_id = {project.id: project for project in projects}
    by_name: dict[tuple[str, str, str], str] = {}
    for project in projects:
        by_name.setdefault((project.year, project.unit_code, project.name.strip()), project.id)
    seen: dict[str, SelfEvaluation] = {}
    evaluated: dict[str, SelfEvaluation] = {}
    for evaluation in evaluations:
        pos = evaluation.field_pos.get("id", evaluation.pos)
        first = seen.setdefault(evaluation.id, evaluation)
        if first is not evaluation:
            problems.append(Diagnostic(
                pos, "error", _("duplicate self-evaluation id '{id}' (also used by "
                                "{path})").format(id=evaluation.id, path=first.pos.path),
                _("give each self-evaluation its own id; ids are used in URLs"),
                "duplicate-id"))
            continue
        if (evaluation.year, evaluation.unit_code) not in unit_keys:
            problems.append(Diagnostic(
                evaluation.field_pos.get("unit", evaluation.pos), "error",
                _("unit '{code}' of year {year} has no unit file").format(
                    code=evaluation.unit_code, year=evaluation.year),
                _("create {path}").format(path=f"content/{evaluation.year}/"
                                               f"{evaluation.unit_code}/{UNIT_FILE_NAME}"),
                "unknown-unit"))
        target = evaluation_target(evaluation, by_id, by_name)
        if target is None:
            problems.append(_alone(evaluation))
        elif target in evaluated:
            problems.append(Diagnostic(
                pos, "error", _("project '{project}' already has a self-evaluation "
                                "({path})").format(project=target,
                                                   path=evaluated[target].pos.path),
                _("keep one self-evaluation per project, or write the right 'project:' id"),
                "duplicate-evaluation"))
        else:
            evaluated[target] = evaluation
    return problems


def _alone(evaluation: SelfEvaluation) -> Diagnostic:
    """The notice of a self-evaluation that evaluates no project of the site."""
    if evaluation.project:
        return Diagnostic(
            evaluation.field_pos.get("project", evaluation.pos), "warning",
            _("the self-evaluation names project '{project}', which the site does not "
              "have; it is published on a page of its own").format(project=evaluation.project),
            _("check the project id, or import the project's 绩效目标表"), "evaluation-alone")
    return Diagnostic(
        evaluation.field_pos.get("name", evaluation.pos), "warning",
        _("no project of {year}, unit {code}, is named '{name}'; the self-evaluation is "
          "published on a page of its own").format(year=evaluation.year,
                                                   code=evaluation.unit_code,
                                                   name=evaluation.name),
        _("write the project's id as 'project:', or import the project's 绩效目标表"),
        "evaluation-alone")

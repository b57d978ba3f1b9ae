"""A quality finding and the helpers rule modules use to make one."""

from __future__ import annotations

from dataclasses import dataclass, replace

from site_builder.checks.registry import BY_ID
from site_builder.diagnostics import Diagnostic, Position, Severity
from site_builder.model import (
    EvaluatedIndicator,
    FundsRow,
    Indicator,
    Project,
    SelfEvaluation,
    Unit,
)


@dataclass(frozen=True)
class Finding:
    """One thing a finance reviewer would send back, with where it is and what to do."""

    rule: str
    """Id of the rule that found it (see :mod:`site_builder.checks.registry`)."""
    severity: Severity
    """error, warning or info, after ``site.yaml`` overrides."""
    pos: Position
    """Where to look (``content/2023/002001/2023-002001-04.yaml:14``)."""
    message: str
    """What is wrong, in words a township clerk understands."""
    hint: str
    """What to do about it."""
    project_id: str = ""
    """Id of the project, empty for unit-level findings."""
    project_name: str = ""
    """Name of the project, empty for unit-level findings."""
    indicator: str = ""
    """三级指标 name when the finding is about one indicator."""
    year: str = ""
    """Budget year of the project or unit."""
    unit_code: str = ""
    """Code of the unit."""
    related: tuple[str, ...] = ()
    """Ids of other projects the finding names (copy-paste)."""
    source: str = ""
    """Where in the imported form the finding is (the project's or the self-evaluation's
    ``source``), empty when unknown."""

    def to_diagnostic(self) -> Diagnostic:
        return Diagnostic(self.pos, self.severity, f"[{self.rule}] {self.message}", self.hint,
                          self.rule)

    def format(self) -> str:
        return self.to_diagnostic().format()

    def to_json(self) -> dict[str, object]:
        return {
            "rule": self.rule, "severity": self.severity, "path": self.pos.path,
            "line": self.pos.line, "project_id": self.project_id,
            "project_name": self.project_name, "indicator": self.indicator,
            "message": self.message, "hint": self.hint, "year": self.year,
            "unit": self.unit_code, "related": list(self.related),
        }

    def with_severity(self, severity: Severity) -> Finding:
        return replace(self, severity=severity)


def project_finding(rule: str, project: Project, message: str, hint: str, *,
                    field: str = "", indicator: Indicator | None = None,
                    related: tuple[str, ...] = ()) -> Finding:
    """A finding about ``project`` (at ``indicator``, or at the top-level ``field``)."""
    if indicator is not None:
        pos = indicator.pos
    else:
        pos = project.field_pos.get(field, project.pos) if field else project.pos
    return Finding(
        rule=rule, severity=BY_ID[rule].severity, pos=pos, message=message, hint=hint,
        project_id=project.id, project_name=project.name,
        indicator=indicator.name if indicator is not None else "", year=project.year,
        unit_code=project.unit_code, related=related, source=project.source,
    )


def unit_finding(rule: str, unit: Unit, message: str, hint: str) -> Finding:
    """A finding about a unit as a whole."""
    return Finding(rule=rule, severity=BY_ID[rule].severity, pos=unit.pos, message=message,
                   hint=hint, year=unit.year, unit_code=unit.code)


def evaluation_finding(rule: str, evaluation: SelfEvaluation, project: Project | None,
                       message: str, hint: str, *, field: str = "",
                       row: EvaluatedIndicator | FundsRow | None = None) -> Finding:
    """A finding about a self-evaluation (at ``row``, or at the top-level ``field``); it
    names the project evaluated when the site has it."""
    if row is not None:
        pos = row.pos
    else:
        pos = evaluation.field_pos.get(field, evaluation.pos) if field else evaluation.pos
    return Finding(
        rule=rule, severity=BY_ID[rule].severity, pos=pos, message=message, hint=hint,
        project_id=project.id if project else "", project_name=evaluation.name,
        indicator=row.name if isinstance(row, EvaluatedIndicator) else "",
        year=evaluation.year, unit_code=evaluation.unit_code, source=evaluation.source)

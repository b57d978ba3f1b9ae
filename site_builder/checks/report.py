"""Findings as text, JSON, the clerk's HTML report (by severity and rule, see
:mod:`~site_builder.checks.worklist`) or the published page's groups by project."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from jinja2 import Environment

from site_builder.checks import worklist
from site_builder.checks.finding import Finding
from site_builder.checks.registry import BY_ID, RULES, SEVERITY_LABELS
from site_builder.controls import markup_text
from site_builder.core.urls import project_path
from site_builder.diagnostics import Diagnostic, Severity
from site_builder.i18n import N_, _
from site_builder.model import Site, format_amount

SEVERITIES: tuple[Severity, ...] = ("error", "warning", "info")
COUNTS: dict[str, str] = {"error": N_("{count} error(s)"), "warning": N_("{count} warning(s)"),
                          "info": N_("{count} note(s)")}
"""How the summary counts each severity (translated where shown)."""


def summary(findings: Iterable[Finding | Diagnostic], projects: int | None = None) -> str:
    """``数据质量检查 42 个项目：1 个错误，36 个警告，40 个提示`` (in the language in use)."""
    counts = Counter(f.severity for f in findings)
    errors, warnings, notes = (_(COUNTS[s]).format(count=counts[s]) for s in SEVERITIES)
    parts = _("{errors}, {warnings}, {notes}").format(errors=errors, warnings=warnings,
                                                      notes=notes)
    if projects is not None:
        return _("quality check of {projects} projects: {counts}").format(projects=projects,
                                                                          counts=parts)
    return _("quality check: {counts}").format(counts=parts)


def build_messages(diagnostics: Iterable[Diagnostic]) -> list[str]:
    """What ``build`` prints: errors and warnings, then a summary of the quality findings."""
    diagnostics = list(diagnostics)
    lines = [d.format() for d in diagnostics if d.severity != "info"]
    quality = [d for d in diagnostics if d.code in BY_ID]
    return [*lines, summary(quality) + _(" (site-builder check shows them all)")]


def to_text(findings: Sequence[Finding], site: Site) -> str:
    """One line per finding in the order of the HTML report (errors, warnings, notes; by rule
    within each), with the place in the imported form where there is one, then the summary."""
    lines = []
    for finding in sorted(findings, key=worklist.work_order):
        source = finding.source
        lines.append(finding.format() + (_(" [published table {source}]").format(source=source)
                                         if source else ""))

    return "\n".join([*lines, summary(findings, len(site.projects))]) + "\n"


def to_json(findings: Sequence[Finding]) -> str:
    return json.dumps([f.to_json() for f in findings], ensure_ascii=False, indent=2) + "\n"


@dataclass(frozen=True)
class Group:
    """The findings about one project (or one unit as a whole), for the HTML report."""

    title: str
    """Project name, or unit name for unit-level findings."""
    project_id: str
    """Project id; empty for a unit group."""
    href: str
    """Link to the project page relative to the site root; empty for a unit group."""
    unit: str
    """Unit name and budget year."""
    amount: str
    """Project amount in 万元 as text; empty for a unit group."""
    findings: tuple[Finding, ...]
    """The findings, most severe first."""

    def count(self, severity: str) -> int:
        return sum(1 for f in self.findings if f.severity == severity)


def groups(site: Site, findings: Sequence[Finding]) -> list[Group]:
    """Findings grouped per unit and project, in site order; severity order inside a group."""
    rank = {s: i for i, s in enumerate(SEVERITIES)}
    by_key: dict[tuple[str, str, str], list[Finding]] = {}
    for finding in findings:
        by_key.setdefault((finding.year, finding.unit_code, finding.project_id), []).append(
            finding)
    result: list[Group] = []
    projects = {p.id: p for p in site.projects}
    for (year, code, project_id), found in sorted(by_key.items()):
        found.sort(key=lambda f: (rank[f.severity], f.pos, f.rule))
        unit = site.unit(year, code)
        unit_text = f"{unit.name if unit else code}（{year}年）"
        project = projects.get(project_id)
        if project is None:
            result.append(Group(f"{unit_text}单位合计", "", "", unit_text, "", tuple(found)))
            continue
        result.append(Group(project.name, project.id, project_path(project), unit_text,
                            format_amount(project.amount), tuple(found)))
    return result


def rule_counts(findings: Sequence[Finding]) -> list[tuple[str, str, str, int]]:
    """(rule id, title, severity, count) for every rule that found something, in rule order."""
    counts = Counter((f.rule, f.severity) for f in findings)
    return [(r.id, r.title, sev, counts[(r.id, sev)]) for r in RULES for sev in SEVERITIES
            if counts[(r.id, sev)]]


def html_context(site: Site, findings: Sequence[Finding], *,
                 show_source: bool) -> dict[str, object]:
    """Everything the report templates need: the published page's groups by project, and
    with ``show_source`` (the local report) the clerk's sections by severity and rule."""
    grouped = groups(site, findings)
    context: dict[str, object] = {
        "groups": grouped, "rule_counts": rule_counts(findings), "rules": BY_ID,
        "labels": SEVERITY_LABELS, "severities": SEVERITIES, "show_source": show_source,
        "counts": {s: sum(1 for f in findings if f.severity == s) for s in SEVERITIES},
        "project_count": len(site.projects),
        "flagged": sum(1 for g in grouped if g.project_id),
    }
    if show_source:
        context["sections"] = worklist.sections(site, findings)
    return context


def to_html(env: Environment, site: Site, findings: Sequence[Finding],
            settings: dict[str, object]) -> str:
    """The standalone report the office opens locally (links work from the site root), made
    with ``env``, the site's templates (:func:`site_builder.build.jinja_env.make_environment`)."""
    return markup_text(env.get_template("quality_report.html").render(
        root="", settings=settings, site=site,
        **html_context(site, findings, show_source=True)))

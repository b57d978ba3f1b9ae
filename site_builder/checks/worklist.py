"""The check report as a clerk works through it: errors first, then warnings, then notes;
within each, one group per rule (repeated findings of a rule under one line with their count),
each finding with the project, the place in the imported form and the YAML line."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from site_builder.checks.finding import Finding
from site_builder.checks.registry import RULES, SEVERITY_LABELS, Rule
from site_builder.core.urls import project_path
from site_builder.diagnostics import Severity
from site_builder.model import Project, Site
from site_builder.sources import described_source

SEVERITIES: tuple[Severity, ...] = ("error", "warning", "info")
"""Severities in the order a clerk works through them."""
RANK = {severity: rank for rank, severity in enumerate(SEVERITIES)}
"""Each severity's place in :data:`SEVERITIES`."""
RULE_ORDER = {rule.id: number for number, rule in enumerate(RULES)}
"""Each rule's place in the registry (the order of docs/checks.md)."""
SEVERITY_ADVICE: dict[str, str] = {
    "error": "错误必须改正：有错误时 check 以退出码 1 结束，build --strict 不会发布。",
    "warning": "警告多半是填写有误，请逐条核对原表；确认原表就是这样的，可以保留。",
    "info": "提示只供参考，不影响发布。",
}
"""What each severity asks of the clerk."""


def work_order(finding: Finding) -> tuple[int, int, str, int, int, str]:
    """The order of the report: severity, rule, then place."""
    return (RANK[finding.severity], RULE_ORDER.get(finding.rule, len(RULES)), finding.pos.path,
            finding.pos.line, finding.pos.col, finding.message)


@dataclass(frozen=True)
class Item:
    """One finding as a row of the report."""

    finding: Finding
    """The finding itself."""
    project: str
    """Project name, or the unit's name for a finding about a unit as a whole."""
    href: str
    """Link to the project page relative to the site root; empty for a unit."""
    place: str
    """Where the project is in the form it was imported from, as a clerk reads it; empty when
    it was not imported or the importer recorded nothing."""


@dataclass(frozen=True)
class RuleGroup:
    """The findings of one rule at one severity."""

    rule: Rule
    """The rule."""
    severity: Severity
    """Their severity (after site.yaml)."""
    items: tuple[Item, ...]
    """The findings, in order of place."""
    shared_hint: str
    """The advice when every finding of the group has the same one, else ""."""

    @property
    def anchor(self) -> str:
        """HTML id of the group."""
        return f"rule-{self.rule.id}-{self.severity}"


@dataclass(frozen=True)
class Section:
    """Every finding of one severity."""

    severity: Severity
    """error, warning or info."""
    label: str
    """错误, 警告 or 提示."""
    advice: str
    """What this severity asks of the clerk."""
    groups: tuple[RuleGroup, ...]
    """One group per rule, in rule order."""

    @property
    def count(self) -> int:
        return sum(len(group.items) for group in self.groups)


def sections(site: Site, findings: Sequence[Finding]) -> list[Section]:
    """The findings by severity and rule, each with its project and imported place."""
    projects = {project.id: project for project in site.projects}
    by_group: dict[tuple[Severity, str], list[Item]] = {}
    for finding in sorted(findings, key=work_order):
        by_group.setdefault((finding.severity, finding.rule), []).append(
            _item(site, projects.get(finding.project_id), finding))
    rules = {rule.id: rule for rule in RULES}
    result = []
    for severity in SEVERITIES:
        groups = []
        for (found_severity, rule_id), items in by_group.items():
            if found_severity != severity:
                continue
            hints = {item.finding.hint for item in items}
            groups.append(RuleGroup(rules[rule_id], severity, tuple(items),
                                    hints.pop() if len(hints) == 1 else ""))
        result.append(Section(severity, SEVERITY_LABELS[severity], SEVERITY_ADVICE[severity],
                              tuple(groups)))
    return result


def _item(site: Site, project: Project | None, finding: Finding) -> Item:
    if project is None and finding.project_name:  # a self-evaluation without its project
        return Item(finding, f"{finding.project_name}（绩效自评）", "",
                    described_source(finding.source))
    if project is None:
        unit = site.unit(finding.year, finding.unit_code)
        name = unit.name if unit else finding.unit_code
        return Item(finding, f"{name}（{finding.year}年）单位合计", "", "")
    return Item(finding, finding.project_name or project.name, project_path(project),
                described_source(finding.source))

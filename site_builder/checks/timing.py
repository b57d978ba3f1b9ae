"""Time rule: years in the project name, the goals and 时效 values against the budget year."""

from __future__ import annotations

from collections.abc import Iterator, Set

from site_builder.checks.finding import Finding, project_finding
from site_builder.checks.text import categories, parsed, quoted, years_in
from site_builder.model import Indicator, Project, Site


def check(site: Site, enabled: Set[str]) -> Iterator[Finding]:
    for project in site.projects:
        yield from _project(project)


def _hint(project: Project) -> str:
    return (f"预算年度是 {project.year} 年，请核对年份；如果是有意写其他年份（如上年结转），"
            "可以忽略这条提醒")


def _other(years: list[int], project: Project) -> str:
    return "、".join(str(y) for y in sorted(set(years)) if str(y) != project.year)


def _project(project: Project) -> Iterator[Finding]:
    if other := _other(years_in(project.name), project):
        yield project_finding("year-mismatch", project,
                              f"项目名称中的年份 {other} 与预算年度 {project.year} 不一致",
                              _hint(project), field="name")
    goal_years = [y for goal in project.goals for y in years_in(goal)]
    if other := _other(goal_years, project):
        yield project_finding("year-mismatch", project,
                              f"绩效目标中写的年份 {other} 与预算年度 {project.year} 不一致",
                              _hint(project), field="goals")
    for indicator in project.indicators:
        if categories(indicator)[1] == "时效指标" and (other := _other(_years(indicator), project)):
            yield project_finding(
                "year-mismatch", project,
                f"时效指标「{quoted(indicator.name)}」的指标值“{quoted(indicator.value, 30)}”"
                f"写的是 {other} 年，预算年度是 {project.year} 年",
                _hint(project), indicator=indicator)


def _years(indicator: Indicator) -> list[int]:
    reading = parsed(indicator.value)
    if reading.year is not None:
        return [reading.year]
    return years_in(indicator.value)

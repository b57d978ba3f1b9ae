"""Money rules: unit totals, the 合计 row, 成本 indicators and goals against the amount."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Set
from decimal import Decimal, InvalidOperation

from site_builder.checks.finding import Finding, project_finding, unit_finding
from site_builder.checks.text import PER_UNIT, is_cost, money_in_goal, money_value, parsed
from site_builder.model import Project, Site

LOW_COST_SHARE = Decimal("0.5")
"""成本 indicators adding up to less than this share of the amount get ``cost-below-amount``."""
SOURCE_HINT = "公开数据照原样保留；请核对源表并在源表中改正"


def wan(value: Decimal) -> str:
    """An amount in 万元 as plain text without trailing zeros (``1.5``, ``162``)."""
    text = format(value.normalize(), "f")
    return text if value else "0"


def check(site: Site, enabled: Set[str]) -> Iterator[Finding]:
    yield from _unit_totals(site)
    for project in site.projects:
        yield from _table_total(project)
        yield from _costs(project)
        yield from _goals(project)


def _unit_totals(site: Site) -> Iterator[Finding]:
    sums: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    for project in site.projects:
        sums[(project.year, project.unit_code)] += project.amount
    for unit in site.units:
        total = sums.get(unit.key, Decimal(0))
        if unit.declared_total is not None and unit.declared_total != total:
            yield unit_finding(
                "unit-total", unit,
                f"{unit.name}（{unit.year}年）表头合计 {wan(unit.declared_total)} 万元，各项目金额"
                f"相加为 {wan(total)} 万元，相差 {wan(abs(unit.declared_total - total))} 万元",
                f"核对是否漏了项目或金额写错；{SOURCE_HINT}")


def _table_total(project: Project) -> Iterator[Finding]:
    text = (project.table_total or "").strip()
    if not text:
        return
    try:
        total = Decimal(text)
    except InvalidOperation:
        return
    if total != project.amount:
        yield project_finding(
            "table-total", project,
            f"合计行写的是 {wan(total)} 万元，项目金额是 {wan(project.amount)} 万元",
            f"核对合计行和项目金额；{SOURCE_HINT}", field="table_total")


def _costs(project: Project) -> Iterator[Finding]:
    costs = [money_value(parsed(i.value)) for i in project.indicators
             if is_cost(i) and not PER_UNIT.search(i.name)]
    sums = [c for c in costs if c is not None]
    if not sums:
        return
    total, amount = sum(sums, Decimal(0)), project.amount
    if total > amount:
        yield project_finding(
            "cost-over-amount", project,
            f"成本指标合计 {wan(total)} 万元，超过了项目金额 {wan(amount)} 万元",
            "成本上限加起来不能超过项目金额；核对各项成本", field="indicators")
    elif total < amount * LOW_COST_SHARE:
        yield project_finding(
            "cost-below-amount", project,
            f"成本指标合计只有 {wan(total)} 万元，不到项目金额 {wan(amount)} 万元的一半",
            "成本指标应覆盖项目的主要开支；核对是否照搬了其他项目的成本指标",
            field="indicators")


def _goals(project: Project) -> Iterator[Finding]:
    amounts = [m for goal in project.goals for m in money_in_goal(goal)]
    if not amounts:
        return
    biggest, total = max(amounts), sum(amounts, Decimal(0))
    breakdown = total - biggest == biggest
    if biggest > project.amount or (total > project.amount and not breakdown):
        listed = "、".join(f"{wan(a)}万元" for a in amounts)
        yield project_finding(
            "goals-money", project,
            f"绩效目标中写的金额（{listed}）超过了项目金额 {wan(project.amount)} 万元",
            "目标应描述本项目资金能完成的事；核对金额，或删去不属于本项目的资金",
            field="goals")

"""Value rules: unreadable values, garbled operators, rates, impossible and trivial targets."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Set
from decimal import Decimal
from functools import lru_cache

from site_builder.checks.finding import Finding, project_finding
from site_builder.checks.text import (
    is_change,
    is_cost,
    is_growth,
    is_quantitative,
    is_rate,
    parsed,
    quoted,
)
from site_builder.model import Indicator, Project, Site

MIN_QUANTITATIVE_SHARE = Decimal("0.5")
"""Below this share of quantitative indicators a project gets a ``quantitative-share`` note."""
_SIGNS = re.compile(r"[≥≤<>=≈≦≧≒≅⩽⩾~〈〉≮≯]{2,}|[≦≧≒≅⩽⩾〈〉≮≯]")
GARBLED = ("≅", "~")
"""Signs that are not comparisons at all; the meant one is guessed from the indicator."""
MEASURABLE = "如“≥95%”“10次”“2023年12月底前”"
Note = tuple[str, str, str]
"""A finding about an indicator before it is placed: rule, message and hint."""


def check(site: Site, enabled: Set[str]) -> Iterator[Finding]:
    rates = "rate-not-percent" in enabled
    for project in site.projects:
        for indicator in project.indicators:
            if indicator.value.strip():
                for rule, message, hint in _notes(indicator.level1, indicator.level2,
                                                  indicator.name, indicator.value, rates):
                    yield project_finding(rule, project, message, hint, indicator=indicator)
        yield from _share(project)


@lru_cache(maxsize=1 << 16)
def _notes(level1: str, level2: str, name: str, value: str, rates: bool) -> tuple[Note, ...]:
    """What the value rules find about an indicator with these texts, remembered: they depend
    on nothing else, and indicators repeat a lot."""
    return tuple(_value(Indicator(level1, level2, name, value), rates))


def _value(indicator: Indicator, rates: bool) -> Iterator[Note]:
    reading = parsed(indicator.value)
    name, value = quoted(indicator.name), quoted(indicator.value, 30)
    rate = is_rate(indicator.name) and rates
    if reading.kind == "text" and (signs := _garbled_signs(indicator.value)):
        yield ("variant-operator",
               f"指标「{name}」的指标值“{value}”中的比较符号“{signs}”写乱了，读不出目标",
               "只写一个比较符号再写数字，如“≥95%”“≤0.5万元”")
    elif reading.kind == "text" and not is_change(indicator.value) and not rate:
        yield ("unparseable-value",
               f"指标「{name}」的指标值“{value}”不是数字、日期或简短的定性词，无法衡量是否达成",
               f"写成可衡量的目标值，{MEASURABLE}；说明文字写在指标名称里")
    if reading.variant:
        yield _variant(indicator)
    if rate:
        yield from _rate(indicator)
    number = Decimal(reading.number) if reading.number is not None else None
    if number is None or reading.kind != "quantity":
        return
    limit = {"%": 100, "‰": 1000}.get(reading.unit or "")
    if limit is not None and number > limit and not is_growth(indicator.name):
        yield ("percent-over-100", f"指标「{name}」的指标值“{value}”超过了100%",
               "比率最多为100%，请核对数字是否写错")
    if reading.op == "≥" and number == 0:
        yield ("trivial-target",
               f"指标「{name}」的目标“{value}”无论结果如何都能达到，起不到考核作用",
               "写出真正要达到的目标值，如“≥5%”；目标是不发生时写“0起”")


@lru_cache(maxsize=1 << 16)
def _garbled_signs(value: str) -> str:
    """The run of comparison signs in a value the parser could not read (``≥≥95%``)."""
    match = _SIGNS.search(unicodedata.normalize("NFKC", value))
    return match[0] if match else ""


def _variant(indicator: Indicator) -> Note:
    reading = parsed(indicator.value)
    sign = reading.op_published
    if reading.op == "≈" and sign in GARBLED:
        meant = "≤" if is_cost(indicator) else \
            "≥" if reading.unit == "%" else "≈"
        hint = f"“{sign}”不是比较符号，可能是“{meant}”写乱了；请按本意在源表中改为“≥”“≤”或“≈”"
    else:
        hint = f"应写作“{reading.op}”；请在源表中改正（网站照原样公开）"
    return ("variant-operator",
            f"指标「{quoted(indicator.name)}」的指标值“{quoted(indicator.value, 30)}”用了不规范的"
            f"符号“{sign}”", hint)


def _rate(indicator: Indicator) -> Iterator[Note]:
    reading = parsed(indicator.value)
    if reading.kind == "quantity" and reading.unit in ("%", "‰"):
        return
    if is_change(indicator.value) and indicator.value.strip().endswith(("%", "‰")):
        return
    if reading.kind == "text" and _garbled_signs(indicator.value):
        return  # variant-operator says what is wrong
    if reading.kind == "quantity" and not reading.unit and Decimal(reading.number or "1") == 0:
        return
    name, value = quoted(indicator.name), quoted(indicator.value, 30)
    if reading.kind == "quantity" and not reading.unit:
        message = f"指标「{name}」是比率，指标值“{value}”缺少百分号"
    else:
        message = f"指标「{name}」是比率，但指标值“{value}”不是百分数"
    yield ("rate-not-percent", message,
           "比率的目标值写成百分数，如“≥95%”；若不是比率，改正指标名称")


def _share(project: Project) -> Iterator[Finding]:
    total = len(project.indicators)
    if not total:
        return
    count = sum(1 for i in project.indicators if is_quantitative(i))
    if Decimal(count) / total < MIN_QUANTITATIVE_SHARE:
        percent = round(100 * count / total)
        yield project_finding(
            "quantitative-share", project,
            f"定量指标只有 {count} 条，占全部 {total} 条指标的 {percent}%",
            "绩效指标应以定量指标为主：尽量用数字、百分比或日期作为目标值",
            field="indicators")

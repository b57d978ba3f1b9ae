"""Small text helpers shared by the rule modules: compact names, money, years, rates."""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal
from functools import lru_cache

from site_builder.categories import canonical_level1, canonical_level2
from site_builder.model import Indicator
from site_builder.values import ParsedValue, parse_value

MONEY_UNITS: dict[str, Decimal] = {
    "万元": Decimal(1), "万": Decimal(1), "万元/年": Decimal(1), "亿元": Decimal(10000),
}
"""Units of an indicator value read as a whole sum, with their factor to 万元.

Values in 元 are left out on purpose: in tables whose amounts are in 万元 they are unit costs
(``人均成本 80元``, ``劳务补助 70元``), never totals.
"""

PER_UNIT = re.compile(r"人均|单次|单价|单位成本|每(?:人|次|场|月|户|个|件|台|套|天|日|期|批)")
"""Indicator names that state a unit cost (``慰问帮扶单次成本``), not a total."""

_PUNCT = re.compile(r"[\s\u3000,，、;；:：.。!！?？'\"“”‘’()（）\[\]【】<>《》\-—_/]+")
_GOAL_PREFIX = re.compile(r"^\s*(?:目标|绩效目标)?\s*[一二三四五六七八九十\d]*\s*[：:、.．]\s*")
_YEAR = re.compile(r"(?<![\d.])((?:19|20)\d{2})(?!\d)(?=\s*(?:年|全年|\.\d|-\d|/\d))")
_GOAL_MONEY = re.compile(r"(?<![\d.])(\d+(?:\.\d+)?)\s*(亿元|万元|元)(?!\s*[/／每])")
_GOAL_MONEY_PER_UNIT = re.compile(r"每|人均|标准|单价")
_CHANGE = re.compile(r"^(?:增幅|增长|增加|提高|提升|上升|下降|降低|减少)了?\s*"
                     r"(?:[≥≤>]|不低于|不少于|达到)?\s*\d+(?:\.\d+)?\s*[%‰]$")
_NOT_RATES = ("效率", "频率", "功率")
_GROWTH = re.compile(r"增长|增幅|提高|提升|上升|增加|同比|环比")


@lru_cache(maxsize=1 << 16)
def parsed(value: str) -> ParsedValue:
    """:func:`~site_builder.values.parse_value`, remembered: the same values recur a lot."""
    return parse_value(value)


@lru_cache(maxsize=1 << 12)
def _categories(level1: str, level2: str) -> tuple[str, str, str | None, str | None]:
    probe = Indicator(level1, level2, "", "")
    return (probe.category1, probe.category2, canonical_level1(level1),
            canonical_level2(level2))


def categories(indicator: Indicator) -> tuple[str, str]:
    """``(category1, category2)`` of ``indicator``, remembered per published pair."""
    c1, c2, _, _ = _categories(indicator.level1, indicator.level2)
    return c1, c2


def stated_categories(indicator: Indicator) -> tuple[str | None, str | None]:
    """Canonical 一级 and 二级 as published (None when not a category name)."""
    _, _, c1, c2 = _categories(indicator.level1, indicator.level2)
    return c1, c2


def is_cost(indicator: Indicator) -> bool:
    """Whether the indicator is a 成本 indicator (二级 under 产出, or the 2022 一级)."""
    return "成本指标" in categories(indicator)


@lru_cache(maxsize=1 << 18)
def compact(text: str) -> str:
    """``text`` without spaces and punctuation, NFKC-normalised, for comparisons."""
    return _PUNCT.sub("", unicodedata.normalize("NFKC", text))


@lru_cache(maxsize=1 << 16)
def goal_text(goal: str) -> str:
    """A goal without its ``目标一：`` label, compacted."""
    return compact(_GOAL_PREFIX.sub("", unicodedata.normalize("NFKC", goal)))


def years_in(text: str) -> list[int]:
    """Four-digit years written as years (``2021年``, ``2023全年``, ``2021.12.31``)."""
    return list(_years_in(text))


@lru_cache(maxsize=1 << 16)
def _years_in(text: str) -> tuple[int, ...]:
    return tuple(int(y) for y in _YEAR.findall(unicodedata.normalize("NFKC", text)))


def money_in_goal(goal: str) -> list[Decimal]:
    """Sums of money (in 万元) written in a goal; rates and standards (``300元/人``) excluded."""
    return list(_money_in_goal(goal))


@lru_cache(maxsize=1 << 16)
def _money_in_goal(goal: str) -> tuple[Decimal, ...]:
    text = unicodedata.normalize("NFKC", goal)
    found: list[Decimal] = []
    for match in _GOAL_MONEY.finditer(text):
        before = text[max(0, match.start() - 8):match.start()]
        if _GOAL_MONEY_PER_UNIT.search(before):
            continue
        number = Decimal(match[1])
        found.append(number * 10000 if match[2] == "亿元" else
                     number / 10000 if match[2] == "元" else number)
    return tuple(found)


def money_value(value: ParsedValue) -> Decimal | None:
    """The value in 万元 when it is a sum of money, else None."""
    if value.kind != "quantity" or value.number is None or value.unit not in MONEY_UNITS:
        return None
    return Decimal(value.number) * MONEY_UNITS[value.unit]


@lru_cache(maxsize=1 << 16)
def is_change(value: str) -> bool:
    """A stated change such as ``增幅20%`` or ``提高5%``: measurable though not a plain number."""
    return bool(_CHANGE.match(unicodedata.normalize("NFKC", value).strip()))


def is_quantitative(indicator: Indicator) -> bool:
    """Whether the value is a number, a date, a period or a stated change."""
    return parsed(indicator.value).kind in ("quantity", "date", "period") or \
        is_change(indicator.value)


@lru_cache(maxsize=1 << 16)
def is_rate(name: str) -> bool:
    """Whether an indicator name names a rate (``…率``), not an efficiency or frequency."""
    core = compact(name)
    return core.endswith("率") and not core.endswith(_NOT_RATES)


def is_growth(name: str) -> bool:
    """Whether an indicator name names a growth, which may exceed 100%."""
    return bool(_GROWTH.search(name))


@lru_cache(maxsize=1 << 16)
def quoted(text: str, limit: int = 40) -> str:
    """``text`` shortened for a message."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"

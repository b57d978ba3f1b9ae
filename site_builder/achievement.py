"""What a self-evaluation says was achieved, read from its published text.

Pages and checks both ask the same questions of a 自评表 row — was the target met, what do the
scores and the execution rate read as numbers, which grade does a score earn — and get the
same answers from here.  Nothing here changes a published value; an answer that cannot be
read from the text is ``not-comparable`` or None.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation
from typing import Literal

from site_builder.model import EvaluatedIndicator
from site_builder.values import ParsedValue, normalise, parse_value

Outcome = Literal["met", "missed", "not-comparable"]
"""Whether an indicator's 实际完成值 reaches its 年度指标值."""

OUTCOME_WORDS: dict[Outcome, str] = {"met": "达成", "missed": "未达成",
                                     "not-comparable": "无法比较"}
"""How pages name each outcome (in words, never by colour alone)."""

GRADES: tuple[tuple[Decimal, str], ...] = ((Decimal(90), "优"), (Decimal(80), "良"),
                                           (Decimal(60), "中"), (Decimal(0), "差"))
"""自评等级 by the lowest total score that earns it (财预〔2020〕10号)."""

GRADE_WORDS: dict[str, str] = {"优": "优", "优秀": "优", "良": "良", "良好": "良", "中": "中",
                              "中等": "中", "合格": "中", "差": "差", "较差": "差",
                              "不合格": "差"}
"""Ways of writing each 自评等级, and the grade each means."""

SAME_UNITS: dict[str, str] = {"万": "万元", "百分比": "%", "％": "%"}
"""Units written in another way that mean the same."""

_NUMBER = re.compile(r"^\s*([+-]?\d+(?:\.\d+)?)\s*(?:分|%|万元|万)?\s*$")


def number(text: str) -> Decimal | None:
    """The number a score, weight, amount or rate cell states (``9.5``, ``9.5分``, ``97%``),
    None when it states none."""
    match = _NUMBER.match(normalise(text))
    if match is None:
        return None
    try:
        return Decimal(match[1])
    except InvalidOperation:
        return None


PASS_SCORE = Decimal(80)
"""A total below this is “低于 80 分”: listed on unit and year pages, a search filter (良
starts at 80)."""


def below_pass(total: str) -> bool:
    """Whether a published 总分 states a number below :data:`PASS_SCORE`."""
    score = number(total)
    return score is not None and score < PASS_SCORE


EVALUATION_FILTERS: dict[str, str] = {"evaluated": "已发布绩效自评",
                                      "below-80": "自评总分低于 80 分"}
"""Values of the self-evaluation filter, and how the search page names them: a project with a
self-evaluation is ``evaluated``; one whose published total is below 80 also ``below-80``
(:func:`below_pass`)."""


def grade_of(score: Decimal) -> str:
    """The grade a total score earns: 优 ≥ 90, 良 80–89, 中 60–79, 差 < 60."""
    return next(grade for lowest, grade in GRADES if score >= lowest)


def grade_differs(published: str, total: str) -> str:
    """The grade ``total`` earns when the published grade says otherwise, else ""."""
    score = number(total)
    if score is None or not published.strip():
        return ""
    earned = grade_of(score)
    return "" if GRADE_WORDS.get(published.strip()) == earned else earned


def _unit(parsed: ParsedValue) -> str:
    unit = (parsed.unit or "").strip()
    return SAME_UNITS.get(unit, unit)


def _direction(indicator: EvaluatedIndicator, parsed: ParsedValue) -> str | None:
    """The comparison a target asks for; a bare number is a floor, except for a cost."""
    if parsed.op is not None:
        return parsed.op
    return "≤" if indicator.category2 == "成本指标" else "≥"


def outcome(indicator: EvaluatedIndicator) -> Outcome:
    """Whether the row's 实际完成值 reaches its 年度指标值.

    Quantities are compared when both state a number in the same unit (the actual may omit
    the unit); dates when both are dates (done on or before the day); any other target is met
    only when the actual repeats it word for word.  ``≈`` targets are not compared."""
    target, actual = parse_value(indicator.target), parse_value(indicator.actual)
    if actual.kind == "empty" or target.kind == "empty":
        return "not-comparable"
    if target.kind == "quantity" and actual.kind == "quantity":
        return _quantity(indicator, target, actual)
    if target.kind == "date" and actual.kind == "date":
        return "met" if _day(actual) <= _day(target) else "missed"
    if normalise(indicator.target) == normalise(indicator.actual):
        return "met"
    return "not-comparable"


def _quantity(indicator: EvaluatedIndicator, target: ParsedValue, actual: ParsedValue
              ) -> Outcome:
    if actual.unit and _unit(actual) != _unit(target):
        return "not-comparable"
    if actual.op not in (None, "=") or target.number is None or actual.number is None:
        return "not-comparable"
    goal, done = Decimal(target.number), Decimal(actual.number)
    met = {"≥": done >= goal, ">": done > goal, "≤": done <= goal, "<": done < goal,
           "=": done == goal}.get(_direction(indicator, target) or "")
    if met is None:
        return "not-comparable"
    return "met" if met else "missed"


def _day(parsed: ParsedValue) -> tuple[int, int, int]:
    return (parsed.year or 0, parsed.month or 12, parsed.day or 31)


def quantitative(indicator: EvaluatedIndicator) -> bool:
    """Whether the target states a number to reach (a quantity, not a word or a period)."""
    return parse_value(indicator.target).kind == "quantity"


def vague(text: str) -> bool:
    """Whether an actual value states no number or date (``效果明显``, ``较好``)."""
    parsed = parse_value(text)
    return parsed.kind in ("qualitative", "text") and not re.search(r"\d", normalise(text))


def indicator_key(name: str) -> str:
    """An indicator name without spaces and punctuation (NFKC-normalised), for finding the
    same indicator in two tables: a target table and its self-evaluation, or two years."""
    return re.sub(r"[\s\W_]+", "", unicodedata.normalize("NFKC", name))

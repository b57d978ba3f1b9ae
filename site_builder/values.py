"""Parse a published 指标值 (``≥95%``, ``≤0.76万元``, ``2023全年``, ``稳步提升``) into a typed form.

The published text is always kept by the caller; :func:`parse_value` only derives a reading of
it.  Numbers stay exact decimal strings, never floats.  Variant operators (``≦ ≧ ≒ ≅``) are read
as their usual meaning and marked ``variant`` so the quality checks can point them out.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, fields
from functools import lru_cache
from typing import Literal

Kind = Literal["quantity", "date", "period", "qualitative", "text", "empty"]

OPERATORS: dict[str, tuple[str, bool]] = {
    "≥": ("≥", False), "≤": ("≤", False), ">": (">", False), "<": ("<", False),
    "=": ("=", False), "≈": ("≈", False), ">=": ("≥", False), "<=": ("≤", False),
    "≧": ("≥", True), "≦": ("≤", True), "≒": ("≈", True), "≅": ("≈", True),
    "⩾": ("≥", True), "⩽": ("≤", True), "~": ("≈", True), "约": ("≈", False),
    "不低于": ("≥", False), "不少于": ("≥", False), "大于等于": ("≥", False),
    "不高于": ("≤", False), "不超过": ("≤", False), "不多于": ("≤", False),
    "小于等于": ("≤", False), "大于": (">", False), "小于": ("<", False), "达到": ("≥", False),
}
"""Published operator → (canonical operator, is a variant form)."""

SUFFIX_OPERATORS: dict[str, str] = {"以上": "≥", "以下": "≤", "以内": "≤"}
"""Operators written after the number (``95%以上``)."""

KNOWN_UNITS: frozenset[str] = frozenset((
    '%', '‰', '万元', '元', '亿元', '千元', '万', '次', '人', '人次',
    '万人', '个', '份', '天', '日', '月', '个月', '年', '公里', '千米',
    '米', '平方米', '亩', '吨', '处', '场', '篇', '袋', '条', '项',
    '户', '村', '个村', '所', '座', '台', '套', '件', '本', '期', '批',
    '家', '辆', '起', '分', '小时', '周', '册', '张', '块', '棵', '株',
    '头', '只', '种', '名', '万元/年', '元/人', '元/月', '次/年',
    '人/次',
))
"""Units recognised as such; other short trailing text is kept as ``unit``, not ``unit_known``."""

QUALITATIVE_WORDS: frozenset[str] = frozenset((
    '是', '否', '提高', '提升', '稳步提升', '有所提升', '逐步提升', '明显提升',
    '健全', '完善', '完备', '规范', '有效', '增强', '增加', '减少', '降低',
    '减轻', '改善', '保障', '确保', '合理', '达标', '合格', '及时', '准确',
    '显著', '明显', '良好', '优良', '长期', '长久', '持续', '稳定',
    '社会稳定', '丰富', '和睦幸福', '按时', '按期', '全覆盖', '无',
))
"""Common qualitative targets; other short number-free text is still read as qualitative."""

_OP_PATTERN = "|".join(sorted((re.escape(k) for k in OPERATORS), key=len, reverse=True))
_NUMBER = r"\d+(?:\.\d+)?"
_QUANTITY = re.compile(
    rf"^(?P<op>{_OP_PATTERN})?\s*(?P<num>{_NUMBER})\s*(?P<unit>[^\d\s]{{0,6}}?)\s*"
    rf"(?P<suffix>以上|以下|以内)?$"
)
_DATE = re.compile(
    r"^(?P<y>\d{4})\s*(?:年|\.|-|/)\s*(?P<m>\d{1,2})\s*(?:月|\.|-|/)?\s*"
    r"(?:(?P<d>\d{1,2})\s*日?)?(?:前|之前|底|末)?$"
)
_YEAR_ONLY = re.compile(r"^(?P<y>\d{4})\s*年?(?P<rest>全年|年度|年内|年底|年末)?$")
_RANGE = re.compile(
    r"^(?P<y>\d{4})\s*年\s*(?P<m1>\d{1,2})\s*月?\s*(?:至|到|-|—|~)\s*(?:(?P<y2>\d{4})\s*年)?\s*"
    r"(?P<m2>\d{1,2})\s*月(?:底|末)?$"
)
_RECURRING = re.compile(r"^(?:每|按)(?P<every>日|天|周|月|季度|季|半年|年)(?:度)?$")


@dataclass(frozen=True)
class ParsedValue:
    """A typed reading of one published 指标值."""

    kind: Kind
    """quantity, date, period, qualitative, text (could not be read) or empty."""
    op: str | None = None
    """Canonical comparison (≥ ≤ > < = ≈), None when the value states none."""
    op_published: str | None = None
    """The operator exactly as published (``≦``, ``不低于``, ``以上``)."""
    variant: bool = False
    """True when the published operator is a variant or garbled form of ``op``."""
    number: str | None = None
    """The number as an exact decimal string (``0.76``)."""
    unit: str | None = None
    """Unit after the number (``%``, ``万元``, ``人次``)."""
    unit_known: bool = False
    """True when ``unit`` is in :data:`KNOWN_UNITS`."""
    year: int | None = None
    """Year of a date or period."""
    month: int | None = None
    """Month of a date, or first month of a period."""
    day: int | None = None
    """Day of a date."""
    end_month: int | None = None
    """Last month of a period."""
    every: str | None = None
    """Recurrence of a period (``月`` for 每月, ``季度`` for 每季度)."""

    def to_json(self) -> dict[str, object]:
        """The fields that are set (not None, not False), in declaration order."""
        values = ((name, getattr(self, name)) for name in _FIELD_NAMES)
        return {k: v for k, v in values if v not in (None, False)}

    def display(self) -> str:
        """Normalised reading for citizens: ``≦0.3万元`` reads ``≤0.3万元``."""
        if self.kind == "quantity":
            return f"{self.op or ''}{self.number}{self.unit or ''}"
        return ""


_FIELD_NAMES: tuple[str, ...] = tuple(f.name for f in fields(ParsedValue))


def normalise(text: str) -> str:
    """NFKC (full-width ９５％ → 95%) and collapse white space."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text)).strip()


@lru_cache(maxsize=1 << 16)
def parse_value(text: str) -> ParsedValue:
    """Read a published 指标值; never raises, unknown forms come back as ``text``.

    Remembered per text (the same values recur a lot); the result is immutable."""
    value = normalise(text)
    if not value:
        return ParsedValue("empty")
    for reader in (_read_quantity, _read_date, _read_period):
        parsed = reader(value)
        if parsed is not None:
            return parsed
    if not re.search(r"\d", value) and len(value) <= 12:
        return ParsedValue("qualitative")
    return ParsedValue("text")


def _read_quantity(value: str) -> ParsedValue | None:
    match = _QUANTITY.match(value)
    if match is None or _DATE.match(value) or _YEAR_ONLY.match(value):
        return None
    unit = match["unit"] or None
    if unit is not None and re.search(r"[≥≤<>=≈≦≧≒≅]", unit):
        return None
    op_published = match["op"] or match["suffix"]
    op, variant = OPERATORS.get(match["op"] or "", (None, False))
    if match["suffix"]:
        if op is not None and op != SUFFIX_OPERATORS[match["suffix"]]:
            return None
        op = SUFFIX_OPERATORS[match["suffix"]]
    return ParsedValue(
        "quantity", op=op, op_published=op_published, variant=variant,
        number=match["num"], unit=unit, unit_known=unit in KNOWN_UNITS,
    )


def _read_date(value: str) -> ParsedValue | None:
    match = _DATE.match(value)
    if match is None:
        return None
    month, day = int(match["m"]), int(match["d"]) if match["d"] else None
    if not 1 <= month <= 12 or (day is not None and not 1 <= day <= 31):
        return None
    return ParsedValue("date", year=int(match["y"]), month=month, day=day)


def _read_period(value: str) -> ParsedValue | None:
    if match := _RANGE.match(value):
        m1, m2 = int(match["m1"]), int(match["m2"])
        if 1 <= m1 <= 12 and 1 <= m2 <= 12:
            return ParsedValue("period", year=int(match["y"]), month=m1, end_month=m2)
        return None
    if match := _YEAR_ONLY.match(value):
        return ParsedValue("period", year=int(match["y"]), month=1, end_month=12)
    if match := _RECURRING.match(value):
        return ParsedValue("period", every=match["every"])
    return None

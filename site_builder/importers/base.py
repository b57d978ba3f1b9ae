"""What every layout importer returns, and helpers they share."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from site_builder.categories import canonical_level1, canonical_level2, parent_of
from site_builder.diagnostics import Diagnostic, Position
from site_builder.i18n import _
from site_builder.model import Indicator, Project, SelfEvaluation, Unit
from site_builder.values import parse_value

AMOUNT = re.compile(r"^\d{1,12}(?:\.\d{1,6})?$")
"""A published amount in 万元."""

_TRAILING_VALUE = re.compile(
    r"(?P<value>(?:[≥≤<>=≈≦≧≒≅]\s*)?(?:\d{4}年\d{1,2}月\d{1,2}日|\d{4}\.\d{1,2}\.\d{1,2}|"
    r"\d{4}年\d{1,2}月至\d{1,2}月|\d{4}年\d{1,2}月|\d{4}全年|\d+(?:\.\d+)?(?:%|万元|元|人次|次|人|个|份|天))"
    r"|稳步提升)$"
)
"""A value glued to the end of an indicator name (``完成时间2021年12月31日``)."""


@dataclass
class ImportResult:
    """Units, projects and findings read from one published table."""

    source: str
    """The file as shown to the user."""
    layout: str
    """Name of the layout that read it."""
    units: list[Unit] = field(default_factory=list)
    """Units found, in source order."""
    projects: list[Project] = field(default_factory=list)
    """Projects found, in source order."""
    diagnostics: list[Diagnostic] = field(default_factory=list)
    """What could not be placed, or was placed by inference."""
    evaluations: list[SelfEvaluation] = field(default_factory=list)
    """Self-evaluations (项目支出绩效自评表) found, in source order; their ``unit_code`` and
    ``id`` are found by the import (:mod:`site_builder.importers.merge`)."""

    def report(self, pos: Position, severity: str, message: str, hint: str = "",
               code: str = "") -> None:
        self.diagnostics.append(Diagnostic(pos, severity, message, hint, code))  # type: ignore[arg-type]


def parse_amount(text: str) -> Decimal | None:
    text = text.strip()
    if not AMOUNT.match(text):
        return None
    try:
        return Decimal(text)
    except InvalidOperation:  # pragma: no cover - the pattern excludes it
        return None


def project_id(year: str, unit_code: str, number: int) -> str:
    """Provisional id from the project's position in the table; the import replaces it with
    the id the site already has for the project, or the next free one (``content_merge``)."""
    return f"{year}-{unit_code}-{number:02d}"


@dataclass
class Numbering:
    """Each project's position within its unit and year, counted as the table is read."""

    counts: dict[tuple[str, str], int] = field(default_factory=dict)
    """Projects seen so far per (year, unit code)."""

    def next(self, year: str, unit_code: str) -> int:
        """The next position (1 for a unit's first project)."""
        key = (year, unit_code)
        self.counts[key] = self.counts.get(key, 0) + 1
        return self.counts[key]


def split_glued_value(text: str) -> tuple[str, str] | None:
    """(name, value) when a value is glued to the end of ``text``, else None."""
    match = _TRAILING_VALUE.search(text)
    if match is None or match.start() == 0:
        return None
    name = text[: match.start()]
    if not re.search(r"[\u4e00-\u9fff）)]$", name):
        return None
    return name, match["value"]


def looks_like_value(text: str) -> bool:
    """True for text that reads as a 指标值 rather than an indicator name."""
    parsed = parse_value(text)
    if parsed.kind in ("quantity", "date", "period"):
        return True
    return parsed.kind == "qualitative" and len(text) <= 4


@dataclass
class CategoryState:
    """The 一级/二级 categories in force while reading down a table (row spans)."""

    level1: str = ""
    """Current 一级 as published."""
    level2: str = ""
    """Current 二级 as published."""

    def apply(self, text: str) -> str | None:
        """Take ``text`` as a category if it is one; returns what it inferred, or None."""
        c1, c2 = canonical_level1(text), canonical_level2(text)
        if c1 == "成本指标" and canonical_level1(self.level1) == "产出指标":
            c1 = None  # 成本指标 under 产出指标 is the classic 二级
        if c1 is not None:
            self.level1, self.level2 = text, ""
            return ""
        if c2 is None:
            return None
        self.level2 = text
        parent = parent_of(c2)
        if canonical_level1(self.level1) != parent and parent is not None:
            self.level1 = parent
            return _("二级 '{category}' read under 一级 '{parent}'").format(category=text,
                                                                         parent=parent)
        return ""

    def indicator(self, name: str, value: str, pos: Position) -> Indicator:
        return Indicator(self.level1, self.level2, name, value, pos)

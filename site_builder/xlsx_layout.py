"""What the official forms' sheets share (the 绩效目标表 of :mod:`site_builder.export_xlsx`,
the 自评表 of :mod:`site_builder.export_evaluation_xlsx`): the font and its line height, the
cell styles, the height a wrapped text needs, cells merged down several rows, number cells
that show exactly the published text, and the runs of equal 一级/二级 merged over the rows
they cover."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from decimal import Decimal
from functools import cache
from typing import Protocol

from site_builder.xlsx_package import Font, Sheet, Style

FONT = "宋体"
"""The form's font; LibreOffice without SimSun substitutes a CJK font of the same metrics."""
LINE_HEIGHT = 13.5
"""Points per text line at 10 pt."""
ROW_HEIGHT = LINE_HEIGHT + 6
"""A row of one line."""
FONTS: dict[str, Font] = {
    "title": Font(FONT, 16, bold=True), "bold": Font(FONT, 10, bold=True),
    "plain": Font(FONT, 10),
}
"""The three fonts of the forms."""
NOTE_PREFIX = "附注："
"""Rows below a form starting with this carry its notes (as the imports read them,
:data:`site_builder.importers.xlsx.NOTE_PREFIX`)."""
_WIDE = re.compile("[\u2e80-\U0010ffff]")
"""Characters about twice as wide as a Latin letter (CJK and after)."""
_AMOUNT = re.compile(r"\d{1,12}(?:\.\d{1,6})?")
"""A number as the target form's amounts are written (``format_amount``)."""
_NUMBER = re.compile(r"(?:0|[1-9]\d{0,11})(?:\.\d{1,6})?")
"""A number whose cell shows it as written (no leading zero, no sign, no exponent)."""


@cache
def cell_style(font: str, align: str, border: bool = True, number_format: str = "General"
               ) -> Style:
    """The style of these parts (one object for each: the writer numbers styles by object)."""
    return Style(FONTS[font], align, border, number_format)


def number_cell(sheet: Sheet, row: int, col: int, text: str, exact: bool = False) -> None:
    """``text`` as a number shown with its written decimals, or as text if it is not one.

    ``exact`` takes only numbers that show as written (``3.20``, not ``03.2``), for texts
    that are kept as published; without it any run of digits is a number (the amounts of the
    target form, written by ``format_amount``)."""
    if (_NUMBER if exact else _AMOUNT).fullmatch(text):
        value = Decimal(text)
        if Decimal(repr(float(value))) == value:
            places = len(text.partition(".")[2])
            number_format = "0." + "0" * places if places else "0"
            sheet.put(row, col, f"{value:f}", cell_style("plain", "center",
                                                         number_format=number_format),
                      number=True)
            return
    sheet.put(row, col, text, cell_style("plain", "center", number_format="@"))


def text_height(text: str, width: float) -> float:
    """Points a wrapped cell of ``width`` characters needs to show ``text``."""
    key = (text, width)
    found = _HEIGHTS.get(key)
    if found is None:
        if len(_HEIGHTS) >= 100_000:
            _HEIGHTS.clear()
        found = _HEIGHTS[key] = _wrapped_height(text, width)
    return found


_HEIGHTS: dict[tuple[str, float], float] = {}
"""Heights worked out so far (a site repeats its indicator names and values)."""


def _wrapped_height(text: str, width: float) -> float:
    per_line = max(width - 1.5, 1.0)
    lines = 0
    for paragraph in text.split("\n"):
        narrow = len(_WIDE.sub("", paragraph))
        size = narrow + 1.85 * (len(paragraph) - narrow)
        lines += max(1, math.ceil(size / per_line))
    return lines * LINE_HEIGHT + 6


def spread_height(sheet: Sheet, first: int, last: int, needed: float) -> None:
    """Make rows ``first`` to ``last`` together at least ``needed`` points high (a merged
    cell over them), sharing what is missing equally; a row without a height counts as one
    line."""
    if needed <= ROW_HEIGHT * (last - first + 1):
        return  # every row is at least one line high
    heights = sheet.heights
    have = sum(heights.get(row, ROW_HEIGHT) for row in range(first, last + 1))
    if needed > have:
        extra = (needed - have) / (last - first + 1)
        for row in range(first, last + 1):
            heights[row] = heights.get(row, ROW_HEIGHT) + extra


def merged_down(sheet: Sheet, col: int, first: int, last: int, text: str | None, style: Style,
                width: float) -> None:
    """``text`` in column ``col`` (``width`` characters) merged down rows ``first`` to
    ``last``, the rows made high enough for it together."""
    sheet.put(first, col, text, style)
    if last > first:
        sheet.merge(first, col, last, col)
    spread_height(sheet, first, last, text_height(text or "", width))


class Levelled(Protocol):
    """A row of an indicator table: its 一级 and 二级."""

    @property
    def level1(self) -> str: ...

    @property
    def level2(self) -> str: ...


def level_runs(indicators: Sequence[Levelled], first: int, level: int
               ) -> list[tuple[int, int, str]]:
    """(first row, last row, text) of each run of equal 一级 (level 1) or 一级+二级 (level 2).

    An empty 二级 after a filled one under the same 一级 starts a new 一级 run, so that the
    import does not carry the 二级 above down into it.
    """
    keys: list[tuple[int, str]] = []
    group = 0
    for offset, indicator in enumerate(indicators):
        previous = indicators[offset - 1] if offset else None
        if previous is None or indicator.level1 != previous.level1 or (
                previous.level2 and not indicator.level2):
            group += 1
        keys.append((group, indicator.level2 if level == 2 else ""))
    runs: list[tuple[int, int, str]] = []
    for offset, indicator in enumerate(indicators):
        text = indicator.level1 if level == 1 else indicator.level2
        if offset and keys[offset - 1] == keys[offset]:
            runs[-1] = (runs[-1][0], first + offset, text)
        else:
            runs.append((first + offset, first + offset, text))
    return runs

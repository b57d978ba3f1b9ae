"""The indicator table laid out like the official form: 一级 and 二级 cells span their rows.

Consecutive rows with the same published 一级 text share one 一级 cell; within it, consecutive
rows with the same published 二级 text share one 二级 cell.  Every cell keeps the published text.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from site_builder.model import Indicator

BLANK = "（未填）"
"""How every page shows a cell (or a category name) the published form left empty."""


@dataclass(frozen=True)
class Span:
    """A 一级 or 二级 cell that starts on a row and spans ``rows`` rows."""

    text: str
    """The published text (may be empty: the form left the cell blank)."""
    rows: int
    """How many rows the cell spans."""
    id: str
    """HTML id of the header cell, referenced by the row's other cells."""


@dataclass(frozen=True)
class FormRow:
    """One indicator row of the form."""

    number: int
    """1-based row number."""
    level1: Span | None
    """The 一级 cell when it starts on this row, else None (covered by a span above)."""
    level2: Span | None
    """The 二级 cell when it starts on this row, else None."""
    level1_id: str
    """Id of the 一级 cell this row belongs to."""
    level2_id: str
    """Id of the 二级 cell this row belongs to."""
    name: str
    """三级指标 as published."""
    value: str
    """指标值 exactly as published."""
    reading: str
    """Normalised reading when the published value uses a variant form (``≦`` → ``≤``), else ""."""


def _runs(keys: Sequence[object]) -> list[tuple[int, int]]:
    """(start, length) of each run of equal consecutive keys."""
    runs: list[tuple[int, int]] = []
    for index, key in enumerate(keys):
        if runs and keys[runs[-1][0]] == key:
            runs[-1] = (runs[-1][0], runs[-1][1] + 1)
        else:
            runs.append((index, 1))
    return runs


def reading(indicator: Indicator) -> str:
    """How a citizen should read a variant value (``≦0.3万元`` → ``≤0.3万元``), else ""."""
    parsed = indicator.parsed
    shown = parsed.display()
    return shown if parsed.variant and shown and shown != indicator.value.strip() else ""


def form_rows(indicators: Sequence[Indicator]) -> tuple[FormRow, ...]:
    """The rows of the official form for ``indicators`` in published order."""
    level1_of: dict[int, Span] = {}
    level2_of: dict[int, Span] = {}
    for group, (start, length) in enumerate(_runs([i.level1 for i in indicators])):
        span = Span(indicators[start].level1, length, f"l1-{group}")
        level1_of.update({row: span for row in range(start, start + length)})
        keys = [i.level2 for i in indicators[start:start + length]]
        for sub, (offset, size) in enumerate(_runs(keys)):
            span2 = Span(keys[offset], size, f"l2-{group}-{sub}")
            level2_of.update({start + offset + r: span2 for r in range(size)})
    rows = []
    for index, indicator in enumerate(indicators):
        one, two = level1_of[index], level2_of[index]
        first1 = index == 0 or level1_of[index - 1] is not one
        first2 = index == 0 or level2_of[index - 1] is not two
        rows.append(FormRow(index + 1, one if first1 else None, two if first2 else None,
                            one.id, two.id, indicator.name, indicator.value, reading(indicator)))
    return tuple(rows)

"""Charts drawn at build time as inline SVG: no JavaScript, no inline styles (CSP-safe).

Colours come from classes styled in ``static/site.css``.  Every chart has a text alternative:
``role="img"`` with a title naming what it shows, and the page shows the same numbers in a
table next to it.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from markupsafe import Markup, escape

PALETTE_SIZE = 8
"""Number of series colours (``s0`` … ``s7`` in the stylesheet)."""
LABEL_CHARS = 22
"""Longest bar label drawn in full; longer ones end in '…' (the table beside has them whole)."""


_CENT = Decimal("0.01")


def _num(value: Decimal | float | int) -> str:
    """A coordinate with at most two decimals and no exponent."""
    number = value if isinstance(value, Decimal) else Decimal(str(value))
    text = f"{number.quantize(_CENT):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def bar(fraction: Decimal) -> Markup:
    """A small bar for a table cell showing ``fraction`` (0–1); decorative, the cell has text."""
    width = _num(max(Decimal(0), min(Decimal(1), fraction)) * 100)
    return Markup(
        '<svg class="bar" viewBox="0 0 100 10" preserveAspectRatio="none" aria-hidden="true" '
        f'focusable="false"><rect class="bar-track" width="100" height="10"/>'
        f'<rect class="bar-fill" width="{width}" height="10"/></svg>')


def bar_chart(chart_id: str, title: str, items: Sequence[tuple[str, Decimal, str]]) -> Markup:
    """Horizontal bars, one per item (label, value, value as text), label above each bar."""
    width, row, top = 360, 44, 8
    largest = max((value for _, value, _ in items), default=Decimal(0))
    height = top + row * len(items)
    parts = [f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" '
             f'aria-labelledby="{chart_id}-title"><title id="{chart_id}-title">'
             f'{escape(title)}</title>']
    for index, (label, value, text) in enumerate(items):
        y = top + index * row
        length = Decimal(0) if largest <= 0 else value / largest * (width - 100)
        parts.append(
            f'<text class="chart-label" x="0" y="{y + 14}">{escape(_short(label))}</text>'
            f'<rect class="s0" x="0" y="{y + 20}" width="{_num(length)}" '
            f'height="16"/><text class="chart-value" x="{_num(length + 6)}" y="{y + 33}">'
            f'{escape(text)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def _short(label: str) -> str:
    return label if len(label) <= LABEL_CHARS else label[:LABEL_CHARS - 1] + "…"


def stacked_bar(chart_id: str, title: str, counts: Sequence[int]) -> Markup:
    """One bar split into segments proportional to ``counts`` (series colours in order)."""
    width, height = 360, 20
    whole = sum(counts)
    parts = [f'<svg class="chart stacked" viewBox="0 0 {width} {height}" role="img" '
             f'aria-labelledby="{chart_id}-title"><title id="{chart_id}-title">'
             f'{escape(title)}</title>']
    x = Decimal(0)
    for index, count in enumerate(counts):
        length = Decimal(0) if whole == 0 else Decimal(count) / whole * width
        parts.append(f'<rect class="s{index % PALETTE_SIZE}" x="{_num(x)}" y="0" '
                     f'width="{_num(length)}" height="{height}"/>')
        x += length
    parts.append("</svg>")
    return Markup("".join(parts))


def swatch(index: int) -> Markup:
    """A small colour key for legends, matching series ``index``."""
    return Markup(f'<svg class="swatch" viewBox="0 0 10 10" aria-hidden="true" focusable="false">'
                  f'<rect class="s{index % PALETTE_SIZE}" width="10" height="10"/></svg>')

"""Charts made at build time: bars drawn as small inline SVGs, every text in HTML.

No JavaScript and no inline styles (CSP-safe): colours come from classes styled in
``static/site.css``, and text is HTML so that it keeps the page's font sizes at any window
width (SVG text would shrink and grow with the drawing).  Every chart has a text alternative:
a bar chart is ``role="img"`` with a label naming what it shows, and the page shows the same
numbers in a table next to it; the indicator mix is drawn above its own legend (a list).
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from markupsafe import Markup, escape

PALETTE_SIZE = 8
"""Number of series colours (``s0`` … ``s7`` in the stylesheet)."""


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
    """Horizontal bars, one per item (label, value, value as text): the label above its bar,
    the value after it."""
    largest = max((value for _, value, _ in items), default=Decimal(0))
    parts = [f'<div class="hbars" id="{chart_id}" role="img" aria-label="{escape(title)}">']
    for label, value, text in items:
        fraction = Decimal(0) if largest <= 0 else value / largest
        parts.append(f'<div class="hbar"><span class="hbar-label">{escape(label)}</span>'
                     f'<span class="hbar-line">{_bar_svg("hbar-bar", fraction)}'
                     f'<span class="hbar-value">{escape(text)}</span></span></div>')
    parts.append("</div>")
    return Markup("".join(parts))


def _bar_svg(css: str, fraction: Decimal) -> str:
    width = _num(max(Decimal(0), min(Decimal(1), fraction)) * 100)
    return (f'<svg class="{css}" viewBox="0 0 100 10" preserveAspectRatio="none" '
            'aria-hidden="true" focusable="false"><rect class="bar-track" width="100" '
            f'height="10"/><rect class="s0" width="{width}" height="10"/></svg>')


def stacked_bar(counts: Sequence[int]) -> Markup:
    """One bar split into segments proportional to ``counts`` (series colours in order),
    decorative: its legend beside it names each segment with its count."""
    whole = sum(counts)
    parts = ['<svg class="stack" viewBox="0 0 100 10" preserveAspectRatio="none" '
             'aria-hidden="true" focusable="false">']
    x = Decimal(0)
    for index, count in enumerate(counts):
        length = Decimal(0) if whole == 0 else Decimal(count) / whole * 100
        parts.append(f'<rect class="s{index % PALETTE_SIZE}" x="{_num(x)}" y="0" '
                     f'width="{_num(length)}" height="10"/>')
        x += length
    parts.append("</svg>")
    return Markup("".join(parts))


def swatch(index: int) -> Markup:
    """A small colour key for legends, matching series ``index``."""
    return Markup(f'<svg class="swatch" viewBox="0 0 10 10" aria-hidden="true" focusable="false">'
                  f'<rect class="s{index % PALETTE_SIZE}" width="10" height="10"/></svg>')

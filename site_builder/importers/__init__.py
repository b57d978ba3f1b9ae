"""Importers for published tables; one module per layout, detected automatically."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from site_builder.importers import flat, threelevel
from site_builder.importers.base import ImportResult


@dataclass(frozen=True)
class Layout:
    """A layout importer: how to recognise it and how to read it."""

    name: str
    """Name used with ``--layout``."""
    detect: Callable[[str], int]
    """Confidence (0 = not this layout) that a text has this layout."""
    parse: Callable[[str, str], ImportResult]
    """Read a text (and the path shown in messages) into units and projects."""


LAYOUTS: tuple[Layout, ...] = (
    Layout(flat.NAME, flat.detect, flat.parse),
    Layout(threelevel.NAME, threelevel.detect, threelevel.parse),
)
"""Every text layout, in detection order."""


def layout_named(name: str) -> Layout | None:
    return next((layout for layout in LAYOUTS if layout.name == name), None)


def detect_layout(text: str) -> Layout | None:
    """The layout most confident about ``text``, or None when none recognises it."""
    best = max(LAYOUTS, key=lambda layout: layout.detect(text))
    return best if best.detect(text) > 0 else None


__all__ = ["LAYOUTS", "ImportResult", "Layout", "detect_layout", "layout_named"]

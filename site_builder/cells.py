"""Text cells of the spreadsheets site-builder writes (CSV, .xlsx), kept from being taken as
formulas (CSV or formula injection: a cell ``=1+1`` or ``@SUM(1+1)*cmd|' /C calc'!A0`` opened
in Excel or LibreOffice would be computed, or run a command).

In .xlsx every such text is a string cell, never a formula, and keeps its text exactly.  In
CSV, which has no cell types, the OWASP convention is used: such a cell is written with a
``'`` in front (see :func:`csv_text`; docs/site.md tells data users how to undo it).
"""

from __future__ import annotations

import re

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""First characters that make a spreadsheet read a cell as a formula."""
QUOTE = "'"
"""What :func:`csv_text` puts in front of a cell that could be read as a formula."""
PLAIN_NUMBER = re.compile(r"[+-]?\d+(?:\.\d+)?%?")
"""A signed number (``-5``, ``+3``, ``-5%``): read as that number, never as a formula, so it
is written as it is (the CSV's number columns stay numbers)."""


def starts_like_formula(text: str) -> bool:
    """Whether a spreadsheet would read ``text`` typed into a cell as a formula."""
    return text.startswith(FORMULA_STARTS)


def csv_text(text: str) -> str:
    """``text`` as a CSV cell: with a ``'`` in front when it starts like a formula (and is not
    a plain number) or already starts with ``'``, else unchanged.  Removing one leading ``'``
    from every cell that starts with one gives the text back exactly."""
    if text.startswith(QUOTE) or (starts_like_formula(text)
                                   and not PLAIN_NUMBER.fullmatch(text)):
        return QUOTE + text
    return text

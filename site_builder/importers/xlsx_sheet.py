"""The rows of a worksheet as displayed cell texts, read as a stream.

Only the cells that hold a value are looked at, row by row as they stand in the sheet's XML
(:mod:`~site_builder.importers.xlsx_parts`), so a sheet whose used range reaches
``XFD1048576`` costs what its values cost.  A merged range's text belongs to its top-left cell;
the other cells it covers are skipped, whatever the file stores in them (as Excel shows them).
Formulas are read as the value Excel or LibreOffice last computed and stored in the file.
"""

from __future__ import annotations

import bisect
import datetime as dt
import heapq
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, NamedTuple

from openpyxl.cell.cell import ERROR_CODES as _ERROR_CODES
from openpyxl.formula.tokenizer import TokenizerError
from openpyxl.formula.translate import Translator, TranslatorError
from openpyxl.utils.datetime import (
    CALENDAR_MAC_1904,
    CALENDAR_WINDOWS_1900,
    from_excel,
    from_ISO8601,
)

from site_builder.diagnostics import Diagnostic, Position, SiteBuilderError, error
from site_builder.i18n import _
from site_builder.importers.xlsx_parts import (
    BadWorkbook,
    Handler,
    Package,
    SheetPart,
)
from site_builder.importers.xlsx_text import display_text
from site_builder.limits import DEFAULT_LIMITS, InputLimits


class SheetCell(NamedTuple):
    """One non-empty cell of a sheet as the reader of the workbook sees it (a named tuple: a
    large sheet makes a million of them)."""

    text: str
    """Displayed text, outer white space removed."""
    ref: str
    """Cell reference (``B5``)."""
    col: int
    """1-based column number."""
    number: bool = False
    """True when the cell stores a number (its text is the number as formatted)."""


def cell_position(shown: str, sheet: str, ref: str) -> Position:
    """``file:sheet!B5`` as a position (spreadsheets have no lines or columns to show)."""
    return Position(f"{shown}:{sheet}!{ref}")


def open_workbook(path: Path, shown: str, limits: InputLimits = DEFAULT_LIMITS) -> Package:
    """The workbook at ``path``; a clear error when it is not a readable .xlsx file, and the
    input-limit error when it is larger than the limits allow.

    XML entity declarations are refused (as defusedxml refuses them)."""
    try:
        return Package(path, shown, limits)
    except FileNotFoundError:
        raise
    except (BadWorkbook, OSError, ValueError) as exc:
        raise bad_workbook(shown, exc) from None


def bad_workbook(shown: str, exc: BaseException) -> SiteBuilderError:
    """The error for a file that is not a readable workbook, with the reason in one line."""
    return SiteBuilderError([error(
        shown, _("Not a readable Excel workbook ({reason})").format(reason=_reason(exc)),
        _("Save it from Excel or LibreOffice as .xlsx (Excel 97-2003 .xls is not read)"),
        code="bad-workbook")])


def _reason(exc: BaseException) -> str:
    """The innermost cause of a failed read, in one line."""
    chain = [exc]
    while (inner := chain[-1].__cause__ or chain[-1].__context__) and len(chain) < 10:
        chain.append(inner)
    refused = next((e for e in chain if type(e).__module__.startswith("defusedxml")), None)
    if refused is not None:
        return _("{error}: XML entities and DTDs are refused for safety").format(
            error=type(refused).__name__)
    cause = chain[-1]
    if isinstance(cause, BadWorkbook):
        return str(cause).splitlines()[0]
    return f"{type(cause).__name__}: {str(cause).splitlines()[0] if str(cause) else ''}"


def sheet_rows(package: Package, sheet: SheetPart, report: Callable[[Diagnostic], None]
               ) -> Iterator[tuple[int, list[SheetCell]]]:
    """(row number, non-empty cells left to right) for every row that has any."""
    merges = _MergeIndex(package.merged_ranges(sheet))
    handler = _SheetHandler(package, sheet, merges, report)
    try:
        for _event in package.stream(sheet.member, handler):
            if handler.ready:
                yield from handler.ready
                handler.ready.clear()
    except (TypeError, ValueError, IndexError, OverflowError) as exc:
        raise BadWorkbook(f"{type(exc).__name__}: {sheet.member}: {exc}") from None
    finally:
        package.cells = handler.read


class _MergeIndex:
    """Which cells merged ranges cover, asked row by row in increasing order.

    The ranges whose rows include the current row are kept as column intervals sorted by
    their first column; a cell is covered when it lies in one and is not its top-left cell.
    """

    def __init__(self, ranges: list[tuple[int, int, int, int]]) -> None:
        self.ranges = ranges
        self.restart()

    def restart(self) -> None:
        self.waiting = sorted(self.ranges, reverse=True)  # popped from the end: first rows
        self.ending: list[tuple[int, int, int]] = []  # heap of (last row, first col, top)
        self.lefts: list[int] = []
        self.spans: list[tuple[int, int, int]] = []  # (first col, last col, first row)
        self.row = 0
        self.active = bool(self.ranges)
        """False when no range is left to cover anything (the usual sheet has few ranges)."""

    def covered(self, row: int, col: int) -> bool:
        if row != self.row:
            self._advance(row)
        if not self.lefts:
            return False
        at = bisect.bisect_right(self.lefts, col) - 1
        if at < 0:
            return False
        left, right, top = self.spans[at]
        return col <= right and (row, col) != (top, left)

    def _advance(self, row: int) -> None:
        if row < self.row:  # rows out of order: start again from the first range
            self.restart()
        self.row = row
        while self.ending and self.ending[0][0] < row:
            _, left, top = heapq.heappop(self.ending)
            at = bisect.bisect_left(self.lefts, left)
            while at < len(self.lefts) and self.spans[at][::2] != (left, top):
                at += 1
            if at < len(self.lefts):
                del self.lefts[at], self.spans[at]
        while self.waiting and self.waiting[-1][0] <= row:
            top, left, bottom, right = self.waiting.pop()
            if bottom < row:
                continue
            heapq.heappush(self.ending, (bottom, left, top))
            at = bisect.bisect_right(self.lefts, left)
            self.lefts.insert(at, left)
            self.spans.insert(at, (left, right, top))


_new = tuple.__new__
ERROR_CODES = frozenset(_ERROR_CODES)
"""Texts Excel shows for a formula's error (``#DIV/0!``, ``#N/A`` …)."""
_UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_COLUMN_OF = {letters: number for number, letters in
              enumerate((a + b + c for a in ("", *_UPPER) for b in ("", *_UPPER) for c in _UPPER
                         if b or not a), 1)}
"""Column letters (``A`` … ``ZZZ``) → column number."""


class _SheetHandler(Handler):
    """expat callbacks that turn ``<row>``/``<c>`` elements into rows of :class:`SheetCell`."""

    def __init__(self, package: Package, sheet: SheetPart, merges: _MergeIndex,
                 report: Callable[[Diagnostic], None]) -> None:
        self.package, self.sheet, self.merges, self.report = package, sheet, merges, report
        self.shown = package.shown
        self.strings = package.strings
        self.styles = package.styles
        self.epoch = CALENDAR_MAC_1904 if package.date1904 else CALENDAR_WINDOWS_1900
        limits = package.limits
        self.max_rows, self.max_cols = limits["limit_rows"], limits["limit_columns"]
        self.max_cells = limits["limit_cells"]
        self.read = package.cells  # cells with a value read in the workbook so far
        self.ready: list[tuple[int, list[SheetCell]]] = []
        self.cells: list[SheetCell] = []
        self.row_number = 0
        self.col_number = 0  # column of the last <c>, for cells without a reference
        self.ordered = True
        self.last_ref = "A1"
        self.shared: dict[str, Translator] = {}
        # the cell being read
        self.attrs: dict[str, str] = {}
        self.value: list[str] | None = None
        self.formula: list[str] | None = None
        self.formula_attrs: dict[str, str] = {}
        self.inline: list[str] | None = None
        self.target: list[str] | None = None  # where character data goes
        self.phonetic = 0
        self.prefix("")

    def start(self, name: str, attrs: dict[str, str]) -> None:
        self.count += 1
        if name == self.tag_c:
            self.attrs = attrs
            self.value = self.formula = self.inline = None
        elif name == self.tag_v:
            self.target = self.value = []
        elif name == self.tag_row:
            number = attrs.get("r")
            self.row_number = int(float(number)) if number else self.row_number + 1
            self.col_number = 0
        elif name == self.tag_f:
            self.formula_attrs = attrs
            self.target = self.formula = []
        elif name == self.tag_is:
            self.inline = []
        elif name == self.tag_t:
            if self.inline is not None and not self.phonetic:
                self.target = self.inline
        elif name == self.tag_rph:
            self.phonetic += 1
        elif self.count == 1:  # the root: its prefix (x:worksheet) is every tag's prefix
            self.prefix(name[:name.find(":") + 1])

    def prefix(self, prefix: str) -> None:
        """Compare tags with ``prefix`` + local name (the parts are not namespace-parsed)."""
        self.tag_c, self.tag_v, self.tag_row, self.tag_f, self.tag_is, self.tag_t, \
            self.tag_rph = (prefix + tag for tag in ("c", "v", "row", "f", "is", "t", "rPh"))

    def end(self, name: str) -> None:
        if name == self.tag_c:
            self.cell()
        elif name == self.tag_v or name == self.tag_t or name == self.tag_f:
            self.target = None
        elif name == self.tag_row:
            if self.cells:
                if not self.ordered:
                    self.cells.sort(key=lambda cell: cell.col)
                    self.ordered = True
                self.ready.append((self.row_number, self.cells))
                self.cells = []
        elif name == self.tag_rph:
            self.phonetic -= 1

    def text(self, data: str) -> None:
        if self.target is not None:
            self.target.append(data)

    def cell(self) -> None:
        attrs = self.attrs
        ref = attrs.get("r")
        kind = attrs.get("t", "n")
        if kind == "inlineStr":
            value: Any = "".join(self.inline) if self.inline is not None else None
        elif self.value is not None:
            value = "".join(self.value) or None
        else:
            value = None
        if value is None and self.formula is None:
            if ref is None:
                self.col_number += 1
            else:
                self.col_number = -1  # known only if a later cell needs it
                self.last_ref = ref
            return
        if ref is None:
            row, col = self.after_last()
            ref = f"{_letters(col)}{row}"
        else:  # "AB12": the letters from a table of every column, the row as digits
            digits = ref.lstrip(_UPPER)
            col = _COLUMN_OF.get(ref[:len(ref) - len(digits)], 0)
            if not col or not digits.isdigit():
                raise BadWorkbook(f"ValueError: {self.sheet.member}: bad cell reference "
                                  f"{ref!r}")
            row = int(digits)
            self.col_number = col
        if self.merges.active and self.merges.covered(row, col):
            return
        if self.formula is not None:
            formula = self.formula_text(ref, shown=value is None)
            if value is None:
                self.report(Diagnostic(
                    self.pos(ref), "warning",
                    _("The formula {formula} has no stored result; the cell was read as "
                      "empty").format(formula=formula),
                    _("Open the workbook in Excel or LibreOffice and save it, so that the "
                      "results are stored"), "formula-without-value"))
                return
        self.read += 1
        if self.read > self.max_cells or col > self.max_cols or row > self.max_rows:
            self.over_limit(row, col, ref)
        style = attrs.get("s")
        if kind == "s":
            index = int(value)
            if index < 0:
                raise IndexError(f"shared string {index} at {ref}")
            value = self.strings[index]
        elif kind != "str" and kind != "inlineStr":
            value = self.convert(value, kind, style)
        if type(value) is str:
            if value in ERROR_CODES:
                self.report(Diagnostic(
                    self.pos(ref), "warning",
                    _("The cell shows the error value {value}; it was read as "
                      "written").format(value=value),
                    _("Correct the formula in the workbook"), "error-value"))
            text = value.strip()
            is_number = False
        else:
            text = display_text(value, self.styles.format_of(_style(style))).strip()
            is_number = isinstance(value, int | float) and not isinstance(value, bool)
        if not text:
            return
        cells = self.cells
        if cells and col <= cells[-1][2]:
            self.ordered = False
        cells.append(_new(SheetCell, (text, ref, col, is_number)))  # SheetCell(…), faster

    def after_last(self) -> tuple[int, int]:
        """(row, column) of a cell without a reference: the one after the last cell."""
        if self.col_number < 0:
            letters = self.last_ref.rstrip("0123456789")
            self.col_number = _COLUMN_OF.get(letters.lstrip("$"), 0)
        self.col_number += 1
        return self.row_number, self.col_number

    def over_limit(self, row: int, col: int, ref: str) -> None:
        """Stop at the cell that goes over the cells, columns or rows limit."""
        limits = self.package.limits
        limits.check("limit_cells", self.read, self.pos(ref))
        limits.check("limit_columns", col, self.pos(ref))
        limits.check("limit_rows", row, self.pos(ref))

    def convert(self, value: str, kind: str, style_attr: str | None) -> Any:
        """The value of a cell of type ``kind`` as openpyxl gives it (numbers, dates,
        booleans; errors and others as written)."""
        if kind == "n":
            number: int | float = float(value) if ("." in value or "E" in value
                                                   or "e" in value) else int(value)
            style = _style(style_attr)
            if style in self.styles.dates:
                try:
                    moment: dt.datetime | dt.timedelta | None = from_excel(
                        number, self.epoch, timedelta=style in self.styles.durations)
                except (OverflowError, ValueError):
                    return "#VALUE!"
                return moment
            return number
        if kind == "b":
            return bool(int(value))
        if kind == "d":
            return from_ISO8601(value)  # type: ignore[no-untyped-call]
        return value

    def formula_text(self, ref: str, shown: bool) -> str:
        """The formula as openpyxl shows it: ``=SUM(C5:C5)``, shared ones moved to ``ref``
        (worked out only when ``shown``; the first cell of a shared formula is always noted)."""
        attrs = self.formula_attrs
        text = "=" + "".join(self.formula or ())
        kind = attrs.get("t")
        if kind == "dataTable":
            return ""
        if kind == "shared":
            index = attrs.get("si", "")
            master = self.shared.get(index)
            if master is not None:
                if not shown:
                    return text
                try:
                    return str(master.translate_formula(ref))
                except (TokenizerError, TranslatorError, ValueError, IndexError):
                    return text
            if text != "=":
                self.shared[index] = Translator(text, ref)
        return text

    def pos(self, ref: str) -> Position:
        return cell_position(self.shown, self.sheet.name, ref)


def _style(attr: str | None) -> int:
    if not attr:
        return 0
    try:
        return int(attr)
    except ValueError:
        return -1


def _letters(col: int) -> str:
    letters = ""
    while col > 0:
        col, rest = divmod(col - 1, 26)
        letters = chr(65 + rest) + letters
    return letters

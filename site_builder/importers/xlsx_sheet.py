"""Read an Excel workbook into rows of displayed cell texts, with merged cells resolved.

A merged cell's text belongs to its top-left cell; the cells below it in the first column of
the range come back as *continuations* so that a reader sees a 一级/二级 category go on down
the rows it spans.  Formulas are read as the value Excel or LibreOffice last computed and
stored in the file (the workbook is opened a second time with ``data_only=True``).
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.cell.cell import ERROR_CODES, MergedCell
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from site_builder.diagnostics import Diagnostic, Position, SiteBuilderError, error
from site_builder.importers.xlsx_text import display_text


@dataclass(frozen=True)
class SheetCell:
    """One non-empty cell of a sheet as the reader of the workbook sees it."""

    text: str
    """Displayed text, outer white space removed."""
    ref: str
    """Cell reference (``B5``); for a continuation, the cell itself, not the merge's anchor."""
    col: int
    """1-based column number."""
    anchor: bool = True
    """False for a cell covered by a merge that starts on a row above."""
    number: bool = False
    """True when the cell stores a number (its text is the number as formatted)."""


def cell_position(shown: str, sheet: str, ref: str) -> Position:
    """``file:sheet!B5`` as a position (spreadsheets have no lines or columns to show)."""
    return Position(f"{shown}:{sheet}!{ref}")


MAX_UNPACKED = 256 * 1024 * 1024
"""Largest total size of a workbook's unpacked parts; larger files are refused (zip bombs)."""


def open_workbook(path: Path, shown: str, data_only: bool = False) -> Workbook:
    """The workbook at ``path``; a clear error when it is not a readable .xlsx file.

    XML entities are refused (openpyxl parses with defusedxml when it is installed, and it is
    a dependency), and so are archives that unpack to more than :data:`MAX_UNPACKED` bytes.
    """
    try:
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
        if unpacked > MAX_UNPACKED:
            raise SiteBuilderError([error(
                shown, f"the workbook unpacks to {unpacked // 2**20} MB, more than the "
                f"{MAX_UNPACKED // 2**20} MB accepted", "split it into smaller workbooks",
                code="workbook-too-large")])
        return load_workbook(path, data_only=data_only, rich_text=False)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        if isinstance(exc, FileNotFoundError):
            raise
        raise SiteBuilderError([error(
            shown, f"not a readable Excel workbook ({_reason(exc)})",
            "save it from Excel or LibreOffice as .xlsx (Excel 97-2003 .xls is not read)",
            code="bad-workbook")]) from None


def _reason(exc: BaseException) -> str:
    """The innermost cause of a failed load, in one line."""
    chain = [exc]
    while (inner := chain[-1].__cause__ or chain[-1].__context__) and len(chain) < 10:
        chain.append(inner)
    refused = next((e for e in chain if type(e).__module__.startswith("defusedxml")), None)
    if refused is not None:
        return f"{type(refused).__name__}: XML entities and DTDs are refused for safety"
    cause = chain[-1]
    return f"{type(cause).__name__}: {str(cause).splitlines()[0] if str(cause) else ''}"


class Workbooks:
    """A workbook with formulas, and (opened on first need) the same with cached values."""

    def __init__(self, path: Path, shown: str) -> None:
        self.path, self.shown = path, shown
        self.formulas = open_workbook(path, shown)
        self._values: Workbook | None = None

    def cached(self, sheet: str, ref: str) -> Any:
        if self._values is None:
            self._values = open_workbook(self.path, self.shown, data_only=True)
        return self._values[sheet][ref].value


def sheet_rows(books: Workbooks, sheet: Worksheet,
               report: Callable[[Diagnostic], None]) -> Iterator[tuple[int, list[SheetCell]]]:
    """(row number, non-empty cells left to right) for every row that has any."""
    covered = _continuations(sheet)
    for number, row in enumerate(sheet.iter_rows(min_row=1, min_col=1), 1):
        cells: list[SheetCell] = []
        for col, cell in enumerate(row, 1):
            if isinstance(cell, MergedCell):
                anchor = covered.get((number, col))
                if anchor is not None and anchor.text:
                    cells.append(SheetCell(anchor.text, cell.coordinate, col, False,
                                           anchor.number))
                continue
            found = _read_cell(books, sheet, cell, report)
            if found is not None:
                cells.append(found)
        if cells:
            yield number, cells


def _continuations(sheet: Worksheet) -> dict[tuple[int, int], SheetCell]:
    """(row, column) of the first-column cells below each merge's anchor → the anchor cell."""
    covered: dict[tuple[int, int], SheetCell] = {}
    for merged in sheet.merged_cells.ranges:
        top = sheet.cell(merged.min_row, merged.min_col)
        text = display_text(top.value, top.number_format).strip()
        anchor = SheetCell(text, top.coordinate, merged.min_col,
                           number=isinstance(top.value, int | float))
        for row in range(merged.min_row + 1, merged.max_row + 1):
            covered[(row, merged.min_col)] = anchor
    return covered


def _read_cell(books: Workbooks, sheet: Worksheet, cell: Any,
               report: Callable[[Diagnostic], None]) -> SheetCell | None:
    value = cell.value
    where = cell_position(books.shown, sheet.title, cell.coordinate)
    if cell.data_type == "f":
        formula = value if isinstance(value, str) else getattr(value, "text", "")
        value = books.cached(sheet.title, cell.coordinate)
        if value is None:
            report(Diagnostic(where, "warning", f"formula {formula} has no stored result; "
                              "the cell was read as empty", "open the workbook in Excel or "
                              "LibreOffice and save it, so that the results are stored",
                              "formula-without-value"))
            return None
    if isinstance(value, str) and value in ERROR_CODES:
        report(Diagnostic(where, "warning", f"the cell shows the error value {value}; "
                          "read as written", "correct the formula in the workbook",
                          "error-value"))
    text = display_text(value, cell.number_format).strip()
    if not text:
        return None
    return SheetCell(text, cell.coordinate, cell.column,
                     number=isinstance(value, int | float) and not isinstance(value, bool))

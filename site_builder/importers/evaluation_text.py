"""A 项目支出绩效自评表 as tab-separated text: the form copied from Excel, WPS or LibreOffice
into a text file, or saved from them as tab-delimited text.

Such text keeps every column: a spreadsheet writes every cell of the range, an empty one or
one a merge covers as an empty field, so the n-th field of a line is the n-th column of the
sheet, and the form is read by the columns of its headers as a sheet is
(:func:`~site_builder.importers.evaluation_form.read_form`).  A cell holding a line break, a
tab or a double quote is written in double quotes (a quote in it doubled), as spreadsheets
write it; quotes around a cell that needs none are kept as its text.

Text that does not keep the columns is refused at its line: text without any tab (columns
lined up with spaces, as ``pdftotext -layout`` gives them), and a line under a header of the
form (the 项目资金 header, 预期目标/实际完成情况, the indicator header) with fewer fields than
that header, because text taken out of a PDF leaves out merged and empty cells and so puts the
cells after them in another column.  A line without a tab (a title, （2023年度）) is read by
what it says.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from site_builder.diagnostics import Diagnostic, Position, SiteBuilderError
from site_builder.i18n import _
from site_builder.importers.base import ImportResult
from site_builder.importers.evaluation_form import plain, read_rows, section_of
from site_builder.importers.textfile import decode, split_lines
from site_builder.importers.xlsx_sheet import SheetCell
from site_builder.limits import DEFAULT_LIMITS, InputLimits

QUOTE = '"'
MAX_CELL_LINES = 200
"""Lines a quoted cell may span; a quote not closed within them is read as text."""


@dataclass(frozen=True)
class Record:
    """One row of the text."""

    line: int
    """1-based line the row starts on."""
    fields: tuple[str, ...]
    """Its tab-separated fields, quoting removed, white space kept."""


def read(path: Path, shown: str, limits: InputLimits = DEFAULT_LIMITS) -> ImportResult:
    """Every 自评表 of the text file at ``path`` (several forms may follow one another)."""
    limits.check_file(path, shown)
    deadline = limits.deadline(shown)
    decoded = decode(path.read_bytes(), shown)
    rows = text_rows(decoded.text, shown, limits)
    deadline.check()
    result = read_rows(rows, shown, lambda ref: Position(shown, int(ref)),
                       lambda ref: f"{path.name}:{ref}",
                       _("No 项目支出绩效自评表 was found in the text"))
    if decoded.encoding not in ("utf-8", "utf-8-bom"):
        result.diagnostics.insert(0, Diagnostic(
            Position(shown), "info", _("The file was read as {encoding}").format(
                encoding=decoded.shown_encoding), code="encoding"))
    return result


def text_rows(text: str, shown: str, limits: InputLimits = DEFAULT_LIMITS
              ) -> list[list[SheetCell]]:
    """The rows of the text as cells (``ref``: the line; ``col``: the field's place), each
    line under a header of the form checked to have the header's columns."""
    found = list(records(text))
    limits.check("limit_rows", len(found), Position(shown))
    if not any(len(record.fields) > 1 for record in found):
        raise _refused(Position(shown), _(
            "The text has no tab-separated columns, so the cells of the 项目支出绩效自评表 "
            "cannot be told apart (columns lined up with spaces leave no trace of an empty or "
            "merged cell); nothing was imported"), "fixed-width")
    rows: list[list[SheetCell]] = []
    header: Record | None = None
    cells = 0
    for record in found:
        limits.check("limit_columns", len(record.fields), Position(shown, record.line))
        row = [SheetCell(text.strip(), str(record.line), col)
               for col, text in enumerate(record.fields, 1) if text.strip()]
        if not row:
            continue
        header = _header_after(header, record, [plain(cell.text) for cell in row], shown)
        cells += len(row)
        limits.check("limit_cells", cells, Position(shown, record.line))
        rows.append(row)
    return rows


def _header_after(header: Record | None, record: Record, texts: Sequence[str],
                  shown: str) -> Record | None:
    """The header in force after ``record`` (None outside the parts of the form read by
    column); refuses ``record`` when it has fewer fields than the header above it."""
    if section_of(texts):
        return record
    if len(texts) == 1 and "自评表" in texts[0]:
        return None  # a new form's title
    if len(record.fields) == 1:
        return header
    if header is not None and len(record.fields) < len(header.fields):
        raise _refused(Position(shown, record.line), _(
            "This line of the 项目支出绩效自评表 has {count} tab-separated columns and its "
            "header (line {line}) has {width}: a cell left out (text taken out of a PDF leaves "
            "out merged and empty cells) puts the cells after it in another column, so they "
            "cannot be matched to the header; nothing was imported").format(
                count=len(record.fields), line=header.line, width=len(header.fields)),
            "evaluation-columns")
    return None if any(text.startswith("总分") for text in texts) else header


def _refused(pos: Position, message: str, code: str) -> SiteBuilderError:
    return SiteBuilderError([Diagnostic(
        pos, "error", message,
        _("Copy the form from Excel/WPS into the text file, or save it from them as "
          "tab-delimited text, so that every cell, empty or merged, keeps its column; or import "
          "the Excel, Word or PDF file itself"), code)])


def records(text: str) -> Iterator[Record]:
    """The rows of ``text``: lines split at tabs, a quoted cell going on over line breaks."""
    lines = split_lines(text)
    number = 0
    while number < len(lines):
        start = number
        fields, number = _record(lines, number)
        yield Record(start + 1, tuple(fields))


def _record(lines: list[str], number: int) -> tuple[list[str], int]:
    """The fields of the row that starts at ``lines[number]``, and the index of the line
    after it."""
    fields: list[str] = []
    rest, number = lines[number], number + 1
    while True:
        quoted = _quoted(rest, lines, number) if rest.startswith(QUOTE) else None
        if quoted is not None:
            text, rest, number = quoted
            fields.append(text)
            if not rest:
                return fields, number
            rest = rest[1:]  # the tab after the closing quote
            continue
        text, tab, rest = rest.partition("\t")
        fields.append(text)
        if not tab:
            return fields, number


def _quoted(rest: str, lines: list[str], number: int) -> tuple[str, str, int] | None:
    """A quoted cell at the start of ``rest``: its text, what follows its closing quote (""
    or a tab and the rest of the row) and the index of the line after the one it ends on;
    None when the quotes are not a spreadsheet's (not closed before a tab or the line's end
    within :data:`MAX_CELL_LINES`, or around a text that needs none)."""
    parts: list[str] = []
    line, index, spanned = rest, 1, 0
    while True:
        if index >= len(line):
            if number >= len(lines) or spanned >= MAX_CELL_LINES:
                return None
            parts.append("\n")
            line, index, number, spanned = lines[number], 0, number + 1, spanned + 1
            continue
        char = line[index]
        if char != QUOTE:
            parts.append(char)
            index += 1
        elif line[index + 1:index + 2] == QUOTE:
            parts.append(QUOTE)
            index += 2
        elif index + 1 == len(line) or line[index + 1] == "\t":
            text = "".join(parts)
            needed = "\n" in text or "\t" in text or QUOTE in text
            return (text, line[index + 1:], number) if needed else None
        else:
            return None


__all__ = ["Record", "read", "records", "text_rows"]

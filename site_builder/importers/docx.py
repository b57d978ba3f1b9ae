"""The official form as a Word document (``.docx``): one Word table per project.

The document is read as a stream of its body, in order: a paragraph outside any table is a
row of one cell (the form's title above a table, the 备注 below it), and each table row is
a row of cells placed on the table's grid.  Those rows go to the same reading as a sheet of
the Excel form (:func:`site_builder.importers.xlsx.read_tables`), so both formats give the
same content:

* ``w:gridSpan`` (and the older ``w:hMerge``) spans a cell over several grid columns: its
  text belongs to the first, as in a merged Excel range;
* ``w:vMerge`` merges a cell with those below it: the rows it covers leave that cell out, as
  a sheet's rows leave out cells covered by a merged range (the 一级/二级 category, or the
  project, goes on);
* the paragraphs of a cell, and those of a table nested in it, are joined by line breaks in
  reading order; tracked deletions, field codes and hidden text are left out, tracked
  insertions are read.

Positions are ``file:表N:row:column`` (the N-th table of the document, its row and grid
column) or ``file:第N段`` for a paragraph outside the tables.  The XML is parsed with
defusedxml (entities and DTDs refused) one table row at a time, so a document is read in
memory bounded by its largest row; the input limits bound the file, its parts, rows,
columns, cells and time.
"""

from __future__ import annotations

import posixpath
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO
from xml.etree.ElementTree import Element

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import ParseError, iterparse

from site_builder.diagnostics import Diagnostic, Position, SiteBuilderError
from site_builder.i18n import _
from site_builder.importers.base import ImportResult
from site_builder.importers.xlsx import read_tables
from site_builder.importers.xlsx_sheet import SheetCell
from site_builder.limits import DEFAULT_LIMITS, Deadline, InputLimits

NAME = "docx"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
_OFFICE_DOCUMENT = "/officeDocument"

_SKIPPED = frozenset({f"{W}del", f"{W}moveFrom", f"{W}instrText", f"{W}delText",
                      f"{W}delInstrText", f"{W}rPr", f"{W}pPr", f"{W}fldData",
                      f"{W}footnoteReference", f"{W}endnoteReference", f"{W}commentReference"})
"""Parts of a paragraph that are not its visible text."""
_BOXES = frozenset({f"{W}drawing", f"{W}pict", f"{W}object", f"{MC}AlternateContent"})
"""Drawings and text boxes: their text is not part of the table (reported when present)."""
_WRAPPERS = frozenset({f"{W}sdt", f"{W}sdtContent", f"{W}customXml", f"{W}smartTag"})
"""Content controls and similar wrappers whose children stand where they are."""

SYMBOL_FONT: dict[int, str] = {
    0x3C: "<", 0x3D: "=", 0x3E: ">", 0x25: "%", 0xA3: "≤", 0xB3: "≥", 0xB1: "±",
    0xB4: "×", 0xB8: "÷", 0xB9: "≠", 0xBB: "≈", 0xBA: "≡", 0xB0: "°", 0xA5: "∞",
    0xD6: "√", 0xAE: "→", 0xAC: "←", 0xB7: "•",
}
"""Characters of the Symbol font as Word inserts them (``w:sym``), by code point."""


@dataclass
class _Table:
    """The table being read."""

    number: int
    """1-based position among the document's top-level tables."""
    rows: int = 0
    """Rows read so far."""


@dataclass
class _Stream:
    """Reading state of one document."""

    shown: str
    """The file as shown in messages."""
    limits: InputLimits
    """The limits in force."""
    deadline: Deadline
    """When reading must stop."""
    report: Callable[[Diagnostic], None]
    """Where warnings go."""
    table: _Table | None = None
    """The top-level table being read, None between tables."""
    tables: int = 0
    """Top-level tables met so far."""
    paragraphs: int = 0
    """Paragraphs outside tables met so far."""
    cells: int = 0
    """Non-empty cells read so far."""


def read(path: Path, shown: str, limits: InputLimits = DEFAULT_LIMITS) -> ImportResult:
    """Every project table of the Word document at ``path``."""
    limits.check_file(path, shown)
    deadline = limits.deadline(shown)
    result = ImportResult(shown, NAME)
    stream = _Stream(shown, limits, deadline, result.diagnostics.append)
    try:
        with zipfile.ZipFile(path) as archive:
            limits.check_zip(archive, shown)
            with archive.open(_document_part(archive)) as part:
                read_tables([("", _body_rows(part, stream))], result, path.name, _place,
                            limits)
    except (zipfile.BadZipFile, KeyError, ParseError, DefusedXmlException, OSError,
            EOFError, ValueError) as exc:
        if isinstance(exc, FileNotFoundError):
            raise
        raise SiteBuilderError([Diagnostic(
            Position(shown), "error", _("The Word document is damaged or cannot be read "
                                        "({reason}); nothing was imported").format(
                                            reason=_reason(exc)),
            _("Open it in Word or WPS, save it as .docx, then import it"),
            "bad-document")]) from None
    if not result.projects:
        raise SiteBuilderError([Diagnostic(
            Position(shown), "error",
            _("No project expenditure performance target table was found in the document "
              "({tables} tables and {paragraphs} paragraphs read); nothing was "
              "imported").format(tables=stream.tables, paragraphs=stream.paragraphs),
            _("Each project's table needs the header of the official form (单位编码、"
              "单位及项目名称、金额、绩效目标、一级指标、二级指标、三级指标、指标值), and a "
              "title above the table (unit name + year + …绩效目标表)"),
            "no-table")])
    return result


def document_rows(path: Path, shown: str, limits: InputLimits = DEFAULT_LIMITS
                  ) -> list[list[SheetCell]]:
    """The body of the Word document at ``path`` as rows of cells (each paragraph, each table
    row; a cell's ``ref`` is ``表1:5:3`` or ``第2段``), for the readers of other forms."""
    limits.check_file(path, shown)
    stream = _Stream(shown, limits, limits.deadline(shown), lambda _diagnostic: None)
    try:
        with zipfile.ZipFile(path) as archive:
            limits.check_zip(archive, shown)
            with archive.open(_document_part(archive)) as part:
                return list(_body_rows(part, stream))
    except (zipfile.BadZipFile, KeyError, ParseError, DefusedXmlException, OSError,
            EOFError, ValueError) as exc:
        if isinstance(exc, FileNotFoundError):
            raise
        raise SiteBuilderError([Diagnostic(
            Position(shown), "error", _("The Word document is damaged or cannot be read "
                                        "({reason}); nothing was imported").format(
                                            reason=_reason(exc)),
            _("Open it in Word or WPS, save it as .docx, then import it"),
            "bad-document")]) from None


def _place(_: str, ref: str) -> str:
    return ref


def _reason(exc: BaseException) -> str:
    if isinstance(exc, DefusedXmlException):
        return _("{error}: for safety, documents with XML entities or a DTD are not "
                 "read").format(error=type(exc).__name__)
    return f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"


def _document_part(archive: zipfile.ZipFile) -> str:
    """The name of the main document part (``word/document.xml`` unless the package says)."""
    try:
        with archive.open("_rels/.rels") as rels:
            for _, element in iterparse(rels):
                if element.tag == _REL and element.get("Type", "").endswith(_OFFICE_DOCUMENT):
                    target: str = element.get("Target", "")
                    return posixpath.normpath(target.lstrip("/"))
    except KeyError:
        pass
    return "word/document.xml"


def _body_rows(part: IO[bytes], stream: _Stream) -> Iterator[list[SheetCell]]:
    """The document's body as rows of cells, one paragraph or table row at a time."""
    stack: list[Element] = []
    cells_open = boxes_open = 0
    for event, element in iterparse(part, events=("start", "end")):
        tag = element.tag
        if event == "start":
            stack.append(element)
            if tag == f"{W}tc":
                cells_open += 1
            elif tag in _BOXES or tag == f"{W}txbxContent":
                boxes_open += 1
            elif tag == f"{W}tbl" and cells_open == 0 and boxes_open == 0:
                stream.tables += 1
                stream.table = _Table(stream.tables)
            continue
        stack.pop()
        if tag == f"{W}tc":
            cells_open -= 1
        elif tag in _BOXES or tag == f"{W}txbxContent":
            boxes_open -= 1
        if cells_open or boxes_open:
            continue
        if tag == f"{W}p":
            row = _paragraph_row(element, stream)
        elif tag == f"{W}tr" and stream.table is not None:
            row = _table_row(element, stream.table, stream)
        elif tag == f"{W}tbl":
            stream.table = None
            continue
        else:
            continue
        if stack:
            stack[-1].remove(element)
        if row:
            stream.cells += len(row)
            stream.limits.check("limit_cells", stream.cells, Position(stream.shown))
            yield row


def _paragraph_row(element: Element, stream: _Stream) -> list[SheetCell]:
    stream.paragraphs += 1
    stream.limits.check("limit_rows", stream.paragraphs, Position(stream.shown))
    ref = f"第{stream.paragraphs}段"
    text = _paragraph_text(element, lambda message: _warn(stream, ref, message)).strip()
    return [SheetCell(text, ref, 1)] if text else []


def _table_row(row: Element, table: _Table, stream: _Stream) -> list[SheetCell]:
    table.rows += 1
    stream.deadline.check(Position(f"{stream.shown}:表{table.number}:{table.rows}"))
    stream.limits.check("limit_rows", table.rows, Position(f"{stream.shown}:表{table.number}"))
    properties = row.find(f"{W}trPr")
    column = 1 + _int_val(properties, "gridBefore", 0)
    found: list[SheetCell] = []
    for cell in _row_cells(row):
        span = max(1, _int_val(cell.find(f"{W}tcPr"), "gridSpan", 1))
        ref = f"表{table.number}:{table.rows}:{column}"
        found.extend(_grid_cell(cell, column, span, ref, table, stream))
        column += span
    stream.limits.check("limit_columns", column - 1, Position(f"{stream.shown}:表{table.number}"))
    return found


def _grid_cell(cell: Element, column: int, span: int, ref: str, table: _Table,
               stream: _Stream) -> list[SheetCell]:
    """The cell as the sheet reading sees it: nothing when it is empty or covered by a merge
    that starts on a row above or a column to the left."""
    tc_pr = cell.find(f"{W}tcPr")
    v_merge = tc_pr.find(f"{W}vMerge") if tc_pr is not None else None
    h_merge = tc_pr.find(f"{W}hMerge") if tc_pr is not None else None
    if h_merge is not None and h_merge.get(f"{W}val", "continue") == "continue":
        return []
    if v_merge is not None and v_merge.get(f"{W}val", "continue") == "continue":
        return []
    text = _cell_text(cell, lambda message: _warn(stream, ref, message))
    return [SheetCell(text, ref, column)] if text else []


def _row_cells(row: Element) -> Iterator[Element]:
    """The ``w:tc`` cells of a row, through content controls that wrap them."""
    for child in row:
        if child.tag == f"{W}tc":
            yield child
        elif child.tag in _WRAPPERS:
            yield from _row_cells(child)


def _cell_text(cell: Element, warn: Callable[[str], None]) -> str:
    """A cell's paragraphs, and those of tables nested in it, one per line."""
    lines: list[str] = []
    for element in _blocks(cell):
        text = _paragraph_text(element, warn).strip()
        if text:
            lines.append(text)
    return "\n".join(lines)


def _blocks(element: Element) -> Iterator[Element]:
    """The paragraphs inside a cell in reading order, nested tables included."""
    for child in element:
        if child.tag == f"{W}p":
            yield child
        elif child.tag in (f"{W}tbl", f"{W}tr", f"{W}tc") or child.tag in _WRAPPERS:
            yield from _blocks(child)


def _paragraph_text(paragraph: Element, warn: Callable[[str], None]) -> str:
    parts: list[str] = []
    _runs_text(paragraph, parts, warn)
    return "".join(parts)


def _runs_text(element: Element, parts: list[str], warn: Callable[[str], None]) -> None:
    for child in element:
        tag = child.tag
        if tag in _SKIPPED:
            continue
        if tag in _BOXES:
            if any((t.text or "").strip() for t in child.iter(f"{W}t")):
                warn(_("Text in a text box or a drawing was not imported"))
        elif tag == f"{W}r" and _hidden(child):
            continue
        elif tag == f"{W}t":
            parts.append(child.text or "")
        elif tag in (f"{W}tab", f"{W}ptab"):
            parts.append(" ")
        elif tag in (f"{W}br", f"{W}cr"):
            parts.append("\n")
        elif tag == f"{W}noBreakHyphen":
            parts.append("-")
        elif tag == f"{W}sym":
            parts.append(_symbol(child, warn))
        else:
            _runs_text(child, parts, warn)


def _hidden(run: Element) -> bool:
    properties = run.find(f"{W}rPr")
    vanish = properties.find(f"{W}vanish") if properties is not None else None
    return vanish is not None and vanish.get(f"{W}val", "true") not in ("false", "0", "off")


def _symbol(element: Element, warn: Callable[[str], None]) -> str:
    """The character a ``w:sym`` (a symbol inserted from a symbol font) shows."""
    font = element.get(f"{W}font", "")
    try:
        code = int(element.get(f"{W}char", ""), 16)
    except ValueError:
        code = -1
    if font.lower() == "symbol" and (code & 0xFF) in SYMBOL_FONT and code in range(0x10000):
        return SYMBOL_FONT[code & 0xFF]
    if code >= 0 and not 0xF000 <= code <= 0xF0FF:
        return chr(code)
    shown_char = element.get(f"{W}char", "")
    if font:
        warn(_("The cell has a symbol of the font {font} ({char}) that cannot be turned into "
               "text; it was left out").format(font=font, char=shown_char))
    else:
        warn(_("The cell has a symbol ({char}) that cannot be turned into text; it was left "
               "out").format(char=shown_char))
    return ""


def _int_val(properties: Element | None, name: str, default: int) -> int:
    found = properties.find(f"{W}{name}") if properties is not None else None
    if found is None:
        return default
    try:
        return int(found.get(f"{W}val", default))
    except ValueError:
        return default


def _warn(stream: _Stream, ref: str, message: str) -> None:
    stream.report(Diagnostic(Position(f"{stream.shown}:{ref}"), "warning", message,
                             _("In Word, write this content into the cell's text"),
                             "unread-content"))


__all__ = ["NAME", "SYMBOL_FONT", "read"]

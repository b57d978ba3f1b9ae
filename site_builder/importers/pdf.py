"""The official form as a PDF with a text layer (printed from Word, Excel, WPS or LibreOffice).

Each page is read with pdfplumber (glyphs and ruled lines only, no layout analysis), its ruled
tables rebuilt from the lines by :mod:`site_builder.importers.pdf_layout`, and the rows of
cells handed to the same reader as an Excel sheet of the form
(:func:`site_builder.importers.xlsx.read_tables`): a cell merged over several rows is one cell
anchored in its first row, so 一级/二级 categories go on down the rows they span, and a new
project starts where the 单位及项目名称 column has a new cell.

A table that goes on over a page break is read as one table: on the next page the repeated
title and header rows are skipped, and a name or goal the break cut is joined again.  Page
numbers (``第1页 共3页``, ``- 2 -``, ``2/3``) are skipped.  Each skip is reported as an info,
at ``file:第N页``.

Refused, with a Chinese message naming the pages: a page without a text layer (a scan: run
OCR first), text whose font has no Unicode map, a password, a broken file, a spreadsheet's
page break through merged cells that printed their text over the header or into the margin,
and a PDF in which no table of the form is found.  Bounded by the input limits: file size
before opening, pages, rows, cells and columns, and the time spent (checked at each page).

The readers of other forms (the 自评表, :mod:`site_builder.importers.evaluation_form`) get the
same pages as rows of cells from :func:`form_rows`, columns numbered across the whole file.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from site_builder.diagnostics import Diagnostic, Position, SiteBuilderError
from site_builder.i18n import _
from site_builder.importers.base import ImportResult
from site_builder.importers.pdf_layout import (
    TOLERANCE,
    Glyph,
    PageContent,
    Rule,
    Spacing,
    SpacingCount,
    TextLine,
    join_wrapped,
    lay_out,
)
from site_builder.importers.residue import TITLE
from site_builder.importers.xlsx import HEADERS, normalised, read_tables
from site_builder.importers.xlsx_sheet import SheetCell
from site_builder.limits import DEFAULT_LIMITS, InputLimits

NAME = "pdf"
MAGIC = b"%PDF-"
"""How a PDF file starts."""
PAGE_NUMBER = re.compile(
    r"^(?:第\s*\d+\s*页\s*[,，/]?\s*(?:共\s*\d+\s*页)?|共\s*\d+\s*页\s*第\s*\d+\s*页|"
    r"[-－—–]\s*\d+\s*[-－—–]|\d+\s*/\s*\d+|\d{1,4}|(?:page|Page|PAGE)\s*\d+(?:\s*of\s*\d+)?)$")
"""A line that is only a page number."""
SUMMARY_HEADER = "上级单位编码"
"""A header cell only the table listing the units has (the export's 预算单位汇总)."""
_CID = re.compile(r"\(cid:\d+\)")
"""How pdfminer shows a glyph its font maps to no character."""


def page_position(shown: str, number: int) -> Position:
    """``表.pdf:第3页`` as a position (a PDF has pages, not lines)."""
    return Position(f"{shown}:第{number}页")


def page_place(_sheet: str, ref: str) -> str:
    """Where a cell of the PDF is: its page (``ref`` is ``第3页``)."""
    return ref


def read(path: Path, shown: str, limits: InputLimits = DEFAULT_LIMITS) -> ImportResult:
    """Every project table of the official form in the PDF at ``path``."""
    limits.check_file(path, shown)
    return read_pages(pdfplumber_pages(path, shown, limits), shown, path.name, limits)


def read_pages(contents: Iterable[PageContent], shown: str, file_name: str,
               limits: InputLimits = DEFAULT_LIMITS) -> ImportResult:
    """Every project table of the official form on ``contents``, the pages of a PDF as a
    PDF library read them (:func:`pdfplumber_pages`; the benchmark feeds PyMuPDF's)."""
    result = ImportResult(shown, NAME)
    pages = _laid_out(contents, shown, limits)
    sheets = _Assembler(shown, limits, result).sheets(pages)
    read_tables([("", rows) for rows in sheets], result, file_name, page_place, limits)
    errors = [d for d in result.diagnostics if d.severity == "error"]
    if not errors and not result.projects:
        errors.append(_no_table(shown, pages))
    if errors:
        raise SiteBuilderError(errors)
    return result


def form_rows(path: Path, shown: str, limits: InputLimits = DEFAULT_LIMITS
              ) -> list[list[SheetCell]]:
    """The PDF at ``path`` as rows of cells for the readers of forms other than the target
    table (as :func:`site_builder.importers.docx.document_rows` gives a Word document's).

    Each row of a ruled table gives its non-empty cells, each line of free text one cell in
    column 0.  A cell's ``ref`` is its page (``第3页``); its ``col`` is the place of its left
    edge among the column lines of every table of the file, so the part of a table on the
    next page keeps the columns of its header.  Page numbers are left out; a row a page break
    cut in two is joined again.  Refused besides what :func:`read` refuses: a table whose part
    on the next page does not line up with it (printed side by side, too wide for the page).
    """
    limits.check_file(path, shown)
    result = ImportResult(shown, NAME)
    pages = _laid_out(pdfplumber_pages(path, shown, limits), shown, limits)
    rows = _Assembler(shown, limits, result, form=True).form_rows(pages)
    errors = [d for d in result.diagnostics if d.severity == "error"]
    if errors:
        raise SiteBuilderError(errors)
    return rows


# --- reading the pages ---------------------------------------------------------------------


@dataclass
class _Cell:
    """A cell of a page, as the assembler edits it."""

    text: str
    """Its text (emptied when it is skipped as a repetition)."""
    col: int
    """1-based column of the form (0 for free text outside every table)."""
    rows: int = 1
    """Grid rows it spans."""
    room: float = 0.0
    """Points left after its last line."""
    lead: float = 0.0
    """Points its first word takes (see :class:`~site_builder.importers.pdf_layout.TableCell`)."""
    bottom: bool = False
    """It reaches the bottom of its table."""
    open_bottom: bool = False
    """No line closes it at the table's bottom: a spreadsheet's page break cut it."""
    x0: float = 0.0
    """Its left edge."""
    x1: float = 0.0
    """Its right edge."""

    def overlaps(self, spans: list[tuple[float, float]]) -> bool:
        return any(self.x0 < right and left < self.x1 for left, right in spans)


@dataclass
class _Row:
    """A row of a table, or one line of free text (one cell in column 0)."""

    cells: list[_Cell]
    """Its cells, left to right."""
    skip: bool = False
    """Left out (page furniture)."""

    def texts(self) -> list[str]:
        return [cell.text for cell in self.cells if cell.text]


@dataclass
class _Block:
    """A table, or a line of free text, of one page."""

    rows: list[_Row]
    """Its rows, top to bottom."""
    table: bool
    """True for a ruled table."""
    columns: tuple[float, ...] = ()
    """x of the table's column boundaries."""
    lines: tuple[float, ...] = ()
    """y of the table's row boundaries."""


@dataclass
class _Page:
    """One page, laid out."""

    number: int
    """1-based page number."""
    blocks: list[_Block]
    """Its tables and lines of free text, top to bottom."""
    tables: int = 0
    """How many ruled tables it has."""


def pdfplumber_pages(path: Path, shown: str,
                     limits: InputLimits = DEFAULT_LIMITS) -> Iterator[PageContent]:
    """The pages of the PDF at ``path`` read by pdfplumber, one at a time (each page's parsed
    objects are let go before the next is read); the page count and the time bounded."""
    import pdfplumber
    from pdfplumber.utils.exceptions import PdfminerException

    deadline = limits.deadline(shown)
    try:
        with pdfplumber.open(path) as pdf:
            limits.check("limit_pages", len(pdf.pages), Position(shown))
            for number, page in enumerate(pdf.pages, 1):
                deadline.check(page_position(shown, number))
                content = _content(page, number)
                page.close()
                yield content
    except PdfminerException as exc:
        raise SiteBuilderError([_unreadable(shown, exc)]) from None


def _laid_out(contents: Iterable[PageContent], shown: str, limits: InputLimits) -> list[_Page]:
    """Each page laid out; refuses the file when a page has no usable text layer."""
    scanned: list[int] = []
    unmapped: list[int] = []
    laid_out: list[_Page] = []
    spaces = SpacingCount()
    waiting: list[PageContent] = []
    """Pages laid out once enough text was seen to tell how spaces are shown."""
    for content in contents:
        text = "".join(g.text for g in content.glyphs).strip()
        if not text:
            if content.images:
                scanned.append(content.number)
            continue
        if _CID.search(text):
            unmapped.append(content.number)
            continue
        spaces.add(content.glyphs)
        waiting.append(content)
        if spaces.decided:
            laid_out.extend(_page(c, spaces.spacing(), limits, shown) for c in waiting)
            waiting = []
    if scanned:
        raise SiteBuilderError([Diagnostic(
            Position(shown), "error",
            _("{pages} have no text layer (they are scans or pictures), so their tables cannot "
              "be read; nothing was imported").format(pages=_pages(scanned)),
            _("Turn the scans into a PDF with a text layer with text recognition (OCR) software "
              "first, then import it; better still, import the original Word or Excel file"),
            "pdf-scanned")])
    if unmapped:
        raise SiteBuilderError([Diagnostic(
            Position(shown), "error",
            _("The text of {pages} cannot be recognised: the fonts the PDF uses have no "
              "character table; nothing was imported").format(pages=_pages(unmapped)),
            _("Export the PDF again from the original Word or Excel file (or import the "
              "original file)"),
            "pdf-unmapped-text")])
    laid_out.extend(_page(c, spaces.spacing(), limits, shown) for c in waiting)
    return laid_out


def _content(page: Any, number: int) -> PageContent:
    """A pdfplumber page as glyphs and rules (glyphs drawn off the page left out)."""
    width, height = float(page.width), float(page.height)
    glyphs = tuple(
        Glyph(c["text"], float(c["x0"]), float(c["x1"]), float(c["top"]), float(c["bottom"]))
        for c in page.chars
        if 0 <= (c["x0"] + c["x1"]) / 2 <= width and 0 <= (c["top"] + c["bottom"]) / 2 <= height)
    rules = tuple(Rule(float(e["x0"]), float(e["top"]), float(e["x1"]), float(e["bottom"]))
                  for e in page.edges)
    return PageContent(number, width, height, glyphs, rules, len(page.images))


def _page(content: PageContent, spacing: Spacing, limits: InputLimits, shown: str) -> _Page:
    number = content.number
    items = lay_out(content, spacing)
    where = page_position(shown, number)
    blocks: list[_Block] = []
    tables = 0
    for item in items:
        if isinstance(item, TextLine):
            blocks.append(_Block([_Row([_Cell(item.text, 0, x0=item.box.x0,
                                              x1=item.box.x1)])], table=False))
            continue
        tables += 1
        limits.check("limit_columns", len(item.columns) - 1, where)
        last = len(item.rows) - 1
        rows = [_Row([_Cell(c.text, c.col + 1, c.rows, c.room, c.lead, c.row + c.rows - 1 == last,
                            c.open_bottom, c.box.x0, c.box.x1) for c in row])
                for row in item.rows]
        lines = sorted({y for row in item.rows for c in row for y in (c.box.top, c.box.bottom)})
        blocks.append(_Block(rows, table=True, columns=item.columns, lines=tuple(lines)))
    return _Page(number, blocks, tables)


def _unreadable(shown: str, exc: Exception) -> Diagnostic:
    cause = exc.args[0] if exc.args and isinstance(exc.args[0], Exception) else exc
    if type(cause).__name__ in ("PDFPasswordIncorrect", "PDFEncryptionError"):
        return Diagnostic(Position(shown), "error",
                          _("The PDF file has an opening password or an encryption that is "
                            "not recognised, and cannot be read"),
                          _("Remove the password, save the PDF again and import that, or import "
                            "the original Word/Excel file"),
                          "pdf-encrypted")
    reason = f"{type(cause).__name__}: {str(cause).splitlines()[0] if str(cause) else ''}"
    return Diagnostic(Position(shown), "error",
                      _("Not a readable PDF file ({reason})").format(reason=reason.strip()),
                      _("Open it in a PDF reader to check it; if the file is damaged, export "
                        "the PDF again from the original file"),
                      "pdf-broken")


def _pages(numbers: list[int]) -> str:
    """``第1–3、5页`` (``pages 1–3, 5`` in English)."""
    runs: list[list[int]] = []
    for number in numbers:
        if runs and number == runs[-1][-1] + 1:
            runs[-1].append(number)
        else:
            runs.append([number])
    listed = _(", ").join(f"{r[0]}–{r[-1]}" if len(r) > 1 else str(r[0]) for r in runs)
    return _("pages {numbers}").format(numbers=listed)


def _no_table(shown: str, pages: list[_Page]) -> Diagnostic:
    tables = sum(page.tables for page in pages)
    message = (_("No project expenditure performance target table was read in the PDF "
                 "({pages} pages have text; {tables} tables with ruled lines were found, but "
                 "none has the header of the official form); nothing was imported") if tables
               else _("No project expenditure performance target table was read in the PDF "
                      "({pages} pages have text; no table with ruled lines was found); nothing "
                      "was imported"))
    return Diagnostic(Position(shown), "error", message.format(pages=len(pages), tables=tables),
                      _("The table needs ruled lines and the header of the official form: "
                        "单位及项目名称、一级指标、二级指标、三级指标、指标值; in a PDF made by "
                        "OCR from a scan the table lines are still pictures, so import the "
                        "original Word or Excel file instead"), "no-table")


# --- pages into rows of the form -----------------------------------------------------------


@dataclass
class _Assembler:
    """Turns the laid-out pages into rows of :class:`SheetCell`, page furniture left out."""

    shown: str
    """The file as shown in messages."""
    limits: InputLimits
    """Rows and cells read are bounded."""
    result: ImportResult
    """Where infos go."""
    columns: tuple[float, ...] = ()
    """Column boundaries of the last table with a header row."""
    name_col: int = 0
    """Column of 单位及项目名称 in that header (0 before any)."""
    titles: set[str] = field(default_factory=set)
    """Titles of the form seen so far."""
    form: bool = False
    """Reading a form other than the target table (:func:`form_rows`): a row a page break cut
    is joined by :meth:`cut_row`, and a table going on from the page before must line up."""
    count: int = 0
    """Rows given so far (against ``limit_rows``)."""
    cells: int = 0
    """Cells given so far (against ``limit_cells``)."""

    def info(self, page: int, message: str) -> None:
        self.result.report(page_position(self.shown, page), "info", message,
                           code="page-furniture")

    def sheets(self, pages: list[_Page]) -> list[list[list[SheetCell]]]:
        """The rows of the form, as sheets: a table listing the units (上级单位编码) is read
        apart, as the unit summary sheet of a workbook is."""
        for page in pages:
            self.furniture(page)
        for before, page in zip([None, *pages], pages, strict=False):
            for block in page.blocks:
                if block.table:
                    self.map_columns(block)
            if before is not None:
                self.continuation(before, page)
            for block in page.blocks:
                for row in block.rows:
                    if not block.table and row.texts() and TITLE.match(row.texts()[0]):
                        self.titles.add(row.texts()[0])
        sheets: list[list[list[SheetCell]]] = [[]]
        for page in pages:
            for block in page.blocks:
                summary = block.table and any(
                    normalised(c.text) == SUMMARY_HEADER for c in block.rows[0].cells)
                if summary:
                    sheets.append([])
                sheets[-1].extend(self.rows_of(page, block))
                if summary:
                    sheets.append([])
        return [sheet for sheet in sheets if sheet]

    def form_rows(self, pages: list[_Page]) -> list[list[SheetCell]]:
        """The rows of every page (:func:`form_rows`), page furniture left out."""
        for page in pages:
            self.furniture(page)
        _align_columns(pages)
        for before, page in reversed(list(zip(pages, pages[1:], strict=False))):
            self.continuation(before, page)  # last first: a row cut twice is joined whole
        return [row for page in pages for block in page.blocks
                for row in self.rows_of(page, block)]

    def rows_of(self, page: _Page, block: _Block) -> Iterator[list[SheetCell]]:
        """The rows of ``block`` as cells (``ref``: the page), rows and cells bounded."""
        ref = f"第{page.number}页"
        for row in block.rows:
            found = [SheetCell(c.text, ref, c.col) for c in row.cells if c.text]
            if row.skip or not found:
                continue
            self.count, self.cells = self.count + 1, self.cells + len(found)
            where = page_position(self.shown, page.number)
            self.limits.check("limit_rows", self.count, where)
            self.limits.check("limit_cells", self.cells, where)
            yield found

    def furniture(self, page: _Page) -> None:
        """Page numbers left out."""
        for block in page.blocks:
            if not block.table and PAGE_NUMBER.match(block.rows[0].cells[0].text):
                block.rows[0].skip = True
                self.info(page.number, _("The page number '{text}' was skipped").format(
                    text=block.rows[0].cells[0].text))

    def map_columns(self, block: _Block) -> None:
        """Columns of a table without header rows are those of the last header above it."""
        header = next((row for row in block.rows if _is_header(row)), None)
        if header is not None:
            self.columns = block.columns
            name = next((c.col for c in header.cells if "name" in _roles(c.text)), 0)
            self.name_col = name or self.name_col
            return
        if not self.columns:
            return
        for row in block.rows:
            for cell in row.cells:
                left = block.columns[cell.col - 1]
                nearest = min(range(len(self.columns)), key=lambda i: abs(self.columns[i] - left))
                if abs(self.columns[nearest] - left) <= 3 * TOLERANCE:
                    cell.col = nearest + 1

    def continuation(self, before: _Page, page: _Page) -> None:
        """When the first table of ``page`` goes on from the last table of ``before``: join
        the parts of the cells the page break cut, skip what the break repeats."""
        last = next((i for i in range(len(before.blocks) - 1, -1, -1)
                     if before.blocks[i].table), None)
        first = next((i for i, b in enumerate(page.blocks) if b.table), None)
        if last is None or first is None:
            return
        table = page.blocks[first]
        if self.form and _side_by_side(before.blocks[last], table):
            self.side_by_side(before, page)
            return
        heads = 0
        while heads < len(table.rows) and (_is_header(table.rows[heads])
                                           or not table.rows[heads].texts()):
            heads += 1
        if heads == len(table.rows):
            return
        data = table.rows[heads]
        above = {c.col: c for row in before.blocks[last].rows for c in row.cells if c.bottom}
        cut = {col: c for col, c in above.items() if c.open_bottom}
        trailing = _texts(before.blocks[last + 1:])
        leading = _texts(page.blocks[:first])
        spans = [(c.x0, c.x1) for c in cut.values()]
        if cut:
            if self.spilled(before, page, before.blocks[last + 1:] + page.blocks[:first],
                            table.rows[:heads], spans):
                return
            self.spreadsheet_break(data, cut)
        elif trailing or any(text not in self.titles for text in leading):
            return
        elif self.form:
            self.cut_row(data, above)
        elif self.started(before.blocks[last]) and not self.goes_on(data, above,
                                                                     titled=bool(leading)):
            return
        for row in table.rows[:heads]:
            if row.skip or not row.texts():
                continue
            row.skip = True
            self.info(page.number, _("The header repeated at the top of a continued page was "
                                     "skipped"))
            for cell in row.cells:
                extra = [line for line in cell.text.splitlines()
                         if line.strip() and not _roles(line)]
                if extra:
                    self.result.report(
                        page_position(self.shown, page.number), "warning",
                        _("The header of a continued page has text that is not a header; it "
                          "was not imported: {text}").format(text=" ".join(extra)[:60]),
                        _("Check against the original table which cell this text belongs to, "
                          "and add it after importing if needed"), "stray-text")
        self.repeated_lines(page, page.blocks[:first])

    def started(self, table: _Block) -> bool:
        """Whether a project starts in ``table`` (a page may end after a table's header or
        its 合计 row)."""
        return any(normalised(_text_at(row, self.name_col)) not in ("", "合计")
                   for row in table.rows if not _is_header(row))

    def goes_on(self, data: _Row, above: dict[int, _Cell], titled: bool) -> bool:
        """Whether ``data``, a table's first row below its header, goes on from the cells
        ``above`` at the bottom of the page before; joins the text of cells cut in two.

        It does when it starts no project: its 单位及项目名称 cell is empty, or (when no title
        stands above the table) holds the end of a name cut by the break.  A cell's text goes
        on from the cell above when its first word would not have fitted after the text
        there, and the cell spans several rows or the row was cut (its last cell is empty:
        the 指标值 of an indicator whose name the break cut stayed on the page before).
        """
        cut_row = not _text_at(data, max(c.col for c in data.cells))
        joined: list[_Cell] = []
        for cell in data.cells:
            part = above.get(cell.col)
            if (cell.text and part is not None and part.text and part.room < cell.lead
                    and (part.rows > 1 or cell.rows > 1 or cut_row)):
                joined.append(cell)
        if _text_at(data, self.name_col) and (
                titled or not any(c.col == self.name_col for c in joined)):
            return False
        for cell in joined:
            part = above[cell.col]
            part.text, cell.text = join_wrapped(part.text, cell.text), ""
        return True

    def cut_row(self, data: _Row, above: dict[int, _Cell]) -> None:
        """Join ``data``, the first row of a page's table, to the row at the bottom of the page
        before when the page break cut that row in two (as Word and Writer break a row that
        does not fit): every cell of ``data`` with text goes on from the cell above it, whose
        last line had no room for its first word.  A new row has cells that do not (short
        values, such as 分值 and 得分, under cells with room to spare), and is left as it is."""
        found = [cell for cell in data.cells if cell.text]
        pairs = [(above[cell.col], cell) for cell in found if cell.col in above]
        if not found or len(pairs) < len(found) or any(
                not part.text or part.room >= cell.lead for part, cell in pairs):
            return
        for part, cell in pairs:
            part.text, cell.text = join_wrapped(part.text, cell.text), ""

    def side_by_side(self, before: _Page, page: _Page) -> None:
        """Refuse a table whose part on ``page`` has column lines other than its part on the
        page before: a sheet too wide for the page, printed in parts side by side, whose
        cells can no longer be matched to the columns of its header."""
        self.result.report(
            page_position(self.shown, page.number), "error",
            _("Pages {first}–{last}: the table on page {last} goes on from page {first}, but its "
              "columns do not line up with those there: the form was printed in parts side by "
              "side (it is wider than the page), so its cells cannot be matched to the columns "
              "of its header; nothing was imported").format(first=before.number,
                                                            last=page.number),
            _("In the page setup of Excel/WPS, fit the form to 1 page wide and export the PDF "
              "again; you can also import the Excel or Word file"), "pdf-side-by-side")

    def spreadsheet_break(self, data: _Row, cut: dict[int, _Cell]) -> None:
        """A spreadsheet prints a merged cell the page break cuts as one text placed in the
        whole cell: each page shows the lines that fall in its part of the cell.  The part on
        this page (in ``data``) goes on from the part above."""
        for cell in data.cells:
            part = cut.get(cell.col)
            if part is None or not cell.text:
                continue
            if not part.text:
                part.text = cell.text
            elif part.room < cell.lead:
                part.text = join_wrapped(part.text, cell.text)
            else:
                part.text = f"{part.text}\n{cell.text}"
            cell.text = ""

    def spilled(self, before: _Page, page: _Page, around: list[_Block], heads: list[_Row],
                spans: list[tuple[float, float]]) -> bool:
        """Refuse a spreadsheet's page break that printed a cut cell's text outside its part
        of the page: over the repeated header, or in the margin next to the break.

        Excel and Calc place such a text in the whole merged cell and print it on both pages,
        on the second one shifted over the header rows; lines of it then overlap other text
        or stand twice, and which copy belongs where cannot be told from the page.
        """
        outside = [b.rows[0].cells[0] for b in around if not b.table and not b.rows[0].skip
                   and b.rows[0].cells[0].text not in self.titles]
        over_header = [c for row in heads for c in row.cells if c.text and c.overlaps(spans)
                       and any(not _roles(line) for line in c.text.splitlines())]
        found = [c.text for c in outside if c.text and c.overlaps(spans)] + [
            c.text for c in over_header]
        if not found:
            return False
        self.result.report(
            page_position(self.shown, before.number), "error",
            _("Pages {first}–{last}: a merged cell is cut by the page break, and the "
              "spreadsheet program printed its text into the header or the margin (e.g. "
              "'{text}'), where it overlaps or repeats other text and cannot be read reliably; "
              "nothing was imported").format(first=before.number, last=page.number,
                                             text=found[0][:30]),
            _("In the page setup of Excel/WPS, fit each project's table to 1 page high (or "
              "split the merged cells at the page break) and export the PDF again; you can also "
              "import the Excel file"), "pdf-cut-cell")
        return True

    def repeated_lines(self, page: _Page, blocks: list[_Block]) -> None:
        """Titles a page break repeats above the table that goes on skipped."""
        for block in blocks:
            row = block.rows[0]
            text = row.cells[0].text
            if not block.table and not row.skip and text in self.titles:
                row.skip = True
                self.info(page.number, _("The title repeated on a continued page was skipped: "
                                         "{text}").format(text=text[:40]))


def _align_columns(pages: list[_Page]) -> None:
    """Number the columns of every table cell by its left edge among the column lines of all
    the tables of ``pages`` (lines within :data:`TOLERANCE` of the first of a run are one), so
    that a column keeps its number from page to page."""
    lines: list[float] = []
    for x in sorted({x for page in pages for block in page.blocks if block.table
                     for x in block.columns}):
        if not lines or x - lines[-1] > TOLERANCE:
            lines.append(x)
    for page in pages:
        for block in page.blocks:
            if block.table:
                for row in block.rows:
                    for cell in row.cells:
                        cell.col = bisect.bisect_right(lines, cell.x0)


def _side_by_side(before: _Block, table: _Block) -> bool:
    """Whether ``table`` is the part of the table ``before`` that did not fit the page's width
    (a spreadsheet prints it on the next page, its rows where they were): every row line of it
    is one of ``before``, and most of its column lines are not.  (The part of a table going
    on down the next page has its columns; a table of another form rows of its own.)"""
    rows = all(any(abs(y - other) <= TOLERANCE for other in before.lines) for y in table.lines)
    return rows and not _lines_up(before.columns, table.columns)


def _lines_up(above: tuple[float, ...], below: tuple[float, ...]) -> bool:
    """Whether most of the lines at ``below`` are lines at ``above`` (a table's part on the
    next page may lack some of its column lines, never have other ones)."""
    matched = sum(1 for x in below if any(abs(x - y) <= 3 * TOLERANCE for y in above))
    return 2 * matched > len(below)


def _texts(blocks: list[_Block]) -> list[str]:
    """The lines of free text among ``blocks`` that are not skipped."""
    return [b.rows[0].cells[0].text for b in blocks
            if not b.table and not b.rows[0].skip and b.rows[0].cells[0].text]


def _text_at(row: _Row, col: int) -> str:
    return next((c.text for c in row.cells if c.col == col and c.text), "")


def _roles(text: str) -> set[str]:
    """The header roles the lines of ``text`` name (``绩效指标`` names the empty role)."""
    found = set()
    for line in text.splitlines():
        role = HEADERS.get(normalised(line))
        if role is not None:
            found.add(role or "indicators")
    return found


def _is_header(row: _Row) -> bool:
    """A row of the form's header: two or more cells naming a column, and no more than one
    that names none (a spreadsheet may print a cut cell's text over a header cell)."""
    cells = [c for c in row.cells if c.text]
    named = sum(1 for c in cells if _roles(c.text))
    return named >= 2 and len(cells) - named <= 1


__all__ = ["MAGIC", "NAME", "form_rows", "page_place", "page_position", "pdfplumber_pages",
           "read", "read_pages"]

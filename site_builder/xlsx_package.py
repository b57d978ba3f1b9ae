"""A small SpreadsheetML (.xlsx) writer: sheets of text and number cells with a few styles,
merged cells, row heights, column widths and print setup, packed into a reproducible zip.

Written directly as XML because the site ships one workbook per unit and year: openpyxl took
10–17 ms per form sheet (10 s for a site of 1,000 projects), this writer about 0.2 ms.  The
output is the same bytes for the same sheets: the zip entries carry the given time, the parts
come in a fixed order and strings are numbered in order of first use.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from functools import cache, lru_cache

from site_builder.cells import starts_like_formula
from site_builder.zip_writer import deflated_zip

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'


@dataclass(frozen=True)
class Font:
    """A font of the workbook."""

    name: str
    """Font family name (``宋体``)."""
    size: float
    """Size in points."""
    bold: bool = False
    """Bold or not."""


@dataclass(frozen=True)
class Style:
    """How a cell looks: its font, alignment, border and number format."""

    font: Font
    """Its font."""
    align: str = "center"
    """Horizontal alignment: ``left`` (indented by one) or ``center``."""
    border: bool = True
    """A thin border on all four sides."""
    number_format: str = "General"
    """Excel number format (``General``, ``@`` for text, ``0.00``)."""
    quote_prefix: bool = False
    """Marked as text, as a leading ' typed in Excel does: a text that starts like a formula
    (``=1+1``) stays text when the cell is edited."""


QUOTE_PREFIX = ' quotePrefix="1"'
"""The cell format attribute that marks a cell as text."""
BUILTIN_FORMATS = {"General": 0, "0": 1, "0.00": 2, "@": 49}
"""Number formats every spreadsheet program knows by number."""
FIRST_CUSTOM_FORMAT = 164
COMPRESSION = 1
"""zlib level of the parts: 15% larger files than the default level, in two thirds of the
time (the build writes a workbook per unit)."""
DEFAULT_FONT = Font("宋体", 11)
"""The font of cells without a style."""


@dataclass
class Sheet:
    """One worksheet being filled."""

    name: str
    """Sheet name (at most 31 characters, none of ``[]:*?/\\``)."""
    widths: Sequence[float] = ()
    """Width of columns A, B, … in characters."""
    cells: dict[int, dict[int, tuple[str | None, bool, Style]]] = field(default_factory=dict)
    """By row, then column (both from 1): (value, whether it is a number, style)."""
    heights: dict[int, float] = field(default_factory=dict)
    """Row heights in points, for rows that have one."""
    merges: list[str] = field(default_factory=list)
    """Merged ranges (``A1:H1``)."""
    fills: list[tuple[int, int, int, Style]] = field(default_factory=list)
    """(first row, last row, last column, style): the empty cells of these rows up to that
    column get the style (the borders of a table, also under merged ranges)."""
    print_titles: str = ""
    """Rows repeated at the top of every printed page (``2:3``), or ""."""
    landscape: bool = True
    """Printed across the page (A4 landscape), else upright."""

    def put(self, row: int, col: int, value: str | None, style: Style,
            number: bool = False) -> None:
        """Set a cell: text, a number written as text (``number``), or None (styled only).
        Text is always a string cell; one that starts like a formula is marked as text."""
        self.cells.setdefault(row, {})[col] = (value, number, style)

    def fill(self, first_row: int, last_row: int, last_col: int, style: Style) -> None:
        """Give the empty cells of these rows, from column A to ``last_col``, ``style``."""
        self.fills.append((first_row, last_row, last_col, style))

    def merge(self, first_row: int, first_col: int, last_row: int, last_col: int) -> None:
        self.merges.append(f"{column_letter(first_col)}{first_row}:"
                           f"{column_letter(last_col)}{last_row}")

    @property
    def last_row(self) -> int:
        return max([*self.cells, *(f[1] for f in self.fills)], default=1)

    @property
    def last_col(self) -> int:
        return max([*(max(cols) for cols in self.cells.values() if cols),
                    *(f[2] for f in self.fills)], default=1)


@cache
def column_letter(number: int) -> str:
    """``1`` → ``A``, ``27`` → ``AA``."""
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\r\ufffe\uffff]|_(?=x[0-9A-Fa-f]{4}_)")
"""What cannot stand in the XML as it is: control characters (and carriage returns, which an
XML reader turns into line feeds), and ``_`` starting what would read as an escape."""


def _escape_char(match: re.Match[str]) -> str:
    return f"_x{ord(match.group()):04X}_"


def xml_text(value: str) -> str:
    """``value`` as XML character data that reads back as exactly ``value``."""
    value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _ILLEGAL.sub(_escape_char, value)


def _attr(value: str) -> str:
    return xml_text(value).replace('"', "&quot;")


def _number(value: float) -> str:
    text = f"{value:.6f}".rstrip("0").rstrip(".")
    return text or "0"


class _Book:
    """Strings and styles shared by the sheets of one workbook, numbered in first use."""

    def __init__(self) -> None:
        self.strings: dict[str, int] = {}
        self.uses = 0
        self.fonts: dict[Font, int] = {DEFAULT_FONT: 0}
        self.formats: dict[str, int] = {}
        self.styles: dict[Style, int] = {}
        self.by_id: dict[int, tuple[Style, int]] = {}
        """Each style object's number, by its id (styles are few objects used often)."""
        self.quoted_styles: dict[Style, Style] = {}
        """Each style's variant marked as text (kept, so that their ids stay theirs)."""
        self.shown_numbers: dict[int, str] = {}
        """Each style object's number as text, by its id (the style is kept in ``by_id``)."""
        self.formula_like: dict[str, bool] = {}
        """Whether each text cell value met so far starts like a formula."""
        self.starts: dict[tuple[int, int, int], str] = {}
        """Cell opening tags by column, row and id of the style (kept in ``by_id``)."""

    def quoted(self, style: Style) -> Style:
        """``style`` marked as text, for a text that starts like a formula."""
        found = self.quoted_styles.get(style)
        if found is None:
            found = self.quoted_styles[style] = replace(style, quote_prefix=True)
        return found

    def shown(self, style: Style) -> str:
        """The number of ``style`` as the text of a cell's ``s`` attribute."""
        found = self.shown_numbers.get(id(style))
        if found is None:
            found = str(self.style(style))
            self.shown_numbers[id(style)] = found
        return found

    def cell_start(self, col: int, row: int, style: Style) -> str:
        """A cell's opening tag without its end, ``<c r="B5" s="3"`` (forms repeat them)."""
        key = (col, row, id(style))
        found = self.starts.get(key)
        if found is None:
            found = self.starts[key] = _cell_start(col, row, self.shown(style))
        return found

    def cell_xml(self, col: int, row: int, cell: tuple[str | None, bool, Style]) -> str:
        """The ``<c>`` element of a cell (value, whether it is a number, style)."""
        value, number, style = cell
        if value is None:
            return self.cell_start(col, row, style) + "/>"
        if number:
            return f"{self.cell_start(col, row, style)}><v>{value}</v></c>"
        if value:
            quoted = self.formula_like.get(value)
            if quoted is None:
                quoted = self.formula_like[value] = starts_like_formula(value)
            if quoted:
                style = self.quoted(style)
        start = self.cell_start(col, row, style)
        self.uses += 1
        strings = self.strings
        index = strings.get(value)
        if index is None:
            index = strings[value] = len(strings)
        return f'{start} t="s"><v>{index}</v></c>'

    def style(self, style: Style) -> int:
        known = self.by_id.get(id(style))
        if known is not None and known[0] is style:
            return known[1]
        found = self.styles.get(style)
        if found is None:
            self.fonts.setdefault(style.font, len(self.fonts))
            if style.number_format not in BUILTIN_FORMATS:
                self.formats.setdefault(style.number_format,
                                        FIRST_CUSTOM_FORMAT + len(self.formats))
            found = self.styles[style] = len(self.styles) + 1  # 0: the default style
        self.by_id[id(style)] = (style, found)
        return found


_SELECTED = ' tabSelected="1"'
_FORMS_HEAD = (f'<worksheet xmlns="{MAIN}" xmlns:r="{RELS}">'
               '<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>')


@cache
def _cols_xml(widths: tuple[float, ...]) -> str:
    """The ``<cols>`` element of these column widths (sheets of a kind share theirs)."""
    if not widths:
        return ""
    return ("<cols>" + "".join(f'<col min="{n}" max="{n}" width="{_number(w)}" '
                               'customWidth="1"/>' for n, w in enumerate(widths, 1))
            + "</cols>")


@lru_cache(maxsize=4096)
def _row_start(row: int, height: float | None) -> str:
    """The opening ``<row>`` tag of row ``row`` with its height, if it has one."""
    if height is None:
        return f'<row r="{row}">'
    return f'<row r="{row}" ht="{_number(height)}" customHeight="1">'


def _cell_start(col: int, row: int, shown: str) -> str:
    """A cell's opening tag without its end, ``<c r="B5" s="3"``."""
    return f'<c r="{column_letter(col)}{row}" s="{shown}"'


def _fill_rows(sheet: Sheet) -> dict[int, tuple[int, Style]]:
    """Each filled row's last filled column and style (the last fill given for a row wins)."""
    fills: dict[int, tuple[int, Style]] = {}
    for first, last_row, last_col, fill_style in sheet.fills:
        for row in range(first, last_row + 1):
            fills[row] = (last_col, fill_style)
    return fills


def _sheet_xml(book: _Book, sheet: Sheet, selected: bool) -> bytes:
    last = f"{column_letter(sheet.last_col)}{sheet.last_row}"
    parts = [DECLARATION, _FORMS_HEAD, f'<dimension ref="A1:{last}"/>',
             f'<sheetViews><sheetView{_SELECTED if selected else ""} '
             'workbookViewId="0"/></sheetViews>',
             '<sheetFormatPr defaultRowHeight="15"/>', _cols_xml(tuple(sheet.widths)),
             "<sheetData>"]
    add = parts.append
    fills = _fill_rows(sheet)
    all_cells = sheet.cells
    heights = sheet.heights
    for row in sorted(all_cells.keys() | heights.keys() | fills.keys()):
        add(_row_start(row, heights.get(row)))
        cells = all_cells.get(row)
        fill = fills.get(row)
        if fill is None:
            if cells:
                for col in sorted(cells):
                    add(book.cell_xml(col, row, cells[col]))
        elif not cells:
            fill_end, fill_style = fill
            for col in range(1, fill_end + 1):
                add(book.cell_start(col, row, fill_style) + "/>")
        else:
            fill_end, fill_style = fill
            for col in range(1, max(max(cells), fill_end) + 1):
                cell = cells.get(col)
                if cell is not None:
                    add(book.cell_xml(col, row, cell))
                elif col <= fill_end:
                    add(book.cell_start(col, row, fill_style) + "/>")
        add("</row>")
    add("</sheetData>")
    if sheet.merges:
        add(f'<mergeCells count="{len(sheet.merges)}">')
        add("".join([f'<mergeCell ref="{ref}"/>' for ref in sheet.merges]))
        add("</mergeCells>")
    add('<printOptions horizontalCentered="1"/>'
        '<pageMargins left="0.4" right="0.4" top="0.6" bottom="0.6" header="0.3" '
        'footer="0.3"/>'
        f'<pageSetup paperSize="9" orientation='
        f'"{"landscape" if sheet.landscape else "portrait"}" fitToWidth="1" '
        'fitToHeight="0"/></worksheet>')
    return "".join(parts).encode("utf-8")


def _font_xml(font: Font) -> str:
    return (f'<font>{"<b/>" if font.bold else ""}<sz val="{_number(font.size)}"/>'
            f'<name val="{_attr(font.name)}"/><family val="3"/><charset val="134"/></font>')


def _styles_xml(book: _Book) -> bytes:
    fonts = "".join(_font_xml(f) for f in book.fonts)
    formats = "".join(f'<numFmt numFmtId="{n}" formatCode="{_attr(code)}"/>'
                      for code, n in book.formats.items())
    xfs = ['<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>']
    for style in book.styles:
        number = BUILTIN_FORMATS.get(style.number_format)
        if number is None:
            number = book.formats[style.number_format]
        indent = ' indent="1"' if style.align == "left" else ""
        xfs.append(f'<xf numFmtId="{number}" fontId="{book.fonts[style.font]}" fillId="0" '
                   f'borderId="{int(style.border)}" xfId="0" applyNumberFormat="1" '
                   'applyFont="1" applyBorder="1" applyAlignment="1"'
                   f'{QUOTE_PREFIX if style.quote_prefix else ""}>'
                   f'<alignment horizontal="{style.align}" vertical="center" wrapText="1"'
                   f'{indent}/></xf>')
    thin = "".join(f'<{side} style="thin"><color indexed="64"/></{side}>'
                   for side in ("left", "right", "top", "bottom"))
    return (f'{DECLARATION}<styleSheet xmlns="{MAIN}">'
            + (f'<numFmts count="{len(book.formats)}">{formats}</numFmts>' if formats else "")
            + f'<fonts count="{len(book.fonts)}">{fonts}</fonts>'
            '<fills count="2"><fill><patternFill patternType="none"/></fill>'
            '<fill><patternFill patternType="gray125"/></fill></fills>'
            '<borders count="2"><border><left/><right/><top/><bottom/><diagonal/></border>'
            f'<border>{thin}<diagonal/></border></borders>'
            '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>'
            f'</cellStyleXfs><cellXfs count="{len(xfs)}">{"".join(xfs)}</cellXfs>'
            '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/>'
            '</cellStyles></styleSheet>').encode("utf-8")


def _strings_xml(book: _Book) -> bytes:
    items = "".join(
        f'<si><t xml:space="preserve">{xml_text(s)}</t></si>' if s != s.strip() or "\n" in s
        else f"<si><t>{xml_text(s)}</t></si>" for s in book.strings)
    return (f'{DECLARATION}<sst xmlns="{MAIN}" count="{book.uses}" '
            f'uniqueCount="{len(book.strings)}">{items}</sst>').encode()


def _quoted(name: str) -> str:
    return "'" + name.replace("'", "''") + "'"


def _workbook_xml(sheets: Sequence[Sheet]) -> bytes:
    entries = "".join(f'<sheet name="{_attr(s.name)}" sheetId="{n}" r:id="rId{n}"/>'
                      for n, s in enumerate(sheets, 1))
    names = []
    for number, sheet in enumerate(sheets):
        quoted = _attr(_quoted(sheet.name))
        if sheet.print_titles:
            first, _, last = sheet.print_titles.partition(":")
            names.append(f'<definedName name="_xlnm.Print_Titles" localSheetId="{number}">'
                         f"{quoted}!${first}:${last}</definedName>")
        area = f"$A$1:${column_letter(sheet.last_col)}${sheet.last_row}"
        names.append(f'<definedName name="_xlnm.Print_Area" localSheetId="{number}">'
                     f"{quoted}!{area}</definedName>")
    return (f'{DECLARATION}<workbook xmlns="{MAIN}" xmlns:r="{RELS}"><workbookPr/>'
            '<bookViews><workbookView activeTab="0"/></bookViews>'
            f'<sheets>{entries}</sheets><definedNames>{"".join(names)}</definedNames>'
            '<calcPr calcId="124519" fullCalcOnLoad="1"/></workbook>').encode()


def _workbook_rels(count: int) -> bytes:
    sheet_type = f"{RELS}/worksheet"
    rels = [f'<Relationship Id="rId{n}" Type="{sheet_type}" Target="worksheets/sheet{n}.xml"/>'
            for n in range(1, count + 1)]
    rels.append(f'<Relationship Id="rId{count + 1}" Type="{RELS}/styles" Target="styles.xml"/>')
    rels.append(f'<Relationship Id="rId{count + 2}" Type="{RELS}/sharedStrings" '
                'Target="sharedStrings.xml"/>')
    return (f'{DECLARATION}<Relationships xmlns="{PACKAGE_RELS}">{"".join(rels)}'
            "</Relationships>").encode()


def _content_types(count: int) -> bytes:
    office = "application/vnd.openxmlformats-officedocument"
    sheets = "".join(f'<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="'
                     f'{office}.spreadsheetml.worksheet+xml"/>' for n in range(1, count + 1))
    return (f'{DECLARATION}<Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Default Extension="rels" ContentType="application/'
            'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" '
            'ContentType="application/xml"/><Override PartName="/xl/workbook.xml" '
            f'ContentType="{office}.spreadsheetml.sheet.main+xml"/>{sheets}'
            f'<Override PartName="/xl/styles.xml" ContentType="{office}.spreadsheetml.styles'
            '+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="'
            f'{office}.spreadsheetml.sharedStrings+xml"/><Override PartName="/docProps/'
            'core.xml" ContentType="application/vnd.openxmlformats-package.core-properties'
            '+xml"/><Override PartName="/docProps/app.xml" ContentType="'
            f'{office}.extended-properties+xml"/></Types>').encode()


def _root_rels() -> bytes:
    return (f'{DECLARATION}<Relationships xmlns="{PACKAGE_RELS}">'
            f'<Relationship Id="rId1" Type="{RELS}/officeDocument" Target="xl/workbook.xml"/>'
            '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/'
            'relationships/metadata/core-properties" Target="docProps/core.xml"/>'
            f'<Relationship Id="rId3" Type="{RELS}/extended-properties" '
            'Target="docProps/app.xml"/></Relationships>').encode()


def _core(creator: str, title: str, moment: datetime) -> bytes:
    stamp = moment.strftime("%Y-%m-%dT%H:%M:%SZ")
    return (f'{DECLARATION}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/'
            'package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/'
            '1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/'
            f'2001/XMLSchema-instance"><dc:title>{xml_text(title)}</dc:title>'
            f'<dc:creator>{xml_text(creator)}</dc:creator>'
            f'<dcterms:created xsi:type="dcterms:W3CDTF">{stamp}</dcterms:created>'
            f'<dcterms:modified xsi:type="dcterms:W3CDTF">{stamp}</dcterms:modified>'
            "</cp:coreProperties>").encode()


def _app() -> bytes:
    return (f'{DECLARATION}<Properties xmlns="http://schemas.openxmlformats.org/'
            'officeDocument/2006/extended-properties"><Application>site-builder'
            "</Application></Properties>").encode()


def _parts(sheets: Sequence[Sheet], creator: str, title: str, moment: datetime
           ) -> Iterator[tuple[str, bytes]]:
    book = _Book()
    bodies = [_sheet_xml(book, sheet, n == 0) for n, sheet in enumerate(sheets)]
    yield "[Content_Types].xml", _content_types(len(sheets))
    yield "_rels/.rels", _root_rels()
    yield "docProps/app.xml", _app()
    yield "docProps/core.xml", _core(creator, title, moment)
    yield "xl/workbook.xml", _workbook_xml(sheets)
    yield "xl/_rels/workbook.xml.rels", _workbook_rels(len(sheets))
    yield "xl/styles.xml", _styles_xml(book)
    yield "xl/sharedStrings.xml", _strings_xml(book)
    for number, body in enumerate(bodies, 1):
        yield f"xl/worksheets/sheet{number}.xml", body


def workbook(sheets: Sequence[Sheet], moment: datetime, creator: str = "site-builder",
             title: str = "") -> bytes:
    """The .xlsx file of ``sheets`` (at least one), every zip entry dated ``moment``."""
    if not sheets:
        raise ValueError("a workbook needs at least one sheet")
    stamp = moment.timetuple()[:6]
    return deflated_zip(_parts(sheets, creator, title, moment),
                        (stamp[0], stamp[1], stamp[2], stamp[3], stamp[4], stamp[5]),
                        COMPRESSION)

"""The parts of an ``.xlsx`` package, read as streams within the input limits.

A workbook is a zip archive of XML parts.  Nothing here loads a whole part: each is
decompressed in chunks and fed to expat, whose callbacks keep only what the importer uses (sheet
names and order, number formats, shared strings, the cells that hold a value), so memory and
time follow what the sheets really contain, never the range they declare (``A1:XFD1048576``).
Before anything is read, the archive's declared sizes and member count are checked; while
reading, every element is counted against a budget and the clock against ``limit_seconds``.
XML entity declarations are refused, as defusedxml refuses them.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from xml.parsers import expat

from defusedxml import (
    EntitiesForbidden,
    ExternalReferenceForbidden,
)
from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format, is_timedelta_format

from site_builder.diagnostics import Position, SiteBuilderError, error
from site_builder.i18n import _
from site_builder.limits import Deadline, InputLimits, exceeded

CHUNK = 1 << 16
"""Bytes decompressed and parsed at a time."""
ELEMENTS_PER_CELL = 3
"""XML elements allowed per ``limit_cells`` (a cell is 2–3: ``<c>``, ``<v>``, ``<f>``)."""
ELEMENTS_BASE = 200_000
"""XML elements allowed on top, for the parts every workbook has (styles, workbook, rels)."""
MAX_TOKEN_BYTES = 4_000_000
"""Longest stretch of a part without a ``<`` (one tag, or one text): a cell holds at most
32,767 characters, so anything longer is not a real workbook, and expat would hold it whole."""

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_STRICT_MAIN = "http://purl.oclc.org/ooxml/spreadsheetml/main"
_REL_TYPES = ("/officeDocument", "/worksheet", "/styles", "/sharedStrings")


class BadWorkbook(Exception):
    """The package is not a readable workbook (shown as ``not a readable Excel workbook``)."""


@dataclass(frozen=True)
class SheetPart:
    """One worksheet of the workbook."""

    name: str
    """The sheet's name as Excel shows it on its tab."""
    member: str
    """The zip member holding its XML."""


@dataclass(frozen=True)
class Styles:
    """What the importer needs of ``styles.xml``: each cell style's number format."""

    formats: tuple[str, ...]
    """Number format code of each cell style (``s`` attribute), ``General`` when unknown."""
    dates: frozenset[int]
    """Styles whose format shows a date or time (numbers in them are read as dates)."""
    durations: frozenset[int]
    """Styles whose format shows a duration (``[h]:mm``), read as time spans."""

    def format_of(self, style: int) -> str:
        return self.formats[style] if 0 <= style < len(self.formats) else "General"


class Budget:
    """The elements and time one workbook may cost; shared by all its parts."""

    def __init__(self, shown: str, limits: InputLimits, deadline: Deadline) -> None:
        self.shown, self.limits, self.deadline = shown, limits, deadline
        self.elements = 0
        self.max_elements = ELEMENTS_BASE + ELEMENTS_PER_CELL * limits["limit_cells"]

    def over(self, member: str) -> SiteBuilderError:
        """The error for a part whose elements went over the budget."""
        return exceeded("limit_cells", self.elements // ELEMENTS_PER_CELL,
                        self.limits["limit_cells"], Position(f"{self.shown}:{member}"),
                        what=_("The workbook's XML elements (counted as one cell for every "
                                "{per_cell} elements)").format(per_cell=ELEMENTS_PER_CELL))


class Handler:
    """Callbacks for one part; :meth:`start` must count each element in ``self.count``."""

    count = 0

    def start(self, name: str, attrs: dict[str, str]) -> None:
        self.count += 1

    def end(self, name: str) -> None:
        pass

    def text(self, data: str) -> None:
        pass


class Package:
    """An opened workbook: its sheets, styles and shared strings; sheets are streamed."""

    def __init__(self, path: Path, shown: str, limits: InputLimits) -> None:
        self.shown, self.limits = shown, limits
        limits.check_file(path, shown)
        self.budget = Budget(shown, limits, limits.deadline(shown))
        self.cells = 0
        """Cells with a value read so far, in all sheets (bounded by ``limit_cells``)."""
        try:
            self.archive = zipfile.ZipFile(path)
        except (zipfile.BadZipFile, OSError, ValueError) as exc:
            raise BadWorkbook(f"{type(exc).__name__}: {exc}") from None
        try:
            limits.check_zip(self.archive, shown)
            self.names = set(self.archive.namelist())
            workbook = self._office_document()
            rels = self._relations(workbook)
            info = _WorkbookHandler()
            self.parse(workbook, info)
            self.date1904 = info.date1904
            self.sheets = tuple(
                SheetPart(name, target) for name, rel_id in info.sheets
                if (target := rels.get(rel_id, ("", ""))[1]) and
                rels[rel_id][0] == "/worksheet" and target in self.names)
            styles = next((t for kind, t in rels.values() if kind == "/styles"), "")
            self.styles = self._styles(styles)
            strings = next((t for kind, t in rels.values() if kind == "/sharedStrings"), "")
            self.strings = self._strings(strings) if strings in self.names else []
        except BaseException:
            self.archive.close()
            raise

    def close(self) -> None:
        self.archive.close()

    def parse(self, member: str, handler: Handler) -> None:
        """Stream the part ``member`` through ``handler``."""
        for _event in self.stream(member, handler):
            pass

    def stream(self, member: str, handler: Handler) -> Iterator[None]:
        """Stream the part ``member`` through ``handler``, pausing after every chunk."""
        parser = expat.ParserCreate()
        parser.buffer_text = True
        parser.StartElementHandler = handler.start
        parser.EndElementHandler = handler.end
        parser.CharacterDataHandler = handler.text
        parser.EntityDeclHandler = _refuse_entity
        parser.UnparsedEntityDeclHandler = _refuse_unparsed
        parser.ExternalEntityRefHandler = _refuse_external
        budget = self.budget
        where = f"{self.shown}:{member}"
        since_lt = 0  # bytes since the last "<"
        try:
            with self.archive.open(member) as stream:
                while chunk := stream.read(CHUNK):
                    last = chunk.rfind(b"<")
                    since_lt = since_lt + len(chunk) if last < 0 else len(chunk) - last - 1
                    if since_lt > MAX_TOKEN_BYTES:
                        raise _too_long(where)
                    parser.Parse(chunk, False)
                    budget.elements += handler.count
                    handler.count = 0
                    if budget.elements > budget.max_elements:
                        raise budget.over(member)
                    budget.deadline.check(Position(where))
                    yield None
                parser.Parse(b"", True)
                yield None
        except expat.ExpatError as exc:
            raise BadWorkbook(f"ExpatError: {member}: {exc}") from None
        except (zipfile.BadZipFile, EOFError, OSError, KeyError) as exc:
            raise BadWorkbook(f"{type(exc).__name__}: {member}: {exc}") from None

    def _office_document(self) -> str:
        rels = self._read_rels("_rels/.rels", "")
        target = next((t for kind, t in rels.values() if kind == "/officeDocument"),
                      "xl/workbook.xml")
        if target not in self.names:
            raise BadWorkbook("KeyError: there is no workbook part (xl/workbook.xml)")
        return target

    def _relations(self, part: str) -> dict[str, tuple[str, str]]:
        folder, name = posixpath.split(part)
        return self._read_rels(posixpath.join(folder, "_rels", name + ".rels"), folder)

    def _read_rels(self, member: str, folder: str) -> dict[str, tuple[str, str]]:
        """Relationship id → (type ending such as ``/worksheet``, member it points to)."""
        if member not in self.names:
            return {}
        handler = _RelsHandler()
        self.parse(member, handler)
        found: dict[str, tuple[str, str]] = {}
        for rel_id, kind, target, mode in handler.rels:
            if mode == "External":
                continue
            ending = next((e for e in _REL_TYPES if kind.endswith(e)), "")
            joined = target.lstrip("/") if target.startswith("/") else \
                posixpath.normpath(posixpath.join(folder, target))
            found[rel_id] = (ending, joined)
        return found

    def _styles(self, member: str) -> Styles:
        handler = _StylesHandler()
        if member in self.names:
            self.parse(member, handler)
        formats: list[str] = []
        for number_format in handler.xf_formats:
            code = handler.custom.get(number_format)
            if code is None:
                code = BUILTIN_FORMATS.get(number_format, "General") \
                    if number_format < 164 else "General"
            formats.append(code)
        return Styles(tuple(formats),
                      frozenset(i for i, code in enumerate(formats) if is_date_format(code)),
                      frozenset(i for i, code in enumerate(formats)
                                if is_timedelta_format(code)))

    def _strings(self, member: str) -> list[str]:
        handler = _StringsHandler(self.limits["limit_cells"],
                                  Position(f"{self.shown}:{member}"))
        self.parse(member, handler)
        return handler.strings

    def merged_ranges(self, sheet: SheetPart) -> list[tuple[int, int, int, int]]:
        """(min_row, min_col, max_row, max_col) of each merge of more than one cell.

        Merges are listed after the cells in a sheet's XML, and the cells are read as a stream,
        so the merges are found first by a scan of the decompressed bytes for ``mergeCell`` tags
        (a tag cannot hold ``<``, nor text ``<``, so every match is a tag).
        """
        found: list[tuple[int, int, int, int]] = []
        tail = b""
        try:
            with self.archive.open(sheet.member) as stream:
                while chunk := stream.read(CHUNK * 16):
                    data = tail + chunk
                    cut = data.rfind(b"<")
                    if cut < 0 or len(data) - cut > MAX_TOKEN_BYTES:
                        cut = len(data)
                    _merges_in(data[:cut], found)
                    tail = data[cut:]
                    self.budget.deadline.check(Position(f"{self.shown}:{sheet.member}"))
                _merges_in(tail, found)
        except (zipfile.BadZipFile, EOFError, OSError) as exc:
            raise BadWorkbook(f"{type(exc).__name__}: {sheet.member}: {exc}") from None
        return found


_MERGE = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?mergeCell[\s/>][^>]*>")
_REF_ATTR = re.compile(rb"""\sref\s*=\s*["']\s*\$?([A-Za-z]{1,3})\$?(\d{1,7})"""
                       rb"""(?::\$?([A-Za-z]{1,3})\$?(\d{1,7}))?\s*["']""")


def _merges_in(data: bytes, found: list[tuple[int, int, int, int]]) -> None:
    if b"mergeCell" not in data:
        return
    for tag in _MERGE.finditer(data):
        ref = _REF_ATTR.search(tag.group())
        if ref is None or ref[3] is None:
            continue
        first = (int(ref[2]), column_number(ref[1].decode("ascii")))
        last = (int(ref[4]), column_number(ref[3].decode("ascii")))
        top, bottom = sorted((first[0], last[0]))
        left, right = sorted((first[1], last[1]))
        if (top, left) != (bottom, right):
            found.append((top, left, bottom, right))


_COLUMNS: dict[str, int] = {}


def column_number(letters: str) -> int:
    """``A`` → 1, ``AB`` → 28 (case-insensitive)."""
    known = _COLUMNS.get(letters)
    if known is None:
        number = 0
        for char in letters.upper():
            number = number * 26 + ord(char) - 64
        if len(_COLUMNS) < 20_000:
            _COLUMNS[letters] = number
        return number
    return known


def local(name: str) -> str:
    """``x:sheet`` → ``sheet`` (parts are parsed without namespace processing)."""
    return name[name.find(":") + 1:]


def _refuse_entity(name: str, is_parameter: bool, value: str | None, base: str | None,
                   sysid: str | None, pubid: str | None, notation: str | None) -> None:
    raise EntitiesForbidden(name, value, base, sysid, pubid, notation)


def _refuse_unparsed(name: str, base: str | None, sysid: str | None, pubid: str | None,
                     notation: str | None) -> None:
    raise EntitiesForbidden(name, None, base, sysid, pubid, notation)


def _refuse_external(context: str, base: str | None, sysid: str | None,
                     pubid: str | None) -> int:
    raise ExternalReferenceForbidden(context, base, sysid, pubid)


class _RelsHandler(Handler):
    def __init__(self) -> None:
        self.rels: list[tuple[str, str, str, str]] = []

    def start(self, name: str, attrs: dict[str, str]) -> None:
        self.count += 1
        if local(name) == "Relationship":
            self.rels.append((attrs.get("Id", ""), attrs.get("Type", ""),
                              attrs.get("Target", ""), attrs.get("TargetMode", "")))


class _WorkbookHandler(Handler):
    def __init__(self) -> None:
        self.sheets: list[tuple[str, str]] = []
        self.date1904 = False

    def start(self, name: str, attrs: dict[str, str]) -> None:
        self.count += 1
        tag = local(name)
        if tag == "sheet":
            rel_id = next((v for k, v in attrs.items() if local(k) == "id"), "")
            self.sheets.append((attrs.get("name", ""), rel_id))
        elif tag == "workbookPr":
            self.date1904 = attrs.get("date1904", "").strip().lower() in ("1", "true")


class _StylesHandler(Handler):
    def __init__(self) -> None:
        self.custom: dict[int, str] = {}
        self.xf_formats: list[int] = []
        self.depth: list[str] = []

    def start(self, name: str, attrs: dict[str, str]) -> None:
        self.count += 1
        tag = local(name)
        parent = self.depth[-1] if self.depth else ""
        self.depth.append(tag)
        if tag == "numFmt" and parent == "numFmts":
            number = _int(attrs.get("numFmtId"))
            if number is not None:
                self.custom[number] = attrs.get("formatCode", "General")
        elif tag == "xf" and parent == "cellXfs":
            self.xf_formats.append(_int(attrs.get("numFmtId")) or 0)

    def end(self, name: str) -> None:
        self.depth.pop()


def _int(text: str | None) -> int | None:
    try:
        return int(text) if text is not None else None
    except ValueError:
        return None


class _StringsHandler(Handler):
    """Shared strings as openpyxl reads them: plain and rich runs' text, phonetics left out."""

    def __init__(self, limit: int, pos: Position) -> None:
        self.strings: list[str] = []
        self.parts: list[str] = []
        self.collect = False
        self.phonetic = 0
        self.limit, self.pos = limit, pos

    def start(self, name: str, attrs: dict[str, str]) -> None:
        self.count += 1
        tag = name[name.find(":") + 1:]
        if tag == "t":
            self.collect = not self.phonetic
        elif tag == "si":
            self.parts = []
        elif tag == "rPh":
            self.phonetic += 1

    def end(self, name: str) -> None:
        tag = name[name.find(":") + 1:]
        if tag == "t":
            self.collect = False
        elif tag == "si":
            self.strings.append("".join(self.parts).replace("x005F_", ""))
            if len(self.strings) > self.limit:
                raise exceeded("limit_cells", len(self.strings), self.limit, self.pos,
                               what=_("The number of shared strings"))
        elif tag == "rPh":
            self.phonetic -= 1

    def text(self, data: str) -> None:
        if self.collect:
            self.parts.append(data)


def _too_long(where: str) -> SiteBuilderError:
    return SiteBuilderError([error(
        where, _("The XML has a run of text or markup longer than {size} MB, which is not a "
                 "workbook Excel writes; reading stopped").format(
                     size=MAX_TOKEN_BYTES // 1_000_000),
        _("Open it in Excel or LibreOffice and save it as .xlsx"), code="input-limit")])

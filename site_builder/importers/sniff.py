"""What kind of file a table is, told from its first bytes and its inner parts, not its name.

Clerks rename files, and office systems export HTML or Word 97 files named ``.xls``: the
extension is used only where the content cannot tell (an old compound file whose streams
are unknown).
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path

import olefile

from site_builder.diagnostics import Diagnostic, Position, SiteBuilderError
from site_builder.i18n import N_, _

PDF = "pdf"
DOCX = "docx"
XLSX = "xlsx"
ODS = "ods"
ODT = "odt"
DOC = "doc"
XLS = "xls"
RTF = "rtf"
TEXT = "text"
"""The kinds :func:`sniff` tells apart."""

WORD_KINDS = frozenset({DOC, ODT, RTF})
"""Kinds LibreOffice converts to .docx."""
SHEET_KINDS = frozenset({XLS, ODS})
"""Kinds LibreOffice converts to .xlsx."""

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
"""The first bytes of an OLE2 compound file (Word 97 .doc, Excel 97 .xls, WPS .wps/.et)."""

_OPEN_DOCUMENT = {
    "application/vnd.oasis.opendocument.spreadsheet": ODS,
    "application/vnd.oasis.opendocument.text": ODT,
}
_BY_SUFFIX = {".doc": DOC, ".wps": DOC, ".wpt": DOC, ".dot": DOC, ".xls": XLS, ".et": XLS,
              ".ett": XLS, ".xlt": XLS}


@dataclass(frozen=True)
class Sniffed:
    """The kind of an input file."""

    kind: str
    """One of the kinds above."""
    what: str
    """What the file is, for messages, untranslated (``N_``; shown through ``_()``)."""


def sniff(path: Path, shown: str) -> Sniffed:
    """The kind of the file at ``path`` (:class:`SiteBuilderError` for kinds never read)."""
    with path.open("rb") as handle:
        head = handle.read(8)
    if head.startswith(b"%PDF"):
        return Sniffed(PDF, N_("PDF file"))
    if head.startswith(b"PK\x03\x04"):
        return _zip_kind(path, shown)
    if head.startswith(OLE_MAGIC):
        return _ole_kind(path, shown)
    if head.startswith(b"{\\rtf"):
        return Sniffed(RTF, N_("RTF document"))
    return Sniffed(TEXT, N_("text file"))


def _zip_kind(path: Path, shown: str) -> Sniffed:
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            mimetype = (archive.read("mimetype")[:100].decode("ascii", "replace").strip()
                        if "mimetype" in names else "")
    except (zipfile.BadZipFile, OSError, KeyError, ValueError):
        suffix = path.suffix.lower()
        if suffix in (".docx", ".docm"):
            return Sniffed(DOCX, N_("Word document (.docx)"))  # its reader says what is broken
        if suffix in (".xlsx", ".xlsm"):
            return Sniffed(XLSX, N_("Excel workbook (.xlsx)"))
        raise refuse(shown, _("The file starts like a zip archive but is damaged and cannot be "
                               "opened"),
                     _("Open it in Word, Excel or WPS, save it again, then import it")) from None
    if mimetype in _OPEN_DOCUMENT:
        kind = _OPEN_DOCUMENT[mimetype]
        return Sniffed(kind, N_("OpenDocument spreadsheet") if kind == ODS
                       else N_("OpenDocument document"))
    if "word/document.xml" in names or any(n.startswith("word/") for n in names):
        return Sniffed(DOCX, N_("Word document (.docx)"))
    if "xl/workbook.xml" in names or any(n.startswith("xl/") for n in names):
        return Sniffed(XLSX, N_("Excel workbook (.xlsx)"))
    if any(n.startswith("ppt/") for n in names):
        raise refuse(shown, _("This is a PowerPoint presentation, not a table"),
                     _("Import the performance target table as a Word, Excel, PDF or text "
                       "file"))
    raise refuse(shown, _("This is a zip archive, and what is inside is not a Word or Excel "
                         "file"),
                 _("Unpack it first, then import the table files in it one by one"))


def _ole_kind(path: Path, shown: str) -> Sniffed:
    try:
        with olefile.OleFileIO(str(path)) as ole:
            streams = {"/".join(entry) for entry in ole.listdir(streams=True, storages=False)}
    except (OSError, ValueError, IndexError, TypeError):
        streams = set()
    if "EncryptedPackage" in streams:
        raise refuse(shown, _("The file has an opening password (it is encrypted) and cannot "
                               "be read"),
                     _("Remove the password in Word, Excel or WPS, save it again, then "
                       "import it"))
    if "WordDocument" in streams:
        return Sniffed(DOC, N_("Word 97-2003 document (.doc/.wps)"))
    if "Workbook" in streams or "Book" in streams:
        return Sniffed(XLS, N_("Excel 97-2003 workbook (.xls/.et)"))
    if "PowerPoint Document" in streams:
        raise refuse(shown, _("This is a PowerPoint presentation, not a table"),
                     _("Import the performance target table as a Word, Excel, PDF or text "
                       "file"))
    kind = _BY_SUFFIX.get(path.suffix.lower())
    if kind is None:
        raise refuse(shown, _("This is an old-style Office file, but it cannot be told whether "
                               "it is a Word document or an Excel workbook"),
                     _("Open it in Word, Excel or WPS, save it as .docx or .xlsx, then "
                       "import it"))
    return Sniffed(kind, N_("Word 97-2003 document") if kind == DOC
                   else N_("Excel 97-2003 workbook"))


def refuse(shown: str, why: str, hint: str) -> SiteBuilderError:
    """The error for a file of a kind that is never read."""
    return SiteBuilderError([Diagnostic(
        Position(shown), "error", _("{why}; nothing was imported").format(why=why), hint,
        "unreadable-file")])

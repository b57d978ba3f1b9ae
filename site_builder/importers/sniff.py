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
    """What the file is, in Chinese, for messages (``Word 97-2003 文档``)."""


def sniff(path: Path, shown: str) -> Sniffed:
    """The kind of the file at ``path`` (:class:`SiteBuilderError` for kinds never read)."""
    with path.open("rb") as handle:
        head = handle.read(8)
    if head.startswith(b"%PDF"):
        return Sniffed(PDF, "PDF 文件")
    if head.startswith(b"PK\x03\x04"):
        return _zip_kind(path, shown)
    if head.startswith(OLE_MAGIC):
        return _ole_kind(path, shown)
    if head.startswith(b"{\\rtf"):
        return Sniffed(RTF, "RTF 文档")
    return Sniffed(TEXT, "文本文件")


def _zip_kind(path: Path, shown: str) -> Sniffed:
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            mimetype = (archive.read("mimetype")[:100].decode("ascii", "replace").strip()
                        if "mimetype" in names else "")
    except (zipfile.BadZipFile, OSError, KeyError, ValueError):
        suffix = path.suffix.lower()
        if suffix in (".docx", ".docm"):
            return Sniffed(DOCX, "Word 文档（.docx）")  # its reader says what is broken
        if suffix in (".xlsx", ".xlsm"):
            return Sniffed(XLSX, "Excel 工作簿（.xlsx）")
        raise refuse(shown, "文件以压缩包（zip）的标记开头，但已损坏，无法打开",
                     "请用 Word、Excel 或 WPS 打开后重新保存，再导入") from None
    if mimetype in _OPEN_DOCUMENT:
        kind = _OPEN_DOCUMENT[mimetype]
        return Sniffed(kind, "OpenDocument 表格" if kind == ODS else "OpenDocument 文档")
    if "word/document.xml" in names or any(n.startswith("word/") for n in names):
        return Sniffed(DOCX, "Word 文档（.docx）")
    if "xl/workbook.xml" in names or any(n.startswith("xl/") for n in names):
        return Sniffed(XLSX, "Excel 工作簿（.xlsx）")
    if any(n.startswith("ppt/") for n in names):
        raise refuse(shown, "这是一个 PowerPoint 演示文稿，不是表格",
                     "请导入 Word、Excel、PDF 或文本格式的绩效目标表")
    raise refuse(shown, "这是一个压缩包（zip），里面不是 Word 或 Excel 文件",
                 "请先解压，再逐个导入其中的表格文件")


def _ole_kind(path: Path, shown: str) -> Sniffed:
    try:
        with olefile.OleFileIO(str(path)) as ole:
            streams = {"/".join(entry) for entry in ole.listdir(streams=True, storages=False)}
    except (OSError, ValueError, IndexError, TypeError):
        streams = set()
    if "EncryptedPackage" in streams:
        raise refuse(shown, "文件设置了打开密码（已加密），无法读取",
                     "请在 Word、Excel 或 WPS 中取消密码后另存，再导入")
    if "WordDocument" in streams:
        return Sniffed(DOC, "Word 97-2003 文档（.doc/.wps）")
    if "Workbook" in streams or "Book" in streams:
        return Sniffed(XLS, "Excel 97-2003 工作簿（.xls/.et）")
    if "PowerPoint Document" in streams:
        raise refuse(shown, "这是一个 PowerPoint 演示文稿，不是表格",
                     "请导入 Word、Excel、PDF 或文本格式的绩效目标表")
    kind = _BY_SUFFIX.get(path.suffix.lower())
    if kind is None:
        raise refuse(shown, "这是一个旧式 Office 文件，但看不出是 Word 文档还是 Excel 工作簿",
                     "请在 Word、Excel 或 WPS 中打开后另存为 .docx 或 .xlsx，再导入")
    return Sniffed(kind, "Word 97-2003 文档" if kind == DOC else "Excel 97-2003 工作簿")


def refuse(shown: str, why: str, hint: str) -> SiteBuilderError:
    """The error for a file of a kind that is never read."""
    return SiteBuilderError([Diagnostic(Position(shown), "error", f"{why}，没有导入", hint,
                                        "unreadable-file")])

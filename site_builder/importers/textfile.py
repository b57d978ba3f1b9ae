"""Decode a text table whatever encoding it was saved in, and refuse what is not text.

Offices save text as UTF-8 (with or without a byte order mark), as GB18030/GBK (the Chinese
Windows default, "ANSI" in Notepad) or as UTF-16 ("Unicode" in Notepad, usually with a byte
order mark).  The encoding is found from the bytes alone:

1. a byte order mark names it (UTF-8, UTF-16 LE/BE, UTF-32 LE/BE);
2. NUL bytes mean UTF-16 without a mark when they stand at every other position (the high
   byte of ASCII characters such as tabs, digits and line breaks); otherwise the file is
   binary and is refused;
3. otherwise strict UTF-8, then strict GB18030 (a superset of GBK and GB2312).

A decoded text that is mostly control characters, or that holds any other NUL, is refused as
"not a text file": a Word document or a picture given by mistake must not import as garbage.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

from site_builder.diagnostics import Diagnostic, Position, SiteBuilderError
from site_builder.i18n import N_, _

BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
"""Byte order marks and the encodings they name (UTF-32 LE first: it starts like UTF-16 LE)."""

SHOWN_NAMES: dict[str, str] = {
    "utf-8": "UTF-8", "utf-8-bom": N_("UTF-8 with BOM"), "gb18030": "GB18030/GBK",
    "utf-16-le": "UTF-16 LE", "utf-16-be": "UTF-16 BE", "utf-32-le": "UTF-32 LE",
    "utf-32-be": "UTF-32 BE",
}
"""How each encoding is named in messages."""

_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
"""Control characters that never belong in a text table (tab, line breaks, \\f and \\v aside)."""
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


@dataclass(frozen=True)
class Decoded:
    """A text file's characters and the encoding they were read in."""

    text: str
    """The characters, byte order mark removed."""
    encoding: str
    """Key of :data:`SHOWN_NAMES`: ``utf-8``, ``utf-8-bom``, ``gb18030``, ``utf-16-le`` …"""
    with_bom: bool
    """True when a byte order mark named the encoding."""

    @property
    def shown_encoding(self) -> str:
        return _(SHOWN_NAMES[self.encoding])


def decode(data: bytes, shown: str) -> Decoded:
    """The text of a file's bytes; :class:`SiteBuilderError` when it is not a text file."""
    for bom, encoding in BOMS:
        if data.startswith(bom):
            text = _strict(data[len(bom):], encoding, shown)
            name = "utf-8-bom" if encoding == "utf-8" else encoding
            return _checked(Decoded(text, name, True), shown)
    if b"\x00" in data:
        utf16 = utf16_without_bom(data)
        if utf16 is None:
            raise not_text(shown, _("The file has {count} NUL bytes; it is not a text "
                                    "file").format(count=data.count(0)),
                           _first_nul_line(data))
        return _checked(Decoded(_strict(data, utf16, shown), utf16, False), shown)
    try:
        return _checked(Decoded(data.decode("utf-8"), "utf-8", False), shown)
    except UnicodeDecodeError:
        pass
    try:
        return _checked(Decoded(data.decode("gb18030"), "gb18030", False), shown)
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise not_text(shown, _("The file is not text in the UTF-8, GB18030/GBK or UTF-16 "
                                "encoding"),
                       line) from None


def utf16_without_bom(data: bytes) -> str | None:
    """``utf-16-le``/``utf-16-be`` when the NUL bytes sit where UTF-16 puts them, else None.

    In UTF-16 every ASCII character (tab, digit, line break) has a zero high byte, so text
    with ASCII in it has NULs at odd offsets (little endian) or even ones (big endian), and an
    even length; the few characters whose low byte is zero (``一`` is U+4E00) put some on the
    other side.  Binary data has NULs on both sides alike.
    """
    if len(data) % 2:
        return None
    even = data[0::2].count(0)
    odd = data[1::2].count(0)
    if odd >= 10 * even + 2:
        return "utf-16-le"
    if even >= 10 * odd + 2:
        return "utf-16-be"
    return None


def _strict(data: bytes, encoding: str, shown: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise not_text(shown, _("The file looks like {encoding} text, but byte {offset} "
                                "cannot be decoded").format(
                                    encoding=SHOWN_NAMES.get(encoding, encoding),
                                    offset=exc.start), 0) from None


def _checked(decoded: Decoded, shown: str) -> Decoded:
    """Refuse a decoded text that holds NULs or is largely control characters."""
    text = decoded.text
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise not_text(shown, _("The file has NUL characters; it is not a text file"), line)
    controls = len(_CONTROL.findall(text))
    if controls and controls * 20 > len(text):
        first = _CONTROL.search(text)
        line = text.count("\n", 0, first.start()) + 1 if first else 0
        raise not_text(shown, _("The file has {count} control characters ({percent} percent "
                                "of the text); it is not a text file").format(
                                    count=controls,
                                    percent=controls * 100 // max(len(text), 1)), line)
    return decoded


def _first_nul_line(data: bytes) -> int:
    return data.count(b"\n", 0, data.index(b"\x00")) + 1


def not_text(shown: str, why: str, line: int) -> SiteBuilderError:
    """The refusal of a file that is not a text table."""
    return SiteBuilderError([Diagnostic(
        Position(shown, line), "error",
        _("This is not a text file: {why}; nothing was imported").format(why=why),
        _("Make sure this is the right file; import Word, Excel, WPS and PDF files as they "
          "are (do not rename them to .txt), and save text files in the UTF-8, GB18030 or "
          "UTF-16 encoding"), "not-text")])


def split_lines(text: str) -> list[str]:
    """Lines split at ``\\r\\n``, ``\\r`` and ``\\n`` only.

    :meth:`str.splitlines` also splits at ``\\f``, ``\\v``, ``\\x1c``-``\\x1e``, ``\\x85`` and
    U+2028/U+2029; inside a cell those would cut a row in two and shift every cell after them.
    """
    lines = _LINE_BREAK.split(text)
    if lines and lines[-1] == "":
        lines.pop()
    return lines

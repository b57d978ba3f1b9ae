"""Control characters in content on their way out: dropped from markup (HTML pages, XML files,
.xlsx cells), shown escaped on a terminal.

Content keeps them (JSON and CSV stay exact; ``validate`` reports them at their position).  But
XML 1.0 forbids most of them, so that a single form feed (``\\x0c``, common in text extracted
from PDF) in a project name makes ``feed.xml`` ill-formed and an .xlsx workbook unwritable,
and HTML forbids them as well; and printed raw, an ESC sequence (``\\x1b[31m``) changes what a
terminal shows.
"""

from __future__ import annotations

import re

_MARKUP_FORBIDDEN_C0 = bytes([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F])
"""The C0 controls other than tab, line feed and carriage return, and DEL."""
_UTF8_C1 = re.compile(rb"\xc2[\x80-\x9f]")
"""The C1 controls U+0080–U+009F in UTF-8 (HTML forbids them)."""
_UTF8_NONCHARACTERS = re.compile(rb"\xef\xbf[\xbe\xbf]")
"""U+FFFE and U+FFFF in UTF-8 (XML 1.0 forbids them)."""
MARKUP_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")
"""Every character :func:`markup_text` drops."""


def markup_bytes(data: bytes) -> bytes:
    """UTF-8 ``data`` (a page, an XML file) without the characters that XML 1.0 or HTML
    forbid (see :data:`MARKUP_FORBIDDEN`); the same object when it has none.  Works on the
    bytes (a UTF-8 byte below 0x80 is always a character of its own): a few microseconds for
    a page, where a regular expression over the text took a hundred."""
    kept = data.translate(None, _MARKUP_FORBIDDEN_C0)
    if len(kept) != len(data):
        data = kept
    if _UTF8_C1.search(data):
        data = _UTF8_C1.sub(b"", data)
    if _UTF8_NONCHARACTERS.search(data):
        data = _UTF8_NONCHARACTERS.sub(b"", data)
    return data


def markup_text(text: str) -> str:
    """``text`` without the characters that XML 1.0 or HTML forbid."""
    return MARKUP_FORBIDDEN.sub("", text) if MARKUP_FORBIDDEN.search(text) else text


TERMINAL_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e"
                             "\u2066-\u2069]")
"""What a terminal could act on instead of showing: C0 controls but tab and line feed, DEL, C1
controls (``\\x9b`` starts a sequence like ESC ``[``), and the bidirectional marks and overrides
that reorder what is shown."""


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x7F else f"\\u{code:04x}"


def terminal_text(text: str) -> str:
    """``text`` with every :data:`TERMINAL_UNSAFE` character written as an escape: ``\\x1b``
    below DEL, ``\\u009b`` from it (also a valid escape inside JSON text)."""
    return TERMINAL_UNSAFE.sub(_escape, text) if TERMINAL_UNSAFE.search(text) else text

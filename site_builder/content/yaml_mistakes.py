"""The mistakes people make writing YAML, named where they are made.

A parser reports where it noticed a problem, often a line after the mistake: a key typed with
a Chinese input method's full-width colon (``amount： 12``) is read as text, and the parser
only complains at the next key.  This module looks at the lines around such an error for the
slips of Chinese typing (full-width ``：``, ``，``, ``“”``, ``‘’``, ``（）``, ``【】``, spaces,
digits) where they break YAML's structure, and for the usual structural mistakes (a ``{`` or
``[`` not closed, a quote not closed, a key without its colon), and points at the mistake.

Full-width characters inside values are data (``（一）``, ``目标：…``) and are never named;
only characters standing where YAML expects its own punctuation are: in a key, in place of the
colon after a key, as indentation, or where they made the parser fail.
"""

from __future__ import annotations

import re
from typing import Any

from site_builder.content.schema import INDICATOR_KEYS, PROJECT_FIELDS, UNIT_FIELDS
from site_builder.diagnostics import Diagnostic, Position, Severity, SiteBuilderError
from site_builder.i18n import N_, _

FULL_WIDTH_SPACE = "\u3000"
NAMES: dict[str, tuple[str, str]] = {
    "：": (N_("full-width colon"), ":"), "，": (N_("full-width comma"), ","),
    "“": (N_("full-width quotation mark"), '"'), "”": (N_("full-width quotation mark"), '"'),
    "‘": (N_("full-width single quotation mark"), "'"),
    "’": (N_("full-width single quotation mark"), "'"),
    "（": (N_("full-width parenthesis"), "("), "）": (N_("full-width parenthesis"), ")"),
    "【": (N_("lenticular bracket"), "["), "】": (N_("lenticular bracket"), "]"),
    "｛": (N_("full-width brace"), "{"), "｝": (N_("full-width brace"), "}"),
    "［": (N_("full-width square bracket"), "["), "］": (N_("full-width square bracket"), "]"),
    "、": (N_("enumeration comma"), ","), FULL_WIDTH_SPACE: (N_("full-width space"), " "),
}
"""Full-width characters that stand for YAML punctuation: their name (translated where
shown) and half-width form."""
KNOWN_KEYS = frozenset(spec.name for specs in (PROJECT_FIELDS, UNIT_FIELDS, INDICATOR_KEYS)
                       for spec in specs)
"""Keys of the content files: ``name： x`` read as text is a slip only for one of these."""
CODE = "full-width"
"""Diagnostic code of a full-width slip."""

_KEY_THEN_FULL_COLON = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)[ \u3000]*(：|:\u3000)")
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
"""Control characters other than tab and newline."""
_NOT_PRINTABLE = re.compile("[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd"
                            "\U00010000-\U0010ffff]")
"""What YAML refuses to read at all (its printable set)."""


def half_width(char: str) -> tuple[str, str] | None:
    """(name, half-width form) of a full-width character that stands for YAML punctuation,
    a digit or a letter; None for any other character."""
    named = NAMES.get(char)
    if named is not None:
        return _(named[0]), named[1]
    code = ord(char)
    if 0xFF10 <= code <= 0xFF19:
        return _("full-width digit"), chr(code - 0xFEE0)
    if 0xFF21 <= code <= 0xFF3A or 0xFF41 <= code <= 0xFF5A:
        return _("full-width letter"), chr(code - 0xFEE0)
    if 0xFF01 <= code <= 0xFF5E:
        return _("full-width symbol"), chr(code - 0xFEE0)
    return None


def slip(shown: str, line: int, col: int, char: str, where: str = "") -> Diagnostic:
    """The error for the full-width ``char`` at ``line``:``col`` (``where``: in what, one of
    the translated phrases below, or "")."""
    name, half = half_width(char) or (_("full-width character"), char)
    if char == FULL_WIDTH_SPACE:
        message = _("line {line}, column {col}{where}: a full-width space; type a half-width "
                    "space instead").format(line=line, col=col, where=where)
    else:
        message = _("line {line}, column {col}{where}: {name} '{char}'; type the half-width "
                    "'{half}' instead").format(line=line, col=col, where=where, name=name,
                                               char=char, half=half)
    hint = _("a Chinese input method easily types YAML's punctuation full-width; switch to "
             "half-width (English) input and type it again")
    if char == "：":
        hint = _("the colon after a key must be the half-width ':' followed by a space, e.g. "
                 "amount: 12")
    return Diagnostic(Position(shown, line, col), "error", message, hint, CODE)


def check_key(key: str, shown: str, line: int, col: int, quoted: bool) -> None:
    """Refuse a key holding a full-width character (every key of the site's files is ASCII).

    ``line``/``col``: where the key starts; ``quoted``: it is written in quotes."""
    for index, char in enumerate(key):
        if half_width(char) is None:
            continue
        at = col + index + (1 if quoted else 0)
        if char in "”’" and not quoted:  # a closing quote: point at the opening one
            opening = key.rfind("“" if char == "”" else "‘", 0, index)
            if opening >= 0:
                at, char = col + opening, key[opening]
        raise SiteBuilderError([slip(shown, line, at, char,
                                     _(" (in the key '{key}')").format(key=key))])


def check_plain(value: str, shown: str, line: int, col: int, text: str, end_line: int,
                as_item: bool) -> None:
    """Refuse a plain (unquoted) value whose full-width characters changed the structure:
    a key typed with ``：`` read as text (``- name： x`` as a list item, or a ``key： value``
    line folded into the value above), or ``-`` followed by a full-width space."""
    if value.startswith("-" + FULL_WIDTH_SPACE):
        raise SiteBuilderError([slip(shown, line, col + 1, FULL_WIDTH_SPACE, _after_dash())])
    if as_item:
        match = _KEY_THEN_FULL_COLON.match(value)
        if match and match[1] in KNOWN_KEYS:
            raise SiteBuilderError([_key_slip(shown, line, col + match.end(2) - 1, match[2])])
    if end_line > line:  # continuation lines: is one of them a "key： value" line?
        lines = text.split("\n")
        for number in range(line + 1, min(end_line, len(lines)) + 1):
            content = lines[number - 1]
            stripped = content.lstrip(" ")
            match = _KEY_THEN_FULL_COLON.match(stripped)
            if match and match[1] in KNOWN_KEYS:
                raise SiteBuilderError([_key_slip(shown, number, len(content) - len(stripped)
                                                  + match.end(2), match[2])])


def _key_slip(shown: str, line: int, col: int, separator: str) -> Diagnostic:
    """A full-width colon after a key, or a full-width space after its colon."""
    if separator == "：":
        return slip(shown, line, col, "：", _after_key())
    return slip(shown, line, col, FULL_WIDTH_SPACE, _after_colon())


def _after_key() -> str:
    return _(" (after the key)")


def _after_colon() -> str:
    return _(" (after the colon)")


def _after_dash() -> str:
    return _(" (after the '-')")


def first_control(value: str) -> str:
    """The first control character of ``value`` other than tab and line feed, or ""."""
    found = _CONTROL.search(value)
    return found.group() if found else ""


def control(shown: str, line: int, col: int, char: str,
            severity: Severity = "error") -> Diagnostic:
    """The finding for a control character at ``line``:``col``."""
    code = f"U+{ord(char):04X}"
    if severity == "error":
        message = _("line {line}, column {col} holds the control character {code} (an "
                    "invisible character); YAML files may hold only tabs and line breaks")
    else:
        message = _("line {line}, column {col} holds the control character {code} (an "
                    "invisible character); it is kept as written, and not shown on the pages, "
                    "in the feeds or in the Excel tables")
    return Diagnostic(Position(shown, line, col), severity,
                      message.format(line=line, col=col, code=code),
                      _("delete this character; it often comes along when text is copied from "
                        "another program"), "control-character")


def find_control(text: str, shown: str) -> Diagnostic | None:
    """The first character YAML refuses to read, or a C1 control (U+0085), as an error."""
    found = _NOT_PRINTABLE.search(text)
    if found is None and "\x85" in text:
        found = re.search("\x85", text)
    if found is None:
        return None
    line, col = line_col(text, found.start())
    return control(shown, line, col, found.group())


def line_col(text: str, index: int) -> tuple[int, int]:
    """1-based line and column of ``text[index]`` as an editor counts them."""
    return text.count("\n", 0, index) + 1, index - (text.rfind("\n", 0, index) + 1) + 1


def explain(text: str, shown: str, problem: str, problem_mark: Any, context: str,
            context_mark: Any) -> Diagnostic | None:
    """A diagnostic at the mistake behind a syntax error, when it can be told; else None."""
    lines = text.split("\n")
    at_line = problem_mark.line + 1 if problem_mark is not None else 0
    at_col = problem_mark.column + 1 if problem_mark is not None else 0
    from_line = context_mark.line + 1 if context_mark is not None else 0
    from_col = context_mark.column + 1 if context_mark is not None else 0
    if "flow" in context and from_line:
        return _flow(lines, shown, from_line, from_col, at_line, at_col)
    if "quoted scalar" in context and from_line:
        return _quote(lines, shown, from_line, from_col)
    if "simple key" in context and from_line:
        found = _line_slip(lines, from_line, shown, any_key=True)
        return found or _no_colon(shown, from_line, from_col)
    for number in _previous_lines(lines, at_line):
        found = _line_slip(lines, number, shown, error_col=at_col if number == at_line else 0)
        if found:
            return found
    return None


def _previous_lines(lines: list[str], at_line: int) -> list[int]:
    """The error's line and the two lines with content above it, nearest first."""
    found = [at_line] if 0 < at_line <= len(lines) else []
    number = min(at_line, len(lines) + 1) - 1
    while number >= 1 and len(found) < 3:
        content = lines[number - 1].strip(" ")
        if content and not content.startswith("#"):
            found.append(number)
        number -= 1
    return found


def _line_slip(lines: list[str], number: int, shown: str, any_key: bool = False,
               error_col: int = 0) -> Diagnostic | None:
    """A full-width character standing for YAML punctuation in the structure of line
    ``number``: indentation, after ``-``, in place of the colon after the key, as a quote
    around the key (or around the value when the error is on this line, ``error_col``)."""
    if not 0 < number <= len(lines):
        return None
    line = lines[number - 1].rstrip("\r")
    rest = line.lstrip(" ")
    col = len(line) - len(rest) + 1
    while True:  # sequence markers
        if rest.startswith(FULL_WIDTH_SPACE):
            return slip(shown, number, col, FULL_WIDTH_SPACE, _(" (in the indentation)"))
        if rest.startswith("-" + FULL_WIDTH_SPACE):
            return slip(shown, number, col + 1, FULL_WIDTH_SPACE, _after_dash())
        if rest == "-" or rest.startswith("- "):
            stripped = rest[1:].lstrip(" ")
            col += len(rest) - len(stripped)
            rest = stripped
            continue
        break
    if not rest or rest.startswith("#"):
        return None
    if rest[0] in "“‘【":
        return slip(shown, number, col, rest[0], _(" (at the start of a key or value)"))
    if rest[0] in "\"'":
        close = rest.find(rest[0], 1)
        after = rest[close + 1:close + 3] if close > 0 else ""
        if after[:1] == "：":
            return slip(shown, number, col + close + 1, "：", _after_key())
        if after == ":" + FULL_WIDTH_SPACE:
            return slip(shown, number, col + close + 2, FULL_WIDTH_SPACE, _after_colon())
        return None
    colon = _first_colon(rest)
    if colon < 0:
        return None
    key = rest[:colon].rstrip(f" {FULL_WIDTH_SPACE}")
    if rest[colon] == "：":
        if key and (any_key or re.fullmatch(r"[A-Za-z_][A-Za-z0-9_-]*", key)) and \
                not any(c in key for c in "#[]{},\"'"):
            return slip(shown, number, col + colon, "：", _after_key())
        return None
    if rest[colon + 1:colon + 2] == FULL_WIDTH_SPACE:
        return slip(shown, number, col + colon + 1, FULL_WIDTH_SPACE, _after_colon())
    value = rest[colon + 1:].lstrip(" ")
    value_col = col + len(rest) - len(value)
    if error_col and value[:1] in ("“", "‘", "【") and error_col >= value_col:
        return slip(shown, number, value_col, value[0], _(" (at the start of the value)"))
    return None


def _first_colon(rest: str) -> int:
    """Index of the first ``：`` or of the first ``:`` that ends a key (before a space, a tab,
    a full-width space or the end of the line); -1 when there is none."""
    for index, char in enumerate(rest):
        if char == "：":
            return index
        if char == ":" and rest[index + 1:index + 2] in ("", " ", "\t", FULL_WIDTH_SPACE):
            return index
        if char == "#" and index and rest[index - 1] == " ":
            return -1
    return -1


def _flow(lines: list[str], shown: str, from_line: int, from_col: int, at_line: int,
          at_col: int) -> Diagnostic | None:
    """A flow collection (``{…}``, ``[…]``) the parser could not finish: a full-width comma,
    colon, quote or bracket inside it, else the closing bracket missing on its first line."""
    opening = _char(lines, from_line, from_col)
    closing = "}" if opening == "{" else "]"
    for number in range(from_line, min(at_line, len(lines)) + 1):
        line = lines[number - 1]
        start = from_col if number == from_line else 1
        stop = at_col if number == at_line else len(line)
        segment = line[start - 1:stop]
        found = re.search(r"[，、]\s*[A-Za-z_][A-Za-z0-9_]*\s*[:：]|[｝］】“‘]|"
                          r"(?<=[,{\s])[A-Za-z_][A-Za-z0-9_]*(：)", segment)
        if found:
            index = found.start(1) if found.group(1) else found.start()
            return slip(shown, number, start + index, segment[index])
    if at_line > from_line:
        line = lines[from_line - 1].rstrip("\r")
        end = len(line.split(" #")[0].rstrip()) + 1
        return Diagnostic(Position(shown, from_line, end), "error",
                          _("the '{opening}' at line {line}, column {col} has no matching "
                            "'{closing}'").format(opening=opening, line=from_line,
                                                  col=from_col, closing=closing),
                          _("add the '{closing}' at the end of this line; write "
                            "{opening}…{closing} on one line").format(opening=opening,
                                                                      closing=closing),
                          "yaml-syntax")
    return None


def _quote(lines: list[str], shown: str, line: int, col: int) -> Diagnostic:
    """A quoted value that never ends."""
    quote = _char(lines, line, col) or '"'
    text = lines[line - 1] if line <= len(lines) else ""
    curly = "”" if quote == '"' else "’"
    if curly in text[col:]:
        at = text.index(curly, col) + 1
        return slip(shown, line, at, curly, _(" (the end of a quote)"))
    return Diagnostic(Position(shown, line, col), "error",
                      _("the quote {quote} at line {line}, column {col} is not closed").format(
                          quote=quote, line=line, col=col),
                      _("add the matching {quote} at the end of the value, or remove the "
                        "opening quote").format(quote=quote), "yaml-syntax")


def _no_colon(shown: str, line: int, col: int) -> Diagnostic:
    return Diagnostic(Position(shown, line, col), "error",
                      _("line {line} lacks the half-width colon ':' after its key").format(
                          line=line),
                      _("write each line as 'key: value' (a half-width colon, then a space); "
                        "if this line continues the value of the line above, indent it under "
                        "that value"), "yaml-syntax")



def _char(lines: list[str], line: int, col: int) -> str:
    text = lines[line - 1] if 0 < line <= len(lines) else ""
    return text[col - 1] if 0 < col <= len(text) else ""

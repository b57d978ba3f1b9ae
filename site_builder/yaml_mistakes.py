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

from site_builder.diagnostics import Diagnostic, Position, Severity, SiteBuilderError
from site_builder.schema import INDICATOR_KEYS, PROJECT_FIELDS, UNIT_FIELDS

FULL_WIDTH_SPACE = "\u3000"
NAMES: dict[str, tuple[str, str]] = {
    "：": ("全角冒号", ":"), "，": ("全角逗号", ","), "“": ("全角引号", '"'),
    "”": ("全角引号", '"'), "‘": ("全角单引号", "'"), "’": ("全角单引号", "'"),
    "（": ("全角括号", "("), "）": ("全角括号", ")"), "【": ("方头括号", "["),
    "】": ("方头括号", "]"), "｛": ("全角花括号", "{"), "｝": ("全角花括号", "}"),
    "［": ("全角方括号", "["), "］": ("全角方括号", "]"), "、": ("顿号", ","),
    FULL_WIDTH_SPACE: ("全角空格", " "),
}
"""Full-width characters that stand for YAML punctuation: their name and half-width form."""
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
        return named
    code = ord(char)
    if 0xFF10 <= code <= 0xFF19:
        return "全角数字", chr(code - 0xFEE0)
    if 0xFF21 <= code <= 0xFF3A or 0xFF41 <= code <= 0xFF5A:
        return "全角字母", chr(code - 0xFEE0)
    if 0xFF01 <= code <= 0xFF5E:
        return "全角符号", chr(code - 0xFEE0)
    return None


def slip(shown: str, line: int, col: int, char: str, where: str = "") -> Diagnostic:
    """The error for the full-width ``char`` at ``line``:``col`` (``where``: in what)."""
    name, half = half_width(char) or ("全角字符", char)
    if char == FULL_WIDTH_SPACE:
        message = f"第 {line} 行第 {col} 列{where}用了全角空格，请改为半角空格"
    else:
        message = f"第 {line} 行第 {col} 列{where}用了{name}“{char}”，请改为半角“{half}”"
    hint = "中文输入法容易把 YAML 的标点打成全角；请切换到英文半角输入后重新输入"
    if char == "：":
        hint = "键名后面的冒号必须是半角“:”，冒号后再空一格，例如 amount: 12"
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
        raise SiteBuilderError([slip(shown, line, at, char, f"的键名“{key}”中")])


def check_plain(value: str, shown: str, line: int, col: int, text: str, end_line: int,
                as_item: bool) -> None:
    """Refuse a plain (unquoted) value whose full-width characters changed the structure:
    a key typed with ``：`` read as text (``- name： x`` as a list item, or a ``key： value``
    line folded into the value above), or ``-`` followed by a full-width space."""
    if value.startswith("-" + FULL_WIDTH_SPACE):
        raise SiteBuilderError([slip(shown, line, col + 1, FULL_WIDTH_SPACE, "的“-”后")])
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
        return slip(shown, line, col, "：", "的键名后")
    return slip(shown, line, col, FULL_WIDTH_SPACE, "的冒号后")


def first_control(value: str) -> str:
    """The first control character of ``value`` other than tab and line feed, or ""."""
    found = _CONTROL.search(value)
    return found.group() if found else ""


def control(shown: str, line: int, col: int, char: str,
            severity: Severity = "error") -> Diagnostic:
    """The finding for a control character at ``line``:``col``."""
    return Diagnostic(Position(shown, line, col), severity,
                      f"第 {line} 行第 {col} 列有控制字符 U+{ord(char):04X}（看不见的字符），"
                      + ("YAML 文件中只允许制表符和换行" if severity == "error" else
                         "已按原样保留；网页、订阅和 Excel 表中不显示它"),
                      "删除这个字符；它常常是从别的程序复制文字时带进来的", "control-character")


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
            return slip(shown, number, col, FULL_WIDTH_SPACE, "的缩进中")
        if rest.startswith("-" + FULL_WIDTH_SPACE):
            return slip(shown, number, col + 1, FULL_WIDTH_SPACE, "的“-”后")
        if rest == "-" or rest.startswith("- "):
            stripped = rest[1:].lstrip(" ")
            col += len(rest) - len(stripped)
            rest = stripped
            continue
        break
    if not rest or rest.startswith("#"):
        return None
    if rest[0] in "“‘【":
        return slip(shown, number, col, rest[0], "键名或值的开头")
    if rest[0] in "\"'":
        close = rest.find(rest[0], 1)
        after = rest[close + 1:close + 3] if close > 0 else ""
        if after[:1] == "：":
            return slip(shown, number, col + close + 1, "：", "的键名后")
        if after == ":" + FULL_WIDTH_SPACE:
            return slip(shown, number, col + close + 2, FULL_WIDTH_SPACE, "的冒号后")
        return None
    colon = _first_colon(rest)
    if colon < 0:
        return None
    key = rest[:colon].rstrip(f" {FULL_WIDTH_SPACE}")
    if rest[colon] == "：":
        if key and (any_key or re.fullmatch(r"[A-Za-z_][A-Za-z0-9_-]*", key)) and \
                not any(c in key for c in "#[]{},\"'"):
            return slip(shown, number, col + colon, "：", "的键名后")
        return None
    if rest[colon + 1:colon + 2] == FULL_WIDTH_SPACE:
        return slip(shown, number, col + colon + 1, FULL_WIDTH_SPACE, "的冒号后")
    value = rest[colon + 1:].lstrip(" ")
    value_col = col + len(rest) - len(value)
    if error_col and value[:1] in ("“", "‘", "【") and error_col >= value_col:
        return slip(shown, number, value_col, value[0], "值的开头")
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
                          f"第 {from_line} 行第 {from_col} 列的“{opening}”没有配对的“{closing}”",
                          f"在这一行末尾补上“{closing}”；{opening}…{closing} 写在一行之内",
                          "yaml-syntax")
    return None


def _quote(lines: list[str], shown: str, line: int, col: int) -> Diagnostic:
    """A quoted value that never ends."""
    quote = _char(lines, line, col) or '"'
    text = lines[line - 1] if line <= len(lines) else ""
    curly = "”" if quote == '"' else "’"
    if curly in text[col:]:
        at = text.index(curly, col) + 1
        return slip(shown, line, at, curly, "（引号的结尾）")
    return Diagnostic(Position(shown, line, col), "error",
                      f"第 {line} 行第 {col} 列的引号“{quote}”没有结束",
                      f"在值的末尾补上配对的“{quote}”，或去掉开头的引号", "yaml-syntax")


def _no_colon(shown: str, line: int, col: int) -> Diagnostic:
    return Diagnostic(Position(shown, line, col), "error",
                      f"第 {line} 行缺少键名后面的半角冒号“:”",
                      "每行写成“键: 值”（半角冒号，后面空一格）；如果这一行接着上一行的值，"
                      "请把它缩进到上一行的值之下", "yaml-syntax")


def _char(lines: list[str], line: int, col: int) -> str:
    text = lines[line - 1] if 0 < line <= len(lines) else ""
    return text[col - 1] if 0 < col <= len(text) else ""

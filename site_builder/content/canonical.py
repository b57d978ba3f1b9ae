"""Content files in the layout site-builder writes them, read without a YAML parser.

``site-builder import`` (and the benchmark generator) write every project, unit and
self-evaluation file alike: comment lines, one ``key: value`` line per field, list entries as
``- text`` lines and each indicator or row (a self-evaluation's funds and indicators) as a
one-line flow mapping.  Read line by line with a few regular expressions, such a file
costs a fifth of going through libyaml's events and :func:`~site_builder.content.validate_fields.
check_mapping`; the content is read before anything else of a build can start.

:func:`read_fields` accepts only a strict subset of YAML whose meaning cannot be mistaken:
plain scalars that can neither end early nor go on at the next line, single-quoted scalars on
one line, no indentation, blank lines, anchors, tags or aliases, only printable characters.
It also gives up wherever validation would have something to say (an unknown or repeated key,
a wrong type or format, a missing field, an unknown category).  Giving up returns None and the
caller reads the file as before (libyaml and ``check_mapping``), so every diagnostic, and every
file written by hand in some other way, still goes through the general path.  Tests compare
both paths' results on every file of a generated site and on mutated lines.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from sys import intern
from typing import cast

from site_builder.categories import canonical_level1, canonical_level2
from site_builder.content.schema import PATTERNS, PROJECT_FIELDS, FieldKind, FieldSpec
from site_builder.content.yamlsafe import NULLS
from site_builder.diagnostics import Position
from site_builder.model import Indicator

Fields = dict[str, object]
"""Field values as :func:`~site_builder.content.validate_fields.check_mapping` returns them."""

_KEY_LINE = re.compile(r"([A-Za-z_][A-Za-z0-9_]*):(?: (.*))?")
_QUOTED = re.compile(r"'((?:[^']|'')*)'")
_FLOW_ENTRY = re.compile(r"([A-Za-z_][A-Za-z0-9_]*): ('(?:[^']|'')*'|[^,\[\]{}#:?'\"]+)(, |\}$)")
_FIRST = frozenset("-?:,[]{}#&*!|>'\"%@` ")
"""Characters a plain scalar may not start with (indicators, or a space)."""
_CHECKS = {kind: re.compile(pattern) for kind, pattern in PATTERNS.items()}
_INDICATOR_KEYS = frozenset({"level1", "level2", "name", "value"})


@dataclass(frozen=True)
class _Kinds:
    """What the reader needs of a field table."""

    kinds: dict[str, FieldKind]
    """Each key's kind."""
    required: tuple[str, ...]
    """The keys that must be there and not empty."""
    rows: dict[str, tuple[frozenset[str], tuple[str, ...]]]
    """For a ``rows`` field: the keys of its entries, and those required (all are text)."""


_KNOWN: dict[int, tuple[tuple[FieldSpec, ...], _Kinds]] = {}


def _kinds(specs: tuple[FieldSpec, ...]) -> _Kinds:
    known = _KNOWN.get(id(specs))
    if known is None or known[0] is not specs:  # the table is kept alive here
        if any(key.kind != "text" for spec in specs for key in spec.rows):
            raise ValueError("the line reader reads rows of text only")
        kinds = _Kinds({spec.name: spec.kind for spec in specs},
                       tuple(spec.name for spec in specs if spec.required),
                       {spec.name: (frozenset(key.name for key in spec.rows),
                                    tuple(key.name for key in spec.rows if key.required))
                        for spec in specs if spec.kind == "rows"})
        known = _KNOWN[id(specs)] = (specs, kinds)
    return known[1]


class _GiveUp(Exception):
    """The file is not in the layout read here, or validation would report something."""


def read_fields(text: str, shown: str, specs: tuple[FieldSpec, ...] = PROJECT_FIELDS
                ) -> tuple[Fields, dict[str, Position]] | None:
    """(values, positions) of a project file's fields (or a unit file's, with
    ``UNIT_FIELDS``) exactly as ``check_mapping`` reads them when it finds no problem; None
    when the file must go through the general path."""
    # Printable characters only (no controls, tabs, carriage returns, line or paragraph
    # separators, byte-order marks, no-break or other special spaces): every one of them is
    # text to YAML as well.
    if (not text.replace("\n", " ").isprintable() or "\n\n" in text or "\n " in text
            or text[:1] == " "):  # a blank line (but the last) or an indented line
        return None
    try:
        return _Reader(text.split("\n"), shown, _kinds(specs)).fields()
    except _GiveUp:
        return None


class _Reader:
    """One pass over the lines of a file."""

    def __init__(self, lines: list[str], shown: str, kinds: _Kinds) -> None:
        self.lines = lines
        self.shown = shown
        self.kinds, self.required, self.rows = kinds.kinds, kinds.required, kinds.rows
        self.at = 0  # index of the next line to read

    def fields(self) -> tuple[Fields, dict[str, Position]]:
        values: Fields = {}
        positions: dict[str, Position] = {}
        lines = self.lines
        while self.at < len(lines):
            line = lines[self.at]
            self.at += 1
            if not line or line[0] == "#":
                if not line and self.at < len(lines):
                    raise _GiveUp  # only the file's last line may be empty
                continue
            match = _KEY_LINE.fullmatch(line)
            if match is None or match[1] in values or match[1] not in self.kinds:
                raise _GiveUp
            key = intern(match[1])
            values[key], positions[key] = self._value(key, match[2], len(key) + 3)
        for name in self.required:
            if values.get(name) in (None, ""):
                raise _GiveUp
        return values, positions

    def _value(self, key: str, rest: str | None, col: int) -> tuple[object, Position]:
        kind = self.kinds[key]
        line = self.at  # 1-based number of the key's line
        if rest is None:  # a block list follows
            first = Position(self.shown, line + 1, 1)
            if kind == "texts":
                return tuple(self._items(_scalar)), first
            if kind == "indicators":
                return tuple(self._items(self._indicator)), first
            if kind == "rows":
                keys, required = self.rows[key]
                return tuple(self._items(lambda entry: self._entry(entry, keys, required))), first
            raise _GiveUp
        pos = Position(self.shown, line, col)
        if rest == "[]" and kind in _LISTS:
            return (), pos
        if kind in _LISTS:
            raise _GiveUp
        text = _scalar(rest)
        if text is None:
            return None, pos
        if kind in _CHECKS:
            text = text.strip()
            if not _CHECKS[kind].match(text):
                raise _GiveUp
            if kind == "decimal":
                return Decimal(text), pos
        return text, pos

    def _items(self, read: Callable[[str], object]) -> list[object]:
        """The entries of a block list starting at the next line (at least one)."""
        found = []
        lines = self.lines
        while self.at < len(lines) and lines[self.at].startswith("- "):
            self.at += 1
            value = read(lines[self.at - 1][2:])
            if value is None:
                raise _GiveUp
            found.append(value)
        if not found:
            raise _GiveUp
        return found

    def _indicator(self, entry: str) -> Indicator:
        """An indicator written ``{level1: …, level2: …, name: …, value: …}``."""
        row = _ROWS.get(entry)
        if row is None:
            row = _row(entry)
            if len(_ROWS) >= MEMO_SIZE:
                _ROWS.clear()
            _ROWS[entry] = row
        return Indicator(*row, Position(self.shown, self.at, 3))

    def _entry(self, entry: str, keys: frozenset[str], required: tuple[str, ...]
               ) -> tuple[Fields, Position]:
        """An entry of a ``rows`` field written as a one-line flow mapping of text."""
        found = _flow_mapping(entry, keys)
        if any(not found.get(name) for name in required):
            raise _GiveUp
        return cast(Fields, found), Position(self.shown, self.at, 3)


_LISTS = frozenset({"texts", "indicators", "rows"})
"""The kinds whose value is a list."""


MEMO_SIZE = 100_000
"""Most entries a memo of read texts holds before it starts again."""
_ROWS: dict[str, tuple[str, str, str, str]] = {}
"""Indicator entries read so far, by their text: a site repeats the same rows in hundreds of
projects (127,000 rows, 11,000 distinct at 10,000 projects)."""
_TEXTS: dict[str, str | None] = {}
"""Block scalars (goals, fields) read so far, by their text."""


def forget() -> None:
    """Empty the memos (once a site is read: only files of one site repeat one another)."""
    _ROWS.clear()
    _TEXTS.clear()


def _flow_mapping(entry: str, keys: frozenset[str]) -> dict[str, str | None]:
    """The values of a one-line flow mapping ``{key: value, …}`` of known keys, in order."""
    if entry[:1] != "{":
        raise _GiveUp
    found: dict[str, str | None] = {}
    start, closed = 1, False
    while not closed:
        match = _FLOW_ENTRY.match(entry, start)
        if match is None or match[1] in found or match[1] not in keys:
            raise _GiveUp
        found[intern(match[1])] = _flow_scalar(match[2])
        start, closed = match.end(), match[3] == "}"
    return found


def _row(entry: str) -> tuple[str, str, str, str]:
    """(level1, level2, name, value) of a flow-mapping entry, checked."""
    found = _flow_mapping(entry, _INDICATOR_KEYS)
    level1, level2, name = found.get("level1") or "", found.get("level2") or "", found.get("name")
    if (not name or not level1 or canonical_level1(level1) is None
            or (level2 and canonical_level2(level2) is None)):
        raise _GiveUp
    return level1, level2, name, found.get("value") or ""


def _scalar(text: str) -> str | None:
    """A scalar in block context: its text, or None for a null."""
    if text in _TEXTS:
        return _TEXTS[text]
    if text[:1] == "'":
        value: str | None = _quoted(text)
    elif (not text or text[0] in _FIRST or text[-1] in " :" or ": " in text
            or " #" in text):
        raise _GiveUp
    else:
        value = None if text in NULLS else intern(text)
    if len(_TEXTS) >= MEMO_SIZE:
        _TEXTS.clear()
    _TEXTS[text] = value
    return value


def _flow_scalar(text: str) -> str | None:
    """A scalar inside a flow mapping (free of ``,[]{}#:?`` and quotes if plain: the
    pattern matching the entry sees to that)."""
    if text[0] == "'":
        return _quoted(text)
    if text[0] in _FIRST or text[-1] == " ":
        raise _GiveUp
    return None if text in NULLS else intern(text)


def _quoted(text: str) -> str:
    match = _QUOTED.fullmatch(text)
    if match is None:
        raise _GiveUp
    return intern(match[1].replace("''", "'"))

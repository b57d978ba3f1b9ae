"""A cache of parsed content files keyed by (mtime, size), so rebuilds read only what changed.

Stored as compact JSON (not pickle or marshal: a cache file must never be able to run code or
crash the reader).  Objects are arrays of their fields in a fixed order, and positions inside
a file drop the file's path, so that reading 10,000 projects back is one C-speed ``json.loads``
and a tight loop, without an ``object_hook`` call per object.  Safe to delete.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterator
from dataclasses import fields
from decimal import Decimal, InvalidOperation
from pathlib import Path
from sys import intern
from typing import Any

from site_builder import __version__
from site_builder.diagnostics import Diagnostic, Position
from site_builder.i18n import Language
from site_builder.model import (
    EvaluatedIndicator,
    FundsRow,
    Indicator,
    Project,
    SelfEvaluation,
    Unit,
)

_SHAPES = ";".join(f"{cls.__name__}:{','.join(f.name for f in fields(cls))}"
                   for cls in (Indicator, Project, Unit, Position, Diagnostic, FundsRow,
                               EvaluatedIndicator, SelfEvaluation))
FORMAT = (f"content-cache-2/{__version__}/"
          f"{hashlib.sha256(_SHAPES.encode('utf-8')).hexdigest()[:12]}")
"""Changes with the version and whenever a cached class gains, loses or reorders a field; an
older cache is then ignored."""


def cache_format() -> str:
    """:data:`FORMAT` and the language in use: the cached diagnostics are in that language, so
    a cache written in another one is read again rather than replayed."""
    return f"{FORMAT}/{Language.code}"

Content = Unit | Project | SelfEvaluation
"""What a content file holds."""

Entry = tuple[Content | None, list[Diagnostic]]
"""What reading one file gives: the object (or None) and its diagnostics."""

Cached = dict[str, tuple[list[int], Entry]]
"""Entries by shown path, each with the file key it was read at."""

Records = dict[str, Any]
"""Each file's record in a cache file, by shown path, as JSON data."""


def _pos(pos: Position, shown: str) -> list[Any]:
    return [pos.line, pos.col] if pos.path == shown else [pos.path, pos.line, pos.col]


def _position(data: list[Any], shown: str) -> Position:
    return Position(shown, data[0], data[1]) if len(data) == 2 else Position(*data)


def _encode_object(obj: Content | None, shown: str) -> Any:
    if isinstance(obj, Project):
        return ["p", obj.id, obj.year, obj.unit_code, obj.name, str(obj.amount), obj.goals,
                [[i.level1, i.level2, i.name, i.value, *_pos(i.pos, shown)]
                 for i in obj.indicators],
                obj.notes, obj.table_total, obj.remark, obj.source, _pos(obj.pos, shown),
                [[name, *_pos(pos, shown)] for name, pos in obj.field_pos.items()]]
    if isinstance(obj, Unit):
        total = None if obj.declared_total is None else str(obj.declared_total)
        return ["u", obj.code, obj.year, obj.name, obj.region, obj.parent_code, total,
                obj.title, _pos(obj.pos, shown)]
    if isinstance(obj, SelfEvaluation):
        return ["e", *(_encode_field(getattr(obj, f.name), shown) for f in fields(obj))]
    return None


def _encode_field(value: Any, shown: str) -> Any:
    """A self-evaluation's field as JSON data: rows as arrays of their fields."""
    if isinstance(value, Position):
        return _pos(value, shown)
    if isinstance(value, dict):
        return [[name, *_pos(pos, shown)] for name, pos in value.items()]
    if isinstance(value, tuple) and value and isinstance(value[0], FundsRow | EvaluatedIndicator):
        return [[*(getattr(row, f.name) for f in fields(row)[:-1]), *_pos(row.pos, shown)]
                for row in value]
    return value


def _decode_evaluation(data: list[Any], shown: str) -> SelfEvaluation:
    values = dict(zip((f.name for f in fields(SelfEvaluation)), data, strict=True))
    values["funds"] = tuple(FundsRow(r[0], r[1], r[2], r[3], r[4], r[5], r[6],
                                     _position(r[7:], shown)) for r in values["funds"])
    values["indicators"] = tuple(EvaluatedIndicator(r[0], r[1], r[2], r[3], r[4], r[5], r[6],
                                                    r[7], _position(r[8:], shown))
                                 for r in values["indicators"])
    for name in ("expected", "achieved", "notes"):
        values[name] = tuple(values[name])
    values["pos"] = _position(values["pos"], shown)
    values["field_pos"] = {f[0]: _position(f[1:], shown) for f in values["field_pos"]}
    return SelfEvaluation(**values)


def _decode_object(data: Any, shown: str) -> Content | None:
    if data is None:
        return None
    if data[0] == "e":
        return _decode_evaluation(data[1:], shown)
    if data[0] == "u":
        _, code, year, name, region, parent_code, total, title, pos = data
        return Unit(code, year, name, region, parent_code,
                    None if total is None else Decimal(total), title, _position(pos, shown))
    (_, id_, year, unit_code, name, amount, goals, indicators, notes, table_total, remark,
     source, pos, field_pos) = data
    return Project(  # texts interned, as the YAML reader does: a site repeats them a lot
        id_, intern(year), intern(unit_code), intern(name), Decimal(amount),
        tuple(intern(g) for g in goals),
        tuple(Indicator(intern(i[0]), intern(i[1]), intern(i[2]), intern(i[3]),
                        _position(i[4:], shown)) for i in indicators),
        tuple(notes), table_total, remark, source, _position(pos, shown),
        {f[0]: _position(f[1:], shown) for f in field_pos})


def _encode_diagnostic(d: Diagnostic) -> list[Any]:
    return [d.pos.path, d.pos.line, d.pos.col, d.severity, d.message, d.hint, d.code]


def _decode_diagnostic(data: list[Any]) -> Diagnostic:
    path, line, col, severity, message, hint, code = data
    return Diagnostic(Position(path, line, col), severity, message, hint, code)


def read_cache(path: Path) -> tuple[Cached, Records]:
    """Cached entries by shown path, and each file's record as stored; both empty when the
    cache is missing, stale or unreadable."""
    try:
        raw = json.loads(path.read_bytes())
        if raw.get("format") != cache_format():
            return {}, {}
        records: Records = raw["files"]
        return {shown: (key, (_decode_object(obj, shown),
                              [_decode_diagnostic(d) for d in diags]))
                for shown, (key, obj, diags) in records.items()}, records
    except (OSError, ValueError, KeyError, TypeError, AttributeError, IndexError,
            InvalidOperation):
        return {}, {}


def write_cache(path: Path, entries: Cached, records: Records | None = None) -> None:
    """Write ``entries``; an entry whose file has a record in ``records`` (as read by
    :func:`read_cache`, for a file found unchanged) is written as that record, not encoded
    again."""
    records = records or {}
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with open(temp, "w", encoding="utf-8") as stream:
        stream.writelines(_cache_text(entries, records))
    os.replace(temp, path)


def _cache_text(entries: Cached, records: Records) -> Iterator[str]:
    """The cache file's text in pieces, a file's record at a time (the whole text of 50,000
    projects and the arrays it is made from took 300 MB): the same text as ``json.dumps``
    of ``{"format": FORMAT, "files": {shown: record, ...}}`` in compact form."""
    yield f'{{"format":{_compact(cache_format())},"files":{{'

    for number, (shown, (key, (obj, diags))) in enumerate(sorted(entries.items())):
        record = records.get(shown) or [key, _encode_object(obj, shown),
                                        [_encode_diagnostic(d) for d in diags]]
        yield f'{"," if number else ""}{_compact(shown)}:{_compact(record)}'
    yield "}}"


def _compact(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def file_key(path: Path) -> list[int]:
    stat = path.stat()
    return [stat.st_mtime_ns, stat.st_size]

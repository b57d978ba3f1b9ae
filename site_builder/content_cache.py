"""A cache of parsed content files keyed by (mtime, size), so rebuilds read only what changed.

Stored as JSON (not pickle: a cache file must never be able to run code). Safe to delete.
"""

from __future__ import annotations

import json
import os
from dataclasses import fields, is_dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from site_builder import __version__
from site_builder.diagnostics import Diagnostic, Position
from site_builder.model import Indicator, Project, Unit

FORMAT = f"content-cache-1/{__version__}"
"""Changes whenever the cached shapes may change; an old cache is then ignored."""

Entry = tuple[Unit | Project | None, list[Diagnostic]]
"""What reading one file gives: the object (or None) and its diagnostics."""

_TYPES: dict[str, type] = {t.__name__: t for t in (Indicator, Project, Unit, Position,
                                                    Diagnostic)}


def _encode(value: Any) -> Any:
    names = _FIELDS.get(type(value))
    if names is not None:
        data = {name: _encode(getattr(value, name)) for name in names}
        return {"__t": type(value).__name__, **data}
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    if isinstance(value, Decimal):
        return {"__d": str(value)}
    if isinstance(value, tuple | list):
        return [_encode(v) for v in value]
    if isinstance(value, dict):
        return {k: _encode(v) for k, v in value.items()}
    if is_dataclass(value) and not isinstance(value, type):
        raise TypeError(f"{type(value).__name__} cannot be cached")
    return value


_FIELDS: dict[type, tuple[str, ...]] = {t: tuple(f.name for f in fields(t))
                                        for t in _TYPES.values()}
"""Fields of each cached class, in declaration order."""
_TUPLE_FIELDS = {cls.__name__: names for cls, names in _FIELDS.items()}
"""Fields of each cached class; JSON lists in them become tuples again."""


def _decode_object(value: dict[str, Any]) -> Any:
    """json ``object_hook``: rebuilds dataclasses and decimals, innermost objects first."""
    kind = value.pop("__t", None)
    if kind is not None:
        for name in _TUPLE_FIELDS[kind]:
            if isinstance(value.get(name), list):
                value[name] = tuple(value[name])
        return _TYPES[kind](**value)
    if "__d" in value:
        return Decimal(value["__d"])
    return value


def read_cache(path: Path) -> dict[str, tuple[list[int], Entry]]:
    """Cached entries by shown path; empty when the cache is missing, stale or unreadable."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"), object_hook=_decode_object)
        if raw.get("format") != FORMAT:
            return {}
        return {name: (key, (obj, list(diags)))
                for name, (key, obj, diags) in raw["files"].items()}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return {}


def write_cache(path: Path, entries: dict[str, tuple[list[int], Entry]]) -> None:
    data = {"format": FORMAT, "files": {
        name: [key, _encode(obj), _encode(diags)]
        for name, (key, (obj, diags)) in sorted(entries.items())}}
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temp.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")),
                    encoding="utf-8")
    os.replace(temp, path)


def file_key(path: Path) -> list[int]:
    stat = path.stat()
    return [stat.st_mtime_ns, stat.st_size]

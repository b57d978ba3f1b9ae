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
    if is_dataclass(value) and not isinstance(value, type):
        data = {f.name: _encode(getattr(value, f.name)) for f in fields(value)}
        return {"__t": type(value).__name__, **data}
    if isinstance(value, Decimal):
        return {"__d": str(value)}
    if isinstance(value, tuple | list):
        return [_encode(v) for v in value]
    if isinstance(value, dict):
        return {k: _encode(v) for k, v in value.items()}
    return value


def _decode(value: Any) -> Any:
    if isinstance(value, list):
        return [_decode(v) for v in value]
    if not isinstance(value, dict):
        return value
    if "__d" in value:
        return Decimal(value["__d"])
    if "__t" in value:
        cls = _TYPES[value["__t"]]
        kwargs = {k: _decode(v) for k, v in value.items() if k != "__t"}
        for f in fields(cls):
            if isinstance(kwargs.get(f.name), list):
                kwargs[f.name] = tuple(kwargs[f.name])
        return cls(**kwargs)
    return {k: _decode(v) for k, v in value.items()}


def read_cache(path: Path) -> dict[str, tuple[list[int], Entry]]:
    """Cached entries by shown path; empty when the cache is missing, stale or unreadable."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        if raw.get("format") != FORMAT:
            return {}
        return {name: (key, (_decode(obj), list(_decode(diags))))
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

"""What a build would change compared with an earlier output or a published copy.

The comparison reads two built sites as files: their open data (``data/projects.json``) for
the projects added, changed (which fields) and removed, and every file for the files added,
changed and removed with their sizes.  It never writes anywhere.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from site_builder.i18n import N_, _

PROJECTS_FILE = "data/projects.json"
"""The open data every build writes: one object per project."""
IGNORED_FILES = frozenset({".site-builder-output"})
"""Build bookkeeping, not content (the marker a build leaves in its output folder; a host may
leave it out of the published copy)."""
FIELD_LABELS: dict[str, str] = {
    "year": N_("year"), "unit_code": N_("unit code"), "unit_name": N_("unit name"),
    "region": N_("region"), "name": N_("project name"), "amount": N_("amount"),
    "goals": N_("goals"), "indicators": N_("indicators"), "notes": N_("notes"),
    "table_total": N_("table total"), "remark": N_("remark"), "source": N_("source"),
}
"""How each field of ``projects.json`` is named in a report (translated where shown)."""


@dataclass(frozen=True)
class FileChange:
    """A file added, changed or removed."""

    path: str
    """Path inside the site, with ``/``."""
    old_size: int | None
    """Size in bytes before; None when the file is new."""
    new_size: int | None
    """Size in bytes after; None when the file goes."""


@dataclass(frozen=True)
class ProjectChange:
    """A project added, changed or removed."""

    id: str
    """The project's id."""
    name: str
    """Its name (the new one when it changed)."""
    fields: tuple[str, ...] = ()
    """For a changed project: what changed, as a clerk reads it (``金额：7.44 → 7.50``)."""


@dataclass(frozen=True)
class SiteDiff:
    """Everything a build would change."""

    files_added: list[FileChange] = field(default_factory=list)
    """New files."""
    files_changed: list[FileChange] = field(default_factory=list)
    """Files whose bytes differ."""
    files_removed: list[FileChange] = field(default_factory=list)
    """Files that would go."""
    projects_added: list[ProjectChange] = field(default_factory=list)
    """Projects new in the build."""
    projects_changed: list[ProjectChange] = field(default_factory=list)
    """Projects whose open data differs."""
    projects_removed: list[ProjectChange] = field(default_factory=list)
    """Projects no longer in the build."""

    @property
    def empty(self) -> bool:
        """Whether nothing would change."""
        return not (self.files_added or self.files_changed or self.files_removed)


def site_files(folder: Path) -> dict[str, int]:
    """Every regular file under ``folder`` (links not followed) with its size, by path."""
    found: dict[str, int] = {}
    if not folder.is_dir():
        return found
    for top, dirs, files in os.walk(folder):
        dirs.sort()
        for name in sorted(files):
            path = os.path.join(top, name)
            if os.path.islink(path) or not os.path.isfile(path):
                continue
            relative = Path(path).relative_to(folder).as_posix()
            if relative not in IGNORED_FILES:
                found[relative] = os.path.getsize(path)
    return found


def compare(old: Path, new: Path) -> SiteDiff:
    """What replacing ``old`` (may be missing) by ``new`` changes."""
    before, after = site_files(old), site_files(new)
    diff = SiteDiff()
    for path in sorted(before.keys() | after.keys()):
        if path not in before:
            diff.files_added.append(FileChange(path, None, after[path]))
        elif path not in after:
            diff.files_removed.append(FileChange(path, before[path], None))
        elif before[path] != after[path] or _differ(old / path, new / path):
            diff.files_changed.append(FileChange(path, before[path], after[path]))
    _compare_projects(_projects(old), _projects(new), diff)
    return diff


def _differ(a: Path, b: Path) -> bool:
    with open(a, "rb") as first, open(b, "rb") as second:
        while True:
            one, two = first.read(1 << 16), second.read(1 << 16)
            if one != two:
                return True
            if not one:
                return False


def _projects(folder: Path) -> dict[str, dict[str, Any]]:
    """The projects of a built site's open data by id; {} when it has none readable."""
    try:
        data = json.loads((folder / PROJECTS_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, list):
        return {}
    return {str(p["id"]): p for p in data if isinstance(p, dict) and "id" in p}


def _compare_projects(before: dict[str, dict[str, Any]], after: dict[str, dict[str, Any]],
                      diff: SiteDiff) -> None:
    for key in sorted(before.keys() | after.keys()):
        old, new = before.get(key), after.get(key)
        if old is None and new is not None:
            diff.projects_added.append(ProjectChange(key, str(new.get("name", ""))))
        elif new is None and old is not None:
            diff.projects_removed.append(ProjectChange(key, str(old.get("name", ""))))
        elif old is not None and new is not None and old != new:
            diff.projects_changed.append(ProjectChange(key, str(new.get("name", "")),
                                                       tuple(changed_fields(old, new))))


def changed_fields(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    """What differs between two versions of a project, as a clerk reads it."""
    found = []
    for key in [*FIELD_LABELS, *sorted((old.keys() | new.keys()) - FIELD_LABELS.keys())]:
        if key == "id" or old.get(key) == new.get(key):
            continue
        label = _(FIELD_LABELS[key]) if key in FIELD_LABELS else key
        one, two = old.get(key), new.get(key)
        if key == "indicators":
            what = _rows_changed(one, two)
        elif key in ("goals", "notes"):
            what = (_("{old} item(s) → {new} item(s)").format(old=_count(one), new=_count(two))
                    if _count(one) != _count(two) else _("the text changed"))
        else:
            what = f"{_short(one)} → {_short(two)}"
        found.append(_("{field}: {change}").format(field=label, change=what))
    return found


def _rows_changed(old: object, new: object) -> str:
    one = old if isinstance(old, list) else []
    two = new if isinstance(new, list) else []
    rows = [str(n + 1) for n in range(max(len(one), len(two)))
            if (one[n] if n < len(one) else None) != (two[n] if n < len(two) else None)]
    shown = _(", ").join(rows[:10]) + ("…" if len(rows) > 10 else "")
    if len(one) != len(two):
        return _("row(s) {rows} changed, {old} row(s) → {new} row(s)").format(
            rows=shown, old=len(one), new=len(two))
    return _("row(s) {rows} changed").format(rows=shown)


def _count(value: object) -> int:
    return len(value) if isinstance(value, list) else 0


def _short(value: object) -> str:
    if value is None:
        return _("(none)")
    text = str(value)
    return text if len(text) <= 30 else text[:30] + "…"


def size_text(size: int) -> str:
    """``512 bytes`` (``512 字节``), ``12.3 KB``, ``4.1 MB``."""
    if size < 1024:
        return _("{size} bytes").format(size=size)
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} KB"
    return f"{size / (1024 * 1024):.1f} MB"

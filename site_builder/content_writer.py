"""Write units and projects as content YAML, never overwriting hand edits silently.

Each written file starts with a header comment that records a digest of the body.  On the
next import a file whose body still matches its digest was not touched by hand and may be
replaced; any other existing file is skipped unless ``force`` is set.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import yaml

from site_builder.content import CONTENT_DIR
from site_builder.model import Indicator, Project, Unit, format_amount
from site_builder.schema import UNIT_FILE_NAME
from site_builder.sitefiles import SCHEMA_DIR, check_inside

Action = Literal["created", "updated", "unchanged", "skipped"]
_DIGEST = re.compile(r"^# import-digest: (?P<digest>[0-9a-f]{16})$", re.M)


@dataclass(frozen=True)
class WriteOutcome:
    """What happened to one content file."""

    path: str
    """The file, relative to the project."""
    action: Action
    """created, updated, unchanged, or skipped (edited by hand)."""


class _FlowMap(dict[str, str]):
    """A mapping written on one line: ``{level1: 产出指标, level2: 数量指标, …}``."""


class _Dumper(yaml.SafeDumper):
    pass


def _represent_flow(dumper: yaml.SafeDumper, data: _FlowMap) -> yaml.Node:
    return dumper.represent_mapping("tag:yaml.org,2002:map", data.items(), flow_style=True)


_Dumper.add_representer(_FlowMap, _represent_flow)


def project_data(project: Project) -> dict[str, Any]:
    """The YAML mapping of a project, keys in the documented order."""
    data: dict[str, Any] = {
        "id": project.id, "year": project.year, "unit": project.unit_code,
        "name": project.name, "amount": format_amount(project.amount),
        "goals": list(project.goals),
        "indicators": [_indicator(i) for i in project.indicators],
    }
    if project.table_total is not None:
        data["table_total"] = project.table_total
    if project.remark:
        data["remark"] = project.remark
    if project.notes:
        data["notes"] = list(project.notes)
    if project.source:
        data["source"] = project.source
    return data


def _indicator(indicator: Indicator) -> _FlowMap:
    return _FlowMap(level1=indicator.level1, level2=indicator.level2, name=indicator.name,
                    value=indicator.value)


def unit_data(unit: Unit) -> dict[str, Any]:
    data: dict[str, Any] = {"code": unit.code, "year": unit.year, "name": unit.name}
    for key in ("region", "parent_code", "title"):
        if getattr(unit, key):
            data[key] = getattr(unit, key)
    if unit.declared_total is not None:
        data["declared_total"] = format_amount(unit.declared_total)
    return data


def dump_yaml(data: dict[str, Any]) -> str:
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False,
                     width=1_000_000, default_flow_style=False)


def digest(body: str) -> str:
    return hashlib.sha256(body.encode("utf-8")).hexdigest()[:16]


def render_file(body: str, schema: str, origin: str) -> str:
    """A content file: schema header, provenance, digest of the body, then the body."""
    return (f"# yaml-language-server: $schema={schema}\n"
            f"# Imported by site-builder from {origin}. Edit freely: a new import will not\n"
            f"# overwrite a file you changed unless you pass --force.\n"
            f"# import-digest: {digest(body)}\n{body}")


def edited_by_hand(text: str) -> bool:
    """True when ``text`` has no import digest or its body no longer matches it."""
    match = _DIGEST.search(text)
    if match is None:
        return True
    return digest(text[match.end() + 1:]) != match["digest"]


def write_content(root: Path, units: list[Unit], projects: list[Project], origin: str,
                  force: bool) -> list[WriteOutcome]:
    """Write every unit and project under ``root/content``; returns what happened to each."""
    outcomes = []
    for unit in units:
        folder = Path(CONTENT_DIR, unit.year, unit.code)
        outcomes.append(_write(root, folder / UNIT_FILE_NAME, dump_yaml(unit_data(unit)),
                               "unit", origin, force))
    for project in projects:
        folder = Path(CONTENT_DIR, project.year, project.unit_code)
        outcomes.append(_write(root, folder / f"{project.id}.yaml",
                               dump_yaml(project_data(project)), "project", origin, force))
    return outcomes


def _write(root: Path, relative: Path, body: str, kind: str, origin: str,
           force: bool) -> WriteOutcome:
    target = root / relative
    check_inside(root, target)  # never write through a link to outside the site
    depth = len(relative.parts) - 1
    schema = "../" * depth + f"{SCHEMA_DIR}/{kind}.schema.json"
    text = render_file(body, schema, origin)
    shown = relative.as_posix()
    if target.exists():
        current = target.read_text(encoding="utf-8", errors="replace")
        if current == text:
            return WriteOutcome(shown, "unchanged")
        if edited_by_hand(current) and not force:
            return WriteOutcome(shown, "skipped")
        _atomic_write(target, text)
        return WriteOutcome(shown, "updated")
    _atomic_write(target, text)
    return WriteOutcome(shown, "created")


def _atomic_write(target: Path, text: str) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    temp = target.with_name(f".{target.name}.tmp")
    temp.write_text(text, encoding="utf-8", newline="\n")
    os.replace(temp, target)

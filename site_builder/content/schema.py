"""The content file formats, as one table that drives validation, JSON Schema and docs."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Literal

from site_builder.i18n import N_

FieldKind = Literal["text", "id", "year", "code", "decimal", "texts", "indicators"]

PATTERNS: dict[str, str] = {
    "id": r"^[A-Za-z0-9][A-Za-z0-9._-]{0,79}$",
    "year": r"^[0-9]{4}$",
    "code": r"^[0-9A-Za-z_-]{1,32}$",
    "decimal": r"^[0-9]{1,12}(\.[0-9]{1,6})?$",
}
"""Regular expressions the text of typed fields must match."""

HINTS: dict[str, str] = {
    "id": N_("use letters, digits, '-', '_' or '.', e.g. 2023-002001-01"),
    "year": N_("write the four-digit budget year, e.g. 2023"),
    "code": N_("write the unit code as published, e.g. '002001'"),
    "decimal": N_("write the amount in 万元 with a dot, e.g. '3.28' (no commas, no unit)"),
}


@dataclass(frozen=True)
class FieldSpec:
    """One key of a content file."""

    name: str
    """The YAML key."""
    kind: FieldKind
    """How its value is read and checked."""
    required: bool
    """Whether the key must be present."""
    doc: str
    """What it means, for editors and docs (English; translated where a message shows it)."""


PROJECT_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("id", "id", True,
              N_("Stable identifier, used in URLs and exports; never change it.")),
    FieldSpec("year", "year", True, N_("Budget year (预算年度).")),
    FieldSpec("unit", "code", True,
              N_("Code of the budget unit (单位编码); a unit file must exist.")),
    FieldSpec("name", "text", True, N_("Project name (项目名称) as published.")),
    FieldSpec("amount", "decimal", True, N_("Amount in 万元 (金额), exact, e.g. '3.28'.")),
    FieldSpec("goals", "texts", False, N_("绩效目标, one entry per goal, as published.")),
    FieldSpec("indicators", "indicators", False, N_("绩效指标 rows: level1 (一级), level2 (二级), "
              "name (三级) and value (指标值, exactly as published).")),
    FieldSpec("notes", "texts", False, N_("Notes: staff remarks and text the importer could not "
              "place.")),
    FieldSpec("table_total", "text", False,
              N_("The 合计 row's amount as published ('' if blank).")),
    FieldSpec("remark", "text", False, N_("备注 printed under the published table.")),
    FieldSpec("source", "text", False, N_("Where the project was imported from (file:line).")),
)
"""Keys of a project file (content/<year>/<unit>/<id>.yaml)."""

UNIT_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("code", "code", True, N_("Unit code (单位编码) as published.")),
    FieldSpec("year", "year", True, N_("Budget year.")),
    FieldSpec("name", "text", True, N_("Unit name (单位名称).")),
    FieldSpec("region", "text", False, N_("Parent region (所属地区), e.g. 祁连县.")),
    FieldSpec("parent_code", "text", False, N_("Code of the parent department, if published.")),
    FieldSpec("declared_total", "decimal", False, N_("Total in 万元 as the table declares it.")),
    FieldSpec("title", "text", False, N_("Title of the published table.")),
)
"""Keys of a unit file (content/<year>/<unit>/_unit.yaml)."""

INDICATOR_KEYS: tuple[FieldSpec, ...] = (
    FieldSpec("level1", "text", False,
              N_("一级指标 as published (产出指标, 效益指标, 满意度指标).")),
    FieldSpec("level2", "text", False, N_("二级指标 as published (数量指标, 社会效益指标 …).")),
    FieldSpec("name", "text", True, N_("三级指标 as published.")),
    FieldSpec("value", "text", False,
              N_("指标值 exactly as published (≥95%, 2023全年, 稳步提升).")),
)
"""Keys of one entry of ``indicators``."""

UNIT_FILE_NAME = "_unit.yaml"
"""File name of the unit file inside each content/<year>/<unit>/ folder."""


def _json_type(spec: FieldSpec) -> dict[str, object]:
    if spec.kind == "texts":
        return {"type": "array", "items": {"type": "string"}}
    if spec.kind == "indicators":
        return {"type": "array", "items": _object_schema(INDICATOR_KEYS)}
    if spec.kind in ("year", "code", "decimal"):
        # Editors read YAML 1.2, where unquoted 2023 is a number; site-builder keeps it as text.
        return {"type": ["string", "number"], "pattern": PATTERNS[spec.kind]}
    if spec.kind == "id":
        return {"type": "string", "pattern": PATTERNS["id"]}
    return {"type": ["string", "null"]}


def _object_schema(fields: tuple[FieldSpec, ...]) -> dict[str, object]:
    return {
        "type": "object",
        "additionalProperties": False,
        "required": [f.name for f in fields if f.required],
        "properties": {f.name: {**_json_type(f), "description": f.doc} for f in fields},
    }


def json_schema(kind: Literal["project", "unit"]) -> str:
    """The JSON Schema of a project or unit file, for ``# yaml-language-server: $schema=``."""
    fields = PROJECT_FIELDS if kind == "project" else UNIT_FIELDS
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": f"site-builder {kind} file",
        **_object_schema(fields),
    }
    return json.dumps(schema, ensure_ascii=False, indent=2) + "\n"

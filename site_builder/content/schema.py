"""The content file formats, as one table that drives validation, JSON Schema and docs."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Literal

from site_builder.i18n import N_

FieldKind = Literal["text", "id", "year", "code", "decimal", "texts", "indicators", "rows"]

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
    rows: tuple[FieldSpec, ...] = ()
    """For kind ``rows`` (a list of mappings): the keys of each row."""


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

FUNDS_KEYS: tuple[FieldSpec, ...] = (
    FieldSpec("label", "text", True, N_("The row as published: 年度资金总额, 其中：当年财政拨款, "
              "上年结转资金, 其他资金.")),
    FieldSpec("initial", "text", False, N_("年初预算数 (万元) as published.")),
    FieldSpec("full_year", "text", False, N_("全年预算数 (万元) as published.")),
    FieldSpec("executed", "text", False, N_("全年执行数 (万元) as published.")),
    FieldSpec("weight", "text", False, N_("分值 as published (usually 10).")),
    FieldSpec("rate", "text", False, N_("执行率 as published (98.5%).")),
    FieldSpec("score", "text", False, N_("得分 as published.")),
)
"""Keys of one entry of a self-evaluation's ``funds`` (项目资金（万元）)."""

EVALUATED_KEYS: tuple[FieldSpec, ...] = (
    FieldSpec("level1", "text", False, N_("一级指标 as published.")),
    FieldSpec("level2", "text", False, N_("二级指标 as published.")),
    FieldSpec("name", "text", True, N_("三级指标 as published.")),
    FieldSpec("target", "text", False, N_("年度指标值 exactly as published.")),
    FieldSpec("actual", "text", False, N_("实际完成值 exactly as published.")),
    FieldSpec("weight", "text", False, N_("分值 as published.")),
    FieldSpec("score", "text", False, N_("得分 as published.")),
    FieldSpec("reason", "text", False, N_("偏差原因分析及改进措施 as published.")),
)
"""Keys of one entry of a self-evaluation's ``indicators``."""

EVALUATION_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("id", "id", True, N_("Identifier used in URLs; usually the project's id.")),
    FieldSpec("year", "year", True, N_("The year evaluated (年度).")),
    FieldSpec("unit", "code", True, N_("Code of the budget unit; a unit file must exist.")),
    FieldSpec("name", "text", True, N_("项目名称 as published on the self-evaluation.")),
    FieldSpec("project", "id", False, N_("Id of the project evaluated; without it the project "
              "of the same year, unit and name.")),
    FieldSpec("department", "text", False, N_("主管部门 as published.")),
    FieldSpec("implementer", "text", False, N_("实施单位 as published.")),
    FieldSpec("funds", "rows", False, N_("项目资金（万元）: one row per line of the table."),
              FUNDS_KEYS),
    FieldSpec("expected", "texts", False, N_("年度总体目标 — 预期目标, as published.")),
    FieldSpec("achieved", "texts", False, N_("年度总体目标 — 实际完成情况, as published.")),
    FieldSpec("indicators", "rows", False, N_("绩效指标 rows: the target beside what was "
              "achieved, with 分值, 得分 and the reason for a shortfall."), EVALUATED_KEYS),
    FieldSpec("total_weight", "text", False, N_("总分 as published (usually 100).")),
    FieldSpec("total_score", "text", False, N_("得分 of the 总分 row as published.")),
    FieldSpec("grade", "text", False, N_("自评等级 as published (优, 良, 中, 差).")),
    FieldSpec("remark", "text", False, N_("备注 printed under the published table.")),
    FieldSpec("notes", "texts", False, N_("Notes: staff remarks.")),
    FieldSpec("source", "text", False, N_("Where the self-evaluation was imported from.")),
)
"""Keys of a self-evaluation file (content/<year>/<unit>/<id>.evaluation.yaml)."""

EVALUATION_SUFFIX = ".evaluation.yaml"
"""How the name of a self-evaluation file ends (beside the project files of its unit)."""

UNIT_FILE_NAME = "_unit.yaml"
"""File name of the unit file inside each content/<year>/<unit>/ folder."""


def _json_type(spec: FieldSpec) -> dict[str, object]:
    if spec.kind == "texts":
        return {"type": "array", "items": {"type": "string"}}
    if spec.kind == "indicators":
        return {"type": "array", "items": _object_schema(INDICATOR_KEYS)}
    if spec.kind == "rows":
        return {"type": "array", "items": _object_schema(spec.rows)}
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


SchemaKind = Literal["project", "unit", "evaluation"]
"""The content files that have a JSON Schema."""
SCHEMA_KINDS: tuple[SchemaKind, ...] = ("project", "unit", "evaluation")


def json_schema(kind: SchemaKind) -> str:
    """The JSON Schema of a project, unit or self-evaluation file, for
    ``# yaml-language-server: $schema=``."""
    fields = {"project": PROJECT_FIELDS, "unit": UNIT_FIELDS,
              "evaluation": EVALUATION_FIELDS}[kind]
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": f"site-builder {kind} file",
        **_object_schema(fields),
    }
    return json.dumps(schema, ensure_ascii=False, indent=2) + "\n"

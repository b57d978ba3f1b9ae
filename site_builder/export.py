"""Open data: the content as JSON (one object per project) or CSV (one row per indicator)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from typing import Any

from site_builder.model import Indicator, Project, Site, format_amount

CSV_COLUMNS: tuple[str, ...] = (
    "id", "year", "unit_code", "unit_name", "name", "amount", "level1", "level2",
    "category1", "category2", "indicator", "value", "value_kind", "value_op", "value_number",
    "value_unit",
)
"""Columns of the indicator CSV; the project's columns repeat on each of its rows."""


def indicator_json(indicator: Indicator) -> dict[str, Any]:
    return {
        "level1": indicator.level1, "level2": indicator.level2,
        "category1": indicator.category1, "category2": indicator.category2,
        "name": indicator.name, "value": indicator.value,
        "parsed": indicator.parsed.to_json(),
    }


def project_json(site: Site, project: Project) -> dict[str, Any]:
    """One project as open data (also the per-project JSON file of the site)."""
    unit = site.unit(project.year, project.unit_code)
    data: dict[str, Any] = {
        "id": project.id, "year": project.year, "unit_code": project.unit_code,
        "unit_name": unit.name if unit else "", "region": unit.region if unit else "",
        "name": project.name, "amount": format_amount(project.amount),
        "goals": list(project.goals),
        "indicators": [indicator_json(i) for i in project.indicators],
        "notes": list(project.notes),
    }
    if project.table_total is not None:
        data["table_total"] = project.table_total
    if project.remark:
        data["remark"] = project.remark
    if project.source:
        data["source"] = project.source
    return data


def project_text(site: Site, project: Project) -> str:
    """:func:`project_json` as indented JSON text (no final newline)."""
    return json.dumps(project_json(site, project), ensure_ascii=False, indent=2)


def json_array(items: Sequence[str]) -> str:
    """A JSON array of items already encoded as :func:`project_text` does, exactly as
    ``json.dumps(list, indent=2)`` would write it, so no item is encoded twice."""
    if not items:
        return "[]"
    return "[\n  " + ",\n  ".join(item.replace("\n", "\n  ") for item in items) + "\n]"


def to_json(site: Site) -> str:
    return json_array([project_text(site, p) for p in site.projects]) + "\n"


def csv_rows(site: Site) -> list[list[str]]:
    rows: list[list[str]] = []
    for project in site.projects:
        head = [project.id, project.year, project.unit_code, site.unit_name(project),
                project.name, format_amount(project.amount)]
        for indicator in project.indicators or (None,):
            rows.append(head + _indicator_cells(indicator))
    return rows


def _indicator_cells(indicator: Indicator | None) -> list[str]:
    if indicator is None:
        return [""] * 10
    parsed = indicator.parsed
    return [indicator.level1, indicator.level2, indicator.category1, indicator.category2,
            indicator.name, indicator.value, parsed.kind, parsed.op or "", parsed.number or "",
            parsed.unit or ""]


def to_csv(site: Site) -> str:
    """CSV text starting with a UTF-8 BOM so that Excel reads the Chinese correctly."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    writer.writerows(csv_rows(site))
    return "\ufeff" + buffer.getvalue()

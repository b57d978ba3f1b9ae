"""Open data: the content as JSON (one object per project) or CSV (one row per indicator)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator, Sequence
from functools import lru_cache
from json.encoder import encode_basestring
from typing import Any

from site_builder.achievement import outcome
from site_builder.cells import csv_text
from site_builder.model import Indicator, Project, SelfEvaluation, Site, format_amount

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


def project_json(site: Site, project: Project, *, indicators: bool = True) -> dict[str, Any]:
    """One project as open data (also the per-project JSON file of the site); without
    ``indicators``, their list is left empty for the caller to fill."""
    unit = site.unit(project.year, project.unit_code)
    data: dict[str, Any] = {
        "id": project.id, "year": project.year, "unit_code": project.unit_code,
        "unit_name": unit.name if unit else "", "region": unit.region if unit else "",
        "name": project.name, "amount": format_amount(project.amount),
        "goals": list(project.goals),
        "indicators": [indicator_json(i) for i in project.indicators] if indicators else [],
        "notes": list(project.notes),
    }
    if project.table_total is not None:
        data["table_total"] = project.table_total
    if project.remark:
        data["remark"] = project.remark
    if project.source:
        data["source"] = project.source
    evaluation = site.evaluation_of(project)
    if evaluation is not None:
        data["self_evaluation"] = evaluation_json(evaluation, project.id)
    return data


def evaluation_json(evaluation: SelfEvaluation, project_id: str) -> dict[str, Any]:
    """A self-evaluation as open data: every cell as published, the id of the project it
    evaluates (``project_id``, "" when the site does not have it) and each indicator's
    ``outcome`` as site-builder reads it (met, missed, not-comparable)."""
    return {
        "id": evaluation.id, "year": evaluation.year, "unit_code": evaluation.unit_code,
        "name": evaluation.name, "project": project_id,
        "department": evaluation.department, "implementer": evaluation.implementer,
        "funds": [{"label": f.label, "initial": f.initial, "full_year": f.full_year,
                   "executed": f.executed, "weight": f.weight, "rate": f.rate,
                   "score": f.score} for f in evaluation.funds],
        "expected": list(evaluation.expected), "achieved": list(evaluation.achieved),
        "indicators": [{"level1": i.level1, "level2": i.level2, "category1": i.category1,
                        "category2": i.category2, "name": i.name, "target": i.target,
                        "actual": i.actual, "outcome": outcome(i), "weight": i.weight,
                        "score": i.score, "reason": i.reason} for i in evaluation.indicators],
        "total_weight": evaluation.total_weight, "total_score": evaluation.total_score,
        "grade": evaluation.grade, "remark": evaluation.remark, "notes": list(evaluation.notes),
        "source": evaluation.source,
    }


EVALUATION_COLUMNS: tuple[str, ...] = (
    "evaluation_id", "project_id", "year", "unit_code", "unit_name", "name", "level1",
    "level2", "indicator", "target", "actual", "outcome", "weight", "score", "reason",
)
"""Columns of the self-evaluation CSV: one row per evaluated indicator, the target (年度指标值)
beside the actual (实际完成值)."""


def evaluations_json(site: Site) -> str:
    """Every self-evaluation of ``site`` as indented JSON text, each with the id of the
    project it evaluates ("" when the site does not have it)."""
    items = []
    for evaluation in site.evaluations:
        project = site.evaluated_project(evaluation)
        items.append(evaluation_json(evaluation, project.id if project else ""))
    return dumps_indented(items) + "\n"


def evaluations_csv(site: Site) -> str:
    """The self-evaluation CSV, with the byte-order mark Excel needs."""
    lines = ["\ufeff" + _csv_fields(EVALUATION_COLUMNS)]
    for evaluation in site.evaluations:
        project = site.evaluated_project(evaluation)
        unit = site.unit(evaluation.year, evaluation.unit_code)
        head = [evaluation.id, project.id if project else "", evaluation.year,
                evaluation.unit_code, unit.name if unit else "", evaluation.name]
        for i in evaluation.indicators:
            lines.append(_csv_fields([*head, i.level1, i.level2, i.name, i.target, i.actual,
                                      outcome(i), i.weight, i.score, i.reason]))
    return "".join(line + _CSV_LINE_END for line in lines)


def project_text(site: Site, project: Project) -> str:
    """:func:`project_json` as indented JSON text (no final newline), exactly as
    ``json.dumps(..., ensure_ascii=False, indent=2)`` writes it, each indicator's text made
    once per distinct indicator (they repeat a lot)."""
    data = project_json(site, project, indicators=False)
    data["indicators"] = [_Encoded(_indicator_text(i.level1, i.level2, i.name, i.value))
                          for i in project.indicators]
    return dumps_indented(data)


class _Encoded(str):
    """JSON text already encoded at the top level, to be placed as is (re-indented)."""


@lru_cache(maxsize=1 << 16)
def _indicator_text(level1: str, level2: str, name: str, value: str) -> str:
    return dumps_indented(indicator_json(Indicator(level1, level2, name, value)))


def dumps_indented(value: object) -> str:
    """``json.dumps(value, ensure_ascii=False, indent=2)``, several times faster: its encoder
    is pure Python whenever ``indent`` is set, while this joins strings encoded in C."""
    return _dumps(value, "\n")


_CONSTANTS = {None: "null", True: "true", False: "false"}


def _dumps(value: object, newline: str) -> str:
    """``value`` as JSON text whose lines after the first start with ``newline``."""
    if type(value) is str:
        return encode_basestring(value)
    if value is None or value is True or value is False:
        return _CONSTANTS[value]
    if type(value) is int:
        return int.__repr__(value)
    if type(value) is dict and all(type(key) is str for key in value):
        if not value:
            return "{}"
        inner = newline + "  "
        return "{" + inner + ("," + inner).join(
            [encode_basestring(k) + ": " + _dumps(v, inner) for k, v in value.items()]
        ) + newline + "}"
    if type(value) is list or type(value) is tuple:
        if not value:
            return "[]"
        inner = newline + "  "
        return "[" + inner + ("," + inner).join([_dumps(v, inner) for v in value]) + \
            newline + "]"
    if type(value) is _Encoded:
        return value.replace("\n", newline)
    return json.dumps(value, ensure_ascii=False, indent=2).replace("\n", newline)


def json_array(items: Sequence[str]) -> str:
    """A JSON array of items already encoded as :func:`project_text` does, exactly as
    ``json.dumps(list, indent=2)`` would write it, so no item is encoded twice."""
    if not items:
        return "[]"
    return "[\n  " + ",\n  ".join(item.replace("\n", "\n  ") for item in items) + "\n]"


def json_array_bytes(items: Sequence[bytes]) -> bytes:
    """:func:`json_array` of UTF-8 items, in UTF-8 (a newline byte is never part of another
    character), so that items encoded once for their own files are not encoded again."""
    return b"".join(json_array_chunks(items))


def json_array_chunks(items: Iterable[bytes]) -> Iterator[bytes]:
    """:func:`json_array_bytes` a piece per item, for a file written as it is made."""
    separator = b"[\n  "
    for item in items:
        yield separator + item.replace(b"\n", b"\n  ")
        separator = b",\n  "
    yield b"[]" if separator == b"[\n  " else b"\n]"


def to_json(site: Site) -> str:
    return json_array([project_text(site, p) for p in site.projects]) + "\n"


def csv_rows(site: Site) -> list[list[str]]:
    """The rows of the indicator CSV after its header, cell by cell as written (see
    :func:`~site_builder.cells.csv_text`)."""
    rows: list[list[str]] = []
    for project in site.projects:
        head = _project_cells(site, project)
        for indicator in project.indicators or (None,):
            rows.append([csv_text(cell) for cell in head + _indicator_cells(indicator)])
    return rows


def _project_cells(site: Site, project: Project) -> list[str]:
    return [project.id, project.year, project.unit_code, site.unit_name(project),
            project.name, format_amount(project.amount)]


def _indicator_cells(indicator: Indicator | None) -> list[str]:
    if indicator is None:
        return [""] * 10
    return list(_cells(indicator.level1, indicator.level2, indicator.name, indicator.value))


@lru_cache(maxsize=1 << 16)
def _cells(level1: str, level2: str, name: str, value: str) -> tuple[str, ...]:
    """An indicator's cells, made once per distinct indicator."""
    indicator = Indicator(level1, level2, name, value)
    parsed = indicator.parsed
    return (level1, level2, indicator.category1, indicator.category2, name, value, parsed.kind,
            parsed.op or "", parsed.number or "", parsed.unit or "")


_CSV_LINE_END = "\r\n"


def _csv_fields(cells: Sequence[str]) -> str:
    """``cells`` as the csv module writes them in a row, without the line end (the line end
    is set all the same: it decides which fields need quotes); a cell that a spreadsheet
    would read as a formula gets a ``'`` in front (:func:`~site_builder.cells.csv_text`)."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator=_CSV_LINE_END).writerow([csv_text(c) for c in cells])
    return buffer.getvalue().removesuffix(_CSV_LINE_END)


@lru_cache(maxsize=1 << 16)
def _indicator_fields(level1: str, level2: str, name: str, value: str) -> str:
    return _csv_fields(_cells(level1, level2, name, value))


_NO_INDICATOR = _csv_fields([""] * 10)
CSV_HEADER = "\ufeff" + _csv_fields(CSV_COLUMNS)
"""The CSV's first line (with the byte-order mark Excel needs), without its line end."""


def to_csv(site: Site) -> str:
    """CSV text starting with a UTF-8 BOM so that Excel reads the Chinese correctly.

    Each project's cells and each distinct indicator's cells are written once by the csv
    module and joined with its delimiter: it quotes field by field, so the text is the same
    as writing whole rows (the only exception, a row of one empty field, cannot occur)."""
    return "".join(csv_chunks(site))


def csv_chunks(site: Site) -> Iterator[str]:
    """:func:`to_csv` in pieces: the header line, then each project's rows."""
    yield CSV_HEADER + _CSV_LINE_END
    for project in site.projects:
        yield project_csv(site, project)


def project_csv_lines(site: Site, project: Project) -> list[str]:
    """A project's rows of the indicator CSV (one per indicator, one when it has none),
    without line ends."""
    head = _csv_fields(_project_cells(site, project)) + ","
    if not project.indicators:
        return [head + _NO_INDICATOR]
    return [head + _indicator_fields(i.level1, i.level2, i.name, i.value)
            for i in project.indicators]


def project_csv(site: Site, project: Project) -> str:
    """A project's rows of the indicator CSV, each with its line end (the CSV is its header
    line and these, joined)."""
    return "".join(line + _CSV_LINE_END for line in project_csv_lines(site, project))


def encoded(text: str) -> str:
    """JSON ``text`` to be placed as it is by :func:`dumps_indented` (re-indented)."""
    return _Encoded(text)

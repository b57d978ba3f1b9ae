"""The 项目支出绩效自评表 (财预〔2020〕10号) read from the rows of a table: a sheet of an Excel
workbook, a table of a Word document, a ruled table of a PDF (its pages as rows,
:func:`site_builder.importers.pdf.form_rows`), the lines of a tab-separated text
(:mod:`site_builder.importers.evaluation_text`).

The form, as offices fill it in: a title (项目支出绩效自评表, （2023年度）); 项目名称, 主管部门,
实施单位; the 项目资金（万元） rows under a header of 年初预算数, 全年预算数, 全年执行数, 分值,
执行率, 得分; 年度总体目标 as 预期目标 beside 实际完成情况; the indicators under a header of
一级指标, 二级指标, 三级指标, 年度指标值, 实际完成值, 分值, 得分, 偏差原因分析及改进措施 (一级 and
二级 merged down); the 总分 row; sometimes 自评等级; below the table 备注 and the notes the export
writes (``附注：…``).  Cells are taken by the column of their header, every text exactly as
published.  The unit's code is not on the form: the import finds it by the unit's name
(:mod:`site_builder.importers.merge`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path

from site_builder.diagnostics import Diagnostic, Position, SiteBuilderError, error
from site_builder.i18n import _
from site_builder.importers.base import ImportResult
from site_builder.importers.docx import document_rows
from site_builder.importers.pdf import form_rows
from site_builder.importers.xlsx import NOTE_PREFIX
from site_builder.importers.xlsx_parts import BadWorkbook
from site_builder.importers.xlsx_sheet import (
    SheetCell,
    bad_workbook,
    cell_position,
    open_workbook,
    sheet_rows,
)
from site_builder.limits import DEFAULT_LIMITS, InputLimits
from site_builder.model import EvaluatedIndicator, FundsRow, SelfEvaluation

FACTS = {"项目名称": "name", "主管部门": "department", "实施单位": "implementer"}
"""Labels of the form's heading cells, and the field each names."""
FUNDS_COLUMNS = {"年初预算数": "initial", "全年预算数": "full_year", "全年执行数": "executed",
                 "分值": "weight", "执行率": "rate", "得分": "score"}
"""Headers of the 项目资金 rows."""
FUNDS_ROWS = ("年度资金总额", "其中", "当年财政拨款", "上年结转资金", "其他资金")
"""How the 项目资金 rows begin."""
INDICATOR_COLUMNS = {"一级指标": "level1", "二级指标": "level2", "三级指标": "name",
                     "年度指标值": "target", "实际完成值": "actual", "全年实际值": "actual",
                     "分值": "weight", "得分": "score"}
"""Headers of the indicator rows (a header starting 偏差原因 or 未完成原因 is the reason)."""
YEAR = re.compile(r"(\d{4})\s*年度?")


def plain(text: str) -> str:
    """A cell's text without white space, for comparing with the form's labels."""
    return re.sub(r"\s+", "", text).replace("（", "(").replace("）", ")")


def is_self_evaluation(rows: Iterable[Sequence[SheetCell]]) -> bool:
    """Whether a table has the indicator header of a 自评表 (年度指标值 and 实际完成值)."""
    return any(section_of([plain(c.text) for c in cells]) == "indicators" for cells in rows)


def section_of(texts: Sequence[str]) -> str:
    """The part of the form a header row starts (``indicators``, ``funds`` or ``goals``), or
    "" for a row that is no header; ``texts``: the row's cells, :func:`plain`."""
    if "三级指标" in texts and {"实际完成值", "全年实际值"} & set(texts):
        return "indicators"
    if "年初预算数" in texts or "全年预算数" in texts:
        return "funds"
    if "预期目标" in texts and any(t.startswith("实际完成") for t in texts):
        return "goals"
    return ""


@dataclass
class _Draft:
    """What has been read of one form so far."""

    facts: dict[str, str] = field(default_factory=dict)
    positions: dict[str, Position] = field(default_factory=dict)
    year: str = ""
    funds: list[FundsRow] = field(default_factory=list)
    expected: list[str] = field(default_factory=list)
    achieved: list[str] = field(default_factory=list)
    indicators: list[EvaluatedIndicator] = field(default_factory=list)
    total: tuple[str, str] = ("", "")
    grade: str = ""
    remark: str = ""
    notes: list[str] = field(default_factory=list)


def read_form(rows: Iterable[Sequence[SheetCell]], place: Callable[[str], Position]
              ) -> SelfEvaluation | None:
    """The self-evaluation of one table's rows (None when it has no indicator header); its
    ``unit_code`` is left empty and its ``source`` is where its title is."""
    draft = _Draft()
    section = ""
    columns: dict[int, str] = {}
    level1 = level2 = ""
    first: Position | None = None
    header: Position | None = None
    for cells in rows:
        texts = [plain(c.text) for c in cells]
        if first is None and cells:
            first = place(cells[0].ref)
        draft.year = draft.year or _year(cells, texts)
        _grade(draft, cells, texts)
        starts = section_of(texts)
        if starts == "indicators":
            section, columns = "indicators", _indicator_columns(cells)
            header = place(cells[0].ref)
            continue
        if starts == "funds":
            section = "funds"
            columns = {c.col: FUNDS_COLUMNS[t] for c, t in zip(cells, texts, strict=True)
                       if t in FUNDS_COLUMNS}
            continue
        if starts == "goals":
            section = "goals"
            columns = {c.col: ("expected" if t == "预期目标" else "achieved")
                       for c, t in zip(cells, texts, strict=True)
                       if t == "预期目标" or t.startswith("实际完成")}
            continue
        if section == "indicators":
            if any(t.startswith("总分") for t in texts):
                draft.total = _total(cells, columns)
                section = "below"
                continue
            level1, level2 = _indicator(draft, cells, columns, place, level1, level2)
            continue
        if section == "funds" and _funds(draft, cells, texts, columns, place):
            continue
        if section == "goals" and _goals(draft, cells, texts, columns):
            continue
        if section == "below" and _below(draft, cells, texts):
            continue
        _facts(draft, cells, texts, place)
    if header is None:
        return None
    draft.positions.setdefault("indicators", header)
    return SelfEvaluation(
        id="", year=draft.year, unit_code="", name=draft.facts.get("name", ""),
        department=draft.facts.get("department", ""),
        implementer=draft.facts.get("implementer", ""), funds=tuple(draft.funds),
        expected=tuple(draft.expected), achieved=tuple(draft.achieved),
        indicators=tuple(draft.indicators), total_weight=draft.total[0],
        total_score=draft.total[1], grade=draft.grade, remark=draft.remark,
        notes=tuple(draft.notes),
        source=(first or place("A1")).path, pos=first or place("A1"),
        field_pos=dict(draft.positions))


def _year(cells: Sequence[SheetCell], texts: Sequence[str]) -> str:
    """The year a row states as the form's (``（2023年度）``, a title with 自评), else ""."""
    for cell in cells:
        found = YEAR.search(cell.text)
        if found and ("年度" in found.group(0) or "自评" in "".join(texts)):
            return found.group(1)
    return ""


def _facts(draft: _Draft, cells: Sequence[SheetCell], texts: Sequence[str],
           place: Callable[[str], Position]) -> None:
    for index, text in enumerate(texts):
        key = FACTS.get(text)
        if key and index + 1 < len(cells) and texts[index + 1] not in FACTS:
            draft.facts.setdefault(key, cells[index + 1].text)
            draft.positions.setdefault(key, place(cells[index + 1].ref))


def _funds(draft: _Draft, cells: Sequence[SheetCell], texts: Sequence[str],
           columns: dict[int, str], place: Callable[[str], Position]) -> bool:
    first_value = min(columns, default=0)
    labels = [(c, t) for c, t in zip(cells, texts, strict=True) if c.col < first_value
              and t.startswith(FUNDS_ROWS)]
    if not labels:
        return False
    label, _text = labels[-1]
    values = {columns[c.col]: c.text for c in cells if c.col in columns}
    draft.funds.append(FundsRow(label.text, values.get("initial", ""),
                                values.get("full_year", ""), values.get("executed", ""),
                                values.get("weight", ""), values.get("rate", ""),
                                values.get("score", ""), place(label.ref)))
    return True


def _goals(draft: _Draft, cells: Sequence[SheetCell], texts: Sequence[str],
           columns: dict[int, str]) -> bool:
    starts = sorted(columns)
    found = False
    for cell in cells:
        owner = next((columns[s] for s in reversed(starts) if cell.col >= s), None)
        if owner is None:
            continue
        (draft.expected if owner == "expected" else draft.achieved).append(cell.text)
        found = True
    return found


def _indicator_columns(cells: Sequence[SheetCell]) -> dict[int, str]:
    columns: dict[int, str] = {}
    for cell in cells:
        text = plain(cell.text)
        key = INDICATOR_COLUMNS.get(text)
        if key is None and (text.startswith("偏差原因") or text.startswith("未完成原因")):
            key = "reason"
        if key is not None:
            columns[cell.col] = key
    return columns


def _indicator(draft: _Draft, cells: Sequence[SheetCell], columns: dict[int, str],
               place: Callable[[str], Position], level1: str, level2: str) -> tuple[str, str]:
    """Add the indicator of one row; returns the 一级 and 二级 in force after it."""
    values = {columns[c.col]: c for c in cells if c.col in columns}
    if "level1" in values:
        level1, level2 = values["level1"].text, ""
    if "level2" in values:
        level2 = values["level2"].text
    name = values.get("name")
    if name is None:
        return level1, level2
    text = {key: cell.text for key, cell in values.items()}
    draft.indicators.append(EvaluatedIndicator(
        level1, level2, name.text, text.get("target", ""), text.get("actual", ""),
        text.get("weight", ""), text.get("score", ""), text.get("reason", ""),
        place(name.ref)))
    return level1, level2


def _total(cells: Sequence[SheetCell], columns: dict[int, str]) -> tuple[str, str]:
    values = {columns[c.col]: c.text for c in cells if c.col in columns}
    return values.get("weight", ""), values.get("score", "")


def _below(draft: _Draft, cells: Sequence[SheetCell], texts: Sequence[str]) -> bool:
    """Read a row under the table: 备注, or a note (``附注：…``)."""
    if not cells:
        return False
    if cells[0].text.startswith(NOTE_PREFIX):
        draft.notes.append(cells[0].text.removeprefix(NOTE_PREFIX))
        return True
    if texts[0].startswith("备注"):
        draft.remark = " ".join([draft.remark, *(c.text for c in cells)]).strip()
        return True
    return False


def _grade(draft: _Draft, cells: Sequence[SheetCell], texts: Sequence[str]) -> None:
    for index, text in enumerate(texts):
        if text.startswith("自评等级"):
            rest = re.sub(r"^自评等级[:：]?", "", text)
            draft.grade = rest or (cells[index + 1].text if index + 1 < len(cells) else "")


def incomplete(evaluation: SelfEvaluation) -> list[Diagnostic]:
    """What a form lacks to be published: its year, its 项目名称, indicator rows."""
    problems = []
    if not evaluation.year:
        problems.append(Diagnostic(
            evaluation.pos, "error", _("The 项目支出绩效自评表 states no year"),
            _("Write the year in the form's heading, e.g. （2023年度）"), "evaluation-year"))
    if not evaluation.name.strip():
        problems.append(Diagnostic(
            evaluation.pos, "error", _("The 项目支出绩效自评表 has no 项目名称"),
            _("Write the project's name in the cell after 项目名称"), "evaluation-name"))
    if not evaluation.indicators:
        problems.append(Diagnostic(
            evaluation.field_pos.get("indicators", evaluation.pos), "error",
            _("The 项目支出绩效自评表 has no indicator rows under its header"),
            _("Each row needs its 三级指标 (with 年度指标值, 实际完成值, 分值, 得分)"),
            "evaluation-rows"))
    return problems


LAYOUT = "自评表"
"""The layout name reported for a self-evaluation form."""


def split_forms(rows: Iterable[Sequence[SheetCell]]) -> Iterator[list[Sequence[SheetCell]]]:
    """The rows of each form of a table, a new form starting at a title (a row of one cell
    naming the 自评表, not a note or 备注 under the form) once the one before has its
    indicator header."""
    current: list[Sequence[SheetCell]] = []
    for cells in rows:
        if (len(cells) == 1 and "自评表" in cells[0].text
                and not plain(cells[0].text).startswith((NOTE_PREFIX, "备注"))
                and is_self_evaluation(current)):
            yield current
            current = []
        current.append(cells)
    if current:
        yield current


def _found(result: ImportResult, rows: Iterable[Sequence[SheetCell]],
           place: Callable[[str], Position], source: Callable[[str], str]) -> None:
    """Add the forms of ``rows`` to ``result`` (``source(ref)``: where a form is, for its
    ``source``)."""
    for form in split_forms(rows):
        found = read_form(form, place)
        if found is not None:
            first = form[0][0].ref if form and form[0] else "A1"
            result.evaluations.append(replace(found, source=source(first)))


def read_workbook(path: Path, shown: str, limits: InputLimits = DEFAULT_LIMITS) -> ImportResult:
    """Every 自评表 of the workbook at ``path`` (forms stacked on a sheet too)."""
    result = ImportResult(shown, LAYOUT)
    package = open_workbook(path, shown, limits)
    try:
        for sheet in package.sheets:
            rows = [cells for _number, cells in sheet_rows(package, sheet,
                                                           result.diagnostics.append)]
            _found(result, rows, partial(cell_position, shown, sheet.name),
                   partial(_sheet_source, f"{path.name}:{sheet.name}"))
    except BadWorkbook as exc:
        raise bad_workbook(shown, exc) from None
    finally:
        package.close()
    return _checked(result, _("No 项目支出绩效自评表 was found in the workbook"))


def _sheet_source(sheet: str, ref: str) -> str:
    return f"{sheet}!{ref}"


def read_document(path: Path, shown: str, limits: InputLimits = DEFAULT_LIMITS
                  ) -> ImportResult:
    """Every 自评表 of the Word document at ``path`` (a table each, its title above it)."""
    return read_rows(document_rows(path, shown, limits), shown,
                     lambda ref: Position(f"{shown}:{ref}"), lambda ref: f"{path.name}:{ref}",
                     _("No 项目支出绩效自评表 was found in the document"))


def read_pdf(path: Path, shown: str, limits: InputLimits = DEFAULT_LIMITS) -> ImportResult:
    """Every 自评表 of the PDF at ``path`` (a ruled table each, its title above it; a form
    may go on over several pages, a page may hold several forms)."""
    return read_rows(form_rows(path, shown, limits), shown,
                     lambda ref: Position(f"{shown}:{ref}"), lambda ref: f"{path.name}:{ref}",
                     _("No 项目支出绩效自评表 was found in the PDF"),
                     _("The form must be a table with ruled lines and its indicator header "
                       "(三级指标, 年度指标值, 实际完成值, 分值, 得分); a form printed without "
                       "cell borders, or a PDF made from a scan by text recognition (OCR), has "
                       "no ruled lines: print the form with its borders, or import the Excel "
                       "or Word file instead"))


def read_rows(rows: Iterable[Sequence[SheetCell]], shown: str,
              place: Callable[[str], Position], source: Callable[[str], str],
              none_found: str, hint: str = "") -> ImportResult:
    """Every 自评表 of ``rows``, the rows of a file (``place(ref)``: a cell's position;
    ``source(ref)``: how a form's ``source`` names the cell of its title); ``none_found``
    (with ``hint``) when there is none."""
    result = ImportResult(shown, LAYOUT)
    _found(result, rows, place, source)
    return _checked(result, none_found, hint)


def _checked(result: ImportResult, none_found: str, hint: str = "") -> ImportResult:
    """``result``, or the errors of its incomplete forms, or ``none_found``."""
    problems = [problem for found in result.evaluations for problem in incomplete(found)]
    if problems:
        raise SiteBuilderError(problems)
    if not result.evaluations:
        raise SiteBuilderError([error(
            result.source, none_found,
            hint or _("The form needs its indicator header (三级指标, 年度指标值, 实际完成值, "
                      "分值, 得分)"),
            code="no-table")])
    return result

"""The official three-level form as an Excel workbook (``.xlsx``).

Each sheet holds one or more tables as offices fill them in::

    A1  祁连县阿柔乡人民政府2023年部门预算项目支出绩效目标公开表          (title, merged)
    A2  单位编码 | 单位及项目名称 | 金额（万元） | 绩效目标 | 绩效指标         (header, two rows)
    A3                                              | 一级指标 | 二级指标 | 三级指标 | 指标值
    A4         | 合计 | 3.28
    A5  002001 | 乡级人大代表活动经费 | 3.28 | 目标：… | 产出指标 | 数量指标 | 组织召开专委会 | 5次
    A6                                      | (merged) | (merged) | 组织召开人大代表会议 | 3次
    A20 备注：1.各单位请根据实际情况…

Columns are found by their header text, wherever the header stands; 一级/二级 cells merged over
several rows (or left blank below a filled one) apply to every row they span.  A new project
starts where the 单位及项目名称 column has a new cell.  Text is read as displayed in Excel.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from site_builder.categories import canonical_level2
from site_builder.diagnostics import Diagnostic, Position, SiteBuilderError
from site_builder.i18n import _
from site_builder.importers.base import (
    CategoryState,
    ImportResult,
    Numbering,
    parse_amount,
    project_id,
)
from site_builder.importers.kinds import SELF_EVALUATION, form_of_row, refusal
from site_builder.importers.residue import TITLE, region_of, split_goals
from site_builder.importers.xlsx_parts import BadWorkbook, Package
from site_builder.importers.xlsx_sheet import (
    SheetCell,
    bad_workbook,
    cell_position,
    open_workbook,
    sheet_rows,
)
from site_builder.limits import DEFAULT_LIMITS, InputLimits
from site_builder.model import Indicator, Project, Unit

NAME = "xlsx"
SUFFIXES = (".xlsx", ".xlsm", ".xls")
"""File name endings read as Excel workbooks (.xls only to say it must be saved as .xlsx)."""
REPEATS = 500
"""Findings of one kind listed one by one per workbook; the rest are counted in one line."""
NOTE_PREFIX = "附注："
"""Rows below a table starting with this carry the project's notes (written by the export)."""
HEADERS: dict[str, str] = {
    "单位编码": "code", "单位代码": "code", "单位及项目名称": "name", "项目名称": "name",
    "金额(万元)": "amount", "金额": "amount", "资金(万元)": "amount", "绩效目标": "goals",
    "年度绩效目标": "goals", "一级指标": "level1", "二级指标": "level2", "三级指标": "name3",
    "指标值": "value", "绩效指标": "", "序号": "index",
}
"""Header texts (white space removed, parentheses half-width) and the column each names."""
SUMMARY_TITLE = "预算单位汇总"
"""Title of the export's first sheet, which lists the units (parent code, declared total)."""
SUMMARY_HEADERS: dict[str, str] = {
    "年度": "year", "单位编码": "code", "单位名称": "name", "上级单位编码": "parent",
    "单位合计(万元)": "total",
}
"""Header texts of the unit summary sheet and the field each column holds."""
_YEAR = re.compile(r"(?P<year>(?:19|20)\d{2})\s*年")


def normalised(text: str) -> str:
    return "".join(text.split()).replace("（", "(").replace("）", ")")


@dataclass
class _Draft:
    """A project while its rows are being read."""

    year: str
    code: str
    unit_name: str
    title: str
    name: str
    amount: Decimal
    pos: Position
    source: str
    goals: list[str] = field(default_factory=list)
    indicators: list[Indicator] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    table_total: str | None = None
    remark: str = ""
    state: CategoryState = field(default_factory=CategoryState)


@dataclass
class _Sheet:
    """What is in force while reading down one sheet."""

    name: str
    title: str = ""
    year: str = ""
    unit_name: str = ""
    columns: dict[str, int] = field(default_factory=dict)
    draft: _Draft | None = None
    pending_total: str | None = None
    pending_notes: list[SheetCell] = field(default_factory=list)
    last_code: str = ""
    projects: list[_Draft] = field(default_factory=list)
    summary: dict[str, int] = field(default_factory=dict)


class _Counts:
    """What is counted across the sheets of one workbook: projects (against
    ``limit_projects``) and findings of each kind (the first :data:`REPEATS` of a kind are
    listed, the others counted in one line, so that a sheet of a million stray cells costs
    one line, not a million)."""

    def __init__(self, result: ImportResult) -> None:
        self.result = result
        self.projects = 0
        self.by_code: dict[str, int] = {}
        self.worst: dict[str, str] = {}

    def add(self, diagnostic: Diagnostic) -> None:
        if self.listed(diagnostic.code, diagnostic.severity):
            self.result.diagnostics.append(diagnostic)

    def listed(self, code: str, severity: str) -> bool:
        """Count a finding; True while its kind is listed one by one."""
        seen = self.by_code[code] = self.by_code.get(code, 0) + 1
        if seen <= REPEATS:
            return True
        if severity == "error" or code not in self.worst:
            self.worst[code] = severity
        return False

    def repeats(self, shown: str) -> list[Diagnostic]:
        """One line for each kind of finding that was listed only :data:`REPEATS` times."""
        return [Diagnostic(Position(shown), severity,  # type: ignore[arg-type]
                           _("{count} more findings of the same kind ({code}) are not listed "
                             "one by one").format(count=self.by_code[code] - REPEATS, code=code),
                           _("The first {shown} are listed above; correct them and import again "
                             "to see the rest").format(shown=REPEATS), code)
                for code, severity in self.worst.items()]


@dataclass(frozen=True)
class _UnitRow:
    """A unit as the summary sheet lists it."""

    name: str
    parent_code: str
    declared_total: Decimal | None


def read(path: Path, shown: str, limits: InputLimits = DEFAULT_LIMITS,
         skip_evaluations: bool = False) -> ImportResult:
    """Every project table in every sheet of the workbook at ``path``, within ``limits``.

    A 项目支出绩效自评表 is refused; with ``skip_evaluations`` a sheet is read only down to the
    row where one starts (for a workbook holding both forms, whose 自评表 are read by
    :mod:`site_builder.importers.evaluation_form`)."""
    package = open_workbook(path, shown, limits)
    try:
        return _read(package, path.name, limits, skip_evaluations)
    except BadWorkbook as exc:
        raise bad_workbook(shown, exc) from None
    finally:
        package.close()


def _read(package: Package, file_name: str, limits: InputLimits, skip_evaluations: bool
          ) -> ImportResult:
    shown = package.shown
    result = ImportResult(shown, NAME)
    drafts: list[_Draft] = []
    units: dict[tuple[str, str], _UnitRow] = {}
    counts = _Counts(result)
    for sheet in package.sheets:
        reader = _SheetReader(_Sheet(sheet.name), shown, file_name, result, drafts, units,
                              limits, counts)
        for _row_number, cells in sheet_rows(package, sheet, counts.add):
            if skip_evaluations and _starts_evaluation(cells):
                break
            reader.row(cells)
        reader.close_sheet()
    result.diagnostics.extend(counts.repeats(shown))
    if not drafts and not any(d.severity == "error" for d in result.diagnostics):
        result.report(Position(shown), "error", _("No project table was found in the workbook"),
                      _("Each table needs the header row of the official form (单位及项目名称, "
                        "一级指标, 二级指标, 三级指标, 指标值)"), "no-table")
    errors = [d for d in result.diagnostics if d.severity == "error"]
    if errors:
        raise SiteBuilderError(errors)
    _finish(drafts, units, result)
    return result


def _starts_evaluation(cells: list[SheetCell]) -> bool:
    """Whether a row is the title or a header of a 项目支出绩效自评表."""
    form = form_of_row(c.text for c in cells)
    return form is not None and form.name == SELF_EVALUATION


def read_tables(tables: Iterable[tuple[str, Iterable[list[SheetCell]]]], result: ImportResult,
                file_name: str, place: Callable[[str, str], str],
                limits: InputLimits = DEFAULT_LIMITS) -> ImportResult:
    """The projects of tables given as rows of cells, read as the rows of a sheet are.

    Other readers of the official form (Word documents) turn their tables into
    :class:`SheetCell` rows (the non-empty cells that are not covered by a merge from a row
    above, as a sheet gives them) and share this reading; ``place(table, ref)`` is how a cell
    is named in messages and in each project's ``source`` (``表2:5:3`` for Word).
    """
    drafts: list[_Draft] = []
    units: dict[tuple[str, str], _UnitRow] = {}
    counts = _Counts(result)
    for name, rows in tables:
        reader = _SheetReader(_Sheet(name), result.source, file_name, result, drafts, units,
                              limits, counts, place)
        for cells in rows:
            reader.row(cells)
        reader.close_sheet()
    result.diagnostics.extend(counts.repeats(result.source))
    errors = [d for d in result.diagnostics if d.severity == "error"]
    if errors:
        raise SiteBuilderError(errors)
    _finish(drafts, units, result)
    return result


class _SheetReader:
    """Reads the rows of one sheet into project drafts."""

    def __init__(self, sheet: _Sheet, shown: str, file_name: str, result: ImportResult,
                 drafts: list[_Draft], units: dict[tuple[str, str], _UnitRow],
                 limits: InputLimits, counts: _Counts,
                 place: Callable[[str, str], str] | None = None) -> None:
        self.sheet, self.shown, self.file_name = sheet, shown, file_name
        self.result, self.drafts, self.units = result, drafts, units
        self.limits, self.counts = limits, counts
        self.place = place
        self.max_projects = limits["limit_projects"]
        self.max_indicators = limits["limit_indicators"]

    def pos(self, cell: SheetCell) -> Position:
        if self.place is None:
            return cell_position(self.shown, self.sheet.name, cell.ref)
        return Position(f"{self.shown}:{self.place(self.sheet.name, cell.ref)}")

    def where(self, cell: SheetCell) -> str:
        """How the cell is named in a project's ``source``."""
        if self.place is None:
            return f"{self.sheet.name}!{cell.ref}"
        return self.place(self.sheet.name, cell.ref)

    def report(self, cell: SheetCell, severity: str, message: str, hint: str = "",
               code: str = "") -> None:
        if self.counts.listed(code, severity):
            self.result.report(self.pos(cell), severity, message, hint, code)

    def row(self, cells: list[SheetCell]) -> None:
        if other := form_of_row(c.text for c in cells):
            raise refusal(other, self.pos(cells[0]))
        first = cells[0].text
        keys = [normalised(c.text) for c in cells]
        if self.sheet.summary or "上级单位编码" in keys:
            self.summary_row(cells)
        elif first == SUMMARY_TITLE:
            pass
        elif len(cells) == 1 and self.is_title(cells[0]):
            self.title(cells[0])
        elif sum(1 for key in keys if key in HEADERS) >= 2:
            self.header(cells)
        elif "合计" in keys:
            self.total(cells)
        elif first.startswith("备注"):
            self.remark(cells)
        elif first.startswith(NOTE_PREFIX) and self.sheet.draft is not None:
            self.sheet.draft.notes.append(first.removeprefix(NOTE_PREFIX))
        elif self.cell_in(cells, "name") and "value" in self.sheet.columns:
            self.start_project(cells)
        elif self.sheet.draft is not None:
            self.indicator_row(cells)
        else:
            self.sheet.pending_notes.extend(cells)

    def is_title(self, cell: SheetCell) -> bool:
        """A lone cell naming the form (not a long goal text in the 绩效目标 column)."""
        if cell.col == self.sheet.columns.get("goals") and self.sheet.draft is not None:
            return False
        return bool(TITLE.match(cell.text)) or (
            "绩效目标" in cell.text and cell.text.endswith("表") and len(cell.text) <= 60)

    def summary_row(self, anchors: list[SheetCell]) -> None:
        if not self.sheet.summary:
            self.sheet.summary = {SUMMARY_HEADERS[normalised(c.text)]: c.col for c in anchors
                                  if normalised(c.text) in SUMMARY_HEADERS}
            return
        found = {role: next((c.text for c in anchors if c.col == col), "")
                 for role, col in self.sheet.summary.items()}
        if not (found.get("year") and found.get("code")):
            self.report(anchors[0], "warning",
                        _("A row of the unit summary without 年度 and 单位编码 was left out"),
                        code="unplaced-text")
            return
        total = found.get("total", "")
        declared = parse_amount(total) if total else None
        if total and declared is None:
            self.report(anchors[0], "warning",
                        _("The unit total {total} is not an amount; it was left "
                          "unset").format(total=total),
                        _("Write the total in 万元"), "no-amount")
        self.units[(found["year"], found["code"])] = _UnitRow(
            found.get("name", ""), found.get("parent", ""), declared)

    def cell_in(self, cells: list[SheetCell], role: str) -> SheetCell | None:
        col = self.sheet.columns.get(role)
        return next((c for c in cells if c.col == col), None)

    def title(self, cell: SheetCell) -> None:
        self.close_table()
        match = TITLE.match(cell.text)
        year = _YEAR.search(cell.text)
        self.sheet.title = cell.text
        self.sheet.year = match["year"] if match else year["year"] if year else ""
        self.sheet.unit_name = match["unit"] if match else ""
        self.sheet.columns = {}
        if not self.sheet.year:
            self.report(cell, "error",
                        _("The title does not name the budget year: {title}").format(
                            title=cell.text),
                        _("Write the title as in the official form, e.g. "
                          "祁连县阿柔乡人民政府2023年部门预算项目支出绩效目标公开表"), "no-year")
        elif not match:
            self.report(cell, "warning",
                        _("The title does not start with the unit's name; the unit is imported "
                          "without a name"),
                        _("Write it as <单位名称><年度>年部门预算项目支出绩效目标公开表"),
                        "no-unit-name")

    def header(self, anchors: list[SheetCell]) -> None:
        roles = {HEADERS[normalised(c.text)]: c.col for c in anchors
                 if HEADERS.get(normalised(c.text))}
        if "code" in roles or "name" in roles:
            self.close_table()
            self.sheet.columns = {}
        self.sheet.columns.update(roles)
        if any(normalised(c.text) == "合计" for c in anchors):
            self.total(anchors)

    def total(self, anchors: list[SheetCell]) -> None:
        index = next(i for i, c in enumerate(anchors) if normalised(c.text) == "合计")
        amount_col = self.sheet.columns.get("amount")
        following = anchors[index + 1:index + 2]
        amount = next((c for c in anchors if c.col == amount_col), None) if amount_col else (
            following[0] if following else None)
        text = amount.text if amount else ""
        draft = self.sheet.draft
        if draft is not None and draft.table_total is None and draft.indicators:
            draft.table_total = text
        else:
            self.sheet.pending_total = text

    def remark(self, anchors: list[SheetCell]) -> None:
        text = " ".join(c.text for c in anchors)
        target = self.sheet.draft or (self.sheet.projects[-1] if self.sheet.projects else None)
        if target is None:
            self.report(anchors[0], "warning", _("备注 without a project table was left out"),
                        code="unplaced-text")
            return
        target.remark = f"{target.remark} {text}".strip()

    def start_project(self, cells: list[SheetCell]) -> None:
        self.close_project()
        name = self.cell_in(cells, "name")
        assert name is not None
        code_cell = self.cell_in(cells, "code")
        code = code_cell.text if code_cell else self.sheet.last_code
        if code_cell and code_cell.number:
            self.report(code_cell, "info", _("The unit code {code} is stored as a number and was "
                                                   "read as displayed").format(code=code),
                        _("Format the code column as text so that leading zeros (002001) are "
                          "kept"), "numeric-code")
        if not code:
            self.report(name, "error", _("The project '{project}' has no 单位编码").format(
                project=name.text), _("Fill in the unit code in its row"), "no-code")
        if not self.sheet.title:
            self.report(name, "error",
                        _("There is no title row above the table of '{project}'").format(
                            project=name.text),
                        _("Add the form's title naming unit and year, e.g. "
                          "祁连县阿柔乡人民政府2023年部门预算项目支出绩效目标公开表"), "no-title")
        amount_cell = self.cell_in(cells, "amount")
        amount = parse_amount(amount_cell.text) if amount_cell else None
        if amount is None:
            self.report(amount_cell or name, "warning", (
                _("The project '{project}' has no readable amount ({amount}); 0 was "
                  "written").format(project=name.text, amount=amount_cell.text) if amount_cell
                else _("The project '{project}' has no amount (the cell is empty); 0 was "
                       "written").format(project=name.text)),
                _("Fill in the amount in 万元"), "no-amount")
        self.sheet.last_code = code
        draft = _Draft(year=self.sheet.year, code=code, unit_name=self.sheet.unit_name,
                       title=self.sheet.title, name=name.text, amount=amount or Decimal(0),
                       pos=self.pos(name), source=f"{self.file_name}:{self.where(name)}",
                       table_total=self.sheet.pending_total,
                       notes=[c.text for c in self.sheet.pending_notes])
        for cell in self.sheet.pending_notes:
            self.report(cell, "warning", _("Text outside any project table was kept as a note of "
                                              "the next project: {text}").format(
                                                  text=cell.text[:60]),
                        _("Remove it by hand if it is not part of the table"), "stray-text")
        self.sheet.pending_total, self.sheet.pending_notes = None, []
        self.sheet.draft = draft
        self.sheet.projects.append(draft)
        self.counts.projects += 1
        if self.counts.projects > self.max_projects:
            self.limits.check("limit_projects", self.counts.projects, self.pos(name))
        if self.sheet.year and code:
            self.drafts.append(draft)
        used = {self.sheet.columns.get(r) for r in ("code", "name", "amount")}
        self.indicator_row([c for c in cells if c.col not in used])

    def indicator_row(self, cells: list[SheetCell]) -> None:
        draft = self.sheet.draft
        if draft is None:
            return
        self.categories(cells, draft)
        columns = self.sheet.columns
        name = self.cell_in(cells, "name3")
        value = self.cell_in(cells, "value")
        for cell in cells:
            if cell.col in (columns.get("level1"), columns.get("level2"),
                                               columns.get("name3"), columns.get("value"),
                                               columns.get("index")):
                continue
            if cell.col == columns.get("goals"):
                draft.goals.extend(goals_of(cell.text))
                continue
            draft.notes.append(cell.text)
            self.report(cell, "warning", _("A cell outside the form's columns was kept as a note: "
                                              "{text}").format(text=cell.text[:60]),
                        _("Move it into the table or remove it"),
                        "unplaced-text")
        if name is None and value is None:
            return
        if value is None and name is not None:
            self.report(name, "warning", _("The indicator has no value: {name}").format(
                name=name.text), _("Add its 指标值 if the form has one"), "no-value")
        if name is None and value is not None:
            self.report(value, "warning", _("The 指标值 {value} has no 三级指标 name").format(
                value=value.text), _("Add the indicator's name"), "no-name")
        where = name or value
        assert where is not None
        if len(draft.indicators) >= self.max_indicators:
            self.limits.check("limit_indicators", len(draft.indicators) + 1, self.pos(where))
        draft.indicators.append(draft.state.indicator(
            name.text if name else "", value.text if value else "", self.pos(where)))

    def categories(self, cells: list[SheetCell], draft: _Draft) -> None:
        state = draft.state
        level1 = self.cell_in(cells, "level1")
        if level1 is not None:
            state.level1, state.level2 = level1.text, ""
        level2 = self.cell_in(cells, "level2")
        if level2 is None:
            return
        if not state.level1 and canonical_level2(level2.text):
            inferred = state.apply(level2.text)
            if inferred:
                self.report(level2, "info", inferred, code="inferred-category")
        else:
            state.level2 = level2.text

    def close_project(self) -> None:
        self.sheet.draft = None

    def close_sheet(self) -> None:
        self.close_table()
        for cell in self.sheet.pending_notes:
            self.report(cell, "warning", _("Text after the last project table was not imported: "
                                              "{text}").format(text=cell.text[:60]),
                        _("Move it into a table if it belongs to a project"), "stray-text")

    def close_table(self) -> None:
        draft = self.sheet.draft
        if self.sheet.pending_total is not None and draft and draft.table_total is None:
            draft.table_total = self.sheet.pending_total
        self.sheet.pending_total = None
        self.close_project()


def goals_of(text: str) -> list[str]:
    """The goals in a 绩效目标 cell: one per line and per ``目标N：`` marker."""
    return [goal for line in text.splitlines() for goal in split_goals(line)]


def _finish(drafts: list[_Draft], units: dict[tuple[str, str], _UnitRow],
            result: ImportResult) -> None:
    numbering = Numbering()
    for draft in drafts:
        number = numbering.next(draft.year, draft.code)
        if number == 1:
            listed = units.get((draft.year, draft.code), _UnitRow("", "", None))
            name = draft.unit_name or listed.name
            result.units.append(Unit(code=draft.code, year=draft.year, name=name,
                                     region=region_of(name), title=draft.title,
                                     parent_code=listed.parent_code,
                                     declared_total=listed.declared_total, pos=draft.pos))
        result.projects.append(Project(
            id=project_id(draft.year, draft.code, number), year=draft.year,
            unit_code=draft.code, name=draft.name, amount=draft.amount,
            goals=tuple(draft.goals), indicators=tuple(draft.indicators),
            notes=tuple(draft.notes), table_total=draft.table_total, remark=draft.remark,
            source=draft.source, pos=draft.pos))


__all__ = ["NAME", "NOTE_PREFIX", "SUFFIXES", "SUMMARY_TITLE", "read", "read_tables"]

"""The three-level layout: one table per project, 一级/二级/三级指标 and 指标值 columns.

Example (祁连县阿柔乡人民政府 2023)::

    祁连县阿柔乡人民政府2023年部门预算项目支出绩效目标公开表
    单位编码  单位及项目名称  金额 (万元)  绩效目标  绩效指标
              合计  3.28        一级指标  二级指标  三级指标  指标值
    002001    乡级人大代表活动经费  3.28  目标：…  产出指标  数量指标  组织召开专委会  5次
                                                           组织召开人大代表会议  3次
    备注：1.各单位请根据实际情况…

Row spans in the PDF shift cells left on the rows below, so cells are read by what they
say, not by their column: known category names set the 一级/二级 in force (as a row span
would), the remaining cells are the 三级 name and the 指标值.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from site_builder.diagnostics import Position
from site_builder.i18n import _
from site_builder.importers.base import (
    AMOUNT,
    CategoryState,
    ImportResult,
    Numbering,
    looks_like_value,
    parse_amount,
    project_id,
    split_glued_value,
)
from site_builder.importers.residue import (
    TITLE,
    Cell,
    clean,
    paragraphs,
    region_of,
    split_cells,
    split_goals,
)
from site_builder.importers.textfile import split_lines
from site_builder.model import Indicator, Project, Unit

NAME = "three-level"
HEADER_WORDS = frozenset({"单位编码", "单位及项目名称", "金额 (万元)", "金额(万元)", "绩效目标",
                          "绩效指标", "一级指标", "二级指标", "三级指标", "指标值"})


def detect(text: str) -> int:
    """How sure we are that ``text`` has this layout (0 = not at all)."""
    return 10 if "一级指标" in text and "三级指标" in text and "指标值" in text else 0


@dataclass
class _Draft:
    """A project while its table is being read."""

    code: str
    name: str
    amount: Decimal
    goals: list[str]
    pos: Position
    table_total: str | None
    indicators: list[Indicator] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    remark: str = ""
    state: CategoryState = field(default_factory=CategoryState)
    last: Position | None = None
    """The last row read into the project (where a cut-off table ends)."""


@dataclass
class _Block:
    """One published table: its title and what precedes the project row."""

    title: str = ""
    year: str = ""
    unit_name: str = ""
    table_total: str | None = None
    stray: list[tuple[str, Position]] = field(default_factory=list)
    draft: _Draft | None = None


@dataclass
class _PendingTitle:
    """A title line met while a table is still open: a new table, or a page's repeated title.

    The rows after it are held until one decides: a project row starts a new table, an
    indicator row or a 备注 continues the open one (the title was page furniture).
    """

    line: str
    pos: Position
    year: str
    unit_name: str
    held: list[tuple[int, str]] = field(default_factory=list)


def parse(text: str, source: str) -> ImportResult:
    reader = _Reader(source)
    for number, line in enumerate(split_lines(text), 1):
        reader.line(number, line)
    reader.close()
    _finish(reader.drafts, reader.result)
    return reader.result


class _Reader:
    """Reads the lines of a three-level text table into project drafts."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.result = ImportResult(source, NAME)
        self.block = _Block()
        self.drafts: list[tuple[_Block, _Draft]] = []
        self.pending: _PendingTitle | None = None

    def line(self, number: int, line: str) -> None:
        cells = split_cells(line, self.source, number)
        if not cells:
            return
        if self.pending is not None:
            self.hold(number, line, cells)
            return
        if match := TITLE.match(line.strip()):
            title = _PendingTitle(line.strip(), cells[0].pos, match["year"], match["unit"])
            draft = self.block.draft
            if draft is not None and not draft.remark:
                self.pending = title
            else:
                self.new_block(title)
            return
        self.row(number, line, cells)

    def hold(self, number: int, line: str, cells: list[Cell]) -> None:
        """A row after a title met inside an open table: held until the title is understood."""
        assert self.pending is not None
        raw = line.split("\t")
        if _is_project_row(line) and not self.same_project(raw):
            self.resolve(new_table=True)
        elif (cells[0].text.startswith("备注") or TITLE.match(line.strip())
              or (_first_filled(raw) >= 4 and not all(c.text in HEADER_WORDS for c in cells))
              or (_is_project_row(line) and self.same_project(raw))):
            self.resolve(new_table=False)
        else:
            self.pending.held.append((number, line))
            return
        self.line(number, line)

    def resolve(self, new_table: bool) -> None:
        pending, self.pending = self.pending, None
        assert pending is not None
        if new_table:
            self.new_block(pending)
        else:
            self.result.report(pending.pos, "info",
                               _("A title repeated inside the table (at a page break) was "
                                 "skipped: {text}").format(
                                 text=pending.line[:60]),
                               code="repeated-title")
        for number, line in pending.held:
            self.line(number, line)

    def new_block(self, title: _PendingTitle) -> None:
        self.close_block()
        self.block = _Block(title.line, title.year, title.unit_name)

    def same_project(self, raw: list[str]) -> bool:
        draft = self.block.draft
        return draft is not None and (raw[0].strip(), clean(raw[1])) == (draft.code, draft.name)

    def row(self, number: int, line: str, cells: list[Cell]) -> None:
        block, result = self.block, self.result
        draft = block.draft
        if cells[0].text.startswith("备注"):
            _remark(block, clean(line), cells[0].pos, result)
        elif any(c.text == "合计" for c in cells):
            if draft is not None and draft.indicators:
                result.report(cells[0].pos, "info",
                              _("A header repeated inside the table (with its 合计 row, "
                                "at a page break) was skipped"),
                              code="repeated-header")
            else:
                block.table_total = _total(cells)
        elif all(c.text in HEADER_WORDS for c in cells):
            if draft is not None and draft.indicators:
                result.report(cells[0].pos, "info",
                              _("A header repeated inside the table (at a page break) "
                                "was skipped"),
                              code="repeated-header")
        elif _is_project_row(line) and draft is not None and self.same_project(line.split("\t")):
            result.report(cells[0].pos, "info",
                          _("The code, name and amount of the project '{project}' "
                            "appear again at a page break; read as the same "
                            "project going on").format(project=draft.name),
                          code="continued-project")
            _read_row(cells[4:] if len(line.split("\t")) > 4 else [], draft, result,
                      skip_before=_indicator_col(line))
            draft.last = cells[-1].pos
        elif _is_project_row(line):
            if draft is not None:  # a second project under the same title
                self.block = block = _Block(block.title, block.year, block.unit_name,
                                            block.table_total)
            block.draft = draft = _start_project(line, self.source, number, block, result)
            self.place_stray(block, draft)
            self.drafts.append((block, draft))
            _read_row(cells[4:] if len(line.split("\t")) > 4 else [], draft, result,
                      skip_before=_indicator_col(line))
            draft.last = cells[-1].pos
        elif draft is not None:
            _read_row(cells, draft, result)
            draft.last = cells[-1].pos
        else:
            block.stray.append((clean(line), cells[0].pos))

    def place_stray(self, block: _Block, draft: _Draft) -> None:
        """Stray text before a project row becomes that project's note."""
        for text, pos in block.stray:
            draft.notes.append(text)
            self.result.report(pos, "warning",
                               _("Stray text before the project row was kept as a note of "
                                 "'{project}': {text}").format(project=draft.name,
                                 text=text),
                               _("Remove it by hand if it is not part of the table"),
                               "stray-text")
        block.stray = []

    def close_block(self) -> None:
        """Stray text of a table that had no project row: a note of the project before it."""
        previous = self.drafts[-1][1] if self.drafts else None
        for text, pos in self.block.stray:
            if previous is None:
                self.result.report(pos, "warning",
                                   _("Text before the table was not imported (there is no "
                                     "project before it to note it on): "
                                     "{text}").format(text=text[:60]),
                                   _("If it belongs to a project, add it by hand"),
                                   "stray-text")
                continue
            previous.notes.append(text)
            self.result.report(pos, "warning",
                               _("Text in a table without a project row was kept as a "
                                 "note of the project before it, '{project}': "
                                 "{text}").format(project=previous.name,
                                 text=text[:60]),
                               _("If it does not belong to that project, delete it by hand"),
                               "stray-text")
        self.block.stray = []

    def close(self) -> None:
        if self.pending is not None:
            held = self.pending.held
            self.resolve(new_table=any(_is_project_row(line) for _, line in held))
        self.close_block()


def _first_filled(raw: list[str]) -> int:
    """Index of the first non-empty cell of a split line (its length when there is none)."""
    return next((i for i, cell in enumerate(raw) if cell.strip()), len(raw))


def _indicator_col(line: str) -> int:
    """Column (1-based) where the indicator cells of a project row start."""
    return sum(len(c) + 1 for c in line.split("\t")[:4]) + 1


def _is_project_row(line: str) -> bool:
    raw = line.split("\t")
    return (len(raw) >= 3 and raw[0].strip().isdigit() and bool(raw[1].strip())
            and bool(AMOUNT.match(raw[2].strip())))


def _total(cells: list[Cell]) -> str:
    index = next(i for i, c in enumerate(cells) if c.text == "合计")
    following = cells[index + 1].text if index + 1 < len(cells) else ""
    return following if AMOUNT.match(following) else ""


def _remark(block: _Block, text: str, pos: Position, result: ImportResult) -> None:
    if block.draft is None:
        result.report(pos, "warning", _("备注 without a project table"), code="unplaced-text")
        return
    block.draft.remark = f"{block.draft.remark} {text}".strip()


def _start_project(line: str, source: str, number: int, block: _Block,
                   result: ImportResult) -> _Draft:
    raw = line.split("\t")
    goals = split_goals(raw[3]) if len(raw) > 3 else []
    draft = _Draft(code=raw[0].strip(), name=clean(raw[1]), amount=parse_amount(raw[2]) or
                   Decimal(0), goals=goals, pos=Position(source, number, 1),
                   table_total=block.table_total)
    if block.table_total is None:
        result.report(draft.pos, "info", _("The table of '{project}' has no 合计 row").format(
            project=draft.name),
                      code="no-total-row")
    return draft


def _read_row(cells: list[Cell], draft: _Draft, result: ImportResult,
              skip_before: int = 0) -> None:
    cells = [c for c in cells if c.pos.col >= skip_before]
    state = draft.state
    taken: list[tuple[Cell, tuple[str, str], str]] = []
    for cell in cells:
        before = (state.level1, state.level2)
        inferred = state.apply(clean(cell.text))
        if inferred is None:
            break
        taken.append((cell, before, inferred))
    rest = cells[len(taken):]
    if (len(rest) == 1 and taken and "<p>" not in rest[0].text
            and looks_like_value(clean(rest[0].text))):
        cell, before, _inferred = taken.pop()
        state.level1, state.level2 = before
        rest = [cell, *rest]
        result.report(cell.pos, "info",
                      _("'{text}' stands where a category would, followed by a value "
                        "only: read as the indicator's name").format(
                        text=clean(cell.text)),
                      code="name-in-category-column")
    for cell, _before, inferred in taken:
        if inferred:
            result.report(cell.pos, "info", inferred, code="inferred-category")
    if rest:
        _indicators(rest, draft, result)


def _indicators(rest: list[Cell], draft: _Draft, result: ImportResult) -> None:
    if len(rest) == 1:
        for text in paragraphs(rest[0].text):
            _single(text, rest[0].pos, draft, result)
        return
    name_cell, value_cell, middle = rest[0], rest[-1], rest[1:-1]
    for cell in middle:
        draft.notes.append(clean(cell.text))
        result.report(cell.pos, "warning", _("An extra cell was kept as a note: {text}").format(
            text=clean(cell.text)),
                      code="unplaced-text")
    names, values = paragraphs(name_cell.text), paragraphs(value_cell.text)
    if len(names) != len(values):
        result.report(name_cell.pos, "warning",
                      _("{names} indicator names but {values} values in one row; "
                        "paired in order").format(names=len(names),
                        values=len(values)),
                      code="uneven-row")
    for index in range(max(len(names), len(values))):
        name = names[index] if index < len(names) else ""
        value = values[index] if index < len(values) else ""
        draft.indicators.append(draft.state.indicator(name, value, name_cell.pos))


def _single(text: str, pos: Position, draft: _Draft, result: ImportResult) -> None:
    if glued := split_glued_value(text):
        result.report(pos, "info", _("The value '{value}' was glued to the name '{name}'").format(
            value=glued[1], name=glued[0]),
                      code="glued-value")
        draft.indicators.append(draft.state.indicator(glued[0], glued[1], pos))
        return
    result.report(pos, "warning", _("The indicator has no value: {name}").format(name=text),
                  _("Add its 指标值 by hand if the published table has one"), "no-value")
    draft.indicators.append(draft.state.indicator(text, "", pos))


def _cut_off(drafts: list[tuple[_Block, _Draft]], result: ImportResult) -> None:
    """Warn about tables that end early: no indicators, or no 备注 where the others have one."""
    with_remark = sum(1 for _block, draft in drafts if draft.remark)
    for _block, draft in drafts:
        if not draft.indicators:
            result.report(draft.pos, "warning",
                          _("No performance indicator was read for the project "
                            "'{project}'; the table may be cut "
                            "off").format(project=draft.name),
                          _("Check the original table, complete it and import again"),
                          "cut-off")
        elif with_remark and not draft.remark:
            result.report(draft.last or draft.pos, "warning",
                          _("The table of the project '{project}' ends "
                            "without a 备注 row (the other "
                            "{count} tables have one); the "
                            "table may be cut off "
                            "here").format(
                            project=draft.name,
                            count=with_remark),
                          _("Check the original table, complete the part that was cut off and "
                            "import again"), "cut-off")


def _finish(drafts: list[tuple[_Block, _Draft]], result: ImportResult) -> None:
    _cut_off(drafts, result)
    numbering = Numbering()
    for block, draft in drafts:
        number = numbering.next(block.year, draft.code)
        if number == 1:
            result.units.append(Unit(code=draft.code, year=block.year, name=block.unit_name,
                                     region=region_of(block.unit_name), title=block.title,
                                     pos=draft.pos))
        result.projects.append(Project(
            id=project_id(block.year, draft.code, number), year=block.year,
            unit_code=draft.code, name=draft.name, amount=draft.amount,
            goals=tuple(draft.goals), indicators=tuple(draft.indicators),
            notes=tuple(draft.notes), table_total=draft.table_total, remark=draft.remark,
            source=f"{draft.pos.path}:{draft.pos.line}", pos=draft.pos))
    for unit in result.units:
        result.report(unit.pos, "info", _("The tables of the unit {code} ({year}) declare no unit "
                                            "total; declared_total was left unset").format(
                                                code=unit.code, year=unit.year),
                      code="no-unit-total")

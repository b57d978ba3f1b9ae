"""The flat layout: one row per project, goals and indicators as lists in two cells.

Example (门源县青石嘴镇政府 2021)::

    单位编码  单位及项目名称  金额 (万元)  绩效目标  绩效指标
    703001    门源县青石嘴镇政府  448.68
              维稳经费  2.89  <p>目标一：…</p>  <p>一、产出指标</p> <p>(一)数量指标：</p> …
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from site_builder.diagnostics import Position
from site_builder.i18n import _
from site_builder.importers.base import (
    CategoryState,
    ImportResult,
    Numbering,
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

NAME = "flat"
_HEADER = ("单位编码", "单位及项目名称")
_HEADING = re.compile(r"^(?P<mark>[一二三四五六七八九十]+、|[(（][一二三四五六七八九十]+[)）])\s*"
                      r"(?P<name>[^\s:：]+)\s*[:：]?\s*(?P<rest>.*)$")
_ITEM_SPLIT = re.compile(r"\s+(?=[一二三四五六七八九十]+、|[(（][一二三四五六七八九十]+[)）]|"
                         r"\d{1,2}\s*[.．、](?!\d))")
_NUMBERING = re.compile(r"^(?P<mark>\d{1,2})(?P<dot>\s*[.．、]\s*|(?=[\u4e00-\u9fff]))")
_NAME_VALUE = re.compile(r"^(?P<name>.+?)\s+(?P<value>(?:[≥≤<>=≈≦≧≒≅]\s*)?\S+)$")


def detect(text: str) -> int:
    """How sure we are that ``text`` has this layout (0 = not at all)."""
    if "单位及项目名称" not in text or "一级指标" in text:
        return 0
    return 10 if re.search(r"一、\s*产出指标", text) else 1


@dataclass
class _Row:
    """A project row, with the rows that continue it after a page break."""

    unit: Unit
    """The unit row above it."""
    number: int
    """Its position within the unit."""
    cells: list[Cell]
    """The row's own non-empty cells (name, amount, goals, indicators …)."""
    goals: list[Cell] = field(default_factory=list)
    """Cells of the 绩效目标 column, its own and those of continuation rows."""
    indicators: list[Cell] = field(default_factory=list)
    """Cells of the 绩效指标 column, its own and those of continuation rows."""
    extra: list[Cell] = field(default_factory=list)
    """Cells beyond the form's columns."""


def parse(text: str, source: str) -> ImportResult:
    result = ImportResult(source, NAME)
    title = year = ""
    unit: Unit | None = None
    numbering = Numbering()
    rows: list[_Row] = []
    headers = 0
    for number, line in enumerate(split_lines(text), 1):
        cells = split_cells(line, source, number)
        if not cells:
            continue
        if match := TITLE.match(line.strip()):
            title, year = line.strip().lstrip("#").strip(), match["year"]
            continue
        if cells[0].text in _HEADER:
            headers += 1
            if headers > 1:
                result.report(cells[0].pos, "info",
                              _("A repeated header (at a page break) was skipped"),
                              code="repeated-header")
            continue
        if re.fullmatch(r"\d+", cells[0].text):
            unit = _unit_row(cells, year, title, unit, result)
            continue
        if unit is None:
            result.report(cells[0].pos, "warning",
                          _("Text before the first unit row was not imported: {text}").format(
                              text=clean(line)[:60]),
                          _("If it is part of the table, add it by hand"), "unplaced-text")
            continue
        raw = line.split("\t")
        if rows and len(raw) > 3 and not any(r.strip() for r in raw[:3]):
            _continue(rows[-1], raw, cells, result)
            continue
        rows.append(_Row(unit, numbering.next(unit.year, unit.code), cells, cells[2:3],
                         cells[3:4], cells[4:]))
    result.projects.extend(_project(row, result) for row in rows)
    if rows:
        _cut_off(rows[-1], result)
    return result


def _continue(row: _Row, raw: list[str], cells: list[Cell], result: ImportResult) -> None:
    """A row with no code, name or amount: the project above goes on (a page break)."""
    result.report(cells[0].pos, "info",
                  _("A row without a project name and amount was read as going on from the "
                    "project before it, '{project}' (a row continued at a page "
                    "break)").format(project=clean(row.cells[0].text)), code="continued-row")
    by_column = iter(cells)
    for index, text in enumerate(raw):
        if not text.strip():
            continue
        cell = next(by_column)
        if index == 3:
            row.goals.append(cell)
        elif index == 4:
            row.indicators.append(cell)
        else:
            row.extra.append(cell)


def _cut_off(row: _Row, result: ImportResult) -> None:
    """Warn when the last project row looks cut off (no indicator cell, or an open <p>)."""
    name = clean(row.cells[0].text)
    last = (row.indicators or row.goals or row.cells)[-1]
    if not row.indicators:
        result.report(last.pos, "warning",
                      _("The last project, '{project}', has no performance indicator column; "
                        "the table may be cut off here").format(project=name),
                      _("Check the original table, complete it and import again"), "cut-off")
    elif last.text.count("<p>") > last.text.count("</p>"):
        result.report(last.pos, "warning",
                      _("A cell of the last project, '{project}', ends in the middle of a "
                        "paragraph; the table may be cut off here").format(project=name),
                      _("Check the original table, complete it and import again"), "cut-off")


def _unit_row(cells: list[Cell], year: str, title: str, previous: Unit | None,
              result: ImportResult) -> Unit:
    code, name = cells[0].text, clean(cells[1].text) if len(cells) > 1 else ""
    total = parse_amount(cells[2].text) if len(cells) > 2 else None
    parent = previous.code if previous and code.startswith(previous.code) else ""
    unit = Unit(code=code, year=year, name=name, region=region_of(name), parent_code=parent,
                declared_total=total, title=title, pos=cells[0].pos)
    if parent:
        result.units = [u for u in result.units if u.code != parent]
        result.report(cells[0].pos, "info",
                      _("The unit {code} is part of the department {parent}; its projects are "
                        "filed under {code}").format(code=code, parent=parent),
                      code="parent-unit")
    result.units.append(unit)
    return unit


def _project(row: _Row, result: ImportResult) -> Project:
    name, amount_cell = row.cells[0], row.cells[1] if len(row.cells) > 1 else None
    amount = parse_amount(amount_cell.text) if amount_cell else None
    notes: list[str] = []
    if amount is None:
        result.report(name.pos, "warning",
                      _("The project '{project}' has no readable amount; 0 was "
                        "written").format(project=clean(name.text)),
                      _("Fill in the amount from the published table"),
                      "no-amount")
    goals = [goal for cell in row.goals for goal in split_goals(cell.text)]
    indicators = _indicators(row.indicators, result, notes)
    for extra in row.extra:
        notes.append(clean(extra.text))
        result.report(extra.pos, "warning",
                      _("An extra cell after the indicators was kept as a note"),
                      code="unplaced-text")
    unit = row.unit
    return Project(
        id=project_id(unit.year, unit.code, row.number), year=unit.year, unit_code=unit.code,
        name=clean(name.text), amount=amount if amount is not None else Decimal(0),
        goals=tuple(goals), indicators=tuple(indicators), notes=tuple(notes),
        source=f"{name.pos.path}:{name.pos.line}", pos=name.pos,
    )


def _items(cell: Cell) -> list[str]:
    items: list[str] = []
    for paragraph in paragraphs(cell.text):
        items.extend(part.strip() for part in _ITEM_SPLIT.split(paragraph) if part.strip())
    return items


def _indicators(cells: list[Cell], result: ImportResult,
                notes: list[str]) -> list[Indicator]:
    state = CategoryState()
    indicators: list[Indicator] = []
    for cell, item in ((c, item) for c in cells for item in _items(c)):
        heading = _HEADING.match(item)
        if heading and (inferred := state.apply(heading["name"])) is not None:
            if inferred:
                result.report(cell.pos, "info", f"{inferred} ({item})", code="inferred-category")
            elif heading["mark"].startswith(("(", "（")) and state.level2 == "":
                result.report(cell.pos, "info",
                              _("'{item}' is numbered as a 二级 but names an 一级; read as 一级 "
                                "'{name}'").format(item=item, name=heading["name"]),
                              code="inferred-category")
            if not heading["rest"]:
                continue
            item = heading["rest"]
        indicator = _indicator(item, state, cell.pos, result)
        if not indicator.level1:
            notes.append(item)
            result.report(cell.pos, "warning",
                          _("An indicator before any 一级 heading: {item}").format(item=item),
                          _("Add its category by hand"), "uncategorised")
        indicators.append(indicator)
    return indicators


def _indicator(item: str, state: CategoryState, pos: Position,
               result: ImportResult) -> Indicator:
    numbering = _NUMBERING.match(item)
    if numbering:
        if not numbering["dot"]:
            result.report(pos, "info",
                          _("Numbering without a dot was read as numbering: {item}").format(
                              item=item),
                          code="numbering")
        item = item[numbering.end():]
    if match := _NAME_VALUE.match(item):
        return state.indicator(match["name"], match["value"], pos)
    if glued := split_glued_value(item):
        result.report(pos, "info",
                      _("The value '{value}' was glued to the name '{name}'").format(
                          value=glued[1], name=glued[0]),
                      code="glued-value")
        return state.indicator(glued[0], glued[1], pos)
    result.report(pos, "warning", _("The indicator has no value: {name}").format(name=item),
                  _("Add its 指标值 by hand if the published table has one"), "no-value")
    return state.indicator(item, "", pos)

"""The flat layout: one row per project, goals and indicators as lists in two cells.

Example (门源县青石嘴镇政府 2021)::

    单位编码  单位及项目名称  金额 (万元)  绩效目标  绩效指标
    703001    门源县青石嘴镇政府  448.68
              维稳经费  2.89  <p>目标一：…</p>  <p>一、产出指标</p> <p>(一)数量指标：</p> …
"""

from __future__ import annotations

import re

from site_builder.diagnostics import Position
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


def parse(text: str, source: str) -> ImportResult:
    result = ImportResult(source, NAME)
    title = year = ""
    unit: Unit | None = None
    numbering = Numbering()
    for number, line in enumerate(text.splitlines(), 1):
        cells = split_cells(line, source, number)
        if not cells:
            continue
        if match := TITLE.match(line.strip()):
            title, year = line.strip().lstrip("#").strip(), match["year"]
            continue
        if cells[0].text in _HEADER:
            continue
        if re.fullmatch(r"\d+", cells[0].text):
            unit = _unit_row(cells, year, title, unit, result)
            continue
        if unit is None:
            result.report(cells[0].pos, "warning", f"text before any unit row was kept as "
                          f"nothing could place it: {clean(line)[:60]}", "check the source",
                          "unplaced-text")
            continue
        position = numbering.next(unit.year, unit.code)
        result.projects.append(_project_row(cells, unit, position, result))
    return result


def _unit_row(cells: list[Cell], year: str, title: str, previous: Unit | None,
              result: ImportResult) -> Unit:
    code, name = cells[0].text, clean(cells[1].text) if len(cells) > 1 else ""
    total = parse_amount(cells[2].text) if len(cells) > 2 else None
    parent = previous.code if previous and code.startswith(previous.code) else ""
    unit = Unit(code=code, year=year, name=name, region=region_of(name), parent_code=parent,
                declared_total=total, title=title, pos=cells[0].pos)
    if parent:
        result.units = [u for u in result.units if u.code != parent]
        result.report(cells[0].pos, "info", f"unit {code} is part of department {parent}; "
                      f"its projects are filed under {code}", code="parent-unit")
    result.units.append(unit)
    return unit


def _project_row(cells: list[Cell], unit: Unit, number: int, result: ImportResult) -> Project:
    name, amount_cell = cells[0], cells[1] if len(cells) > 1 else None
    amount = parse_amount(amount_cell.text) if amount_cell else None
    notes: list[str] = []
    if amount is None:
        result.report(name.pos, "warning", f"project '{clean(name.text)}' has no readable "
                      "amount; 0 was written", "fill in the amount from the published table",
                      "no-amount")
    goals = split_goals(cells[2].text) if len(cells) > 2 else []
    indicators = _indicators(cells[3], result, notes) if len(cells) > 3 else []
    for extra in cells[4:]:
        notes.append(clean(extra.text))
        result.report(extra.pos, "warning", "an extra cell after the indicators was kept as a "
                      "note", code="unplaced-text")
    return Project(
        id=project_id(unit.year, unit.code, number), year=unit.year, unit_code=unit.code,
        name=clean(name.text), amount=amount if amount is not None else parse_amount("0"),  # type: ignore[arg-type]
        goals=tuple(goals), indicators=tuple(indicators), notes=tuple(notes),
        source=f"{name.pos.path}:{name.pos.line}", pos=name.pos,
    )


def _items(cell: Cell) -> list[str]:
    items: list[str] = []
    for paragraph in paragraphs(cell.text):
        items.extend(part.strip() for part in _ITEM_SPLIT.split(paragraph) if part.strip())
    return items


def _indicators(cell: Cell, result: ImportResult, notes: list[str]) -> list[Indicator]:
    state = CategoryState()
    indicators: list[Indicator] = []
    for item in _items(cell):
        heading = _HEADING.match(item)
        if heading and (inferred := state.apply(heading["name"])) is not None:
            if inferred:
                result.report(cell.pos, "info", f"{inferred} ({item})", code="inferred-category")
            elif heading["mark"].startswith(("(", "（")) and state.level2 == "":
                result.report(cell.pos, "info", f"'{item}' is numbered as a 二级 but names an "
                              f"一级; read as 一级 '{heading['name']}'", code="inferred-category")
            if not heading["rest"]:
                continue
            item = heading["rest"]
        indicator = _indicator(item, state, cell.pos, result)
        if not indicator.level1:
            notes.append(item)
            result.report(cell.pos, "warning", f"indicator before any 一级 heading: {item}",
                          "add its category by hand", "uncategorised")
        indicators.append(indicator)
    return indicators


def _indicator(item: str, state: CategoryState, pos: Position,
               result: ImportResult) -> Indicator:
    numbering = _NUMBERING.match(item)
    if numbering:
        if not numbering["dot"]:
            result.report(pos, "info", f"numbering without a dot read as numbering: {item}",
                          code="numbering")
        item = item[numbering.end():]
    if match := _NAME_VALUE.match(item):
        return state.indicator(match["name"], match["value"], pos)
    if glued := split_glued_value(item):
        result.report(pos, "info", f"value '{glued[1]}' was glued to the name '{glued[0]}'",
                      code="glued-value")
        return state.indicator(glued[0], glued[1], pos)
    result.report(pos, "warning", f"indicator with no value: {item}",
                  "add its 指标值 by hand if the published table has one", "no-value")
    return state.indicator(item, "", pos)

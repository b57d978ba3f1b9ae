"""A self-evaluation as the official 项目支出绩效自评表 (财预〔2020〕10号) on one Excel sheet.

The form, top to bottom, in nine columns: the title 项目支出绩效自评表 and （2023年度）;
项目名称; 主管部门 and 实施单位; 项目资金（万元） merged down its rows, each row's label
(年度资金总额, 其中：当年财政拨款, …) beside 年初预算数, 全年预算数, 全年执行数, 分值, 执行率
and 得分; 年度总体目标 merged down, 预期目标 beside 实际完成情况 (a row per paragraph);
绩效指标 merged down the indicator rows under the header 一级指标, 二级指标, 三级指标,
年度指标值, 实际完成值, 分值, 得分, 偏差原因分析及改进措施 (一级 and 二级 merged over the rows
they cover); the 总分 row; 自评等级 when one is stated; then 备注 and the notes (``附注：…``)
under the table.  Thin borders on the table, A4 portrait, one page wide, the indicator header
repeated on every printed page.

Every cell is the content's text as it is: amounts, 分值 and 得分 that are plain numbers are
number cells shown with their written decimals (``3.20`` stays ``3.20``), everything else is
a string cell (``97.56%``, ``—``, ``=1+1`` stay as written), so the import
(:mod:`site_builder.importers.evaluation_form`) reads the same self-evaluation back.
"""

from __future__ import annotations

from collections.abc import Sequence

from site_builder.model import SelfEvaluation
from site_builder.xlsx_layout import (
    NOTE_PREFIX,
    ROW_HEIGHT,
    cell_style,
    level_runs,
    merged_down,
    number_cell,
    text_height,
)
from site_builder.xlsx_package import Sheet, Style

TITLE = "项目支出绩效自评表"
"""The form's title, as the import finds it."""
WIDTHS: tuple[float, ...] = (9, 11, 12, 22, 12, 12, 8, 8, 20)
"""Widths of columns A to I in characters (fitted to the width of A4 portrait)."""
LAST = len(WIDTHS)
FUNDS_HEADERS = ("年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分")
"""Headers of the 项目资金 columns, D to I."""
INDICATOR_HEADERS = ("一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值",
                     "得分", "偏差原因分析及改进措施")
"""Headers of the indicator columns, B to I."""
LEVEL1, LEVEL2, NAME, TARGET, ACTUAL, WEIGHT, SCORE, REASON = range(2, 10)
TOTAL_WEIGHT, TOTAL_SCORE = WEIGHT, SCORE
"""The 总分 row's 分值 and 得分 stand under the indicators' (the import reads them there)."""
HEADING = cell_style("title", "center", border=False)
YEAR = cell_style("plain", "center", border=False)
LABEL = cell_style("bold", "center")
CENTER = cell_style("plain", "center")
LEFT = cell_style("plain", "left")
UNDER = cell_style("plain", "left", border=False)


def evaluation_sheet(name: str, evaluation: SelfEvaluation) -> Sheet:
    """A sheet named ``name`` holding the 自评表 of ``evaluation``."""
    sheet = Sheet(name, widths=WIDTHS, landscape=False)
    _cell(sheet, 1, 1, LAST, TITLE, HEADING)
    sheet.heights[1] = 30.0
    _cell(sheet, 2, 1, LAST, f"（{evaluation.year}年度）", YEAR)
    _cell(sheet, 3, 1, 1, "项目名称", LABEL)
    _cell(sheet, 3, 2, LAST, evaluation.name, LEFT)
    _cell(sheet, 4, 1, 1, "主管部门", LABEL)
    _cell(sheet, 4, 2, 4, evaluation.department, LEFT)
    _cell(sheet, 4, 5, 5, "实施单位", LABEL)
    _cell(sheet, 4, 6, LAST, evaluation.implementer, LEFT)
    row = _funds(sheet, 5, evaluation)
    row = _goals(sheet, row, evaluation)
    header = row
    row = _indicators(sheet, row, evaluation)
    _cell(sheet, row, 1, TOTAL_WEIGHT - 1, "总分", LABEL)
    _number(sheet, row, TOTAL_WEIGHT, evaluation.total_weight)
    _number(sheet, row, TOTAL_SCORE, evaluation.total_score)
    _cell(sheet, row, TOTAL_SCORE + 1, LAST, "", CENTER)
    if evaluation.grade:
        row += 1
        _cell(sheet, row, 1, TOTAL_WEIGHT - 1, "自评等级", LABEL)
        _cell(sheet, row, TOTAL_WEIGHT, LAST, evaluation.grade, CENTER)
    sheet.fill(3, row, LAST, CENTER)
    sheet.print_titles = f"{header}:{header}"
    extras = ([evaluation.remark] if evaluation.remark else []) + [
        f"{NOTE_PREFIX}{note}" for note in evaluation.notes]
    for text in extras:
        row += 1
        _cell(sheet, row, 1, LAST, text, UNDER)
    return sheet


def _funds(sheet: Sheet, first: int, evaluation: SelfEvaluation) -> int:
    """The 项目资金 header and rows from row ``first``; returns the row after them."""
    _cell(sheet, first, 2, 3, "", CENTER)
    for col, text in enumerate(FUNDS_HEADERS, 4):
        _cell(sheet, first, col, col, text, LABEL)
    row = first
    for funds in evaluation.funds:
        row += 1
        _cell(sheet, row, 2, 3, funds.label, CENTER)
        for col, text in enumerate((funds.initial, funds.full_year, funds.executed,
                                    funds.weight), 4):
            _number(sheet, row, col, text)
        _cell(sheet, row, 8, 8, funds.rate, CENTER)
        _number(sheet, row, 9, funds.score)
    _down(sheet, first, row, "项目资金（万元）")
    return row + 1


def _goals(sheet: Sheet, first: int, evaluation: SelfEvaluation) -> int:
    """年度总体目标 from row ``first``, a row per paragraph; returns the row after it."""
    _cell(sheet, first, 2, 5, "预期目标", LABEL)
    _cell(sheet, first, 6, LAST, "实际完成情况", LABEL)
    expected, achieved = evaluation.expected, evaluation.achieved
    rows = max(len(expected), len(achieved), 1)
    for number in range(rows):
        row = first + 1 + number
        _cell(sheet, row, 2, 5, _item(expected, number), LEFT)
        _cell(sheet, row, 6, LAST, _item(achieved, number), LEFT)
    _down(sheet, first, first + rows, "年度总体目标")
    return first + rows + 1


def _item(texts: Sequence[str], number: int) -> str:
    return texts[number] if number < len(texts) else ""


def _indicators(sheet: Sheet, header: int, evaluation: SelfEvaluation) -> int:
    """The indicator header at row ``header`` and the rows under it; returns the row after
    them."""
    for col, text in enumerate(INDICATOR_HEADERS, 2):
        _cell(sheet, header, col, col, text, LABEL)
    rows = evaluation.indicators
    first = header + 1
    for row, indicator in enumerate(rows, first):
        _cell(sheet, row, NAME, NAME, indicator.name, LEFT)
        _cell(sheet, row, TARGET, TARGET, indicator.target, CENTER)
        _cell(sheet, row, ACTUAL, ACTUAL, indicator.actual, CENTER)
        _number(sheet, row, WEIGHT, indicator.weight)
        _number(sheet, row, SCORE, indicator.score)
        _cell(sheet, row, REASON, REASON, indicator.reason, LEFT)
    for col, level in ((LEVEL1, 1), (LEVEL2, 2)):
        for start, end, text in level_runs(rows, first, level):
            merged_down(sheet, col, start, end, text or None, CENTER, WIDTHS[col - 1])
    last = header + max(len(rows), 1)
    _down(sheet, header, last, "绩效指标")
    return last + 1


def _cell(sheet: Sheet, row: int, first_col: int, last_col: int, text: str, style: Style
          ) -> None:
    """``text`` in a cell merged over columns ``first_col`` to ``last_col`` of ``row``, the
    row made high enough for it."""
    sheet.put(row, first_col, text or None, style)
    if last_col > first_col:
        sheet.merge(row, first_col, row, last_col)
    width = sum(WIDTHS[first_col - 1:last_col])
    sheet.heights[row] = max(sheet.heights.get(row, ROW_HEIGHT), text_height(text, width))


def _number(sheet: Sheet, row: int, col: int, text: str) -> None:
    """A number as written (see :func:`~site_builder.xlsx_layout.number_cell`), else text."""
    if text:
        number_cell(sheet, row, col, text, exact=True)
    else:
        sheet.put(row, col, None, CENTER)
    sheet.heights[row] = max(sheet.heights.get(row, ROW_HEIGHT),
                             text_height(text, WIDTHS[col - 1]))


def _down(sheet: Sheet, first: int, last: int, label: str) -> None:
    """``label`` in column A merged down rows ``first`` to ``last``."""
    merged_down(sheet, 1, first, last, label, LABEL, WIDTHS[0])

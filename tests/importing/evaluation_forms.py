"""项目支出绩效自评表 workbooks the import tests build with openpyxl, laid out as offices fill
in the form (merged title, 项目资金 label over its rows, 一级/二级 merged down), from a
self-evaluation of the example site (fictional data, see examples/self-evaluation/)."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook

from site_builder.model import SelfEvaluation


def _number(text: str) -> object:
    """A cell value as an office types it: a number where the text is one."""
    try:
        return float(text) if "." in text else int(text)
    except ValueError:
        return text


def write_form(evaluation: SelfEvaluation, path: Path, sheet_title: str = "自评表") -> Path:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = sheet_title

    def put(ref: str, value: object, amount: bool = False) -> None:
        sheet[ref] = value
        if amount and isinstance(value, float):  # 3.20 shows as typed
            sheet[ref].number_format = "0.00"

    put("A1", "项目支出绩效自评表")
    sheet.merge_cells("A1:I1")
    put("A2", f"（{evaluation.year}年度）")
    sheet.merge_cells("A2:I2")
    put("A3", "项目名称")
    put("B3", evaluation.name)
    sheet.merge_cells("B3:I3")
    put("A4", "主管部门")
    put("B4", evaluation.department)
    sheet.merge_cells("B4:D4")
    put("E4", "实施单位")
    put("F4", evaluation.implementer)
    sheet.merge_cells("F4:I4")
    put("A5", "项目资金（万元）")
    for col, text in zip("CDEFGH", ("年初预算数", "全年预算数", "全年执行数", "分值", "执行率",
                                    "得分"), strict=True):
        put(f"{col}5", text)
    row = 6
    for funds in evaluation.funds:
        put(f"B{row}", funds.label)
        for col, value in zip("CDE", (funds.initial, funds.full_year, funds.executed),
                              strict=True):
            if value:
                put(f"{col}{row}", _number(value), amount=True)
        for col, value in zip("FGH", (funds.weight, funds.rate, funds.score), strict=True):
            if value:
                put(f"{col}{row}", _number(value))
        row += 1
    sheet.merge_cells(f"A5:A{row - 1}")
    put(f"A{row}", "年度总体目标")
    sheet.merge_cells(f"A{row}:A{row + 1}")
    put(f"B{row}", "预期目标")
    sheet.merge_cells(f"B{row}:E{row}")
    put(f"F{row}", "实际完成情况")
    sheet.merge_cells(f"F{row}:I{row}")
    put(f"B{row + 1}", "\n".join(evaluation.expected))
    sheet.merge_cells(f"B{row + 1}:E{row + 1}")
    put(f"F{row + 1}", "\n".join(evaluation.achieved))
    sheet.merge_cells(f"F{row + 1}:I{row + 1}")
    row += 2
    for col, text in zip("ABCDEFGH", ("一级指标", "二级指标", "三级指标", "年度指标值",
                                      "实际完成值", "分值", "得分", "偏差原因分析及改进措施"),
                         strict=True):
        put(f"{col}{row}", text)
    sheet.merge_cells(f"H{row}:I{row}")
    row += 1
    start1 = start2 = row
    rows = evaluation.indicators
    for index, indicator in enumerate(rows):
        here = row + index
        if index == 0 or indicator.level1 != rows[index - 1].level1:
            if here > start1 + 1:
                sheet.merge_cells(f"A{start1}:A{here - 1}")
            start1 = here
            put(f"A{here}", indicator.level1)
        if index == 0 or (indicator.level1, indicator.level2) != (rows[index - 1].level1,
                                                                  rows[index - 1].level2):
            if here > start2 + 1:
                sheet.merge_cells(f"B{start2}:B{here - 1}")
            start2 = here
            put(f"B{here}", indicator.level2 or None)
        put(f"C{here}", indicator.name)
        put(f"D{here}", indicator.target)
        put(f"E{here}", indicator.actual)
        put(f"F{here}", _number(indicator.weight))
        put(f"G{here}", _number(indicator.score))
        put(f"H{here}", indicator.reason or None)
        sheet.merge_cells(f"H{here}:I{here}")
    end = row + len(rows)
    if end - 1 > start1:
        sheet.merge_cells(f"A{start1}:A{end - 1}")
    if end - 1 > start2:
        sheet.merge_cells(f"B{start2}:B{end - 1}")
    put(f"A{end}", "总分")
    sheet.merge_cells(f"A{end}:E{end}")
    put(f"F{end}", _number(evaluation.total_weight))
    put(f"G{end}", _number(evaluation.total_score))
    put(f"H{end}", f"自评等级：{evaluation.grade}")
    sheet.merge_cells(f"H{end}:I{end}")
    book.save(path)
    return path

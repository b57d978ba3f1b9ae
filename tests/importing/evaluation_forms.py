"""项目支出绩效自评表 files the import tests build, laid out as offices fill in the form
(merged title, 项目资金 label over its rows, 一级/二级 merged down), from a self-evaluation
of the example site (fictional data, see examples/self-evaluation/): an Excel workbook with
openpyxl, a Word document with python-docx, both from one grid of cells."""

from __future__ import annotations

from pathlib import Path

from docx import Document
from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from word_forms import merge, put

from site_builder.model import SelfEvaluation

Cell = tuple[int, int, int, int, object]
"""(first row, first column, last row, last column, value), 1-based: a cell or a merge."""
WIDTH = 9


class Amount(float):
    """An amount in 万元: shown with two decimals (3.20), as offices format them."""


def _amount(text: str) -> object:
    number = _number(text)
    return Amount(number) if isinstance(number, float) else number


def _number(text: str) -> object:
    """A cell value as an office types it: a number where the text is one."""
    try:
        return float(text) if "." in text else int(text)
    except ValueError:
        return text


def form_cells(evaluation: SelfEvaluation) -> list[Cell]:
    cells: list[Cell] = [(1, 1, 1, WIDTH, "项目支出绩效自评表"),
                         (2, 1, 2, WIDTH, f"（{evaluation.year}年度）"),
                         (3, 1, 3, 1, "项目名称"), (3, 2, 3, WIDTH, evaluation.name),
                         (4, 1, 4, 1, "主管部门"), (4, 2, 4, 4, evaluation.department),
                         (4, 5, 4, 5, "实施单位"), (4, 6, 4, WIDTH, evaluation.implementer)]
    cells += [(5, col, 5, col, text) for col, text in enumerate(
        ("年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"), 3)]
    row = 6
    for funds in evaluation.funds:
        cells.append((row, 2, row, 2, funds.label))
        amounts = (funds.initial, funds.full_year, funds.executed)
        cells += [(row, col, row, col, _amount(v)) for col, v in enumerate(amounts, 3) if v]
        others = (funds.weight, funds.rate, funds.score)
        cells += [(row, col, row, col, _number(v)) for col, v in enumerate(others, 6) if v]
        row += 1
    cells.append((5, 1, row - 1, 1, "项目资金（万元）"))
    cells += [(row, 1, row + 1, 1, "年度总体目标"), (row, 2, row, 5, "预期目标"),
              (row, 6, row, WIDTH, "实际完成情况"),
              (row + 1, 2, row + 1, 5, "\n".join(evaluation.expected)),
              (row + 1, 6, row + 1, WIDTH, "\n".join(evaluation.achieved))]
    row += 2
    cells += [(row, col, row, col, text) for col, text in enumerate(
        ("一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分"), 1)]
    cells.append((row, 8, row, WIDTH, "偏差原因分析及改进措施"))
    row += 1
    rows = evaluation.indicators
    start1 = start2 = row
    for index, indicator in enumerate(rows):
        here = row + index
        last = index == len(rows) - 1
        nxt = rows[index + 1] if not last else None
        cells += [(here, 3, here, 3, indicator.name), (here, 4, here, 4, indicator.target),
                  (here, 5, here, 5, indicator.actual),
                  (here, 6, here, 6, _number(indicator.weight)),
                  (here, 7, here, 7, _number(indicator.score)),
                  (here, 8, here, WIDTH, indicator.reason or None)]
        if nxt is None or (nxt.level1, nxt.level2) != (indicator.level1, indicator.level2):
            cells.append((start2, 2, here, 2, indicator.level2 or None))
            start2 = here + 1
        if nxt is None or nxt.level1 != indicator.level1:
            cells.append((start1, 1, here, 1, indicator.level1))
            start1 = here + 1
    end = row + len(rows)
    cells += [(end, 1, end, 5, "总分"), (end, 6, end, 6, _number(evaluation.total_weight)),
              (end, 7, end, 7, _number(evaluation.total_score)),
              (end, 8, end, WIDTH, f"自评等级：{evaluation.grade}")]
    return cells


def write_form(evaluation: SelfEvaluation, path: Path, sheet_title: str = "自评表") -> Path:
    """The form as an Excel workbook (amounts typed as numbers, shown with two decimals when
    they have them)."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = sheet_title
    for r1, c1, r2, c2, value in form_cells(evaluation):
        ref = f"{get_column_letter(c1)}{r1}"
        sheet[ref] = value
        if isinstance(value, Amount):
            sheet[ref] = float(value)
            sheet[ref].number_format = "0.00"
        if (r1, c1) != (r2, c2):
            sheet.merge_cells(f"{ref}:{get_column_letter(c2)}{r2}")
    book.save(path)
    return path


def write_document(evaluation: SelfEvaluation, path: Path) -> Path:
    """The form as a Word document: its title as a paragraph, the rest as one table."""
    cells = form_cells(evaluation)
    document = Document()
    document.add_paragraph(f"{evaluation.year}年度项目支出绩效自评表")
    height = max(r2 for _, _, r2, _, _ in cells) - 2
    table = document.add_table(rows=height, cols=WIDTH)
    for r1, c1, r2, c2, value in cells:
        if r1 <= 2:
            continue  # the title is the paragraph above
        merge(table, r1 - 3, c1 - 1, r2 - 3, c2 - 1)
        if value is not None:
            text = f"{value:.2f}" if isinstance(value, Amount) else str(value)
            put(table, r1 - 3, c1 - 1, text)
    document.add_paragraph(f"（{evaluation.year}年度）")
    document.save(str(path))
    return path

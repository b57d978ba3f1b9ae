"""Files the PDF tests make: Word forms (python-docx, real merges), PDFs from LibreOffice.

Every table is the official 项目支出绩效目标表 filled with what the text import reads from the
published seed tables, so a PDF import can be compared with the text import indicator by
indicator.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Sequence
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.table import Table

from site_builder.importers.base import ImportResult
from site_builder.model import Project

COLUMNS_CM = (1.8, 3.2, 1.7, 6.4, 2.0, 2.6, 5.6, 2.9)
"""Widths of 单位编码 … 指标值 on an A4 landscape page."""
LEVEL_COLUMNS = (4, 5)


def word_form(results: Sequence[ImportResult], path: Path, font_pt: float = 9,
              repeat_header: bool = True) -> Path:
    """A .docx with one table of the form per project, tables following one another.

    Tables that do not fit the rest of a page go on over the page break, with the two header
    rows repeated (``w:tblHeader``) unless ``repeat_header`` is False.  The footer prints
    ``第 N 页 共 M 页``.
    """
    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21.0)
    for margin in ("left_margin", "right_margin"):
        setattr(section, margin, Cm(1.2))
    section.top_margin = section.bottom_margin = Cm(1.5)
    _page_number_footer(section.footer.paragraphs[0])
    style = document.styles["Normal"]
    style.font.size = Pt(font_pt)
    style.paragraph_format.space_after = Pt(0)
    units = {(u.year, u.code): u for r in results for u in r.units}
    for result in results:
        for project in result.projects:
            title = document.add_paragraph(units[(project.year, project.unit_code)].title)
            title.alignment = WD_ALIGN_PARAGRAPH.CENTER
            title.runs[0].bold = True
            _project_table(document, project, repeat_header)
            extras = ([project.remark] if project.remark else []) + [
                f"附注：{note}" for note in project.notes]
            for text in extras:
                document.add_paragraph(text)
            document.add_paragraph("")
    document.save(str(path))
    return path


def _page_number_footer(paragraph: object) -> None:
    """``第 N 页 共 M 页`` with Word's PAGE and NUMPAGES fields."""
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER  # type: ignore[attr-defined]
    for text, field in (("第 ", "PAGE"), (" 页 共 ", "NUMPAGES"), (" 页", "")):
        paragraph.add_run(text)  # type: ignore[attr-defined]
        if field:
            simple = OxmlElement("w:fldSimple")
            simple.set(qn("w:instr"), field)
            run = OxmlElement("w:r")
            value = OxmlElement("w:t")
            value.text = "1"
            run.append(value)
            simple.append(run)
            paragraph._p.append(simple)  # type: ignore[attr-defined]


def _project_table(document: object, project: Project, repeat_header: bool) -> Table:
    total = project.table_total is not None
    first = 3 if total else 2
    rows = [(i.level1, i.level2, i.name, i.value) for i in project.indicators] or [
        ("", "", "", "")]
    table = document.add_table(rows=first + len(rows), cols=8)  # type: ignore[attr-defined]
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for row in table.rows:
        for width, cell in zip(COLUMNS_CM, row.cells, strict=True):
            cell.width = Cm(width)
    for col, text in enumerate(("单位编码", "单位及项目名称", "金额（万元）", "绩效目标")):
        table.cell(0, col).merge(table.cell(1, col)).text = text
    table.cell(0, 4).merge(table.cell(0, 7)).text = "绩效指标"
    for col, text in enumerate(("一级指标", "二级指标", "三级指标", "指标值"), 4):
        table.cell(1, col).text = text
    if repeat_header:
        for index in (0, 1):
            properties = table.rows[index]._tr.get_or_add_trPr()
            header = OxmlElement("w:tblHeader")
            header.set(qn("w:val"), "true")
            properties.append(header)
    if total:
        table.cell(2, 1).text = "合计"
        table.cell(2, 2).text = project.table_total or ""
    last = first + len(rows) - 1
    for col, text in enumerate((project.unit_code, project.name, str(project.amount))):
        table.cell(first, col).merge(table.cell(last, col)).text = text
    goals = table.cell(first, 3).merge(table.cell(last, 3))
    goals.text = project.goals[0] if project.goals else ""
    for goal in project.goals[1:]:
        goals.add_paragraph(goal)
    for col in LEVEL_COLUMNS:
        start = 0
        for index in range(1, len(rows) + 1):
            key = rows[index][: col - 3] if index < len(rows) else None
            if key != rows[start][: col - 3]:
                cell = table.cell(first + start, col)
                if index - 1 > start:
                    cell = cell.merge(table.cell(first + index - 1, col))
                cell.text = rows[start][col - 4]
                start = index
    for offset, (_, _, name, value) in enumerate(rows):
        table.cell(first + offset, 6).text = name
        table.cell(first + offset, 7).text = value
    return table


def convert_to_pdf(sources: Sequence[Path], out_dir: Path, profile: Path,
                   export_filter: str = "pdf") -> list[Path]:
    """Each file converted by one LibreOffice run (a private profile); the PDFs' paths."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice, "LibreOffice (soffice) must be installed: scripts/test.sh installs it"
    subprocess.run([soffice, f"-env:UserInstallation=file://{profile}", "--headless",
                    "--convert-to", export_filter, "--outdir", str(out_dir),
                    *map(str, sources)], check=True, capture_output=True, timeout=600)
    pdfs = [out_dir / f"{source.stem}.pdf" for source in sources]
    missing = [p.name for p in pdfs if not p.exists()]
    assert not missing, f"LibreOffice did not write {missing}"
    return pdfs

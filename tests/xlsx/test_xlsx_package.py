"""The .xlsx writer: text reads back exactly (in LibreOffice), styles and print setup survive
(read with openpyxl), same bytes for the same sheets."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
import zipfile
from datetime import datetime
from pathlib import Path

from openpyxl import load_workbook

from site_builder.xlsx_package import Font, Sheet, Style, column_letter, workbook

MOMENT = datetime(2023, 11, 14, 22, 13, 20)
PLAIN = Style(Font("宋体", 10))
TEXTS = ["≅95%", "  前后空格 ", "换行\n第二行", "回车\r符", "制表\t符", "控制\x01字符",
         "像转义 _x0041_ 的文字", "<&>\"'", "", "0012"]
"""Texts that an XML writer easily changes: each must read back as written."""


def _sheet() -> Sheet:
    sheet = Sheet("表一", widths=[12, 30], print_titles="1:1")
    for row, text in enumerate(TEXTS, 1):
        sheet.put(row, 1, text, PLAIN)
    sheet.put(1, 2, "3.280", Style(Font("宋体", 10, bold=True), "left", True, "0.000"),
              number=True)
    sheet.merge(2, 2, 4, 2)
    sheet.fill(1, 5, 2, PLAIN)
    sheet.heights[2] = 40.5
    return sheet


def test_texts_numbers_and_layout_read_back() -> None:
    data = workbook([_sheet(), Sheet("第二张", landscape=False)], MOMENT, title="标题")
    book = load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["表一", "第二张"]
    sheet = book["表一"]
    cell = sheet["B1"]
    assert (cell.value, cell.number_format, cell.font.b, cell.alignment.horizontal) == (
        3.28, "0.000", True, "left")
    assert sheet["A1"].border.left.style == "thin"
    assert sheet["B3"].border.right.style == "thin"  # covered by the merge, still bordered
    assert {str(r) for r in sheet.merged_cells.ranges} == {"B2:B4"}
    assert sheet.row_dimensions[2].height == 40.5
    assert sheet.column_dimensions["B"].width == 30
    assert sheet.print_title_rows == "$1:$1"
    assert (sheet.page_setup.orientation, int(sheet.page_setup.paperSize)) == ("landscape", 9)
    assert book["第二张"].page_setup.orientation == "portrait"
    assert book.properties.title == "标题"


def test_libreoffice_reads_every_text_exactly(tmp_path: Path) -> None:
    """Control characters travel as ``_xHHHH_`` escapes, which Excel and LibreOffice decode
    (openpyxl does not), and a text that looks like an escape stays as it is."""
    path = tmp_path / "texts.xlsx"
    path.write_bytes(workbook([_sheet()], MOMENT))
    subprocess.run(["libreoffice", f"-env:UserInstallation={(tmp_path / 'lo').as_uri()}",
                    "--headless", "--norestore", "--convert-to",
                    "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true", "--outdir",
                    tmp_path, path], check=True, capture_output=True, timeout=300,
                   env={**os.environ, "SAL_USE_VCLPLUGIN": "svp"})
    with (tmp_path / "texts.csv").open(encoding="utf-8", newline="") as file:
        rows = list(csv.reader(file))
    assert [row[0] for row in rows] == TEXTS
    assert rows[0][1] == "3.280"


def test_same_sheets_same_bytes_and_fixed_times() -> None:
    first = workbook([_sheet()], MOMENT)
    assert workbook([_sheet()], MOMENT) == first
    entries = zipfile.ZipFile(io.BytesIO(first)).infolist()
    assert {e.date_time for e in entries} == {(2023, 11, 14, 22, 13, 20)}
    core = zipfile.ZipFile(io.BytesIO(first)).read("docProps/core.xml").decode()
    assert "2023-11-14T22:13:20Z" in core
    assert workbook([_sheet()], datetime(2024, 1, 1)) != first


def test_column_letters() -> None:
    assert [column_letter(n) for n in (1, 8, 26, 27, 52, 703)] == ["A", "H", "Z", "AA", "AZ",
                                                                   "AAA"]


def test_export_writes_what_the_import_reads_without_loading_openpyxl() -> None:
    """The export keeps its own copy of the words the import looks for (so that a build does
    not load openpyxl); they must stay the same."""
    code = ("import sys, site_builder.build.forms, site_builder.build.pipeline; "
            "print('openpyxl' in sys.modules)")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    assert proc.stdout.strip() == "False"
    from site_builder import export_evaluation_xlsx, export_xlsx, xlsx_layout
    from site_builder.importers import kinds, residue, xlsx

    assert xlsx_layout.NOTE_PREFIX == xlsx.NOTE_PREFIX
    assert export_evaluation_xlsx.TITLE == kinds.SELF_EVALUATION
    assert export_xlsx.SUMMARY_TITLE == xlsx.SUMMARY_TITLE
    assert export_xlsx.TITLE.pattern == residue.TITLE.pattern

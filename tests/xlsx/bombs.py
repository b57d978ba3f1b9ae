"""Hostile and oversized workbooks made in the tests: the parts of an .xlsx written directly.

A sheet is written as a stream of XML into the zip, so a workbook of a million rows costs the
test a few seconds and little memory.  The packages are what Excel itself writes, reduced to the
parts a workbook needs (content types, relationships, workbook, one sheet, shared strings).
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from xml.sax.saxutils import escape

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
    '</Types>')
ROOT_RELS = (
    f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="{PKG_REL}">'
    f'<Relationship Id="rId1" Type="{REL}/officeDocument" Target="xl/workbook.xml"/>'
    '</Relationships>')
WORKBOOK = (
    f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook xmlns="{MAIN}" '
    f'xmlns:r="{REL}"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>')
WORKBOOK_RELS = (
    f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="{PKG_REL}">'
    f'<Relationship Id="rId1" Type="{REL}/worksheet" Target="worksheets/sheet1.xml"/>'
    f'<Relationship Id="rId2" Type="{REL}/sharedStrings" Target="sharedStrings.xml"/>'
    '</Relationships>')


def write_parts(path: Path, parts: dict[str, str]) -> Path:
    """A package of the content types, the root relationships and ``parts`` (name → XML)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", ROOT_RELS)
        for name, text in parts.items():
            archive.writestr(name, text)
    return path


def letters(col: int) -> str:
    text = ""
    while col:
        col, rest = divmod(col - 1, 26)
        text = chr(65 + rest) + text
    return text


def inline(ref: str, text: str) -> str:
    """A cell holding ``text`` as an inline string."""
    return f'<c r="{ref}" t="inlineStr"><is><t>{escape(text)}</t></is></c>'


def number(ref: str, value: object) -> str:
    return f'<c r="{ref}"><v>{value}</v></c>'


def row(number_: int, cells: Iterable[str]) -> str:
    return f'<row r="{number_}">{"".join(cells)}</row>'


def write_workbook(path: Path, rows: Iterable[str], dimension: str = "",
                   tail: str = "", strings: Iterable[str] = (),
                   extra: Iterable[tuple[str, bytes]] = ()) -> Path:
    """A one-sheet workbook whose ``<sheetData>`` holds ``rows`` (XML text, streamed);
    ``tail`` follows the sheet data (``<mergeCells>``), ``extra`` parts are added."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", ROOT_RELS)
        archive.writestr("xl/workbook.xml", WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        with archive.open("xl/sharedStrings.xml", "w") as part:
            part.write(f'<?xml version="1.0" encoding="UTF-8"?>\n<sst xmlns="{MAIN}">'.encode())
            for text in strings:  # an <si> element as XML, or a plain text
                part.write((text if text.startswith("<si>") else
                            f"<si><t>{escape(text)}</t></si>").encode())
            part.write(b"</sst>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as part:
            part.write(f'<?xml version="1.0" encoding="UTF-8"?>\n<worksheet xmlns="{MAIN}">'
                       .encode())
            if dimension:
                part.write(f'<dimension ref="{dimension}"/>'.encode())
            part.write(b"<sheetData>")
            buffer: list[str] = []
            size = 0
            for text in rows:
                buffer.append(text)
                size += len(text)
                if size > 1 << 20:
                    part.write("".join(buffer).encode())
                    buffer, size = [], 0
            part.write("".join(buffer).encode())
            part.write(f"</sheetData>{tail}</worksheet>".encode())
        for name, data in extra:
            archive.writestr(name, data)
    return path


TITLE = "祁连县阿柔乡人民政府2023年部门预算项目支出绩效目标公开表"
HEADER = ("单位编码", "单位及项目名称", "金额（万元）", "绩效目标", "一级指标", "二级指标",
          "三级指标", "指标值")


def form_rows(projects: int, indicators: int, first_row: int = 1) -> Iterator[str]:
    """The official form: title, header, then ``projects`` projects of ``indicators`` rows
    each (one unit; fictional names and values)."""
    yield row(first_row, [inline(f"A{first_row}", TITLE)])
    yield row(first_row + 1, [inline(f"{letters(i + 1)}{first_row + 1}", text)
                              for i, text in enumerate(HEADER)])
    at = first_row + 2
    for project in range(1, projects + 1):
        for indicator in range(indicators):
            cells = []
            if indicator == 0:
                cells += [inline(f"A{at}", "002001"), inline(f"B{at}", f"示例项目{project}"),
                          number(f"C{at}", "3.28"), inline(f"D{at}", "目标：示例目标。"),
                          inline(f"E{at}", "产出指标"), inline(f"F{at}", "数量指标")]
            cells += [inline(f"G{at}", f"示例指标{indicator + 1}"), inline(f"H{at}", "5次")]
            yield row(at, cells)
            at += 1

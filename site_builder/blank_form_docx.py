"""A blank official 项目支出绩效目标表 as a Word document (.docx), for ``site-builder template
--format docx``.

The same form as the Excel one (:mod:`site_builder.blank_form`): a title paragraph (empty to
fill in, or given), one Word table with the two header rows (单位编码, 单位及项目名称,
金额（万元）, 绩效目标 over both rows; 绩效指标 over 一级指标, 二级指标, 三级指标, 指标值) and
one project block of indicator rows whose first four cells are merged down the block, A4
landscape, header rows repeated on every printed page.  Word, WPS and LibreOffice open it;
imported untouched it holds no project, filled in it imports like the Excel form (the Word
reader, :mod:`site_builder.importers.docx`, reads merged cells the same way).

The package is written directly (four small XML parts), with fixed time stamps: same input,
same bytes.
"""

from __future__ import annotations

import io
import zipfile
from xml.sax.saxutils import escape

from site_builder.blank_form import BLANK_ROWS
from site_builder.export_xlsx import COLUMNS
from site_builder.xlsx_layout import FONT

PAGE_WIDTH, PAGE_HEIGHT, MARGIN = 16838, 11906, 1134
"""A4 landscape and its margins, in twentieths of a point."""
MERGED_DOWN = 4
"""The first four columns (code, name, amount, goals) span the whole project block."""
_MOMENT = (1980, 1, 1, 0, 0, 0)
"""The time stamp of every part of the file (no clock: same input, same bytes)."""
_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    '<Override PartName="/word/styles.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>'
    '</Types>')
_PACKAGE_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="word/document.xml"/></Relationships>')
_DOCUMENT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/styles" Target="styles.xml"/></Relationships>')
_STYLES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    f'<w:styles xmlns:w="{_W}"><w:docDefaults><w:rPrDefault><w:rPr>'
    f'<w:rFonts w:ascii="{FONT}" w:eastAsia="{FONT}" w:hAnsi="{FONT}"/>'
    '<w:sz w:val="20"/><w:lang w:val="en-US" w:eastAsia="zh-CN"/></w:rPr></w:rPrDefault>'
    '<w:pPrDefault><w:pPr><w:spacing w:before="0" w:after="0"/></w:pPr></w:pPrDefault>'
    '</w:docDefaults></w:styles>')


def blank_docx_bytes(title: str = "", rows: int = BLANK_ROWS) -> bytes:
    """The blank official form as a .docx, with ``title`` (may be empty) and ``rows``
    indicator rows."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        for name, text in (("[Content_Types].xml", _CONTENT_TYPES),
                           ("_rels/.rels", _PACKAGE_RELS),
                           ("word/_rels/document.xml.rels", _DOCUMENT_RELS),
                           ("word/styles.xml", _STYLES),
                           ("word/document.xml", document_xml(title, rows))):
            entry = zipfile.ZipInfo(name, date_time=_MOMENT)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o600 << 16
            package.writestr(entry, text.encode("utf-8"))
    return out.getvalue()


def column_widths() -> list[int]:
    """Each column's width in twips: the Excel form's proportions over the printable width."""
    printable = PAGE_WIDTH - 2 * MARGIN
    total = sum(column.width for column in COLUMNS)
    widths = [int(printable * column.width / total) for column in COLUMNS]
    widths[-1] += printable - sum(widths)
    return widths


def document_xml(title: str, rows: int) -> str:
    """``word/document.xml``: the title paragraph, the table, the page set-up."""
    widths = column_widths()
    grid = "".join(f'<w:gridCol w:w="{width}"/>' for width in widths)
    body = [_paragraph(title, bold=True, size=32),
            '<w:tbl><w:tblPr><w:tblW w:w="0" w:type="auto"/><w:jc w:val="center"/>'
            f'<w:tblBorders>{_borders()}</w:tblBorders><w:tblLayout w:type="fixed"/>'
            '<w:tblCellMar><w:left w:w="57" w:type="dxa"/><w:right w:w="57" w:type="dxa"/>'
            f'</w:tblCellMar></w:tblPr><w:tblGrid>{grid}</w:tblGrid>',
            _header_rows(widths), *(_body_row(widths, index) for index in range(rows)),
            '</w:tbl>', _paragraph(""),  # Word ends a document with a paragraph, never a table
            f'<w:sectPr><w:pgSz w:w="{PAGE_WIDTH}" w:h="{PAGE_HEIGHT}" w:orient="landscape"/>'
            f'<w:pgMar w:top="{MARGIN}" w:right="{MARGIN}" w:bottom="{MARGIN}" '
            f'w:left="{MARGIN}" w:header="567" w:footer="567" w:gutter="0"/></w:sectPr>']
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<w:document xmlns:w="{_W}"><w:body>{"".join(body)}</w:body></w:document>')


def _borders() -> str:
    return "".join(f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
                   for side in ("top", "left", "bottom", "right", "insideH", "insideV"))


def _header_rows(widths: list[int]) -> str:
    """Two header rows, repeated on every printed page."""
    first = [_cell(column.header, width, merge="restart", bold=True)
             for column, width in zip(COLUMNS[:MERGED_DOWN], widths, strict=False)]
    first.append(_cell("绩效指标", sum(widths[MERGED_DOWN:]), bold=True,
                       span=len(COLUMNS) - MERGED_DOWN))
    second = [_cell("", width, merge="continue") for width in widths[:MERGED_DOWN]]
    second += [_cell(column.header, width, bold=True)
               for column, width in zip(COLUMNS[MERGED_DOWN:], widths[MERGED_DOWN:],
                                        strict=True)]
    header = '<w:trPr><w:tblHeader/><w:cantSplit/></w:trPr>'
    return f'<w:tr>{header}{"".join(first)}</w:tr><w:tr>{header}{"".join(second)}</w:tr>'


def _body_row(widths: list[int], index: int) -> str:
    """One indicator row of the project block (its first four cells merged down)."""
    cells = []
    for number, (column, width) in enumerate(zip(COLUMNS, widths, strict=True)):
        merge = ("restart" if index == 0 else "continue") if number < MERGED_DOWN else ""
        cells.append(_cell("", width, merge=merge, align=column.align))
    return f'<w:tr><w:trPr><w:cantSplit/></w:trPr>{"".join(cells)}</w:tr>'


def _cell(text: str, width: int, *, merge: str = "", bold: bool = False, span: int = 1,
          align: str = "center") -> str:
    properties = f'<w:tcW w:w="{width}" w:type="dxa"/>'
    if span > 1:
        properties += f'<w:gridSpan w:val="{span}"/>'
    if merge:
        properties += f'<w:vMerge w:val="{merge}"/>' if merge == "restart" else "<w:vMerge/>"
    properties += '<w:vAlign w:val="center"/>'
    return f'<w:tc><w:tcPr>{properties}</w:tcPr>{_paragraph(text, bold=bold, align=align)}</w:tc>'


def _paragraph(text: str, *, bold: bool = False, size: int = 0, align: str = "center") -> str:
    justify = "center" if align == "center" else "left"
    properties = f'<w:pPr><w:jc w:val="{justify}"/></w:pPr>'
    if not text:
        return f"<w:p>{properties}</w:p>"
    run = ("<w:b/>" if bold else "") + (f'<w:sz w:val="{size}"/>' if size else "")
    run_properties = f"<w:rPr>{run}</w:rPr>" if run else ""
    return f'<w:p>{properties}<w:r>{run_properties}<w:t xml:space="preserve">' \
           f'{escape(text)}</w:t></w:r></w:p>'

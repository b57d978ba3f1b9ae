"""Where an imported project came from, in the words of the clerk who filled in the form.

The importers record each project's place in the file it came from (``source`` in its YAML):
``表.xlsx:Sheet1!B4`` (workbook, sheet, cell), ``表.docx:表2:5:2`` (Word table, row,
column), ``表.pdf:第3页`` (PDF page) or ``表.txt:33`` (line of a text table).  Reports show
that place next to the YAML line, since the clerk edits the form, not the YAML.
"""

from __future__ import annotations

import re

_SHEET = re.compile(r"^(?P<file>[^:]+):(?P<sheet>.+)!(?P<cell>\$?[A-Z]{1,3}\$?\d+)$")
_WORD = re.compile(r"^(?P<file>[^:]+):表(?P<table>\d+):(?P<row>\d+)(?::\d+)?$")
_PAGE = re.compile(r"^(?P<file>[^:]+):第(?P<page>[\d–、\-]+)页$")
_LINE = re.compile(r"^(?P<file>.+):(?P<line>\d+)$")


def described_source(source: str) -> str:
    """``source`` as a clerk reads it (``表.xlsx 工作表「Sheet1」单元格 B4``); the text as it
    is when it has none of the known shapes; "" when there is none."""
    source = source.strip()
    if match := _SHEET.match(source):
        sheet = match["sheet"].strip("'")
        return f"{match['file']} 工作表「{sheet}」单元格 {match['cell'].replace('$', '')}"
    if match := _WORD.match(source):
        return f"{match['file']} 第 {match['table']} 个表格第 {match['row']} 行"
    if match := _PAGE.match(source):
        return f"{match['file']} 第 {match['page']} 页"
    if match := _LINE.match(source):
        return f"{match['file']} 第 {match['line']} 行"
    return source

"""The streaming workbook reader on what Excel and LibreOffice write besides the usual cells."""

from __future__ import annotations

from pathlib import Path

from bombs import MAIN, REL, TITLE, form_rows, inline, number, row, write_parts, write_workbook

from site_builder.importers import xlsx


def test_cells_hidden_under_a_merge_are_not_read(tmp_path: Path) -> None:
    """LibreOffice can keep the text of cells a merge covers; Excel shows only the top-left
    cell, and so does the import."""
    rows = list(form_rows(1, 3))
    rows[2] = rows[2].replace("</row>", "")  # project row 3: add a hidden cell under B3:B5
    rows[3] = rows[3].replace("</row>", inline("B4", "隐藏的文字") + "</row>")
    rows[2] += "</row>"
    path = write_workbook(tmp_path / "merged.xlsx", rows,
                          tail='<mergeCells count="1"><mergeCell ref="B3:B5"/></mergeCells>')
    result = xlsx.read(path, "merged.xlsx")
    assert [p.name for p in result.projects] == ["示例项目1"]
    assert "隐藏的文字" not in repr(result.projects) + repr(result.diagnostics)
    assert [i.name for i in result.projects[0].indicators] == ["示例指标1", "示例指标2",
                                                               "示例指标3"]


def test_the_same_cell_without_the_merge_is_a_new_project(tmp_path: Path) -> None:
    rows = list(form_rows(1, 3))
    rows[3] = rows[3].replace("</row>", inline("B4", "另一个项目") + "</row>")
    result = xlsx.read(write_workbook(tmp_path / "plain.xlsx", rows), "plain.xlsx")
    assert [p.name for p in result.projects] == ["示例项目1", "另一个项目"]


def test_prefixed_tags_phonetics_and_the_1904_calendar(tmp_path: Path) -> None:
    """Tags with a namespace prefix (x:c), phonetic runs of Chinese Excel (left out, as Excel
    shows the cell), rich-text runs, and dates of a workbook on the 1904 calendar."""
    sheet = (f'<?xml version="1.0" encoding="UTF-8"?>\n<x:worksheet xmlns:x="{MAIN}">'
             "<x:sheetData>"
             f'<x:row r="1"><x:c r="A1" t="inlineStr"><x:is><x:t>{TITLE}</x:t></x:is></x:c>'
             "</x:row>"
             '<x:row r="2">' + "".join(
                 f'<x:c r="{col}2" t="inlineStr"><x:is><x:t>{text}</x:t></x:is></x:c>'
                 for col, text in zip("ABCDEFGH", ("单位编码", "单位及项目名称", "金额（万元）",
                                                   "绩效目标", "一级指标", "二级指标",
                                                   "三级指标", "指标值"), strict=True))
             + "</x:row>"
             '<x:row r="3"><x:c r="A3" t="s"><x:v>0</x:v></x:c><x:c r="B3" t="s"><x:v>1</x:v>'
             '</x:c><x:c r="C3"><x:v>3.28</x:v></x:c><x:c r="E3" t="s"><x:v>2</x:v></x:c>'
             '<x:c r="G3" t="s"><x:v>3</x:v></x:c><x:c r="H3" s="1"><x:v>1</x:v></x:c></x:row>'
             '</x:sheetData><x:mergeCells count="1"><x:mergeCell ref="E3:E4"/></x:mergeCells>'
             "</x:worksheet>")
    styles = (f'<?xml version="1.0" encoding="UTF-8"?>\n<styleSheet xmlns="{MAIN}"><numFmts '
              'count="1"><numFmt numFmtId="176" formatCode="yyyy&quot;年&quot;m&quot;月&quot;'
              'd&quot;日&quot;"/></numFmts><cellXfs count="2"><xf numFmtId="0"/>'
              '<xf numFmtId="176"/></cellXfs></styleSheet>')
    rels = (f'<?xml version="1.0" encoding="UTF-8"?>\n<Relationships xmlns="http://schemas.'
            'openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{REL}/worksheet" Target="worksheets/sheet1.xml"/>'
            f'<Relationship Id="rId2" Type="{REL}/sharedStrings" Target="sharedStrings.xml"/>'
            f'<Relationship Id="rId3" Type="{REL}/styles" Target="/xl/styles.xml"/>'
            "</Relationships>")
    workbook = (f'<?xml version="1.0" encoding="UTF-8"?>\n<workbook xmlns="{MAIN}" '
                f'xmlns:r="{REL}"><workbookPr date1904="1"/><sheets><sheet name="阿柔乡" '
                'sheetId="1" r:id="rId1"/></sheets></workbook>')
    strings = (f'<?xml version="1.0" encoding="UTF-8"?>\n<sst xmlns="{MAIN}">'
               "<si><t>002001</t></si>"
               "<si><r><t>乡级人大</t></r><r><rPr><b/></rPr><t>代表活动经费</t></r>"
               '<rPh sb="0" eb="2"><t>xiāngjí</t></rPh><phoneticPr fontId="1"/></si>'
               "<si><t>产出指标</t></si><si><t>完成时间</t></si></sst>")
    path = write_parts(tmp_path / "y.xlsx", {
        "xl/workbook.xml": workbook, "xl/_rels/workbook.xml.rels": rels,
        "xl/worksheets/sheet1.xml": sheet, "xl/sharedStrings.xml": strings,
        "xl/styles.xml": styles})
    result = xlsx.read(path, "y.xlsx")
    project = result.projects[0]
    assert (project.unit_code, project.name, str(project.amount)) == (
        "002001", "乡级人大代表活动经费", "3.28")
    assert project.source == "y.xlsx:阿柔乡!B3"
    assert [(i.level1, i.name, i.value) for i in project.indicators] == [
        ("产出指标", "完成时间", "1904年1月2日")]  # 1900 calendar: 1900年1月1日


def test_a_formula_without_result_in_a_shared_formula(tmp_path: Path) -> None:
    rows = list(form_rows(1, 2))
    rows.append(row(10, ['<c r="K10"><f t="shared" ref="K10:K11" si="0">SUM(C3:C3)</f>'
                         "<v>3.28</v></c>"]))
    rows.append(row(11, ['<c r="K11"><f t="shared" si="0"/></c>']))
    result = xlsx.read(write_workbook(tmp_path / "f.xlsx", rows), "f.xlsx")
    found = [d.format() for d in result.diagnostics if d.code == "formula-without-value"]
    assert found == ["f.xlsx:Sheet1!K11: warning: The formula =SUM(C4:C4) has no stored result; "
                     "the cell was read as empty (Open the workbook in Excel or LibreOffice and "
                     "save it, so that the results are stored)"]


def test_cells_without_references_follow_the_last(tmp_path: Path) -> None:
    rows = list(form_rows(1, 1))
    rows.append(row(9, [number("A9", 1), '<c s="0"/>', '<c t="inlineStr"><is><t>待核实</t>'
                        "</is></c>"]))
    result = xlsx.read(write_workbook(tmp_path / "r.xlsx", rows), "r.xlsx")
    assert "r.xlsx:Sheet1!C9" in {str(d.pos) for d in result.diagnostics}

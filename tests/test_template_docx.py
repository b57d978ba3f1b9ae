"""``site-builder template --format docx``: the blank official form as a Word document that
imports back as nothing, and, filled in with Word's own table model (python-docx) or after a
round trip through LibreOffice Writer, imports like the Excel form."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import docx
from conftest import run_cli, run_json
from test_start_from_form import ROWS, TITLE


def fill(blank: Path, target: Path) -> None:
    """Fill in the blank Word form as a clerk would: the title paragraph, then the cells (the
    first four are merged down the project block, so one cell holds each)."""
    document = docx.Document(str(blank))
    document.paragraphs[0].add_run(TITLE)
    table = document.tables[0]
    table.cell(2, 0).text = "002001"
    table.cell(2, 1).text = "乡镇食堂伙食补助"
    table.cell(2, 2).text = "7.44"
    table.cell(2, 3).text = "目标1：解决干部就餐。\n目标2：提升乡镇干部伙食质量。"
    for offset, row in enumerate(ROWS):
        for column, text in enumerate(row, 4):
            if text:
                table.cell(2 + offset, column).text = text
    document.save(str(target))


def test_blank_word_form_has_the_official_layout(tmp_path: Path) -> None:
    blank = tmp_path / "表.docx"
    proc = run_cli("template", "-o", blank, "--unit", "祁连县阿柔乡人民政府", "--year", "2024")
    assert proc.returncode == 0, proc.stderr
    document = docx.Document(str(blank))
    assert document.paragraphs[0].text == TITLE
    [table] = document.tables
    assert len(table.columns) == 8 and len(table.rows) == 2 + 20
    assert [c.text for c in table.rows[0].cells][:5] == [
        "单位编码", "单位及项目名称", "金额（万元）", "绩效目标", "绩效指标"]
    assert [c.text for c in table.rows[1].cells][4:] == ["一级指标", "二级指标", "三级指标", "指标值"]
    section = document.sections[0]
    assert section.page_width > section.page_height  # A4 landscape
    again = tmp_path / "again.docx"
    run_cli("template", "--format", "docx", "-o", again, "--unit", "祁连县阿柔乡人民政府",
            "--year", "2024", check=True)
    assert again.read_bytes() == blank.read_bytes()  # same input, same bytes


def test_blank_word_form_imports_as_nothing(tmp_path: Path) -> None:
    run_cli("init", tmp_path / "s", check=True)
    blank = tmp_path / "blank.docx"
    run_cli("template", "--format", "docx", "-o", blank, check=True)
    proc = run_cli("import", "--project", tmp_path / "s", blank)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1, proc.stderr
    assert not (tmp_path / "s/content/2024").exists()


def check_imported(site: Path) -> None:
    report = run_json("validate", "--project", site, "--format", "json")
    assert report["ok"] and report["diagnostics"] == [] and report["projects"] == 1
    [project] = run_json("export", "--project", site)
    assert (project["id"], project["unit_name"], project["amount"]) == (
        "2024-002001-01", "祁连县阿柔乡人民政府", "7.44")
    assert project["goals"] == ["目标1：解决干部就餐。", "目标2：提升乡镇干部伙食质量。"]
    assert [(i["level1"], i["level2"], i["name"], i["value"]) for i in project["indicators"]] == [
        (one or "产出指标", two, name, value) for one, two, name, value in ROWS]


def test_filled_word_form_imports_and_validates(tmp_path: Path) -> None:
    run_cli("init", tmp_path / "s", check=True)
    blank, filled = tmp_path / "blank.docx", tmp_path / "filled.docx"
    run_cli("template", "-o", blank, check=True)  # the format from the file name
    fill(blank, filled)
    proc = run_cli("import", "--project", tmp_path / "s", filled)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""  # not a single finding about the form itself
    check_imported(tmp_path / "s")


def test_word_form_saved_by_libreoffice_as_doc_imports(tmp_path: Path) -> None:
    """Filled in, then saved by a real office suite as Word 97 (.doc), it still imports."""
    blank, filled = tmp_path / "blank.docx", tmp_path / "filled.docx"
    run_cli("template", "-o", blank, check=True)
    fill(blank, filled)
    saved = tmp_path / "saved"
    profile = (tmp_path / "profile").as_uri()
    subprocess.run(["libreoffice", f"-env:UserInstallation={profile}", "--headless",
                    "--norestore", "--convert-to", "doc:MS Word 97", "--outdir", saved, filled],
                   check=True, capture_output=True, timeout=300,
                   env={**os.environ, "SAL_USE_VCLPLUGIN": "svp"})
    run_cli("init", tmp_path / "s", check=True)
    proc = run_cli("import", "--project", tmp_path / "s", saved / "filled.doc")
    assert proc.returncode == 0, proc.stderr
    check_imported(tmp_path / "s")

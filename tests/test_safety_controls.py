"""Control characters in content (form feed, vertical tab, ESC sequences, NUL, C1): every XML
and HTML output stays well-formed and valid, the data files keep them exactly, and what the
commands print shows them escaped."""

from __future__ import annotations

import json
import re
import subprocess
import xml.dom.minidom
import zipfile
from pathlib import Path

import pytest
from conftest import REPO, SEEDS, run_cli
from openpyxl import load_workbook

PROJECT = "2023-002001-01"
NAME = "乡级\x0c人大\x0b代表\x1b[31m活动\x00经费"
"""The project's name as the YAML escapes below give it."""
SHOWN = "乡级人大代表[31m活动经费"
"""The name in HTML and XML: without the characters they forbid."""
FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
RAW_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
"""What a terminal could act on (tab and line feed aside)."""
VNU = REPO / "node_modules/vnu-jar/build/dist/vnu.jar"


@pytest.fixture
def control_site(shipped_site: Path) -> Path:
    project = next((shipped_site / "content").rglob(f"{PROJECT}.yaml"))
    text = project.read_text(encoding="utf-8")
    text = text.replace("name: 乡级人大代表活动经费",
                        'name: "乡级\\x0c人大\\x0b代表\\x1b[31m活动\\0经费"')
    text = text.replace("name: 组织召开专委会, value: 5次",
                        'name: "组织召开\\x9b2J专委会", value: "5次\\x7f"')
    project.write_text(text, encoding="utf-8")
    unit = project.parent / "_unit.yaml"
    unit.write_text(unit.read_text(encoding="utf-8").replace(
        "name: 祁连县阿柔乡人民政府", 'name: "祁连县\\x0b阿柔乡人民政府"'), encoding="utf-8")
    settings = shipped_site / "site.yaml"
    settings.write_text(settings.read_text(encoding="utf-8").replace(
        "title: 项目支出绩效目标公开", 'title: "项目支出\\x0c绩效目标公开"'), encoding="utf-8")
    return shipped_site


def test_xml_and_html_outputs_stay_well_formed(control_site: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    proc = run_cli("build", "--project", control_site, "--out", out, check=True)
    assert not RAW_CONTROL.search(proc.stdout + proc.stderr)
    for name in ("feed.xml", "sitemap.xml"):
        xml.dom.minidom.parse(str(out / name))  # expat: strict XML 1.0
    feed = (out / "feed.xml").read_text(encoding="utf-8")
    assert f"2023年 {SHOWN}" in feed and "<title>项目支出绩效目标公开</title>" in feed
    pages = sorted(out.rglob("*.html"))
    assert len(pages) > 60
    for page in pages:
        assert not FORBIDDEN.search(page.read_text(encoding="utf-8")), page
    html = (out / "projects" / f"{PROJECT}.html").read_text(encoding="utf-8")
    assert SHOWN in html and "组织召开2J专委会" in html and "祁连县阿柔乡人民政府" in html
    proc = subprocess.run(["java", "-jar", str(VNU), "--errors-only", "--format", "gnu",
                           out / "projects" / f"{PROJECT}.html", out / "index.html",
                           out / "units" / "2023-002001.html"],
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[:3000]
    data = json.loads((out / "data" / "projects" / f"{PROJECT}.json").read_text("utf-8"))
    assert data["name"] == NAME  # open data stays exact
    assert data["indicators"][0]["name"] == "组织召开\x9b2J专委会"
    assert NAME in (out / "data" / "indicators.csv").read_bytes().decode("utf-8")


def test_quality_report_and_workbook_are_well_formed(control_site: Path,
                                                     tmp_path: Path) -> None:
    report = tmp_path / "report.html"
    run_cli("check", "--project", control_site, "--format", "html", "-o", report)
    assert report.is_file()
    assert not FORBIDDEN.search(report.read_text(encoding="utf-8"))
    book = tmp_path / "one.xlsx"
    proc = run_cli("export", "--project", control_site, "--format", "xlsx", "--project-id",
                   PROJECT, "-o", book)
    assert proc.returncode == 0, proc.stderr
    with zipfile.ZipFile(book) as archive:
        for name in archive.namelist():
            if name.endswith(".xml"):
                xml.dom.minidom.parseString(archive.read(name))
    sheet = load_workbook(book).active
    assert sheet["A1"].value == "祁连县阿柔乡人民政府2023年部门预算项目支出绩效目标公开表"
    # the workbook keeps the text exactly, control characters as the escapes Excel and
    # LibreOffice read back (``_x000C_``); openpyxl leaves them as they are
    decoded = re.sub(r"_x([0-9A-F]{4})_", lambda m: chr(int(m[1], 16)), sheet["B5"].value)
    assert decoded == NAME


def test_search_and_validate_print_control_characters_escaped(control_site: Path) -> None:
    proc = run_cli("search", "--project", control_site, "乡级")
    assert proc.returncode == 0, proc.stderr
    assert not RAW_CONTROL.search(proc.stdout + proc.stderr)
    assert "乡级\\x0c人大\\x0b代表\\x1b[31m活动\\x00经费" in proc.stdout
    found = json.loads(run_cli("search", "--project", control_site, "乡级", "--json").stdout)
    assert NAME in [hit["name"] for hit in found["results"]]  # JSON: the exact text
    other = next((control_site / "content").rglob("2023-002001-02.yaml"))
    other.write_text(other.read_text(encoding="utf-8") + '"\\x1b[31mremark\\x9b2J": x\n',
                     encoding="utf-8")
    proc = run_cli("validate", "--project", control_site)
    assert proc.returncode == 1
    assert not RAW_CONTROL.search(proc.stdout + proc.stderr)
    assert "unknown key '\\x1b[31mremark\\u009b2J'" in proc.stdout
    report = json.loads(run_cli("validate", "--project", control_site, "--format",
                                "json").stdout)
    assert "unknown key '\x1b[31mremark\x9b2J' in the project" in [
        d["message"] for d in report["diagnostics"]]
    proc = run_cli("build", "--project", control_site)
    assert proc.returncode == 1 and "\\x1b[31mremark" in proc.stderr
    assert not RAW_CONTROL.search(proc.stdout + proc.stderr)


def test_export_to_stdout_keeps_the_data_exact(control_site: Path) -> None:
    proc = run_cli("export", "--project", control_site, "--format", "csv")
    assert NAME in proc.stdout
    proc = run_cli("export", "--project", control_site, "--project-id", PROJECT)
    assert json.loads(proc.stdout)[0]["name"] == NAME


def test_import_prints_control_characters_escaped(tmp_path: Path) -> None:
    table = tmp_path / "表\x1b[31m.txt"
    text = (SEEDS / "002_dc1c90d3304dd7bf.txt").read_text(encoding="utf-8")
    text = text.replace("\n\n祁连县阿柔", "\n\x1b[31m无法识别的一行\x1b[0m\x07\n\n祁连县阿柔", 1)
    table.write_text(text, encoding="utf-8")
    proc = run_cli("import", "--project", tmp_path / "site", table)
    assert proc.returncode == 0, proc.stderr
    assert not RAW_CONTROL.search(proc.stdout + proc.stderr)
    assert "表\\x1b[31m.txt:5:1: warning: The cell has the control character U+001B" in proc.stderr
    assert "表\\x1b[31m.txt: three-level layout" in proc.stdout
    report = json.loads(run_cli("import", "--project", tmp_path / "site", table, "--format",
                                "json").stdout)
    assert report[0]["file"] == str(table)


def test_terminal_escapes_are_shown_for_bad_arguments(tmp_path: Path) -> None:
    proc = run_cli("export", "--project", tmp_path, "--format", "x\x1b[2J")
    assert proc.returncode == 2
    assert "x\\x1b[2J" in proc.stderr and "\x1b" not in proc.stderr

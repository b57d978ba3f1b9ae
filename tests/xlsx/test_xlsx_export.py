"""``site-builder export --format xlsx``: the official layout, the round trip, the CLI."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import REPO, run_cli
from openpyxl import load_workbook
from openpyxl.workbook.workbook import Workbook

SKIP_FIELDS = ("source",)
"""Provenance: the re-import names the workbook cell, not the original text table."""


@pytest.fixture(scope="module")
def site_workbook(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The whole shipped site exported once as .xlsx."""
    path = tmp_path_factory.mktemp("xlsx") / "site.xlsx"
    run_cli("export", "--project", REPO, "--format", "xlsx", "-o", path, check=True)
    return path


@pytest.fixture(scope="module")
def book(site_workbook: Path) -> Workbook:
    return load_workbook(site_workbook)


def without(items: list[dict[str, object]]) -> list[dict[str, object]]:
    return [{k: v for k, v in item.items() if k not in SKIP_FIELDS} for item in items]


def test_round_trip_gives_the_same_content(site_workbook: Path, tmp_path: Path) -> None:
    site = tmp_path / "again"
    proc = run_cli("import", "--project", site, site_workbook, check=True)
    assert "2 unit(s), 42 project(s): 44 created" in proc.stdout
    before = json.loads(run_cli("export", "--project", REPO, check=True).stdout)
    after = json.loads(run_cli("export", "--project", site, check=True).stdout)
    assert without(after) == without(before)
    for unit in ("2021/703001", "2023/002001"):
        original = (REPO / "content" / unit / "_unit.yaml").read_text(encoding="utf-8")
        copied = (site / "content" / unit / "_unit.yaml").read_text(encoding="utf-8")
        assert body(copied) == body(original)


def body(text: str) -> str:
    return "".join(line for line in text.splitlines(True) if not line.startswith("#"))


def test_sheets_one_per_project_after_the_unit_summary(book: Workbook) -> None:
    assert book.sheetnames[0] == "单位汇总"
    assert len(book.sheetnames) == 43
    assert book.sheetnames[1:3] == ["2021-703001-01", "2021-703001-02"]
    summary = book["单位汇总"]
    assert [c.value for c in summary[3]] == ["2021", "703001", "门源县青石嘴镇政府", "703",
                                             448.68, "26"]
    assert summary["E3"].number_format == "0.00"


def test_official_layout(book: Workbook) -> None:
    sheet = book["2023-002001-01"]
    assert sheet["A1"].value == "祁连县阿柔乡人民政府2023年部门预算项目支出绩效目标公开表"
    assert [c.value for c in sheet[3]][4:] == ["一级指标", "二级指标", "三级指标", "指标值"]
    assert (sheet["B4"].value, sheet["C4"].value, sheet["C4"].number_format) == (
        "合计", 3.28, "0.00")
    assert (sheet["A5"].value, sheet["A5"].data_type) == ("002001", "s")
    merged = {str(r) for r in sheet.merged_cells.ranges}
    assert {"A1:H1", "A2:A3", "E2:H2", "A5:A17", "D5:D17", "E5:E12", "F5:F6", "F13:F14",
            "E18:E18"} - merged == {"E18:E18"}
    assert sheet["E13"].value == "效益指标"
    assert sheet["A18"].value.startswith("备注：1.各单位")
    assert sheet["A5"].border.left.style == "thin"
    assert sheet["H17"].border.bottom.style == "thin"


def test_page_setup_prints_on_a4_one_page_wide(book: Workbook) -> None:
    for sheet in book.worksheets:
        setup = sheet.page_setup
        assert (int(setup.paperSize), setup.orientation) == (9, "landscape")  # 9: A4
        assert (setup.fitToWidth, setup.fitToHeight) == (1, 0)
        assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert book["2023-002001-01"].print_title_rows == "$2:$3"
    widths = [book["2023-002001-01"].column_dimensions[c].width for c in "ABCDEFGH"]
    assert all(w >= 9 for w in widths)


def test_empty_level2_after_a_filled_one_survives(tmp_path: Path, shipped_site: Path) -> None:
    """An empty 二级 below a filled one starts a new 一级 cell, so import does not fill it."""
    path = shipped_site / "content" / "2023" / "002001" / "2023-002001-01.yaml"
    text = path.read_text(encoding="utf-8").replace(
        "{level1: 产出指标, level2: 数量指标, name: 组织召开人大代表会议",
        "{level1: 产出指标, level2: '', name: 组织召开人大代表会议")
    path.write_text(text, encoding="utf-8")
    out = tmp_path / "one.xlsx"
    run_cli("export", "--project", shipped_site, "--format", "xlsx", "--project-id",
            "2023-002001-01", "-o", out, check=True)
    assert load_workbook(out).sheetnames == ["2023-002001-01"]
    site = tmp_path / "again"
    run_cli("import", "--project", site, out, check=True)
    again = json.loads(run_cli("export", "--project", site, check=True).stdout)
    assert [(i["level1"], i["level2"]) for i in again[0]["indicators"][:3]] == [
        ("产出指标", "数量指标"), ("产出指标", ""), ("产出指标", "质量指标")]


def test_export_is_reproducible(site_workbook: Path, tmp_path: Path) -> None:
    again = tmp_path / "again.xlsx"
    run_cli("export", "--project", REPO, "--format", "xlsx", "-o", again, check=True)
    assert again.read_bytes() == site_workbook.read_bytes()
    dated = tmp_path / "dated.xlsx"
    run_cli("export", "--project", REPO, "--format", "xlsx", "--project-id", "2021-703001-01",
            "-o", dated, check=True, env={"SOURCE_DATE_EPOCH": "1700000000"})
    core = zipfile.ZipFile(dated).read("docProps/core.xml").decode()
    assert "2023-11-14T22:13:20Z" in core


def test_unit_selection_and_binary_stdout(tmp_path: Path) -> None:
    proc = subprocess.run([sys.executable, "-m", "site_builder", "export", "--project", REPO,
                           "--format", "xlsx", "--unit", "002001"], capture_output=True,
                          env={**os.environ, "PYTHONIOENCODING": "utf-8"}, timeout=300)
    assert proc.returncode == 0, proc.stderr
    path = tmp_path / "unit.xlsx"
    path.write_bytes(proc.stdout)
    names = load_workbook(path).sheetnames
    assert names[0] == "单位汇总" and len(names) == 17
    assert all(name.startswith("2023-002001-") for name in names[1:])


def test_unknown_project_is_a_clear_error() -> None:
    proc = run_cli("export", "--project", REPO, "--format", "xlsx", "--project-id",
                   "2023-002001-3", "-o", "/dev/null")
    assert proc.returncode == 1
    assert proc.stderr.startswith("content: error: no project with id 2023-002001-3 (did you "
                                  "mean 2023-002001-13, 2023-002001-03")


def test_libreoffice_prints_every_sheet_one_a4_page_wide(site_workbook: Path,
                                                         tmp_path: Path) -> None:
    """LibreOffice turns the workbook into a PDF of A4 landscape pages, none split sideways.

    Header rows repeat on every printed page, so a page holding both the first and the last
    column's header (单位编码 … 指标值) shows the whole width of the form.
    """
    profile = (tmp_path / "profile").as_uri()
    subprocess.run(["libreoffice", f"-env:UserInstallation={profile}", "--headless",
                    "--norestore", "--convert-to", "pdf", "--outdir", tmp_path, site_workbook],
                   check=True, capture_output=True, timeout=300,
                   env={**os.environ, "SAL_USE_VCLPLUGIN": "svp"})
    pdf = tmp_path / "site.pdf"
    info = subprocess.run(["pdfinfo", "-f", "1", "-l", "999", pdf], check=True,
                          capture_output=True, text=True).stdout
    sizes = [line.split(":", 1)[1].split("pts")[0].strip() for line in info.splitlines()
             if line.startswith("Page") and "size:" in line]
    assert len(sizes) >= 43
    assert set(sizes) == {"841.89 x 595.304"}  # A4 landscape
    text = subprocess.run(["pdftotext", "-layout", pdf, "-"], check=True, capture_output=True,
                          text=True).stdout
    pages = text.split("\f")[:len(sizes)]
    assert len(pages) == len(sizes)
    for number, page in enumerate(pages, 1):
        first, last = ("年度", "项目数") if number == 1 else ("单位编码", "指标值")
        assert first in page and last in page, f"page {number} is not the full width"
    assert "乡级人大代表活动经费" in text

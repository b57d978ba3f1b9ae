"""No formulas in exports: text that starts like a formula is written as text in the open-data
CSV, ``export --format csv`` and ``export --format xlsx`` (checked in the XML inside the zip and
in LibreOffice), and the .xlsx round trip keeps it exactly; JSON stays exact."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import zipfile
from pathlib import Path

import pytest
from conftest import run_cli
from openpyxl import load_workbook

PROJECT = "2023-002001-01"
TEXTS = {
    # indicator name: value, both as the YAML double-quoted scalars written into the file
    "=1+1": "@SUM(1+1)*cmd|' /C calc'!A0",
    "+1+1": "-2+3",
    "\\t=1+1": "\\t@2+2",  # a CR is refused by validate (a control character)
    "'已有引号": "'=3+3",
    "减少比例": "-5%",
    "增加": "+3",
}
"""Formula-like texts, texts starting with ' and plain signed numbers."""
CSV_CELLS = {
    "=1+1": "'=1+1", "@SUM(1+1)*cmd|' /C calc'!A0": "'@SUM(1+1)*cmd|' /C calc'!A0",
    "+1+1": "'+1+1", "-2+3": "'-2+3", "\t=1+1": "'\t=1+1", "\t@2+2": "'\t@2+2",
    "'已有引号": "''已有引号", "'=3+3": "''=3+3", "减少比例": "减少比例", "-5%": "-5%",
    "增加": "增加", "+3": "+3",
}
"""Each text and its CSV cell: a ' in front of what starts like a formula or with a '."""


def unescape(text: str) -> str:
    """How docs/site.md tells a data user to get the published text back from a CSV cell."""
    return text[1:] if text.startswith("'") else text


def expected(text: str) -> str:
    return text.replace("\\t", "\t").replace("\\r", "\r")


@pytest.fixture
def formula_site(shipped_site: Path) -> Path:
    path = next((shipped_site / "content").rglob(f"{PROJECT}.yaml"))
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    start = next(n for n, line in enumerate(lines) if line.startswith("indicators:")) + 1
    rows = [f'- {{level1: 产出指标, level2: 数量指标, name: "{name}", value: "{value}"}}\n'
            for name, value in TEXTS.items()]
    path.write_text("".join(lines[:start] + rows + lines[start:]), encoding="utf-8")
    return shipped_site


def indicator_rows(text: str) -> list[list[str]]:
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline="")))
    return [row for row in rows[1:] if row[0] == PROJECT]


def exported_csv(site: Path, folder: Path) -> str:
    """``export --format csv`` to a file, read back with its line ends as they are."""
    path = folder / "export.csv"
    run_cli("export", "--project", site, "--format", "csv", "-o", path, check=True)
    return path.read_bytes().decode("utf-8")


def test_csv_export_writes_formula_like_cells_as_text(formula_site: Path,
                                                      tmp_path: Path) -> None:
    rows = indicator_rows(exported_csv(formula_site, tmp_path))
    cells = {row[10]: row[11] for row in rows}
    for name, value in TEXTS.items():
        assert cells[CSV_CELLS[expected(name)]] == CSV_CELLS[expected(value)]
    published = json.loads(run_cli("export", "--project", formula_site, "--project-id", PROJECT,
                                   check=True).stdout)[0]["indicators"]
    assert [(unescape(r[10]), unescape(r[11])) for r in rows] == [
        (i["name"], i["value"]) for i in published]
    assert (published[0]["name"], published[0]["value"]) == ("=1+1", TEXTS["=1+1"])
    assert published[2]["name"] == "\t=1+1"  # JSON is exact
    assert [row[11] for row in rows if row[10] in ("减少比例", "增加")] == ["-5%", "+3"]
    assert "'" not in "".join(row[5] for row in rows)  # the amount column


def test_open_data_csv_is_the_exported_csv(formula_site: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    run_cli("build", "--project", formula_site, "--out", out, check=True)
    built = (out / "data" / "indicators.csv").read_bytes()
    assert built == exported_csv(formula_site, tmp_path).encode("utf-8")
    assert "'=1+1,'@SUM(1+1)*cmd|' /C calc'!A0" in built.decode("utf-8-sig")
    project = json.loads((out / "data" / "projects" / f"{PROJECT}.json").read_text("utf-8"))
    assert project["indicators"][0]["name"] == "=1+1"


def test_libreoffice_computes_no_formula_of_the_csv(formula_site: Path, tmp_path: Path) -> None:
    """LibreOffice opening the CSV with formula evaluation on finds no formula (it would
    compute a bare ``=1+1``: the control row shows it does)."""
    text = exported_csv(formula_site, tmp_path)
    path = tmp_path / "indicators.csv"
    path.write_text(text + "=1+1,control\r\n", encoding="utf-8", newline="")
    book = libreoffice(path, "xlsx", tmp_path,
                       "CSV:44,34,76,1,,0,false,true,false,false,false,-1,true")
    cells = [cell for row in load_workbook(book).active.iter_rows() for cell in row]
    formulas = [cell.value for cell in cells if cell.data_type == "f"]
    assert formulas == ["=1+1"]  # the control row only
    texts = {cell.value for cell in cells if cell.data_type == "s"}
    assert {"'=1+1", "'@SUM(1+1)*cmd|' /C calc'!A0", "''已有引号"} <= texts


def libreoffice(source: Path, fmt: str, folder: Path, infilter: str = "") -> Path:
    profile = (folder / "profile").as_uri()
    subprocess.run(["libreoffice", f"-env:UserInstallation={profile}", "--headless",
                    "--norestore", *([f"--infilter={infilter}"] if infilter else []),
                    "--convert-to", fmt, "--outdir", folder / "converted", source],
                   check=True, capture_output=True, timeout=300,
                   env={**os.environ, "SAL_USE_VCLPLUGIN": "svp"})
    return folder / "converted" / f"{source.stem}.{fmt.split(':')[0]}"


def test_xlsx_export_has_string_cells_never_formulas(formula_site: Path, tmp_path: Path) -> None:
    book = tmp_path / "one.xlsx"
    run_cli("export", "--project", formula_site, "--format", "xlsx", "--project-id", PROJECT,
            "-o", book, check=True)
    with zipfile.ZipFile(book) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml").decode("utf-8")
        styles = archive.read("xl/styles.xml").decode("utf-8")
        strings = re.findall(r"<si><t[^>]*>(.*?)</t></si>",
                             archive.read("xl/sharedStrings.xml").decode("utf-8"), re.S)
    assert "<f>" not in sheet and "<f " not in sheet
    cells = {ref: (int(style), strings[int(index)]) for ref, style, index in re.findall(
        r'<c r="([A-Z]+\d+)" s="(\d+)" t="s"><v>(\d+)</v></c>', sheet)}
    style, text = cells["G5"]  # the first indicator's name: a string cell, never a formula
    assert text == "=1+1"
    formats = re.findall(r"<xf [^>]*?(?:/>|>.*?</xf>)", styles.split("<cellXfs")[1])
    assert 'quotePrefix="1"' in formats[style]  # stays text when edited
    shown = {text for _, text in cells.values()}
    assert "@SUM(1+1)*cmd|' /C calc'!A0" in shown and "-5%" in shown
    csv_text = libreoffice(book, "csv", tmp_path).read_text(encoding="utf-8", errors="replace")
    assert "=1+1" in csv_text and ",2," not in csv_text  # LibreOffice shows the text


def test_xlsx_round_trip_keeps_formula_like_text(formula_site: Path, tmp_path: Path) -> None:
    book = tmp_path / "site.xlsx"
    run_cli("export", "--project", formula_site, "--format", "xlsx", "-o", book, check=True)
    again = tmp_path / "again"
    run_cli("import", "--project", again, book, check=True)
    before = json.loads(run_cli("export", "--project", formula_site, check=True).stdout)
    after = json.loads(run_cli("export", "--project", again, check=True).stdout)
    keep = ("name", "value")
    # the import takes cell texts without outer white space: "\t=1+1" comes back "=1+1"
    first = [{k: i[k].strip() for k in keep} for p in before for i in p["indicators"]]
    second = [{k: i[k] for k in keep} for p in after for i in p["indicators"]]
    assert second == first
    names = [i["name"] for p in after if p["id"] == PROJECT for i in p["indicators"]]
    assert names[:6] == ["=1+1", "+1+1", "=1+1", "'已有引号", "减少比例", "增加"]
    sheet = load_workbook(book)[PROJECT]
    assert [sheet[f"G{row}"].value for row in range(5, 11)] == [expected(n) for n in TEXTS]
    assert [sheet[f"H{row}"].data_type for row in range(5, 11)] == ["s"] * 6

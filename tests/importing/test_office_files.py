"""Old and other office formats, made by real LibreOffice from the seed forms, read back.

LibreOffice starts in seconds, so the files are made once for the module, several per run:
the Word form of both seed tables (python-docx) becomes .doc and PDF; the Excel form (the
export's workbook) becomes .xls and .ods.  Each import is compared with the text import of
the seeds, indicator by indicator.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from compare import compare
from conftest import run_cli
from word_forms import write_form

from site_builder.commands.import_cmd import read_table
from site_builder.diagnostics import SiteBuilderError
from site_builder.export_xlsx import workbook_bytes
from site_builder.importers import convert
from site_builder.importers.base import ImportResult
from site_builder.importers.sniff import DOC, DOCX, XLS, XLSX, sniff
from site_builder.limits import DEFAULT_LIMITS, InputLimits
from site_builder.model import Project, Site


def soffice(target: str, files: list[Path], out: Path) -> None:
    """Convert ``files`` to ``target`` with one LibreOffice run."""
    subprocess.run(["soffice", f"-env:UserInstallation={(out / 'profile').as_uri()}",
                    "--headless", "--norestore", "--convert-to", target, "--outdir", str(out),
                    *map(str, files)], check=True, capture_output=True, timeout=300,
                   env={**os.environ, "SAL_USE_VCLPLUGIN": "svp"})


@pytest.fixture(scope="module")
def imported(seeds: list[Path]) -> list[ImportResult]:
    return [read_table(seed, None) for seed in seeds]


@pytest.fixture(scope="module")
def expected(imported: list[ImportResult]) -> list[Project]:
    return [p for r in imported for p in r.projects]


@pytest.fixture(scope="module")
def office(tmp_path_factory: pytest.TempPathFactory,
           imported: list[ImportResult]) -> dict[str, Path]:
    """forms.docx/.xlsx made here, forms.doc/.pdf/.xls/.ods made from them by LibreOffice."""
    folder = tmp_path_factory.mktemp("office")
    units = [u for r in imported for u in r.units]
    projects = [p for r in imported for p in r.projects]
    docx = write_form(folder / "forms.docx", units, projects)
    xlsx = folder / "forms.xlsx"
    xlsx.write_bytes(workbook_bytes(Site(tuple(units), tuple(projects)), projects))
    for target, source in (("doc", docx), ("pdf", docx), ("xls", xlsx), ("ods", xlsx)):
        soffice(target, [source], folder)
    return {path.suffix[1:]: path for path in folder.glob("forms.*")}


def same_content(expected: list[Project], result: ImportResult) -> None:
    comparison = compare(expected, result.projects)
    assert comparison.differences == (), comparison.report()
    assert comparison.exact == comparison.indicators == 501


def test_doc_converted_by_libreoffice(office: dict[str, Path],
                                      expected: list[Project]) -> None:
    assert sniff(office["doc"], "").kind == DOC
    result = read_table(office["doc"], None)
    same_content(expected, result)
    assert result.layout == "doc (docx)"
    assert result.projects[0].source == "forms.doc:表1:3:2"
    assert not [d.format() for d in result.diagnostics
                if d.severity != "info" and d.code != "no-value"]


@pytest.mark.parametrize("suffix", ["xls", "ods"])
def test_workbook_converted_by_libreoffice(office: dict[str, Path], expected: list[Project],
                                           suffix: str) -> None:
    result = read_table(office[suffix], None)
    same_content(expected, result)
    assert result.layout == f"{suffix} (xlsx)"
    assert result.projects[0].source == f"forms.{suffix}:2021-703001-01!B4"
    no_value = next(d for d in result.diagnostics if d.code == "no-value")
    assert str(no_value.pos) == f"{office[suffix]}:2021-703001-21!G4"


def test_wps_and_et_files_are_told_by_content(office: dict[str, Path], tmp_path: Path) -> None:
    """WPS Office saves .wps/.et in the Word/Excel 97 format; renamed files are found out."""
    cases = {"form.wps": (office["doc"], DOC), "form.et": (office["xls"], XLS),
             "form.xls": (office["doc"], DOC), "form.doc": (office["xlsx"], XLSX),
             "form.xlsx": (office["docx"], DOCX), "form.txt": (office["xls"], XLS)}
    for name, (source, kind) in cases.items():
        shutil.copyfile(source, tmp_path / name)
        assert sniff(tmp_path / name, name).kind == kind, name


def test_import_command_reads_an_et_file(office: dict[str, Path], tmp_path: Path,
                                         expected: list[Project]) -> None:
    et = tmp_path / "单位绩效目标.et"
    shutil.copyfile(office["xls"], et)
    site = tmp_path / "site"
    proc = run_cli("import", "--project", site, et)
    assert proc.returncode == 0, proc.stderr
    assert len(list((site / "content").rglob("*.yaml"))) == len(expected) + 2
    assert run_cli("validate", "--project", site).returncode == 0


def test_missing_libreoffice_is_a_clear_message(office: dict[str, Path], tmp_path: Path) -> None:
    site = tmp_path / "site"
    proc = run_cli("import", "--project", site, office["xls"],
                   env={convert.ENVIRONMENT: str(tmp_path / "no-such-soffice"),
                        "SITE_BUILDER_LANG": "zh_CN"})
    assert proc.returncode != 0 and "Traceback" not in proc.stderr
    assert proc.stderr.startswith(f"{office['xls']}: 错误：这是Excel 97-2003 工作簿（.xls/.et），"
                                  "读取它需要 LibreOffice，但本机没有找到")
    assert "apt-get install libreoffice-writer-nogui libreoffice-calc-nogui" in proc.stderr
    assert not (site / "content").exists()


def test_a_broken_old_file_is_a_clear_message(tmp_path: Path) -> None:
    path = tmp_path / "old.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600))
    proc = run_cli("import", "--project", tmp_path / "site", path)
    assert proc.returncode != 0 and "Traceback" not in proc.stderr
    assert proc.stderr.startswith(f"{path}: error: ")  # LibreOffice's or the workbook's


def test_conversion_is_bounded_in_time(office: dict[str, Path]) -> None:
    limits = InputLimits({**DEFAULT_LIMITS.values, "limit_seconds": 1})
    with pytest.raises(SiteBuilderError) as caught:
        read_table(office["ods"], None, limits)
    assert caught.value.diagnostics[0].code == "input-limit"
    assert "reading time over the limit" in caught.value.diagnostics[0].message


def test_pdftotext_layout_text_is_refused_clearly(office: dict[str, Path],
                                                  tmp_path: Path) -> None:
    """Text taken from the PDF of the form with pdftotext -layout: columns lined up by spaces."""
    text = tmp_path / "forms.txt"
    subprocess.run(["pdftotext", "-layout", office["pdf"], text], check=True, timeout=120)
    assert "单位编" in text.read_text(encoding="utf-8")  # the form, its narrow columns wrapped
    proc = run_cli("import", "--project", tmp_path / "site", text,
                   env={"SITE_BUILDER_LANG": "zh_CN"})
    assert proc.returncode != 0 and "Traceback" not in proc.stderr
    assert "错误：看起来是用 pdftotext 等工具从 PDF 提取的文本，表格的列是用空格对齐的" in proc.stderr
    assert not (tmp_path / "site" / "content").exists()


def test_a_pdf_goes_to_the_pdf_reader(office: dict[str, Path], expected: list[Project]) -> None:
    """A PDF is never read as text: the PDF reader reads it."""
    result = read_table(office["pdf"], None)
    assert result.layout == "pdf"
    assert compare(expected, result.projects).exact > 0

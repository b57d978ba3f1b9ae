"""Importing the official form from PDFs that LibreOffice makes from the form's workbook and
from Word files of it, compared with the text import of the same seed tables indicator by
indicator; scans, passwords, broken files, PDFs without a table and cut cells refused."""

from __future__ import annotations

import json
import subprocess
from collections import Counter
from pathlib import Path

import pytest
from conftest import REPO, run_cli
from openpyxl import load_workbook
from pdf_forms import convert_to_pdf, word_form
from PIL import Image

from site_builder.commands.import_cmd import read_table
from site_builder.diagnostics import SiteBuilderError
from site_builder.importers import pdf
from site_builder.importers.base import ImportResult
from site_builder.limits import InputLimits


def _limits(**values: int) -> InputLimits:
    defaults = dict(InputLimits().values)
    defaults.update(values)
    return InputLimits(defaults)


@pytest.fixture(scope="session")
def text_import(seeds: list[Path]) -> list[ImportResult]:
    """What the text import reads from the two published seed tables."""
    return [read_table(seed, None) for seed in seeds]


@pytest.fixture(scope="session")
def made(tmp_path_factory: pytest.TempPathFactory,
         text_import: list[ImportResult]) -> dict[str, Path]:
    """Every PDF the tests read, made once: four by one LibreOffice run, one more for the
    password (an export option), the scan with pdftoppm and Pillow."""
    root = tmp_path_factory.mktemp("pdf")
    profile = root / "lo-profile"
    workbook = root / "official.xlsx"
    run_cli("export", "--project", REPO, "--format", "xlsx", "-o", workbook, check=True)
    cut = root / "cut.xlsx"
    book = load_workbook(workbook)
    kept = book.sheetnames[3]  # 2021-703001-03 纪委工作经费: 14 indicators
    for name in book.sheetnames:
        if name != kept:
            del book[name]
    for row in range(4, book[kept].max_row + 1):
        book[kept].row_dimensions[row].height = 45  # two pages, merged cells cut
    book.save(cut)
    word = word_form(text_import, root / "word-form.docx")
    plain = word_form(text_import, root / "plain-form.docx", font_pt=10.5, repeat_header=False)
    official, cut_pdf, word_pdf, plain_pdf = convert_to_pdf(
        [workbook, cut, word, plain], root, profile)
    secret = root / "secret.txt"
    secret.write_text("项目支出绩效目标表\n", encoding="utf-8")
    encrypted = convert_to_pdf([secret], root, profile, 'pdf:writer_pdf_Export:{'
                               '"EncryptFile":{"type":"boolean","value":"true"},'
                               '"DocumentOpenPassword":{"type":"string","value":"x"}}')[0]
    subprocess.run(["pdftoppm", "-r", "40", "-f", "2", "-l", "3", "-png", str(official),
                    str(root / "scan")], check=True, timeout=120)
    images = [Image.open(p).convert("RGB") for p in sorted(root.glob("scan-*.png"))]
    scan = root / "scan.pdf"
    images[0].save(scan, save_all=True, append_images=images[1:])
    mixed = root / "mixed.pdf"
    subprocess.run(["pdfunite", str(official), str(scan), str(mixed)], check=True, timeout=120)
    broken = root / "broken.pdf"
    broken.write_bytes(official.read_bytes()[:4000])
    no_table = root / "notes.pdf"
    no_table.write_bytes(_text_only_pdf(["Budget notes", "No table here"]))
    return {"official": official, "cut": cut_pdf, "word": word_pdf, "plain": plain_pdf,
            "encrypted": encrypted, "scan": scan, "mixed": mixed, "broken": broken, "no_table": no_table}


def _text_only_pdf(lines: list[str]) -> bytes:
    """A one-page PDF with a text layer and no ruled line (Helvetica, ASCII)."""
    stream = "BT /F1 14 Tf 72 760 Td " + " ".join(
        f"({line}) Tj 0 -20 Td" for line in lines) + " ET"
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        "/Resources << /Font << /F1 5 0 R >> >> >>",
        f"<< /Length {len(stream)} >>\nstream\n{stream}\nendstream",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body}\nendobj\n".encode("ascii")
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode("ascii")
    out += "".join(f"{offset:010d} 00000 n \n" for offset in offsets).encode("ascii")
    out += (f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n"
            "%%EOF\n").encode("ascii")
    return out


def differences(expected: list[ImportResult], found: ImportResult) -> tuple[list[str], int]:
    """Every field of every project that differs from the text import, indicator by
    indicator; and the number of indicators compared."""
    by_key: dict[tuple[str, str, str], list[object]] = {}
    for project in found.projects:
        by_key.setdefault((project.year, project.unit_code, project.name), []).append(project)
    problems: list[str] = []
    compared = 0
    for result in expected:
        for want in result.projects:
            candidates = by_key.get((want.year, want.unit_code, want.name), [])
            if not candidates:
                problems.append(f"missing project {want.name}")
                continue
            got = candidates.pop(0)
            for field in ("amount", "goals", "notes", "table_total", "remark"):
                if getattr(want, field) != getattr(got, field):
                    problems.append(f"{want.name} {field}: {getattr(want, field)!r} != "
                                    f"{getattr(got, field)!r}")
            rows = [(i.level1, i.level2, i.name, i.value) for i in got.indicators]  # type: ignore[attr-defined]
            for number, indicator in enumerate(want.indicators):
                compared += 1
                row = (indicator.level1, indicator.level2, indicator.name, indicator.value)
                if number >= len(rows) or rows[number] != row:
                    problems.append(f"{want.name} #{number + 1}: {row} != "
                                    f"{rows[number] if number < len(rows) else None}")
            if len(rows) != len(want.indicators):
                problems.append(f"{want.name}: {len(rows)} indicators, not "
                                f"{len(want.indicators)}")
    problems += [f"extra project {p.name}" for left in by_key.values() for p in left]  # type: ignore[attr-defined]
    return problems, compared


def total_indicators(results: list[ImportResult]) -> int:
    return sum(len(p.indicators) for r in results for p in r.projects)


def infos(result: ImportResult, start: str) -> list[str]:
    return [str(d.pos) for d in result.diagnostics
            if d.severity == "info" and d.message.startswith(start)]


# --- the same content as the text import --------------------------------------------------


def test_pdf_of_the_official_workbook_reads_as_the_text_import(
        made: dict[str, Path], text_import: list[ImportResult]) -> None:
    """Calc's PDF of `export --format xlsx`: one page per project after the unit summary."""
    result = pdf.read(made["official"], "official.pdf")
    problems, compared = differences(text_import, result)
    assert problems == []
    assert compared == total_indicators(text_import) > 400
    assert result.layout == "pdf"
    assert [p.source for p in result.projects[:2]] == ["official.pdf:第2页", "official.pdf:第3页"]
    units = {u.code: (u.name, u.parent_code, str(u.declared_total)) for u in result.units}
    assert units == {"703001": ("门源县青石嘴镇政府", "703", "448.68"),
                     "002001": ("祁连县阿柔乡人民政府", "", "None")}
    assert [d.format() for d in result.diagnostics if d.severity == "error"] == []
    assert all(str(d.pos).startswith("official.pdf:第") for d in result.diagnostics)


def test_pdf_of_a_word_form_reads_as_the_text_import(
        made: dict[str, Path], text_import: list[ImportResult]) -> None:
    """Writer's PDF of a .docx with one table per project, tables flowing over pages:
    several tables on a page, tables cut by page breaks with the header repeated, cells cut
    in the middle of a name or a goal, 第N页 共M页 in the footer."""
    result = pdf.read(made["word"], "word.pdf")
    problems, compared = differences(text_import, result)
    assert problems == []
    assert compared == total_indicators(text_import)
    pages = Counter(p.source for p in result.projects)
    assert max(pages.values()) >= 2, "some page holds several tables"
    assert len(infos(result, "The header repeated at the top of a continued page")) >= 5
    assert len(infos(result, "The page number '第")) >= 20
    assert "word.pdf:第2页" in infos(result, "The page number '第 2 页 共")


def test_pdf_of_a_word_form_without_repeated_headers(
        made: dict[str, Path], text_import: list[ImportResult]) -> None:
    """Larger type, header rows not repeated: a table goes on at the top of the next page."""
    result = pdf.read(made["plain"], "plain.pdf")
    problems, _ = differences(text_import, result)
    assert problems == []
    assert infos(result, "The header repeated at the top of a continued page") == []


def test_import_command_writes_the_shipped_content(made: dict[str, Path],
                                                    tmp_path: Path) -> None:
    """Through the CLI: the content of the PDF is the repository's content (the seeds)."""
    site = tmp_path / "site"
    proc = run_cli("import", "--project", site, made["official"], check=True)
    assert "pdf layout, 2 unit(s), 42 project(s): 44 created" in proc.stdout
    before = json.loads(run_cli("export", "--project", REPO, check=True).stdout)
    after = json.loads(run_cli("export", "--project", site, check=True).stdout)
    strip = [{k: v for k, v in p.items() if k != "source"} for p in before]
    assert [{k: v for k, v in p.items() if k != "source"} for p in after] == strip
    assert after[0]["source"] == "official.pdf:第2页"


# --- refused, with a Chinese message and nothing written ----------------------------------


def refused(path: Path, tmp_path: Path) -> str:
    site = tmp_path / "site"
    proc = run_cli("import", "--project", site, path, env={"SITE_BUILDER_LANG": "zh_CN"})
    assert proc.returncode != 0, proc.stdout
    assert "Traceback" not in proc.stderr
    assert not (site / "content").exists()
    return proc.stderr


def test_scan_refused_naming_its_pages(made: dict[str, Path], tmp_path: Path) -> None:
    message = refused(made["scan"], tmp_path)
    assert "scan.pdf: 错误：第1–2页没有文字层（是扫描件或图片）" in message
    assert "OCR" in message


def test_scanned_pages_among_text_pages_refused(made: dict[str, Path], tmp_path: Path) -> None:
    """Two pages of pictures after the 43 of the workbook: never a partial import."""
    message = refused(made["mixed"], tmp_path)
    assert "mixed.pdf: 错误：第44–45页没有文字层" in message


def test_password_refused(made: dict[str, Path], tmp_path: Path) -> None:
    assert "PDF 文件设有打开密码" in refused(made["encrypted"], tmp_path)


def test_broken_file_refused(made: dict[str, Path], tmp_path: Path) -> None:
    assert "不是可读取的 PDF 文件" in refused(made["broken"], tmp_path)


def test_pdf_without_a_table_fails(made: dict[str, Path], tmp_path: Path) -> None:
    message = refused(made["no_table"], tmp_path)
    assert "PDF 中没有读到项目支出绩效目标表（1 页有文字，没有找到有框线的表格）" in message


def test_merged_cells_cut_by_a_spreadsheet_page_break_refused(made: dict[str, Path],
                                                              tmp_path: Path) -> None:
    """Calc prints a merged cell cut by a page break twice, shifted over the repeated header:
    the text cannot be placed with certainty, so the file is refused, pages named."""
    message = refused(made["cut"], tmp_path)
    assert "cut.pdf:第1页: 错误：第1–2页：合并的单元格被分页截断" in message
    assert "调整为 1 页高" in message


def test_limits_checked(made: dict[str, Path]) -> None:
    with pytest.raises(SiteBuilderError, match=r"number of pages over the limit: 43 pages \(the limit is 10 pages\).*limit_pages"):
        pdf.read(made["official"], "official.pdf", _limits(limit_pages=10))
    with pytest.raises(SiteBuilderError, match="file size over the limit"):
        pdf.read(made["official"], "official.pdf", _limits(limit_file_mb=0))
    with pytest.raises(SiteBuilderError, match="第2页: error: number of rows over the limit"):
        pdf.read(made["official"], "official.pdf", _limits(limit_rows=5))

"""Importing 项目支出绩效自评表 workbooks (made in the tests from the example site's fictional
self-evaluations; one converted by LibreOffice to .xls and read back through it): every cell
as published, the unit found by its name, the project by its name, nothing lost or
overwritten silently."""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import REPO, run_cli
from evaluation_forms import comparable, write_document, write_form

from site_builder.content.reader import load_site
from site_builder.model import SelfEvaluation

EXAMPLE = REPO / "examples" / "self-evaluation"
UNIT_DIR = "content/2023/002001"


@pytest.fixture
def bare_site(tmp_path: Path) -> Path:
    """The example site without its self-evaluation files."""
    site = tmp_path / "site"
    shutil.copytree(EXAMPLE, site)
    for path in (site / UNIT_DIR).glob("*.evaluation.yaml"):
        path.unlink()
    return site


@pytest.fixture(scope="module")
def examples() -> tuple[SelfEvaluation, ...]:
    return load_site(EXAMPLE).site.evaluations


@pytest.mark.parametrize("number", [0, 1])
def test_a_workbook_imports_every_cell_as_published(bare_site: Path, tmp_path: Path,
                                                    examples: tuple[SelfEvaluation, ...],
                                                    number: int) -> None:
    original = examples[number]
    book = write_form(original, tmp_path / f"自评表{number}.xlsx")
    done = run_cli("import", "--project", bare_site, book)
    assert done.returncode == 0, done.stderr
    assert "1 self-evaluation(s)" in done.stdout and "1 created" in done.stdout
    made = bare_site / UNIT_DIR / f"{original.id}.evaluation.yaml"
    assert made.is_file(), sorted(p.name for p in (bare_site / UNIT_DIR).iterdir())
    site = load_site(bare_site).site
    [imported] = site.evaluations
    assert comparable(imported) == comparable(original)
    assert imported.project == original.id  # found by its name, and written down
    assert imported.source == f"{book.name}:自评表!A1"  # where the form's title is
    again = run_cli("import", "--project", bare_site, book)
    assert again.returncode == 0 and "1 unchanged" in again.stdout
    built = run_cli("build", "--project", bare_site, "--out", tmp_path / "out")
    assert built.returncode == 0, built.stderr
    page = (tmp_path / "out/projects" / f"{original.id}.html").read_text(encoding="utf-8")
    assert 'id="self-evaluation"' in page


def test_a_hand_edited_file_is_not_overwritten(bare_site: Path, tmp_path: Path,
                                               examples: tuple[SelfEvaluation, ...]) -> None:
    book = write_form(examples[0], tmp_path / "自评表.xlsx")
    run_cli("import", "--project", bare_site, book, check=True)
    made = bare_site / UNIT_DIR / "2023-002001-01.evaluation.yaml"
    edited = made.read_text(encoding="utf-8").replace("actual: 4次", "actual: 4次（已核）")
    made.write_text(edited, encoding="utf-8")
    changed = write_form(replace(examples[0], total_score="98.4"), tmp_path / "新.xlsx")
    again = run_cli("import", "--project", bare_site, changed)
    assert again.returncode == 0 and "1 skipped" in again.stdout
    assert made.read_text(encoding="utf-8") == edited
    forced = run_cli("import", "--project", bare_site, changed, "--force")
    assert forced.returncode == 0 and "total_score: '98.4'" in made.read_text(encoding="utf-8")


def test_a_form_of_an_unknown_unit_is_refused_with_its_cell(bare_site: Path, tmp_path: Path,
                                                           examples: tuple[SelfEvaluation, ...]
                                                           ) -> None:
    book = write_form(replace(examples[0], implementer="某乡人民政府", department="某县财政局"),
                      tmp_path / "自评表.xlsx")
    before = sorted(p.name for p in (bare_site / UNIT_DIR).iterdir())
    done = run_cli("import", "--project", bare_site, book)
    assert done.returncode != 0 and "Traceback" not in done.stderr
    assert f"{book}:自评表!F4: error: No unit of 2023 is named" in done.stderr
    chinese = run_cli("import", "--project", bare_site, book, env={"SITE_BUILDER_LANG": "zh_CN"})
    assert "自评表!F4: 错误：" in chinese.stderr and "No unit" not in chinese.stderr
    assert sorted(p.name for p in (bare_site / UNIT_DIR).iterdir()) == before


def test_an_old_excel_file_goes_through_libreoffice(bare_site: Path, tmp_path: Path,
                                                    examples: tuple[SelfEvaluation, ...]
                                                    ) -> None:
    book = write_form(examples[1], tmp_path / "自评表.xlsx")
    out = tmp_path / "xls"
    subprocess.run(["soffice", f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
                    "--headless", "--convert-to", "xls", "--outdir", str(out), str(book)],
                   check=True, capture_output=True, timeout=180)
    done = run_cli("import", "--project", bare_site, out / "自评表.xls")
    assert done.returncode == 0, done.stderr
    [imported] = load_site(bare_site).site.evaluations
    assert comparable(imported) == comparable(examples[1])


def test_a_word_form_imports_as_the_excel_one_does(bare_site: Path, tmp_path: Path,
                                                  examples: tuple[SelfEvaluation, ...]) -> None:
    document = write_document(examples[0], tmp_path / "自评表.docx")
    done = run_cli("import", "--project", bare_site, document)
    assert done.returncode == 0, done.stderr
    [imported] = load_site(bare_site).site.evaluations
    assert comparable(imported) == comparable(examples[0])
    assert imported.source == f"{document.name}:第1段"

"""Importing 项目支出绩效自评表 PDFs and text files made in the tests from the example site's
FICTIONAL self-evaluations (examples/self-evaluation/: one consistent, one with deliberate
mistakes; no office published them): PDFs LibreOffice prints from the workbooks and Word
documents the tests build, text LibreOffice saves from the workbooks as tab-delimited text.
Each is imported through the real command and must write what the import of the workbook it
was made from writes, every value as published; importing again changes nothing and a file
edited by hand is skipped until --force, as for a workbook; an incomplete form, a form printed
side by side and text whose columns cannot be told apart are refused at their page or line,
in Chinese, with exit status 1 and nothing written; a file in which no form is found fails."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import REPO, run_cli
from evaluation_forms import (
    comparable,
    write_form,
    write_printable_document,
    write_printable_forms,
)
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from word_forms import write_form as write_target_document

from site_builder.content.reader import load_site
from site_builder.diagnostics import SiteBuilderError
from site_builder.importers.evaluation_text import records, text_rows
from site_builder.model import SelfEvaluation

EXAMPLE = REPO / "examples" / "self-evaluation"
UNIT_DIR = "content/2023/002001"
TEXT_FILTER = "txt:Text - txt - csv (StarCalc):9,34,76"
"""LibreOffice's tab-delimited text export: tab, double quotes, UTF-8."""
SECOND_GOAL = "（示例，虚构）第二条目标：按季度公开经费使用情况。"
"""A second 预期目标 line for the form whose cell holds a line break (fictional)."""
AS_PUBLISHED = "≥100百分比"
"""A 年度指标值 written as some offices write it (the unit in words), given in the tests to an
indicator of the fictional form with deliberate mistakes: imported as it stands."""


@pytest.fixture(scope="module")
def examples() -> tuple[SelfEvaluation, ...]:
    """The example site's two fictional self-evaluations."""
    return load_site(EXAMPLE).site.evaluations


def convert(sources: Sequence[Path], target: str, out: Path, profile: Path) -> list[Path]:
    """Each file converted by one LibreOffice run (a private profile)."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice, "LibreOffice (soffice) must be installed: scripts/test.sh installs it"
    subprocess.run([soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless",
                    "--convert-to", target, "--outdir", str(out), *map(str, sources)],
                   check=True, capture_output=True, timeout=600)
    suffix = "." + target.split(":")[0]
    made = [out / f"{source.stem}{suffix}" for source in sources]
    assert all(path.is_file() for path in made), made
    return made


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory,
         examples: tuple[SelfEvaluation, ...]) -> dict[str, Path]:
    """Every file the tests import, made once (two LibreOffice runs)."""
    root = tmp_path_factory.mktemp("evaluation-files")
    first, second = examples
    books = {"form0": write_printable_forms([first], root / "form0.xlsx"),
             "form1": write_printable_forms([second], root / "form1.xlsx"),
             "forms": write_printable_forms(examples, root / "forms.xlsx"),
             "nameless": write_printable_forms([replace(first, name="")], root / "nameless.xlsx"),
             "goals": write_printable_forms(
                 [replace(first, expected=(*first.expected, SECOND_GOAL))], root / "goals.xlsx"),
             "published": write_printable_forms([as_published(second)],
                                                root / "published.xlsx"),
             "changed": write_printable_forms([replace(first, total_score="98.4")],
                                              root / "changed.xlsx")}
    unruled = write_form(first, root / "unruled.xlsx")  # no cell borders: no ruled table
    wide = write_printable_forms([first], root / "wide.xlsx")
    book = load_workbook(wide)
    for sheet in book.worksheets:  # too wide for a portrait page: printed side by side
        sheet.sheet_properties.pageSetUpPr.fitToPage = False
        sheet.page_setup.orientation = "portrait"
        sheet.page_setup.scale = 85
    book.save(wide)
    document = write_printable_document(examples, root / "documents.docx")
    site = load_site(EXAMPLE).site
    target = write_target_document(root / "target.docx", site.units, site.projects)
    pdfs = convert([*books.values(), wide, unruled, document, target], "pdf", root / "pdf",
                   root / "profile")
    texts = convert([books[name] for name in ("form0", "form1", "goals", "nameless",
                                              "published", "changed")],
                    TEXT_FILTER, root / "text", root / "profile")
    both = root / "text" / "forms.txt"
    both.write_bytes(texts[0].read_bytes() + texts[1].read_bytes())
    return {**{f"{name}.xlsx": path for name, path in books.items()},
            **{path.name: path for path in pdfs}, **{path.name: path for path in texts},
            "forms.txt": both}


def as_published(evaluation: SelfEvaluation) -> SelfEvaluation:
    """``evaluation`` with :data:`AS_PUBLISHED` as the 年度指标值 of its 保证干部用餐."""
    return replace(evaluation, indicators=tuple(
        replace(i, target=AS_PUBLISHED) if i.name == "保证干部用餐" else i
        for i in evaluation.indicators))


@pytest.fixture
def bare_site(tmp_path: Path) -> Path:
    """The example site without its self-evaluation files."""
    return _bare(tmp_path / "site")


def _bare(site: Path) -> Path:
    shutil.copytree(EXAMPLE, site)
    for path in (site / UNIT_DIR).glob("*.evaluation.yaml"):
        path.unlink()
    return site


def imported(site: Path, path: Path) -> dict[str, str]:
    """Import ``path`` into ``site``; the self-evaluation files written, without the lines
    that name the file (the heading comment, the digest, ``source:``)."""
    done = run_cli("import", "--project", site, path)
    assert done.returncode == 0, done.stderr
    return {made.name: "\n".join(line for line in made.read_text(encoding="utf-8").splitlines()
                                 if not line.startswith(("# Imported", "# import-digest",
                                                         "source:")))
            for made in sorted((site / UNIT_DIR).glob("*.evaluation.yaml"))}


def sources(site: Path) -> list[str]:
    return [evaluation.source for evaluation in load_site(site).site.evaluations]


def refusal(site: Path, path: Path) -> str:
    """The import of ``path`` refused (in Chinese): its messages; nothing written."""
    before = sorted(p.name for p in (site / UNIT_DIR).iterdir())
    done = run_cli("import", "--project", site, path, env={"SITE_BUILDER_LANG": "zh_CN"})
    assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
    assert sorted(p.name for p in (site / UNIT_DIR).iterdir()) == before
    return done.stderr


# --- PDF ------------------------------------------------------------------------------------

@pytest.mark.parametrize("number", [0, 1])
def test_a_pdf_form_writes_what_its_workbook_writes(made: dict[str, Path], tmp_path: Path,
                                                    examples: tuple[SelfEvaluation, ...],
                                                    number: int) -> None:
    """The consistent form and the one with deliberate mistakes (a score above its weight,
    效果明显, 较好 …): every value as published, none corrected."""
    pdf = made[f"form{number}.pdf"]
    from_pdf = imported(_bare(tmp_path / "pdf"), pdf)
    from_book = imported(_bare(tmp_path / "book"), made[f"form{number}.xlsx"])
    assert from_pdf == from_book and len(from_pdf) == 1
    [evaluation] = load_site(tmp_path / "pdf").site.evaluations
    assert comparable(evaluation) == comparable(examples[number])
    assert evaluation.project == examples[number].id
    assert evaluation.source == f"{pdf.name}:第1页"


def test_a_pdf_with_a_form_on_each_page(made: dict[str, Path], tmp_path: Path,
                                        examples: tuple[SelfEvaluation, ...]) -> None:
    """A workbook of two sheets printed as one PDF, a form per page."""
    from_pdf = imported(_bare(tmp_path / "pdf"), made["forms.pdf"])
    assert from_pdf == imported(_bare(tmp_path / "book"), made["forms.xlsx"])
    assert len(from_pdf) == 2
    assert sources(tmp_path / "pdf") == ["forms.pdf:第1页", "forms.pdf:第2页"]
    assert [comparable(e) for e in load_site(tmp_path / "pdf").site.evaluations] == [
        comparable(e) for e in examples]


def test_a_pdf_of_a_word_document_with_forms_going_on_over_pages(
        made: dict[str, Path], tmp_path: Path, examples: tuple[SelfEvaluation, ...]) -> None:
    """Two forms one after another in a Word document: each goes on over a page break, where
    Writer cuts a row in two (its 三级指标 name on both pages), joined again."""
    pdf = made["documents.pdf"]
    done = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    pages = next(int(line.split()[1]) for line in done.stdout.splitlines()
                 if line.startswith("Pages:"))
    assert pages == 3  # two forms on three pages
    from_pdf = imported(_bare(tmp_path / "pdf"), pdf)
    assert from_pdf == imported(_bare(tmp_path / "book"), made["forms.xlsx"])
    assert [comparable(e) for e in load_site(tmp_path / "pdf").site.evaluations] == [
        comparable(e) for e in examples]
    assert sources(tmp_path / "pdf") == ["documents.pdf:第1页", "documents.pdf:第2页"]


@pytest.mark.parametrize("suffix", ["pdf", "txt"])
def test_values_stay_as_published(made: dict[str, Path], bare_site: Path,
                                  examples: tuple[SelfEvaluation, ...], suffix: str) -> None:
    """A value written oddly, a vague actual value, a score above its weight, a total that is
    not the sum: imported as they stand (the checks report them, the import does not mend)."""
    imported(bare_site, made[f"published.{suffix}"])
    [evaluation] = load_site(bare_site).site.evaluations
    assert comparable(evaluation) == comparable(as_published(examples[1]))
    by_name = {i.name: i for i in evaluation.indicators}
    assert by_name["保证干部用餐"].target == AS_PUBLISHED
    assert by_name["社会和谐稳定"].actual == "效果明显"
    assert by_name["服务对象满意度"].actual == "较好"
    assert (by_name["购买厨用耗材"].weight, by_name["购买厨用耗材"].score) == ("10", "12")
    assert (evaluation.total_score, evaluation.grade) == ("99", "良")
    written = (bare_site / UNIT_DIR / "2023-002001-02.evaluation.yaml").read_text(
        encoding="utf-8")
    assert f"target: {AS_PUBLISHED}" in written and "actual: 效果明显" in written


@pytest.mark.parametrize("suffix", ["pdf", "txt"])
def test_a_re_import_changes_nothing_and_a_hand_edited_file_is_not_overwritten(
        made: dict[str, Path], bare_site: Path, suffix: str) -> None:
    """As for a workbook: the same file again changes nothing; a self-evaluation edited by
    hand is skipped (and said so) until --force; the projects' own files are never touched."""
    unit = bare_site / UNIT_DIR
    projects = {p.name: p.read_bytes() for p in sorted(unit.iterdir())
                if not p.name.endswith(".evaluation.yaml")}
    form = made[f"form0.{suffix}"]
    first = run_cli("import", "--project", bare_site, form)
    assert first.returncode == 0 and "1 self-evaluation(s)" in first.stdout, first.stderr
    assert "1 created" in first.stdout
    again = run_cli("import", "--project", bare_site, form)
    assert again.returncode == 0 and "1 unchanged" in again.stdout, again.stderr
    written = unit / "2023-002001-01.evaluation.yaml"
    edited = written.read_text(encoding="utf-8").replace("actual: 4次", "actual: 4次（已核）")
    assert edited != written.read_text(encoding="utf-8")
    written.write_text(edited, encoding="utf-8")
    changed = made[f"changed.{suffix}"]
    skipped = run_cli("import", "--project", bare_site, changed,
                      env={"SITE_BUILDER_LANG": "zh_CN"})
    assert skipped.returncode == 0, skipped.stderr
    assert "跳过 1 个" in skipped.stdout and "--force" in skipped.stdout
    assert "（绩效指标、total_score、来源）没有写入" in skipped.stdout  # what differs, only
    assert written.read_text(encoding="utf-8") == edited
    forced = run_cli("import", "--project", bare_site, changed, "--force")
    assert forced.returncode == 0 and "1 updated" in forced.stdout, forced.stderr
    assert "total_score: '98.4'" in written.read_text(encoding="utf-8")
    assert {p.name: p.read_bytes() for p in sorted(unit.iterdir())
            if not p.name.endswith(".evaluation.yaml")} == projects


@pytest.mark.parametrize(("name", "where"), [("nameless.pdf", "第1页"), ("nameless.txt", "1")])
def test_an_incomplete_form_is_refused_at_its_page_or_line(made: dict[str, Path],
                                                          bare_site: Path, name: str,
                                                          where: str) -> None:
    path = made[name]
    stderr = refusal(bare_site, path)
    assert f"{path}:{where}: 错误：自评表没有写项目名称" in stderr


def test_a_pdf_form_without_ruled_lines_finds_nothing_and_fails(made: dict[str, Path],
                                                               bare_site: Path) -> None:
    """A sheet printed without cell borders: its text is there, no table of it is."""
    pdf = made["unruled.pdf"]
    stderr = refusal(bare_site, pdf)
    assert f"{pdf}: 错误：PDF 中没有找到项目支出绩效自评表" in stderr
    assert "单元格边框" in stderr


def test_a_form_printed_side_by_side_is_refused(made: dict[str, Path],
                                               bare_site: Path) -> None:
    pdf = made["wide.pdf"]
    stderr = refusal(bare_site, pdf)
    assert f"{pdf}:第2页: 错误：第 1–2 页：第 2 页的表格接续第 1 页，但两页的列对不齐" in stderr


def test_a_pdf_target_table_still_imports_as_projects(made: dict[str, Path],
                                                     bare_site: Path) -> None:
    """The example's two (real, published) target tables as a Word form printed to PDF."""
    done = run_cli("import", "--project", bare_site, made["target.pdf"])
    assert done.returncode == 0, done.stderr
    assert "2 project(s)" in done.stdout and "self-evaluation" not in done.stdout
    assert not list((bare_site / UNIT_DIR).glob("*.evaluation.yaml"))


# --- text -----------------------------------------------------------------------------------

def test_tab_delimited_text_writes_what_its_workbook_writes(
        made: dict[str, Path], tmp_path: Path, examples: tuple[SelfEvaluation, ...]) -> None:
    """Two forms LibreOffice saved as tab-delimited text, one after the other in a file."""
    text = made["forms.txt"]
    from_text = imported(_bare(tmp_path / "text"), text)
    assert from_text == imported(_bare(tmp_path / "book"), made["forms.xlsx"])
    assert len(from_text) == 2
    lines = text.read_text(encoding="utf-8").splitlines()
    second = next(number for number, line in enumerate(lines, 1)
                  if number > 1 and line.startswith("项目支出绩效自评表\t"))
    assert sources(tmp_path / "text") == ["forms.txt:1", f"forms.txt:{second}"]


def test_a_quoted_cell_with_a_line_break(made: dict[str, Path], tmp_path: Path) -> None:
    """LibreOffice writes a cell holding a line break in double quotes over two lines."""
    text = made["goals.txt"]
    assert f'"{SECOND_GOAL}' not in text.read_text(encoding="utf-8")
    assert f'{SECOND_GOAL}"' in text.read_text(encoding="utf-8")
    from_text = imported(_bare(tmp_path / "text"), text)
    assert from_text == imported(_bare(tmp_path / "book"), made["goals.xlsx"])
    [evaluation] = load_site(tmp_path / "text").site.evaluations
    assert SECOND_GOAL in "\n".join(evaluation.expected)


HEADLESS = """项目支出绩效自评表
（2023年度）
项目名称\t乡级人大代表活动经费（示例，虚构）
项目资金（万元）\t\t年初预算数\t全年预算数\t全年执行数
\t年度资金总额\t3.28\t3.28\t3.20
"""
"""The top of a form (fictional values), its indicator part left out."""


def test_a_text_form_without_its_indicators_finds_nothing_and_fails(tmp_path: Path,
                                                                   bare_site: Path) -> None:
    path = tmp_path / "headless.txt"
    path.write_text(HEADLESS, encoding="utf-8")
    stderr = refusal(bare_site, path)
    assert f"{path}: 错误：文本中没有找到项目支出绩效自评表" in stderr


SHIFTED = """2022年度项目支出绩效自评表
项目名称\t乡级人大代表活动经费（示例，虚构）
一级指标\t二级指标\t三级指标\t年度指标值\t实际完成值\t分值\t得分\t偏差原因分析及改进措施
产出指标\t数量指标\t组织召开专委会\t5次\t5次\t10\t10\t
组织召开人大代表会议\t3次\t3次\t7\t7
"""
"""Text taken out of a PDF (fictional values): the merged 一级/二级 cells left no field."""


def test_text_whose_cells_have_shifted_is_refused_at_the_line(tmp_path: Path,
                                                             bare_site: Path) -> None:
    path = tmp_path / "shifted.txt"
    path.write_text(SHIFTED, encoding="utf-8")
    stderr = refusal(bare_site, path)
    assert (f"{path}:5: 错误：项目支出绩效自评表的这一行有 5 个用制表符分隔的列，而它的表头"
            "（第 3 行）有 8 个") in stderr


def test_text_lined_up_with_spaces_is_refused(made: dict[str, Path], tmp_path: Path,
                                             bare_site: Path) -> None:
    path = tmp_path / "layout.txt"
    subprocess.run(["pdftotext", "-layout", str(made["form0.pdf"]), str(path)], check=True,
                   timeout=120)
    stderr = refusal(bare_site, path)
    assert f"{path}: 错误：文本中没有用制表符分隔的列" in stderr


def test_a_text_form_of_an_unknown_unit_is_refused_at_its_line(tmp_path: Path) -> None:
    """SHIFTED typed with its columns kept (the merged cells and the empty reason as empty
    fields): read, then refused for its unit (the site has none)."""
    path = tmp_path / "typed.txt"
    path.write_text(SHIFTED.replace("\n组织召开人大代表会议", "\n\t\t组织召开人大代表会议")
                    .replace("\t7\t7\n", "\t7\t7\t\n"), encoding="utf-8")
    done = run_cli("import", "--project", tmp_path / "site", path)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert f"{path}:1: error: No unit of 2022 is named" in done.stderr


def test_quoting_is_read_only_where_a_spreadsheet_writes_it() -> None:
    text = 'a\t"b\nc"\t"""x"" y"\n"十三五"规划\t"plain"\t"open\nz\n'
    assert [(r.line, r.fields) for r in records(text)] == [
        (1, ("a", "b\nc", '"x" y')), (3, ('"十三五"规划', '"plain"', '"open')), (4, ("z",))]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["\t", "\n", '"', '""', "三级指标", "实际完成值", "年初预算数",
                                 "预期目标", "实际完成情况", "总分", "自评表", "5次", " "])
                | st.text(max_size=6), max_size=40))
def test_any_text_gives_rows_or_a_positioned_refusal(parts: list[str]) -> None:
    try:
        rows = text_rows("".join(parts), "any.txt")
    except SiteBuilderError as refused:
        assert all(str(d.pos).startswith("any.txt") for d in refused.diagnostics)
        return
    assert all(cell.text and cell.col >= 1 for row in rows for cell in row)

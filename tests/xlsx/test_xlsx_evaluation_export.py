"""``site-builder export --format xlsx`` of a site with self-evaluations: each project's
项目支出绩效自评表 on the sheet after its 绩效目标表, every value as stored; the workbook read
back by ``site-builder import`` gives every field of each self-evaluation again; LibreOffice
prints each form on one A4 page; the same content gives the same bytes.

The self-evaluations are the example site's (fictional, see examples/self-evaluation/)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import REPO, run_cli
from openpyxl import load_workbook

EXAMPLE = REPO / "examples" / "self-evaluation"
UNIT_DIR = "content/2023/002001"
IDS = ("2023-002001-01", "2023-002001-02")
SHEETS = ["单位汇总", "2023-002001-01", "2023-002001-01自评表", "2023-002001-02",
          "2023-002001-02自评表"]


def export(site: Path, path: Path, *args: str) -> Path:
    run_cli("export", "--project", site, "--format", "xlsx", *args, "-o", path, check=True)
    return path


@pytest.fixture(scope="module")
def example_workbook(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example site exported once as .xlsx."""
    return export(EXAMPLE, tmp_path_factory.mktemp("xlsx") / "site.xlsx")


def evaluation_files(site: Path) -> dict[str, dict[str, Any]]:
    """Each self-evaluation file of the example's unit, read as YAML, by id."""
    found = {}
    for path in sorted((site / UNIT_DIR).glob("*.evaluation.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        found[data["id"]] = data
    return found


def bare_copy(site: Path, target: Path) -> Path:
    """``site`` without its self-evaluation files."""
    shutil.copytree(site, target, ignore=shutil.ignore_patterns(".site-builder-cache"))
    for path in (target / UNIT_DIR).glob("*.evaluation.yaml"):
        path.unlink()
    return target


def assert_round_trip(site: Path, tmp_path: Path) -> None:
    """Export ``site``, import the workbook into ``site`` without its self-evaluation files:
    each file comes back with every field as it was, plus the workbook cell it was read from
    and the ``project:`` the import writes for one linked by name."""
    tmp_path.mkdir(exist_ok=True)
    book = export(site, tmp_path / "site.xlsx")
    bare = bare_copy(site, tmp_path / "bare")
    done = run_cli("import", "--project", bare, book)
    assert done.returncode == 0, done.stderr
    assert "2 self-evaluation(s)" in done.stdout, done.stdout
    originals, imported = evaluation_files(site), evaluation_files(bare)
    assert sorted(imported) == sorted(originals) == list(IDS)
    for key, original in originals.items():
        assert imported[key] == {**original, "project": original.get("project", key),
                                 "source": f"site.xlsx:{key}自评表!A1"}
    again = run_cli("import", "--project", bare, book)
    assert again.returncode == 0 and "0 created, 0 updated" in again.stdout, again.stdout


def test_each_self_evaluation_follows_its_project(example_workbook: Path) -> None:
    book = load_workbook(example_workbook)
    assert book.sheetnames == SHEETS
    sheet = book["2023-002001-01自评表"]
    assert (sheet.page_setup.orientation, int(sheet.page_setup.paperSize)) == ("portrait", 9)
    assert (sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight) == (1, 0)
    assert [sheet[ref].value for ref in ("A1", "A2", "A3", "B3", "A4", "E4")] == [
        "项目支出绩效自评表", "（2023年度）", "项目名称", "乡级人大代表活动经费", "主管部门",
        "实施单位"]
    assert [c.value for c in sheet[5]] == ["项目资金（万元）", None, None, "年初预算数",
                                           "全年预算数", "全年执行数", "分值", "执行率", "得分"]
    assert [c.value for c in sheet[6]][1:] == ["年度资金总额", None, 3.28, 3.28, 3.2, 10,
                                               "97.56%", 9.76]
    assert (sheet["F6"].number_format, sheet["H6"].data_type) == ("0.00", "s")
    assert [c.value for c in sheet[12]] == ["绩效指标", "一级指标", "二级指标", "三级指标",
                                            "年度指标值", "实际完成值", "分值", "得分",
                                            "偏差原因分析及改进措施"]
    merged = {str(r) for r in sheet.merged_cells.ranges}
    assert {"A1:I1", "A5:A9", "A10:A11", "A12:A25", "B13:B20", "C13:C14", "B21:B23",
            "B24:B25", "C24:C25"} <= merged
    assert [c.value for c in sheet[26]][:8] == ["总分", None, None, None, None, None, 100,
                                                98.36]
    assert (sheet["A27"].value, sheet["G27"].value) == ("自评等级", "优")
    assert sheet["A28"].value == "附注：示例数据（虚构）：本自评表为演示编写，不是公开数据。"
    assert sheet.print_title_rows == "$12:$12"


def test_the_import_reads_every_field_back(tmp_path: Path) -> None:
    assert_round_trip(EXAMPLE, tmp_path)


def test_values_are_written_exactly_as_stored(tmp_path: Path) -> None:
    """Numbers keep their decimals, what only looks like a number or a formula stays text,
    an empty 二级 under a filled one stays empty, a missing 自评等级 stays missing; 备注 and
    several notes and goal paragraphs come back too."""
    site = tmp_path / "site"
    shutil.copytree(EXAMPLE, site)
    first = site / UNIT_DIR / "2023-002001-01.evaluation.yaml"
    text = first.read_text(encoding="utf-8")
    for old, new in (("score: '5.6'", "score: '05.60'"), ("target: 5次", "target: '=1+1'"),
                     ("actual: 4次", "actual: '1e3'"), ("total_score: '98.36'",
                                                        "total_score: '98.360'"),
                     ("level2: 数量指标, name: 组织召开人大代表会议",
                      "level2: '', name: 组织召开人大代表会议"),
                     ("executed: '3.20', weight: '10'", "executed: '—', weight: '10.0'"),
                     ("grade: 优\n", "remark: 备注：金额单位为万元。\n")):
        assert old in text, old
        text = text.replace(old, new)
    text = text.replace("achieved:\n", "achieved:\n- 第一段。\n") + "- 第二条附注。\n"
    first.write_text(text, encoding="utf-8")
    assert_round_trip(site, tmp_path / "trip")
    sheet = load_workbook(export(site, tmp_path / "exact.xlsx"))["2023-002001-01自评表"]
    assert (sheet["F6"].value, sheet["F6"].data_type) == ("—", "s")
    assert (sheet["G6"].value, sheet["G6"].number_format) == (10, "0.0")
    assert (sheet["E14"].value, sheet["E14"].data_type) == ("=1+1", "s")  # a goal row more
    assert (sheet["H14"].value, sheet["H14"].data_type) == ("05.60", "s")


def test_a_new_site_gets_projects_and_self_evaluations_from_the_workbook(
        example_workbook: Path, tmp_path: Path) -> None:
    """A workbook holding both forms imports both: the 绩效目标表 sheets as projects, the
    自评表 sheets as their self-evaluations."""
    site = tmp_path / "new"
    done = run_cli("import", "--project", site, example_workbook)
    assert done.returncode == 0, done.stderr
    assert "1 unit(s), 2 project(s), 2 self-evaluation(s)" in done.stdout, done.stdout
    before = json.loads(run_cli("export", "--project", EXAMPLE, check=True).stdout)
    after = json.loads(run_cli("export", "--project", site, check=True).stdout)
    for projects in (before, after):
        for project in projects:
            del project["source"]
            project["self_evaluation"].pop("source", None)
    assert after == before


def test_the_export_is_reproducible(example_workbook: Path, tmp_path: Path) -> None:
    again = export(EXAMPLE, tmp_path / "again.xlsx")
    assert again.read_bytes() == example_workbook.read_bytes()
    one = export(EXAMPLE, tmp_path / "one.xlsx", "--project-id", IDS[1])
    assert load_workbook(one).sheetnames == SHEETS[3:]
    assert export(EXAMPLE, tmp_path / "two.xlsx", "--project-id", IDS[1]).read_bytes() == \
        one.read_bytes()


def test_libreoffice_prints_each_form_on_one_a4_page(example_workbook: Path,
                                                     tmp_path: Path) -> None:
    """One page per sheet: the summary and the 绩效目标表 across A4, each 自评表 upright on
    A4, whole (its title, the last column's header, the 总分 row and the note on it)."""
    profile = (tmp_path / "profile").as_uri()
    subprocess.run(["soffice", f"-env:UserInstallation={profile}", "--headless", "--norestore",
                    "--convert-to", "pdf", "--outdir", tmp_path, example_workbook],
                   check=True, capture_output=True, timeout=300,
                   env={**os.environ, "SAL_USE_VCLPLUGIN": "svp"})
    pdf = tmp_path / "site.pdf"
    info = subprocess.run(["pdfinfo", "-f", "1", "-l", "999", pdf], check=True,
                          capture_output=True, text=True).stdout
    sizes = [line.split(":", 1)[1].split("pts")[0].strip() for line in info.splitlines()
             if line.startswith("Page") and "size:" in line]
    landscape, portrait = "841.89 x 595.304", "595.304 x 841.89"
    assert sizes == [landscape, landscape, portrait, landscape, portrait]
    text = subprocess.run(["pdftotext", "-layout", pdf, "-"], check=True, capture_output=True,
                          text=True).stdout
    pages = text.split("\f")[:len(sizes)]
    for number, name in ((3, "乡级人大代表活动经费"), (5, "乡镇食堂伙食补助")):
        page = pages[number - 1]
        for words in ("项目支出绩效自评表", name, "偏差原因分析及改进措施", "总分", "附注："):
            assert words in page, f"{words} not on page {number}"


def test_a_selection_keeps_its_self_evaluations() -> None:
    """``--unit``/``--project-id`` narrow the site with the self-evaluations of the projects
    kept (the open data as much as the workbook)."""
    [one] = json.loads(run_cli("export", "--project", EXAMPLE, "--project-id", IDS[0],
                               check=True).stdout)
    assert one["self_evaluation"]["id"] == IDS[0]
    unit = json.loads(run_cli("export", "--project", EXAMPLE, "--unit", "002001",
                              check=True).stdout)
    assert [p["self_evaluation"]["id"] for p in unit] == list(IDS)

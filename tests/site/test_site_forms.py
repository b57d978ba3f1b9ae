"""The official form in the built site: a workbook per unit and year, linked from the unit's
and the projects' pages, kept across builds (and made again when a self-evaluation in it
changes); the words a citizen reads on the pages."""

from __future__ import annotations

import io
import re
import shutil
from pathlib import Path

from conftest import REPO, run_cli
from openpyxl import load_workbook
from site_helpers import build, copy_fixture, parse, tree

from site_builder.content.reader import load_site
from site_builder.export_xlsx import form_title


def test_one_workbook_per_unit_year_with_every_project(tmp_path: Path) -> None:
    site = copy_fixture(tmp_path / "site")
    out = tmp_path / "out"
    build(site, out)
    content = load_site(site).site
    keys = sorted({(p.year, p.unit_code) for p in content.projects})
    assert sorted((out / "forms").iterdir()) == [out / f"forms/{y}-{c}.xlsx" for y, c in keys]
    for year, code in keys:
        book = load_workbook(out / f"forms/{year}-{code}.xlsx")
        projects = content.projects_of(year, code)
        assert book.sheetnames == ["单位汇总", *(p.id for p in projects)]
        assert book[projects[0].id]["A1"].value == form_title(content, projects[0])
        names = [book[p.id]["B5" if p.table_total is not None else "B4"].value for p in projects]
        assert names == [p.name for p in projects]


def test_pages_link_the_workbook_and_name_the_sheet(tmp_path: Path) -> None:
    site = copy_fixture(tmp_path / "site")
    out = tmp_path / "out"
    build(site, out)
    page = (out / "projects/2023-100002-02.html").read_text(encoding="utf-8")
    assert 'href="../forms/2023-100002.xlsx" download="测试县乙镇人民政府2023年项目支出绩效目标表.xlsx"' \
        in page
    assert "本项目在工作表“2023-100002-02”" in page
    unit = (out / "units/2023-100002.html").read_text(encoding="utf-8")
    assert 'href="../forms/2023-100002.xlsx"' in unit
    for path in ("projects/2023-100002-02.html", "units/2023-100002.html", "downloads.html"):
        links = parse(out / path).links
        for link in links:
            if link.endswith(".xlsx"):
                assert (out / path).parent.joinpath(link).resolve().is_file(), link


def test_workbooks_are_kept_unless_their_unit_changed(tmp_path: Path) -> None:
    site = copy_fixture(tmp_path / "site")
    out = tmp_path / "out"
    build(site, out)
    before = {p: (out / p).stat() for p in tree(out) if p.startswith("forms/")}
    project = site / "content/2023/100002/2023-100002-02.yaml"
    project.write_text(project.read_text(encoding="utf-8").replace(
        "name: 镇村道路养护经费", "name: 镇村道路养护经费（改）"), encoding="utf-8")
    build(site, out)
    after = {p: (out / p).stat() for p in tree(out) if p.startswith("forms/")}
    changed = {p for p in before if (before[p].st_ino, before[p].st_mtime_ns)
               != (after[p].st_ino, after[p].st_mtime_ns)}
    assert changed == {"forms/2023-100002.xlsx"}
    book = load_workbook(out / "forms/2023-100002.xlsx")
    assert book["2023-100002-02"]["B4"].value == "镇村道路养护经费（改）"  # no 合计 row


def test_workbooks_are_the_same_bytes_in_every_build(tmp_path: Path) -> None:
    """Without SOURCE_DATE_EPOCH too: every time in the file is fixed."""
    site = copy_fixture(tmp_path / "site")
    build(site, tmp_path / "a", epoch=None)
    build(site, tmp_path / "b", "--jobs", "2", epoch=None)
    first, second = tree(tmp_path / "a"), tree(tmp_path / "b")
    forms = [p for p in first if p.endswith(".xlsx")]
    assert forms and all(first[p] == second[p] for p in forms)
    book = load_workbook(io.BytesIO(first[forms[0]]))
    assert book.properties.created is not None and book.properties.created.year == 1980


def test_words_for_citizens_on_the_shipped_site(built_site: Path) -> None:
    """The source is the published table's title, the form's own remark is labelled, blank
    cells read the same everywhere, the clerks' guide is in the footer only."""
    page = (built_site / "projects/2023-002001-01.html").read_text(encoding="utf-8")
    assert "来源：祁连县阿柔乡人民政府2023年部门预算项目支出绩效目标公开表" in page
    assert ".txt" not in page
    assert re.search(r'<div class="form-remark">\s*<p class="form-remark-label">原表备注', page)
    pages = {p: p.read_text(encoding="utf-8") for p in built_site.rglob("*.html")}
    for path, text in pages.items():
        for old in ("（空）", "（未填二级指标）", "（未填一级指标）", "（原表未填写）"):
            assert old not in text, f"{old} in {path}"
        nav = text.split('<nav class="site-nav"', 1)[1].split("</nav>", 1)[0]
        footer = text.split('<footer class="site-footer">', 1)[1]
        assert "填报说明" not in nav and "关于本站" in nav
        assert "pages/guide.html" in footer
    blank = pages[built_site / "projects/2021-703001-11.html"]
    assert '<span class="blank">（未填）</span>' in blank


def test_publisher_is_named_in_the_header(tmp_path: Path) -> None:
    site = copy_fixture(tmp_path / "site")
    build(site, tmp_path / "out")
    home = (tmp_path / "out/index.html").read_text(encoding="utf-8")
    header = home.split('<header class="site-header">', 1)[1].split("</header>", 1)[0]
    assert '<span class="site-publisher">测试县财政局</span>' in header


def test_menu_pages_setting_picks_the_main_menu(tmp_path: Path) -> None:
    site = copy_fixture(tmp_path / "site")
    (site / "content/pages/help.md").write_text("# 使用帮助\n\n说明。\n", encoding="utf-8")
    with (site / "site.yaml").open("a", encoding="utf-8") as file:
        file.write("menu_pages: help\n")
    build(site, tmp_path / "out")
    home = (tmp_path / "out/index.html").read_text(encoding="utf-8")
    nav = home.split('<nav class="site-nav"', 1)[1].split("</nav>", 1)[0]
    assert "使用帮助" in nav and "关于本站" not in nav
    assert "pages/about.html" in home.split('<footer class="site-footer">', 1)[1]


def test_export_cli_still_makes_the_same_workbook_as_the_site(tmp_path: Path) -> None:
    """``site-builder export --format xlsx --unit`` and the site's workbook are one layout."""
    site = copy_fixture(tmp_path / "site")
    out = tmp_path / "out"
    build(site, out)
    path = tmp_path / "unit.xlsx"
    run_cli("export", "--project", site, "--format", "xlsx", "--unit", "100002", "--year",
            "2023", "-o", path, check=True, env={"SOURCE_DATE_EPOCH": "1700000000"})
    assert path.read_bytes() == (out / "forms/2023-100002.xlsx").read_bytes()


def test_a_self_evaluation_is_in_its_units_workbook(tmp_path: Path) -> None:
    """The example site: each self-evaluated project's sheet is followed by its 自评表, named
    on the project page; the workbook is the export's of the unit, and is made again when
    only a self-evaluation changed."""
    site = tmp_path / "site"
    shutil.copytree(REPO / "examples" / "self-evaluation", site)
    out = tmp_path / "out"
    build(site, out)
    workbook = out / "forms/2023-002001.xlsx"
    assert load_workbook(workbook).sheetnames == [
        "单位汇总", "2023-002001-01", "2023-002001-01自评表", "2023-002001-02",
        "2023-002001-02自评表"]
    path = tmp_path / "unit.xlsx"
    run_cli("export", "--project", site, "--format", "xlsx", "--unit", "002001", "--year",
            "2023", "-o", path, check=True, env={"SOURCE_DATE_EPOCH": "1700000000"})
    assert path.read_bytes() == workbook.read_bytes()
    page = (out / "projects/2023-002001-02.html").read_text(encoding="utf-8")
    assert "本项目在工作表“2023-002001-02”，其绩效自评表在工作表“2023-002001-02自评表”" in page
    assert "有绩效自评的项目其后另有自评表" in (out / "units/2023-002001.html").read_text(
        encoding="utf-8")
    assert "其工作表之后是它的项目支出绩效自评表" in (out / "downloads.html").read_text(
        encoding="utf-8")
    evaluation = site / "content/2023/002001/2023-002001-02.evaluation.yaml"
    evaluation.write_text(evaluation.read_text(encoding="utf-8").replace(
        "total_score: '99'", "total_score: '98'"), encoding="utf-8")
    build(site, out)
    assert load_workbook(out / "forms/2023-002001.xlsx")["2023-002001-02自评表"]["H22"].value \
        == 98

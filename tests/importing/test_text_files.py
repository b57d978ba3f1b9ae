"""Text tables as offices really have them: other encodings, page furniture, damaged files.

Each variant is made from a seed table in the test and its import compared with the import of
the seed itself, indicator by indicator (:mod:`compare`).
"""

from __future__ import annotations

import codecs
import random
from pathlib import Path

import pytest
from compare import compare
from conftest import run_cli
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from site_builder.commands.import_cmd import read_table
from site_builder.diagnostics import SiteBuilderError
from site_builder.importers.base import ImportResult

TITLE_2023 = "祁连县阿柔乡人民政府2023年部门预算项目支出绩效目标公开表"
HEADER_2023 = ("单位编码\t单位及项目名称\t金额 (万元)\t绩效目标\t绩效指标\t\t\t\t\n"
               "\t合计\t3.28\t\t一级指标\t二级指标\t三级指标\t指标值\t\t")
HEADER_2021 = "单位编码\t单位及项目名称\t金额 (万元)\t绩效目标\t绩效指标"


@pytest.fixture(scope="module")
def texts(seeds: list[Path]) -> list[str]:
    return [seed.read_text(encoding="utf-8") for seed in seeds]


@pytest.fixture(scope="module")
def imported(seeds: list[Path]) -> list[ImportResult]:
    return [read_table(seed, None) for seed in seeds]


def write(tmp_path: Path, name: str, data: bytes | str) -> Path:
    path = tmp_path / name
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8", newline="")
    else:
        path.write_bytes(data)
    return path


def same_content(expected: ImportResult, found: ImportResult) -> None:
    comparison = compare(expected.projects, found.projects, notes=True)
    assert comparison.differences == (), comparison.report()
    assert comparison.exact == comparison.indicators > 100
    assert [p.id for p in found.projects] == [p.id for p in expected.projects]


def codes(result: ImportResult, severity: str | None = None) -> list[str]:
    return [d.code for d in result.diagnostics if severity in (None, d.severity)]


def refused(path: Path) -> list[str]:
    with pytest.raises(SiteBuilderError) as caught:
        read_table(path, None)
    return [d.format() for d in caught.value.diagnostics]


# --- encodings ------------------------------------------------------------------------------

ENCODINGS = [
    ("gb18030", b"", "GB18030/GBK"),
    ("utf-8", codecs.BOM_UTF8, ""),
    ("utf-16-le", codecs.BOM_UTF16_LE, "UTF-16 LE"),
    ("utf-16-be", codecs.BOM_UTF16_BE, "UTF-16 BE"),
    ("utf-16-le", b"", "UTF-16 LE"),  # Notepad's "Unicode" without its mark
    ("utf-16-be", b"", "UTF-16 BE"),
]


@pytest.mark.parametrize(("encoding", "bom", "shown"), ENCODINGS)
@pytest.mark.parametrize("seed", [0, 1])
def test_any_encoding_gives_the_same_content(tmp_path: Path, texts: list[str],
                                             imported: list[ImportResult], seed: int,
                                             encoding: str, bom: bytes, shown: str) -> None:
    text = texts[seed].replace("\n", "\r\n")  # as saved on Windows
    path = write(tmp_path, "table.txt", bom + text.encode(encoding))
    result = read_table(path, None)
    same_content(imported[seed], result)
    encodings = [d.message for d in result.diagnostics if d.code == "encoding"]
    assert encodings == ([f"The file was read as {shown}"] if shown else [])


def test_nul_bytes_are_refused_as_not_text(tmp_path: Path, texts: list[str]) -> None:
    lines = texts[1].split("\n")
    lines[20] = lines[20][:5] + "\x00" + lines[20][5:]
    found = refused(write(tmp_path, "nul.txt", "\n".join(lines)))
    assert found == [f"{tmp_path / 'nul.txt'}:21: error: This is not a text file: The file has 1 "
                     "NUL bytes; it is not a text file; nothing was imported (Make sure this is "
                     "the right file; import Word, Excel, WPS and PDF files as they are (do not "
                     "rename them to .txt), and save text files in the UTF-8, GB18030 or UTF-16 "
                     "encoding)"]


@pytest.mark.parametrize("name,data", [
    ("random.txt", random.Random(16).randbytes(20_000)),
    ("picture.txt", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40),
    ("controls.txt", ("单位编码\x01\x02\x03\x04\x05" * 200).encode("utf-8")),
    ("latin1.txt", "Caf\xe9 \xe0 la cr\xe8me\t\xff\xfe\xfd".encode("latin-1") * 50),
])
def test_binary_files_are_refused_as_not_text(tmp_path: Path, name: str, data: bytes) -> None:
    path = write(tmp_path, name, data)
    proc = run_cli("import", "--project", tmp_path / "site", path,
                   env={"SITE_BUILDER_LANG": "zh_CN"})
    assert proc.returncode != 0 and "Traceback" not in proc.stderr
    assert f"{path}" in proc.stderr and "错误：这不是文本文件" in proc.stderr
    assert not (tmp_path / "site" / "content").exists()


# --- fixed-width text -----------------------------------------------------------------------

@pytest.mark.parametrize("spaces", ["    ", " "])
@pytest.mark.parametrize("seed", [0, 1])
def test_spaces_instead_of_tabs_are_refused_clearly(tmp_path: Path, texts: list[str],
                                                    seed: int, spaces: str) -> None:
    path = write(tmp_path, "spaces.txt", texts[seed].replace("\t", spaces))
    proc = run_cli("import", "--project", tmp_path / "site", path,
                   env={"SITE_BUILDER_LANG": "zh_CN"})
    assert proc.returncode != 0 and "Traceback" not in proc.stderr
    header_line = texts[seed].split("\n").index(
        next(line for line in texts[seed].split("\n") if line.startswith("单位编码"))) + 1
    assert f"{path}:{header_line}: 错误：表格的列是用空格对齐的，而不是用制表符（Tab）分隔的" in (
        proc.stderr)
    assert not (tmp_path / "site" / "content").exists()


# --- page furniture -------------------------------------------------------------------------

def test_page_break_inside_a_three_level_table(tmp_path: Path, texts: list[str],
                                               imported: list[ImportResult]) -> None:
    """Page number, form feed, repeated title and header rows in the middle of a project."""
    lines = texts[1].split("\n")
    at = lines.index(next(x for x in lines if "人大代表住宿费" in x)) + 1
    furniture = ["", "第1页 共17页", f"\f{TITLE_2023}", "", *HEADER_2023.split("\n")]
    lines[at:at] = furniture
    result = read_table(write(tmp_path, "paged.txt", "\n".join(lines)), None)
    same_content(imported[1], result)
    found = {(d.pos.line, d.code) for d in result.diagnostics if d.severity == "info"}
    assert {(at + 2, "page-number"), (at + 3, "page-break"), (at + 3, "repeated-title"),
            (at + 5, "repeated-header"), (at + 6, "repeated-header")} <= found
    assert not [d for d in result.diagnostics if d.severity != "info"
                and d.pos.line in range(at, at + len(furniture) + 1)]


@pytest.mark.parametrize("number", ["第2页 共17页", "- 2 -", "— 3 —", "2/17", "第 4 页", "Page 5 of 17"])
def test_page_numbers_are_skipped(tmp_path: Path, texts: list[str],
                                  imported: list[ImportResult], number: str) -> None:
    for seed, anchor in ((0, "纪委工作经费"), (1, "组织召开人大代表会议")):
        lines = texts[seed].split("\n")
        at = lines.index(next(x for x in lines if anchor in x))
        lines.insert(at, number)
        result = read_table(write(tmp_path, f"{seed}.txt", "\n".join(lines)), None)
        same_content(imported[seed], result)
        assert [(d.pos.line, d.code) for d in result.diagnostics if d.pos.line == at + 1] == [
            (at + 1, "page-number")]


def test_flat_project_continued_over_a_page_break(tmp_path: Path, texts: list[str],
                                                  imported: list[ImportResult]) -> None:
    """The indicator list of one project row goes on in a row without name or amount."""
    lines = texts[0].split("\n")
    at = lines.index(next(x for x in lines if x.startswith("\t维稳经费\t")))
    cells = lines[at].split("\t")
    split = cells[4].index("</p> <p>", len(cells[4]) // 2) + len("</p>")
    lines[at] = "\t".join([*cells[:4], cells[4][:split]])
    lines[at + 1:at + 1] = ["- 2 -", HEADER_2021, "\t\t\t\t" + cells[4][split:].strip()]
    result = read_table(write(tmp_path, "flat.txt", "\n".join(lines)), None)
    same_content(imported[0], result)
    furniture = {"page-number", "repeated-header", "continued-row"}
    assert [(d.pos.line, d.code) for d in result.diagnostics
            if d.code in furniture and d.pos.line in range(at + 1, at + 5)] == [
        (at + 2, "page-number"), (at + 3, "repeated-header"), (at + 4, "continued-row")]


def test_repeated_project_row_after_a_page_break(tmp_path: Path, texts: list[str],
                                                 imported: list[ImportResult]) -> None:
    """A PDF that repeats the merged code/name/amount cells on the new page."""
    lines = texts[1].split("\n")
    at = lines.index(next(x for x in lines if "提高参政议政能力" in x))
    lines[at] = "002001\t乡级人大代表活动经费\t3.28\t" + lines[at][3:]
    result = read_table(write(tmp_path, "repeat.txt", "\n".join(lines)), None)
    same_content(imported[1], result)
    assert "continued-project" in codes(result, "info")


def test_stray_text_said_to_be_kept_is_kept(tmp_path: Path, texts: list[str]) -> None:
    """Text in a table without a project row is a note of the project before it."""
    lines = texts[1].split("\n")
    at = lines.index(next(x for x in lines if x.startswith("备注")), 20) + 1
    lines[at:at] = ["", TITLE_2023, *HEADER_2023.split("\n"), "\t\t说明：本表无项目\t\t"]
    result = read_table(write(tmp_path, "stray.txt", "\n".join(lines)), None)
    first = result.projects[0]
    assert first.notes == ("说明：本表无项目",)
    warning = next(d for d in result.diagnostics if d.code == "stray-text")
    assert warning.pos.line == at + 5 and "'乡级人大代表活动经费'" in warning.message
    for diagnostic in result.diagnostics:
        if "kept as a note" in diagnostic.message or "附注保留" in diagnostic.message:
            text = diagnostic.message.rsplit("：", 1)[-1].rsplit(": ", 1)[-1]
            assert any(text in note for p in result.projects for note in p.notes), diagnostic


# --- damaged text ---------------------------------------------------------------------------

def test_three_level_table_cut_off_mid_project(tmp_path: Path, texts: list[str],
                                               imported: list[ImportResult]) -> None:
    lines = texts[1].split("\n")
    last_title = max(i for i, x in enumerate(lines) if x.startswith(TITLE_2023))
    cut = last_title + 8
    result = read_table(write(tmp_path, "cut.txt", "\n".join(lines[:cut])), None)
    warnings = [d for d in result.diagnostics if d.code == "cut-off"]
    assert [(d.severity, d.pos.line) for d in warnings] == [("warning", cut)]
    assert "the table may be cut off here" in warnings[0].message
    assert [p.id for p in result.projects] == [p.id for p in imported[1].projects]
    assert compare(imported[1].projects[:-1], result.projects[:-1]).differences == ()


def test_flat_table_cut_off_mid_cell(tmp_path: Path, texts: list[str]) -> None:
    text = texts[0]
    cut = text.rindex("</p> <p>") + len("</p> <p>") + 3
    result = read_table(write(tmp_path, "cut.txt", text[:cut]), None)
    warnings = [d for d in result.diagnostics if d.code == "cut-off"]
    assert [(d.severity, d.pos.line) for d in warnings] == [("warning", text[:cut].count("\n") + 1)]


@pytest.mark.parametrize("char,shown", [("\f", "\\f"), ("\v", "\\v"), ("\x1b", "U+001B")])
def test_control_characters_inside_a_cell(tmp_path: Path, texts: list[str],
                                          imported: list[ImportResult], char: str,
                                          shown: str) -> None:
    """A form feed or vertical tab inside a cell neither splits the row nor is lost silently."""
    lines = texts[1].split("\n")
    at = lines.index(next(x for x in lines if "组织召开人大代表会议" in x))
    col = lines[at].index("人大代表") + 1
    lines[at] = lines[at][:col - 1] + char + lines[at][col - 1:]
    result = read_table(write(tmp_path, "ctl.txt", "\n".join(lines)), None)
    warning = next(d for d in result.diagnostics if d.code == "control-char")
    assert (warning.severity, warning.pos.line, warning.pos.col) == ("warning", at + 1, col)
    assert shown in warning.message
    assert [p.id for p in result.projects] == [p.id for p in imported[1].projects]
    names = [i.name for i in result.projects[0].indicators]
    assert "组织召开 人大代表会议" in names and len(names) == 13


# --- other tables ---------------------------------------------------------------------------

DEPARTMENT = """祁连县阿柔乡人民政府2023年部门整体支出绩效目标表
部门（单位）名称\t祁连县阿柔乡人民政府
年度主要任务\t任务名称\t主要内容\t预算金额
"""


@pytest.mark.parametrize(("text", "line", "form"), [
    (DEPARTMENT, 1, "部门整体支出绩效目标表"),
    (DEPARTMENT.split("\n", 1)[1], 2, "部门整体支出绩效目标表"),
])
def test_tables_of_another_kind_are_refused_by_name(tmp_path: Path, text: str, line: int,
                                                    form: str) -> None:
    """(A 项目支出绩效自评表 in a text file is read as one: test_import_evaluation_files.py.)"""
    path = write(tmp_path, "other.txt", text)
    proc = run_cli("import", "--project", tmp_path / "site", path,
                   env={"SITE_BUILDER_LANG": "zh_CN"})
    assert proc.returncode != 0 and "Traceback" not in proc.stderr
    assert f"{path}:{line}: 错误：这是一张{form}，本导入程序暂不读取" in proc.stderr
    assert not (tmp_path / "site" / "content").exists()


def test_a_table_without_the_form_header_is_refused(tmp_path: Path) -> None:
    found = refused(write(tmp_path, "list.txt", "序号\t姓名\t金额\n1\t张三\t3.00\n"))
    assert found[0].startswith(f"{tmp_path / 'list.txt'}: error: The table's format was not "
                               "recognised")


def test_a_table_with_no_project_is_an_error(tmp_path: Path) -> None:
    found = refused(write(tmp_path, "empty.txt", f"{TITLE_2023}\n{HEADER_2023}\n"))
    assert found[-1].endswith("format; nothing was imported (Check that the file is complete and "
                              "that it is the right file)")


# --- any input: a result or a positioned refusal ---------------------------------------------

FRAGMENTS = ["单位编码", "单位及项目名称", "一级指标", "三级指标", "指标值", "合计", "备注：", "002001",
             "3.28", "<p>", "</p>", "产出指标", "数量指标", "5次", "\t", "\n", "\r", "\f", "\v",
             "\x00", "第1页 共2页", "- 2 -", TITLE_2023, "自评表", "得分", "  ", "\ufeff"]


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(parts=st.lists(st.sampled_from(FRAGMENTS) | st.text(max_size=8), max_size=60),
       encoding=st.sampled_from(["utf-8", "gb18030", "utf-16"]), raw=st.binary(max_size=64))
def test_any_text_gives_a_result_or_a_positioned_refusal(tmp_path: Path, parts: list[str],
                                                         encoding: str, raw: bytes) -> None:
    path = tmp_path / "any.txt"
    path.write_bytes("".join(parts).encode(encoding, errors="replace") + raw)
    try:
        result = read_table(path, None)
    except SiteBuilderError as refused:
        assert refused.diagnostics and all(str(path) in str(d.pos) for d in refused.diagnostics)
        return
    assert result.projects or result.evaluations
    assert all(str(d.pos).startswith(str(path)) for d in result.diagnostics)

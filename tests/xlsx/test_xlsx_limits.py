"""Every input limit of the workbook reader, each tried with a bomb made here.

The real CLI imports each bomb in a child process; the child's CPU time and peak memory are
read from the kernel when it ends (``os.wait4``).  Each must be refused in under 5 s of CPU and
500 MB, with the Chinese message naming the file, the sheet and cell where one is known, and
the setting that raises the limit, and with nothing written.  CPU time is the bound rather than
the wall clock because the test machine is shared (the wall clock is bounded loosely too).
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from bombs import (
    HEADER,
    TITLE,
    form_rows,
    inline,
    letters,
    number,
    row,
    write_workbook,
)
from child_usage import CPU_SECONDS, PEAK_MB, Run, measured


def refused(tmp_path: Path, workbook: Path, expected: str, site_yaml: str = "") -> Run:
    """Import ``workbook`` into a new site: refused with ``expected`` in the message, within
    the bounds, and nothing written."""
    site = tmp_path / "site"
    site.mkdir(exist_ok=True)
    if site_yaml:
        (site / "site.yaml").write_text(site_yaml, encoding="utf-8")
    before = sorted(p.name for p in site.iterdir())
    run = measured("--lang", "zh_CN", "import", "--project", site, workbook)
    assert run.returncode == 1, run.stdout + run.stderr
    assert expected in run.stderr, run.stderr
    assert "Traceback" not in run.stderr
    assert "已停止读取" in run.stderr
    assert sorted(p.name for p in site.iterdir()) == before  # no content/, no schema/
    assert run.cpu < CPU_SECONDS, f"{run.cpu:.2f} s of CPU"
    assert run.peak_mb < PEAK_MB, f"{run.peak_mb:.0f} MB"
    assert run.wall < 60
    return run


def test_file_size(tmp_path: Path) -> None:
    big = tmp_path / "big.xlsx"
    with big.open("wb") as handle:
        handle.truncate(101_000_001)  # sparse: costs no disk
    refused(tmp_path, big, f"{big}: 错误：文件大小超过上限：102 MB（上限 100 MB）")


def test_zip_members(tmp_path: Path) -> None:
    path = write_workbook(tmp_path / "members.xlsx", form_rows(1, 2),
                          extra=((f"xl/media/p{i}.bin", b"x") for i in range(5001)))
    run = refused(tmp_path, path, f"{path}: 错误：压缩包内文件数超过上限：5007 个（上限 5000 个）")
    assert "limit_zip_members" in run.stderr


def test_unpacked_size_of_a_compressed_bomb(tmp_path: Path) -> None:
    path = tmp_path / "bomb.xlsx"
    write_workbook(path, form_rows(1, 2))
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as archive, \
            archive.open("xl/media/zeros.bin", "w", force_zip64=True) as part:
        chunk = bytes(1 << 20)
        for _ in range(301):
            part.write(chunk)
    assert path.stat().st_size < 2_000_000  # 301 MB packed into a few hundred KB
    refused(tmp_path, path, f"{path}: 错误：解压后大小超过上限：316 MB（上限 300 MB）")


def _one_value_per_row(count: int) -> Iterator[str]:
    for at in range(1, count + 1):
        yield f'<row r="{at}"><c r="A{at}" t="s"><v>0</v></c></row>'


def test_rows(tmp_path: Path) -> None:
    path = write_workbook(tmp_path / "rows.xlsx", _one_value_per_row(1_048_576),
                          strings=["一行"])
    refused(tmp_path, path, f"{path}:Sheet1!A100001: 错误：行数超过上限：100001 行（上限 100000 行）")


def test_columns_of_a_used_range_reaching_xfd1048576(tmp_path: Path) -> None:
    path = write_workbook(tmp_path / "xfd.xlsx", [row(1, [inline("A1", TITLE)]),
                                                  row(1_048_576, [number("XFD1048576", 1)])],
                          dimension="A1:XFD1048576")
    refused(tmp_path, path, f"{path}:Sheet1!XFD1048576: 错误：列数超过上限：16384 列（上限 200 列）")


def test_cells(tmp_path: Path) -> None:
    """300,001 cells holding a value, as Excel writes them (shared strings)."""
    rows = (row(at, [f'<c r="{letters(col)}{at}" t="s"><v>{col % 2}</v></c>'
                     for col in range(1, 101)]) for at in range(1, 3002))
    path = write_workbook(tmp_path / "cells.xlsx", rows, strings=["甲", "乙"])
    refused(tmp_path, path, f"{path}:Sheet1!A3001: 错误：单元格数超过上限：300001 个（上限 300000 个）")


def test_empty_elements_are_bounded_too(tmp_path: Path) -> None:
    """Elements that hold nothing (empty styled cells, unknown elements) cost time as well:
    a workbook may hold three per allowed cell."""
    path = write_workbook(tmp_path / "empty.xlsx",
                          (f'<row r="{at}">' + '<c s="1"/>' * 100 + "</row>"
                           for at in range(1, 12_001)))
    refused(tmp_path, path, f"{path}:xl/worksheets/sheet1.xml: 错误：工作簿的 XML 元素数")


def test_a_giant_tag(tmp_path: Path) -> None:
    path = write_workbook(tmp_path / "tag.xlsx", [f'<row r="1" x="{"a" * 5_000_000}"/>'])
    refused(tmp_path, path, f"{path}:xl/worksheets/sheet1.xml: 错误：XML 中有一段超过 4 MB")


def test_indicators_of_a_million_row_project(tmp_path: Path) -> None:
    """A value in every one of the 1,048,576 rows under one project."""
    path = write_workbook(tmp_path / "million.xlsx", form_rows(1, 1_048_574))
    refused(tmp_path, path,
            f"{path}:Sheet1!G2003: 错误：单个项目的指标数超过上限：2001 条（上限 2000 条）")


def test_projects(tmp_path: Path) -> None:
    def rows() -> Iterator[str]:
        yield row(1, [inline("A1", TITLE)])
        yield row(2, [inline(f"{letters(i + 1)}2", text) for i, text in enumerate(HEADER)])
        for at in range(3, 20_004):
            yield row(at, [f'<c r="A{at}" t="s"><v>0</v></c>',
                           f'<c r="B{at}" t="s"><v>1</v></c>', f'<c r="H{at}" t="s"><v>2</v></c>'])

    path = write_workbook(tmp_path / "projects.xlsx", rows(), strings=["002001", "项目", "5次"])
    refused(tmp_path, path,
            f"{path}:Sheet1!B20003: 错误：单个文件的项目数超过上限：20001 个（上限 20000 个）")


def test_reading_time(tmp_path: Path) -> None:
    """A workbook that takes more than the time allowed (1 s here; the cells limit raised so
    that a million cells may come, which take several seconds anywhere) stops there."""
    rows = (row(at, [f'<c r="{letters(col)}{at}" t="s"><v>0</v></c>' for col in range(1, 101)])
            for at in range(1, 12_001))
    path = write_workbook(tmp_path / "slow.xlsx", rows, strings=["甲"])
    run = refused(tmp_path, path, f"{path}:xl/worksheets/sheet1.xml: 错误：读取时间超过上限：",
                  site_yaml="limit_seconds: 1\nlimit_cells: 10000000\n")
    assert re.search(r"读取时间超过上限：\d+ 秒（上限 1 秒）", run.stderr)
    assert "limit_seconds: 2" in run.stderr


def test_a_raised_limit_lets_the_workbook_in(tmp_path: Path) -> None:
    path = write_workbook(tmp_path / "wide.xlsx", form_rows(1, 3))
    site = tmp_path / "site"
    site.mkdir()
    (site / "site.yaml").write_text("limit_indicators: 2\n", encoding="utf-8")
    run = measured("--lang", "zh_CN", "import", "--project", site, path)
    assert run.returncode == 1 and "单个项目的指标数超过上限：3 条（上限 2 条）" in run.stderr
    assert "limit_indicators: 4" in run.stderr  # the setting and a value that would do
    (site / "site.yaml").write_text("limit_indicators: 3\n", encoding="utf-8")
    run = measured("import", "--project", site, path)
    assert run.returncode == 0, run.stderr
    assert "1 project(s)" in run.stdout


def test_the_largest_table_of_a_county_passes(tmp_path: Path) -> None:
    """Thousands of projects (3,000 of 13 indicators each, fictional) import in one go."""
    path = write_workbook(tmp_path / "county.xlsx", form_rows(3000, 13))
    site = tmp_path / "site"
    run = measured("import", "--project", site, path)
    assert run.returncode == 0, run.stderr[-2000:]
    assert "1 unit(s), 3000 project(s): 3001 created" in run.stdout
    assert run.peak_mb < PEAK_MB
    assert len(list((site / "content/2023/002001").glob("2023-002001-*.yaml"))) == 3000


@pytest.mark.parametrize("dimension", ["A1:XFD1048576", ""])
def test_only_used_cells_are_read(tmp_path: Path, dimension: str) -> None:
    """A declared range reaching XFD1048576 (a formatted sheet) costs nothing: the form in it
    imports as without it, and empty styled cells far away are passed over."""
    rows = list(form_rows(1, 3))
    rows.append('<row r="1048576"><c r="XFD1048576" s="0"/></row>')
    path = write_workbook(tmp_path / "formatted.xlsx", rows, dimension=dimension)
    site = tmp_path / "site"
    run = measured("import", "--project", site, path)
    assert run.returncode == 0, run.stderr
    assert "1 project(s): 2 created" in run.stdout
    assert run.cpu < 2 and run.peak_mb < 250  # the CLI alone: ~150 MB; the declared range cost GBs

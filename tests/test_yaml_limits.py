"""The YAML reader's limits, tried with bombs made here, through the real ``validate``.

Each is refused within 5 s of CPU and 500 MB of the child process (read by ``os.wait4``),
with a message naming the file, line and column.
"""

from __future__ import annotations

import sys
from pathlib import Path

from child_usage import CPU_SECONDS, PEAK_MB, Run, measured, measured_argv

from site_builder.content.reader import load_site

UNIT = "code: '002001'\nyear: '2023'\nname: 测试单位\n"
PROJECT = ("id: 2023-002001-01\nyear: '2023'\nunit: '002001'\nname: 测试项目\namount: '1.00'\n"
           "indicators:\n- {level1: 产出指标, level2: 数量指标, name: 次数, value: 5次}\n")


def site_with(root: Path, project: str, settings: str = "") -> Path:
    folder = root / "content/2023/002001"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "_unit.yaml").write_text(UNIT, encoding="utf-8")
    (folder / "2023-002001-01.yaml").write_text(project, encoding="utf-8")
    if settings:
        (root / "site.yaml").write_text(settings, encoding="utf-8")
    return root


def refused(root: Path, expected: str) -> Run:
    run = measured("validate", "--project", root)
    assert run.returncode == 1, run.stdout + run.stderr
    assert expected in run.stdout, run.stdout
    assert "Traceback" not in run.stdout + run.stderr
    assert run.cpu < CPU_SECONDS and run.peak_mb < PEAK_MB, run
    return run


def test_measured_reads_the_child_usage() -> None:
    """The measurement itself: a child that holds 200 MB for a while is seen doing so."""
    code = ("import time; x = bytearray(200_000_000); x[::4096] = b'1' * len(x[::4096]); "
            "end = time.process_time() + 0.3\nwhile time.process_time() < end: pass")
    run = measured_argv([sys.executable, "-c", code])
    assert run.returncode == 0
    assert 190 < run.peak_mb < 400
    assert run.cpu >= 0.3


def test_alias_bomb_at_the_alias_that_crosses_the_limit(tmp_path: Path) -> None:
    lines = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for level in range(1, 10):
        before, name = chr(ord("a") + level - 1), chr(ord("a") + level)
        lines.append(f"{name}: &{name} [{', '.join(['*' + before] * 9)}]")
    site = site_with(tmp_path, PROJECT + "notes: []\n" + "\n".join(lines) + "\n")
    refused(site, "content/2023/002001/2023-002001-01.yaml:14:")
    run = refused(site, "once the alias '*e' at line 14, column")
    assert "the file holds more than 200000 values" in run.stdout


def test_deep_nesting(tmp_path: Path) -> None:
    site = site_with(tmp_path, PROJECT + "notes: " + "[" * 100_000 + "]" * 100_000 + "\n")
    refused(site, "content/2023/002001/2023-002001-01.yaml:8:")


def test_many_values(tmp_path: Path) -> None:
    """More than 200,000 values in a file written by hand (its own layout, read line by line,
    is bounded by the file size alone)."""
    items = "".join(f"  - 附注{i}\n" for i in range(250_000))
    site = site_with(tmp_path, PROJECT + "notes:\n" + items)
    # the 200,001st value: 24 before the notes, then note 199,977 on line 8 + 199,977
    refused(site, "content/2023/002001/2023-002001-01.yaml:199985:5: error: the file holds "
                  "more than 200000 values")


def test_file_size_and_the_setting_that_raises_it(tmp_path: Path) -> None:
    """A project file over limit_yaml_mb is refused before it is parsed; raising the limit in
    site.yaml lets it in, also when the refusal was cached."""
    remark = "备注" * 300_000  # 1.8 MB
    site = site_with(tmp_path, PROJECT + f"remark: {remark}\n", "limit_yaml_mb: 1\n")
    run = refused(site, "content/2023/002001/2023-002001-01.yaml: error: YAML file size over "
                        "the limit: 2 MB (the limit is 1 MB)")
    assert "limit_yaml_mb" in run.stdout
    cache = tmp_path / "cache.json"
    assert any(d.code == "input-limit" for d in load_site(site, cache).diagnostics)
    (site / "site.yaml").write_text("limit_yaml_mb: 2\n", encoding="utf-8")
    result = load_site(site, cache)
    assert not [d for d in result.diagnostics if d.severity == "error"], result.diagnostics
    assert result.site.projects[0].remark == remark
    assert measured("validate", "--project", site).returncode == 0


def test_the_default_file_size(tmp_path: Path) -> None:
    site = site_with(tmp_path, PROJECT + "remark: " + "x" * 10_000_001 + "\n")
    refused(site, "YAML file size over the limit: 11 MB (the limit is 10 MB)")

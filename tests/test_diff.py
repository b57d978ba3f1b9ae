"""``site-builder diff``: what a build would change, before building into output/ or
uploading; it never touches output/ and leaves the site's caches as they were."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from conftest import run_cli, run_json

ZH = {"SITE_BUILDER_LANG": "zh_CN"}
"""The report is read in Chinese."""

FIXTURE = Path(__file__).parent / "site" / "fixture"


def snapshot(folder: Path) -> dict[str, tuple[int, int, bytes]]:
    """Every file with its inode, time stamp and bytes."""
    return {p.relative_to(folder).as_posix(): (p.stat().st_ino, p.stat().st_mtime_ns,
                                               p.read_bytes())
            for p in sorted(folder.rglob("*")) if p.is_file()}


def site_copy(tmp_path: Path) -> Path:
    site = tmp_path / "site"
    shutil.copytree(FIXTURE, site)
    return site


def test_before_the_first_build_everything_is_new(tmp_path: Path) -> None:
    site = site_copy(tmp_path)
    proc = run_cli("diff", "--project", site, env=ZH)
    assert proc.returncode == 1, proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[0].endswith("output 还不存在：下面全部是新增的。")
    assert lines[1] == "项目：新增 5 个，修改 0 个，删除 0 个"
    assert "  新增 2023-100002-02 镇村道路养护经费" in lines
    assert not (site / "output").exists()


def test_no_change_exits_0_and_output_and_caches_stay_as_they_were(tmp_path: Path) -> None:
    site = site_copy(tmp_path)
    run_cli("build", "--project", site, check=True)
    before = snapshot(site / "output")
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    proc = run_cli("diff", "--project", site, env={"TMPDIR": str(scratch), **ZH})
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout == "没有变化：这次构建与 " + str(site / "output") + " 完全相同，不需要上传。\n"
    assert snapshot(site / "output") == before
    assert list(scratch.iterdir()) == []  # the temporary build is gone
    rebuilt = run_cli("build", "--project", site, check=True)
    assert " 0 rendered" in rebuilt.stdout  # the render cache still describes output/


def test_lists_projects_and_files_added_changed_removed(tmp_path: Path) -> None:
    site = site_copy(tmp_path)
    run_cli("build", "--project", site, check=True)
    before = snapshot(site / "output")
    content = site / "content"
    edited = content / "2022/100001/2022-100001-01.yaml"
    text = edited.read_text(encoding="utf-8")
    edited.write_text(text.replace("amount: '10.50'", "amount: '12.00'"), encoding="utf-8")
    removed = next(content.glob("2023/100002/2023-100002-02.yaml"))
    removed.unlink()
    added = content / "2023/100001/2023-100001-09.yaml"
    added.write_text(text.replace("id: 2022-100001-01", "id: 2023-100001-09")
                     .replace("year: '2022'", "year: '2023'")
                     .replace("name: 村级运转经费", "name: 新增的经费"), encoding="utf-8")
    proc = run_cli("diff", "--project", site, env=ZH)
    assert proc.returncode == 1, proc.stderr
    lines = proc.stdout.splitlines()
    assert "项目：新增 1 个，修改 1 个，删除 1 个" in lines
    assert "  新增 2023-100001-09 新增的经费" in lines
    assert "  修改 2022-100001-01 村级运转经费：金额：10.50 → 12.00" in lines
    assert "  删除 2023-100002-02 镇村道路养护经费" in lines
    assert any(line.startswith("  新增 projects/2023-100001-09.html（") for line in lines)
    assert any(line.startswith("  删除 projects/2023-100002-02.html（") for line in lines)
    assert any(line.startswith("  修改 data/projects.json（") for line in lines)
    report = run_json("diff", "--project", site, "--format", "json", "--limit", "0")
    assert report["changed"] is True
    assert [p["id"] for p in report["projects"]["changed"]] == ["2022-100001-01"]
    assert report["projects"]["changed"][0]["fields"] == ["amount: 10.50 → 12.00"]
    old = (site / "output/data/projects/2022-100001-01.json").stat().st_size
    [change] = [f for f in report["files"]["changed"]
                if f["path"] == "data/projects/2022-100001-01.json"]
    assert change["old_size"] == old and change["new_size"] > 0
    assert {f["path"] for f in report["files"]["removed"]} >= {
        "projects/2023-100002-02.html", "data/projects/2023-100002-02.json"}
    assert snapshot(site / "output") == before


def test_against_a_published_copy(tmp_path: Path) -> None:
    site = site_copy(tmp_path)
    run_cli("build", "--project", site, check=True)
    published = tmp_path / "published"
    shutil.copytree(site / "output", published)
    marker = published / ".site-builder-output"  # the build's marker: not content
    if marker.exists():
        marker.unlink()
    else:
        marker.write_text("kept by the host", encoding="utf-8")
    assert run_cli("diff", "--project", site, "--against", published).returncode == 0
    (published / "search.html").write_text("edited on the server", encoding="utf-8")
    (published / "old.html").write_text("left over", encoding="utf-8")
    proc = run_cli("diff", "--project", site, "--against", published, env=ZH)
    assert proc.returncode == 1
    assert "  修改 search.html（20 字节 → " in proc.stdout
    assert "  删除 old.html（9 字节）" in proc.stdout
    assert "项目：新增 0 个，修改 0 个，删除 0 个" in proc.stdout


def test_refuses_a_file_and_broken_content(tmp_path: Path) -> None:
    site = site_copy(tmp_path)
    not_folder = tmp_path / "file.txt"
    not_folder.write_text("x", encoding="utf-8")
    proc = run_cli("diff", "--project", site, "--against", not_folder, env=ZH)
    assert proc.returncode == 1 and "--against 应当是一个文件夹" in proc.stderr
    broken = site / "content/2022/100001/2022-100001-01.yaml"
    broken.write_text(broken.read_text(encoding="utf-8").replace("amount: '10.50'", "amount: x"),
                      encoding="utf-8")
    proc = run_cli("diff", "--project", site, env=ZH)
    assert proc.returncode == 1 and "2022-100001-01.yaml" in proc.stderr
    assert "Traceback" not in proc.stderr and proc.stdout == ""
    assert os.listdir(site).count("output") == 0

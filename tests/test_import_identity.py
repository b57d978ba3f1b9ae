"""Re-import through the real CLI: ids kept by name, second batches, corrected tables, hand
edits, --dry-run, --prune, and failures that write nothing (tables are fictional)."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from conftest import REPO, run_cli, run_json
from import_tables import Row, write_table

from site_builder.commands.import_cmd import read_input
from site_builder.content import writer as content_writer
from site_builder.diagnostics import SiteBuilderError
from site_builder.importers.merge import check_plan, plan_import

A, B, C, D, E = (Row(f"{n}工作经费", f"{i}.00", f"{i}次") for i, n in enumerate("甲乙丙丁戊", 1))


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` (but the schemas), by relative path."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and p.relative_to(root).parts[0] != "schema"}


def imported(site: Path, *args: str | Path) -> list[dict[str, Any]]:
    report: list[dict[str, Any]] = run_json("import", "--project", site, "--format", "json",
                                            *args)
    return report


def actions(report: list[dict[str, Any]]) -> list[tuple[str, str, str]]:
    return [(f["action"], f["id"], f["name"]) for item in report for f in item["files"]
            if f["kind"] == "project"]


def site_projects(site: Path) -> dict[str, str]:
    """id → name of every project, from the site's export."""
    return {p["id"]: p["name"] for p in run_json("export", "--project", site)}


@pytest.fixture
def site(tmp_path: Path) -> Path:
    run_cli("init", tmp_path / "site", check=True)
    return tmp_path / "site"


def test_a_second_batch_is_added_next_to_the_first(site: Path, tmp_path: Path) -> None:
    first = write_table(tmp_path / "第一批.txt", "2023", "009001", [A, B, C])
    second = write_table(tmp_path / "第二批.txt", "2023", "009001", [D, E])
    imported(site, first)
    report = imported(site, second)
    assert actions(report) == [("created", "2023-009001-04", D.name),
                               ("created", "2023-009001-05", E.name)]
    assert site_projects(site) == {
        "2023-009001-01": A.name, "2023-009001-02": B.name, "2023-009001-03": C.name,
        "2023-009001-04": D.name, "2023-009001-05": E.name}
    again = imported(site, first, second)
    assert {f["action"] for item in again for f in item["files"]} == {"unchanged"}
    assert run_cli("validate", "--project", site).returncode == 0


def test_a_corrected_table_keeps_ids_and_reports_what_is_gone(site: Path,
                                                              tmp_path: Path) -> None:
    table = tmp_path / "表.txt"
    write_table(table, "2023", "009001", [A, B, C, D])
    imported(site, table)
    write_table(table, "2023", "009001", [B, Row(D.name, "9.00", D.value), C])
    proc = run_cli("import", "--project", site, table, env={"SITE_BUILDER_LANG": "zh_CN"})
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert "  更新 content/2023/009001/2023-009001-04.yaml：丁工作经费（改动：金额、合计、来源）" \
        in lines
    assert ("  保留 content/2023/009001/2023-009001-01.yaml：项目「甲工作经费」是从 表.txt 导入的，"
            f"这次导入的 {table} 中已经没有它；文件保留（确实不要了就加 --prune 删除）") in lines
    assert site_projects(site) == {"2023-009001-01": A.name, "2023-009001-02": B.name,
                                   "2023-009001-03": C.name, "2023-009001-04": D.name}
    before = snapshot(site)
    dry = imported(site, "--prune", "--dry-run", table)
    assert snapshot(site) == before
    real = imported(site, "--prune", table)
    assert [dict(item, dry_run=False) for item in dry] == real
    assert ("removed", "2023-009001-01", A.name) in actions(real)
    assert "2023-009001-01" not in site_projects(site)
    aside = site / "content/2023/009001/2023-009001-01.yaml.removed"
    assert aside.read_bytes() == before["content/2023/009001/2023-009001-01.yaml"]
    write_table(table, "2023", "009001", [B, C, D, E])
    assert actions(imported(site, table))[-1] == ("created", "2023-009001-05", E.name)
    aside.unlink()  # once the removed file is deleted, its number may be given again
    write_table(tmp_path / "新.txt", "2023", "009001", [A])
    assert actions(imported(site, tmp_path / "新.txt")) == [
        ("created", "2023-009001-06", A.name)]


def test_a_hand_edit_and_a_shift_lose_nothing(site: Path, tmp_path: Path) -> None:
    table = write_table(tmp_path / "t.txt", "2023", "009001", [A, B, C])
    imported(site, table)
    edited = site / "content/2023/009001/2023-009001-02.yaml"
    text = edited.read_text(encoding="utf-8").replace("value: 2次", "value: 2次（已核）")
    edited.write_text(text, encoding="utf-8")
    write_table(table, "2023", "009001", [Row(B.name, "2.50", B.value), C])
    proc = run_cli("import", "--project", site, table, env={"SITE_BUILDER_LANG": "zh_CN"})
    assert proc.returncode == 0
    assert ("  跳过 content/2023/009001/2023-009001-02.yaml：乙工作经费，文件内容与导入时记下的摘要"
            "（import-digest）不符，导入后被手工修改过；表中的新内容（金额、绩效指标、合计、来源）"
            "没有写入，要用表中的内容覆盖就加 --force") in proc.stdout.splitlines()
    assert edited.read_text(encoding="utf-8") == text
    assert site_projects(site) == {"2023-009001-01": A.name, "2023-009001-02": B.name,
                                   "2023-009001-03": C.name}
    forced = imported(site, "--force", table)
    updated = next(f for f in forced[0]["files"] if f["id"] == "2023-009001-02")
    assert updated["action"] == "updated" and "overwritten as --force asks" in updated["reason"]
    assert "（已核）" not in edited.read_text(encoding="utf-8")


def test_a_name_edited_by_hand_still_matches_its_row(site: Path, tmp_path: Path) -> None:
    """The file's digest says which row it was imported from, so a renamed project is not
    imported a second time."""
    table = write_table(tmp_path / "t.txt", "2023", "009001", [A, B])
    imported(site, table)
    edited = site / "content/2023/009001/2023-009001-01.yaml"
    edited.write_text(edited.read_text(encoding="utf-8").replace(
        "name: 甲工作经费", "name: 甲项目工作经费"), encoding="utf-8")
    report = imported(site, table)
    assert actions(report) == [("skipped", "2023-009001-01", A.name),
                               ("unchanged", "2023-009001-02", B.name)]
    assert report[0]["files"][1]["fields"] == ["name"]
    assert len(site_projects(site)) == 2


def test_same_name_twice_in_a_unit_and_year(site: Path, tmp_path: Path) -> None:
    table = tmp_path / "t.txt"
    twin_a, twin_b = Row("村级运转经费", "1.00"), Row("村级运转经费", "2.00")
    write_table(table, "2023", "009001", [twin_a, B, twin_b])
    report = imported(site, table)
    assert [d["code"] for d in report[0]["diagnostics"]].count("same-name") == 1
    assert actions(imported(site, table)) == [
        ("unchanged", "2023-009001-01", twin_a.name), ("unchanged", "2023-009001-02", B.name),
        ("unchanged", "2023-009001-03", twin_b.name)]
    amounts = {p["id"]: p["amount"] for p in run_json("export", "--project", site)}
    assert (amounts["2023-009001-01"], amounts["2023-009001-03"]) == ("1.00", "2.00")
    # in table order: the first of the name is the lower id, the second the next one
    write_table(table, "2023", "009001", [Row("村级运转经费", "3.00"), B])
    assert actions(imported(site, table)) == [
        ("updated", "2023-009001-01", twin_a.name), ("unchanged", "2023-009001-02", B.name),
        ("absent", "2023-009001-03", twin_b.name)]
    write_table(table, "2023", "009001", [twin_a, twin_b, twin_b])
    assert actions(imported(site, table)) == [
        ("updated", "2023-009001-01", twin_a.name), ("updated", "2023-009001-03", twin_b.name),
        ("created", "2023-009001-04", twin_b.name), ("absent", "2023-009001-02", B.name)]


def test_names_compare_without_spaces_and_width(site: Path, tmp_path: Path) -> None:
    table = write_table(tmp_path / "t.txt", "2023", "009001", [Row("村级(社区)经费 LED")])
    imported(site, table)
    write_table(table, "2023", "009001", [Row("村级（社区） 经费ｌｅｄ")])
    report = imported(site, table)
    change = report[0]["files"][1]
    assert (change["action"], change["id"], change["fields"]) == (
        "updated", "2023-009001-01", ["name", "goals"])
    assert site_projects(site) == {"2023-009001-01": "村级（社区） 经费ｌｅｄ"}  # as published


def test_the_shipped_content_is_unchanged_by_importing_the_seeds(shipped_site: Path,
                                                                seeds: list[Path]) -> None:
    before = snapshot(shipped_site / "content")
    report = imported(shipped_site, *seeds)
    assert {f["action"] for item in report for f in item["files"]} == {"unchanged"}
    assert snapshot(shipped_site / "content") == before
    assert before == snapshot(REPO / "content")


def test_an_import_without_projects_fails_and_writes_nothing(tmp_path: Path) -> None:
    good = write_table(tmp_path / "good.txt", "2023", "009001", [A])
    empty = tmp_path / "empty.txt"
    empty.write_text("一级指标\t三级指标\t指标值\n这是一段说明文字\n", encoding="utf-8")
    proc = run_cli("import", "--project", tmp_path / "site", good, empty,
                   env={"SITE_BUILDER_LANG": "zh_CN"})
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    # the text reader itself says so (the command would otherwise, for any reader)
    assert f"{empty}: 错误：按three-level格式没有读到任何项目，没有导入" in proc.stderr
    assert not (tmp_path / "site").exists()


def test_content_validate_would_reject_is_refused(site: Path, tmp_path: Path) -> None:
    good = write_table(tmp_path / "good.txt", "2023", "009001", [A])
    data = [{"id": "2023-009002-01", "year": "2023", "unit_code": "009002", "unit_name": "乙",
             "name": "丙", "amount": "1.00",
             "indicators": [{"level1": "产出指木", "level2": "数量指标", "name": "次数",
                             "value": "5次"}]}]
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    before = snapshot(site)
    for dry in ((), ("--dry-run",)):
        proc = run_cli("import", "--project", site, *dry, good, bad,
                       env={"SITE_BUILDER_LANG": "zh_CN"})
        assert proc.returncode == 1, proc.stdout
        assert "一级指标“产出指木”不是绩效目标表中的一级指标" in proc.stderr
        assert "导入后的内容有 1 处通不过 validate 检查（见上）" in proc.stderr
        assert snapshot(site) == before
    assert "新增 content/2023/009001/2023-009001-01.yaml" in proc.stdout  # the dry run's plan
    assert "真正导入时会被拒绝" in proc.stderr


def test_an_unsafe_unit_code_is_refused(site: Path, tmp_path: Path) -> None:
    data = {"id": "x", "year": "2023", "unit_code": "../../etc", "name": "丙", "amount": "1.00"}
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(data), encoding="utf-8")
    proc = run_cli("import", "--project", site, bad, env={"SITE_BUILDER_LANG": "zh_CN"})
    assert proc.returncode == 1
    assert f"{bad}:1:1: 错误：单位编码「../../etc」不能用作文件夹名" in proc.stderr
    assert not (site / "content" / "2023").exists()


@pytest.mark.parametrize("failing_call", [1, 3, 5])
def test_a_failed_write_leaves_the_site_as_it_was(site: Path, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch,
                                                  failing_call: int) -> None:
    table = write_table(tmp_path / "t.txt", "2023", "009001", [A, B])
    imported(site, table)
    write_table(table, "2023", "009001", [Row(B.name, "7.00"), C, D])
    other = write_table(tmp_path / "o.txt", "2023", "009002", [E])
    before = snapshot(site)
    inputs = [read_input(table, None), read_input(other, None)]
    plan = plan_import(site, inputs, prune=True)
    assert check_plan(site, plan) == []
    assert len(plan.writes) == 5 and list(plan.removals) == [
        "content/2023/009001/2023-009001-01.yaml"]
    calls = [0]
    real_replace = os.replace

    def failing_replace(source: Any, target: Any) -> None:
        calls[0] += 1
        if calls[0] == failing_call:
            raise OSError(28, "No space left on device")
        real_replace(source, target)

    monkeypatch.setattr(content_writer.os, "replace", failing_replace)
    with pytest.raises(SiteBuilderError) as caught:
        content_writer.commit(site, plan.writes, plan.removals)
    monkeypatch.undo()
    message = caught.value.diagnostics[0].message
    assert message.startswith("Writing failed: No space left on device; every change of this "
                              "import was undone")
    assert snapshot(site) == before
    assert not (site / "content/2023/009002").exists()
    content_writer.commit(site, plan.writes, plan.removals)
    assert snapshot(site) != before


def test_a_failed_move_is_undone_too(site: Path, tmp_path: Path) -> None:
    table = write_table(tmp_path / "t.txt", "2023", "009001", [A, B])
    imported(site, table)
    write_table(table, "2023", "009001", [Row(B.name, "7.00")])
    plan = plan_import(site, [read_input(table, None)], prune=True)
    before = snapshot(site)
    blocker = site / "content/2023/009001/2023-009001-01.yaml.removed"
    blocker.mkdir()  # something already has the name the removed file would get
    with pytest.raises(SiteBuilderError):
        content_writer.commit(site, plan.writes, plan.removals)
    blocker.rmdir()
    assert snapshot(site) == before


def test_unreadable_project_files_are_warned_about(site: Path, tmp_path: Path) -> None:
    table = write_table(tmp_path / "t.txt", "2023", "009001", [A])
    imported(site, table)
    broken = site / "content/2023/009001/2023-009001-02.yaml"
    broken.write_text("name: [\n", encoding="utf-8")
    proc = run_cli("import", "--project", site, write_table(tmp_path / "u.txt", "2023",
                                                            "009001", [B]),
                   env={"SITE_BUILDER_LANG": "zh_CN"})
    assert proc.returncode == 0
    assert ("content/2023/009001/2023-009001-02.yaml: 警告：这个项目文件读不出来，导入无法把表中"
            "的项目与它对应") in proc.stderr
    assert "新增 content/2023/009001/2023-009001-03.yaml：乙工作经费" in proc.stdout

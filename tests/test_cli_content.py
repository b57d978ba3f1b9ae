"""The content commands through the real CLI: init, import, validate, export."""

from __future__ import annotations

import csv
import filecmp
import io
import json
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import REPO, run_cli, run_json
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_import_seeds import FLAT_COUNTS, THREE_LEVEL_COUNTS

from site_builder.commands.import_cmd import read_table
from site_builder.content.reader import load_site
from site_builder.export import project_json
from site_builder.model import Site


def tree_diff(a: Path, b: Path) -> list[str]:
    cmp = filecmp.dircmp(a, b, ignore=["pages"])  # Markdown pages are written, not imported
    problems = [f"{a.name}: {n}" for n in cmp.left_only + cmp.right_only + cmp.diff_files]
    for sub in cmp.common_dirs:
        problems += tree_diff(a / sub, b / sub)
    return problems


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory, seeds: list[Path]) -> Path:
    root = tmp_path_factory.mktemp("demo") / "demo"
    run_cli("init", root, check=True)
    run_cli("import", "--project", root, *seeds, check=True)
    return root


def test_init_and_import_reproduce_the_committed_content(demo: Path) -> None:
    assert tree_diff(REPO / "content", demo / "content") == []
    assert tree_diff(REPO / "schema", demo / "schema") == []


def test_init_refuses_an_existing_site(demo: Path) -> None:
    proc = run_cli("init", demo)
    assert proc.returncode == 1 and "already exists" in proc.stderr


def test_reimport_is_idempotent(demo: Path, seeds: list[Path]) -> None:
    report = run_json("import", "--project", demo, "--format", "json", *seeds)
    actions = {f["action"] for item in report for f in item["files"]}
    assert actions == {"unchanged"}
    assert [item["projects"] for item in report] == [26, 16]


def test_hand_edits_are_never_overwritten_silently(tmp_path: Path, seeds: list[Path]) -> None:
    run_cli("init", tmp_path / "s", check=True)
    site = tmp_path / "s"
    run_cli("import", "--project", site, seeds[1], check=True)
    target = site / "content/2023/002001/2023-002001-01.yaml"
    edited = target.read_text(encoding="utf-8").replace("组织召开专委会", "组织召开专委会（已核）")
    target.write_text(edited, encoding="utf-8")
    proc = run_cli("import", "--project", site, seeds[1], env={"SITE_BUILDER_LANG": "zh_CN"})
    assert proc.returncode == 0
    assert ("跳过 content/2023/002001/2023-002001-01.yaml：乡级人大代表活动经费，文件内容与导入时"
            "记下的摘要（import-digest）不符，导入后被手工修改过；表中的新内容（绩效指标）没有写入"
            in proc.stdout)
    assert target.read_text(encoding="utf-8") == edited
    run_cli("import", "--project", site, "--force", seeds[1], check=True)
    assert "（已核）" not in target.read_text(encoding="utf-8")


def test_validate_passes_on_shipped_content() -> None:
    report = run_json("validate", "--format", "json")
    assert report["ok"] is True and report["errors"] == 0
    assert (report["projects"], report["units"], report["files"]) == (42, 2, 44)


def test_export_json_lists_all_projects_exactly() -> None:
    projects = run_json("export", "--format", "json")
    assert len(projects) == 42
    assert sum(Decimal(p["amount"]) for p in projects) == Decimal("562.45")
    assert all(isinstance(p["amount"], str) and p["amount"].count(".") == 1
               and len(p["amount"].split(".")[1]) == 2 for p in projects)
    first = next(p for p in projects if p["id"] == "2023-002001-01")
    assert first["amount"] == "3.28" and first["unit_code"] == "002001"
    assert first["unit_name"] == "祁连县阿柔乡人民政府"
    assert first["indicators"][0] == {
        "level1": "产出指标", "level2": "数量指标", "category1": "产出指标",
        "category2": "数量指标", "name": "组织召开专委会", "value": "5次",
        "parsed": {"kind": "quantity", "number": "5", "unit": "次", "unit_known": True}}
    for project in projects:
        for indicator in project["indicators"]:
            assert indicator["category1"] in {"产出指标", "效益指标", "满意度指标"}


def test_export_csv_has_bom_and_one_row_per_indicator(tmp_path: Path) -> None:
    out = tmp_path / "indicators.csv"
    run_cli("export", "--format", "csv", "-o", out, check=True)
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert len(rows) == sum(FLAT_COUNTS) + sum(THREE_LEVEL_COUNTS) == 501
    assert rows[0]["unit_code"] == "703001" and rows[0]["amount"] == "20.49"
    assert {r["value"] for r in rows} >= {"≅95%", "≦0.3万元", "≒33.64万元"}


def _as_json(site: Site) -> list[dict[str, object]]:
    return [project_json(site, p) for p in site.projects]


def test_round_trip_import_yaml_load_export(demo: Path, seeds: list[Path]) -> None:
    imported = [read_table(path, None) for path in seeds]
    model = Site(units=tuple(u for r in imported for u in r.units),
                 projects=tuple(sorted((p for r in imported for p in r.projects),
                                       key=lambda p: (p.year, p.unit_code, p.id))))
    loaded = load_site(demo)
    assert [d for d in loaded.diagnostics if d.severity == "error"] == []
    assert _as_json(loaded.site) == _as_json(model)


# --- broken content: clear messages with positions, exit codes, no traceback -----------------

PROJECT = """id: p1
year: 2023
unit: '002001'
name: 测试项目
amount: '1.00'
indicators:
- {level1: 产出指标, level2: 数量指标, name: 次数, value: 5次}
"""
UNIT = "code: '002001'\nyear: 2023\nname: 测试单位\ndeclared_total: '1.00'\n"


def make_site(root: Path, project: str = PROJECT, unit: str = UNIT) -> Path:
    folder = root / "content/2023/002001"
    folder.mkdir(parents=True)
    (folder / "_unit.yaml").write_text(unit, encoding="utf-8")
    (folder / "p1.yaml").write_text(project, encoding="utf-8")
    return root


@pytest.mark.parametrize(("project", "expected"), [
    (PROJECT.replace("name: 测试项目", "nmae: 测试项目"),
     "content/2023/002001/p1.yaml:4:1: error: unknown key 'nmae' in the project (did you mean 'name'?)"),
    (PROJECT.replace("amount: '1.00'", "amount: 1,00"),
     "content/2023/002001/p1.yaml:5:9: error: 'amount' is '1,00', which is not a valid decimal"),
    (PROJECT.replace("id: p1\n", ""), "content/2023/002001/p1.yaml:1:1: error: the project has no 'id' (add 'id:'"),
    (PROJECT.replace("level1: 产出指标", "level1: 产出指木"),
     "content/2023/002001/p1.yaml:7:3: error: the 一级指标 '产出指木' is not a 一级指标 of the "
     "performance target form (did you mean '产出指标'?"),
    (PROJECT.replace("goals", "x") + "goals: {a: b}\n",
     "content/2023/002001/p1.yaml:8:8: error: 'goals' must be a list of text"),
    (PROJECT.replace("name: 测试项目", "name: [测试"),
     "content/2023/002001/p1.yaml:4:10: error: the '[' at line 4, column 7 has no matching ']'"),
    (PROJECT.replace("year: 2023", "year: 23"),
     "content/2023/002001/p1.yaml:2:7: error: 'year' is '23', which is not a valid year"),
])
def test_validate_names_position_and_fix(tmp_path: Path, project: str, expected: str) -> None:
    site = make_site(tmp_path, project)
    proc = run_cli("validate", "--project", site)
    assert proc.returncode == 1
    assert expected in proc.stdout, proc.stdout
    assert "Traceback" not in proc.stdout + proc.stderr


def test_duplicate_ids_and_missing_unit(tmp_path: Path) -> None:
    site = make_site(tmp_path)
    (site / "content/2023/002001/p2.yaml").write_text(PROJECT.replace("'002001'", "'9'"),
                                                      encoding="utf-8")
    report = run_json("validate", "--project", site, "--format", "json")
    codes = sorted(d["code"] for d in report["diagnostics"])
    assert codes == ["duplicate-id", "unknown-unit"]
    assert report["ok"] is False


def test_total_mismatch_is_a_warning_unless_strict(tmp_path: Path) -> None:
    site = make_site(tmp_path, unit=UNIT.replace("'1.00'", "'2.00'"))
    assert run_cli("validate", "--project", site).returncode == 0
    proc = run_cli("validate", "--project", site, "--strict")
    assert proc.returncode == 1
    assert "declares a total of 2.00 万元 but its projects add up to 1.00 万元" in proc.stdout


def test_usage_errors_exit_2() -> None:
    assert run_cli("validate", "--no-such-flag").returncode == 2
    assert run_cli("export", "--format", "pdf").returncode == 2


def test_export_refuses_broken_content(tmp_path: Path) -> None:
    site = make_site(tmp_path, PROJECT.replace("name: 测试项目", "nmae: x"))
    proc = run_cli("export", "--project", site)
    assert proc.returncode == 1 and proc.stdout == ""
    assert "unknown key 'nmae'" in proc.stderr and "Traceback" not in proc.stderr


def test_import_unknown_layout(tmp_path: Path) -> None:
    table = tmp_path / "t.txt"
    table.write_text("hello\n", encoding="utf-8")
    proc = run_cli("import", "--project", tmp_path, table, env={"SITE_BUILDER_LANG": "zh_CN"})
    assert proc.returncode == 1 and "没有认出这张表的格式" in proc.stderr


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=st.text(max_size=200))
def test_any_project_file_gives_diagnostics_not_exceptions(tmp_path: Path, body: str) -> None:
    folder = tmp_path / "content/2023/x"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "p.yaml").write_text(body, encoding="utf-8", errors="replace")
    result = load_site(tmp_path)
    for diagnostic in result.diagnostics:
        assert diagnostic.pos.path.startswith("content/")
    json.dumps([d.to_json() for d in result.diagnostics])


@pytest.mark.parametrize("command", ["validate", "export", "build", "check", "search 医保"])
def test_commands_outside_a_site_say_so(tmp_path: Path, command: str) -> None:
    proc = run_cli(*command.split(), "--project", tmp_path)
    assert proc.returncode == 1
    assert "no site here" in proc.stderr and "Traceback" not in proc.stderr

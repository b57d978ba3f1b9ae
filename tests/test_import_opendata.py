"""Importing our own open data: export (JSON, CSV) and a built site's data/ read back give the
same content, so a portal can be rebuilt from another site's published data."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from conftest import REPO, run_cli, run_json

from site_builder.importers import opendata


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The shipped site's JSON and CSV exports."""
    folder = tmp_path_factory.mktemp("exported")
    paths = {"json": folder / "projects.json", "csv": folder / "indicators.csv"}
    for fmt, path in paths.items():
        run_cli("export", "--project", REPO, "--format", fmt, "-o", path, check=True)
    return paths


def export_text(site: Path, fmt: str = "json") -> str:
    return run_cli("export", "--project", site, "--format", fmt, check=True).stdout


def snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file()}


def test_json_export_imported_gives_the_same_export(exported: dict[str, Path],
                                                    tmp_path: Path) -> None:
    site = tmp_path / "rebuilt"
    proc = run_cli("import", "--project", site, exported["json"], check=True)
    assert "json layout, 2 unit(s), 42 project(s): 44 created" in proc.stdout
    assert export_text(site) == export_text(REPO)
    assert run_cli("validate", "--project", site).returncode == 0
    ids = sorted(p.stem for p in (site / "content").rglob("*.yaml") if p.stem != "_unit")
    assert ids == sorted(p.stem for p in (REPO / "content").rglob("*.yaml")
                         if p.stem != "_unit")


def test_a_built_sites_projects_json_rebuilds_the_portal(built_site: Path,
                                                         tmp_path: Path) -> None:
    site = tmp_path / "rebuilt"
    run_cli("import", "--project", site, built_site / "data" / "projects.json", check=True)
    assert export_text(site) == export_text(REPO)
    one = tmp_path / "one"
    run_cli("import", "--project", one, built_site / "data/projects/2023-002001-07.json",
            check=True)
    again = run_json("export", "--project", one)
    original = next(p for p in run_json("export", "--project", REPO)
                    if p["id"] == "2023-002001-07")
    assert again == [original]


def test_csv_export_imported_gives_the_same_csv(exported: dict[str, Path],
                                                tmp_path: Path) -> None:
    site = tmp_path / "rebuilt"
    run_cli("import", "--project", site, exported["csv"], check=True)
    assert export_text(site, "csv") == export_text(REPO, "csv")
    projects = run_json("export", "--project", site)
    assert len(projects) == 42 and all(p["goals"] == [] for p in projects)  # not in the CSV
    assert {p["region"] for p in projects} == {"门源县", "祁连县"}


def test_own_open_data_into_the_same_site_changes_nothing(exported: dict[str, Path],
                                                          shipped_site: Path) -> None:
    before = snapshot(shipped_site / "content")
    report = run_json("import", "--project", shipped_site, "--format", "json",
                      exported["json"], exported["csv"])
    assert [item["layout"] for item in report] == ["json", "csv"]
    assert {f["action"] for item in report for f in item["files"]} == {"unchanged"}
    assert snapshot(shipped_site / "content") == before  # the CSV keeps goals, 合计, sources


def test_taken_ids_get_new_ones_and_a_note(shipped_site: Path, tmp_path: Path) -> None:
    data: list[dict[str, Any]] = json.loads(export_text(REPO))[:2]
    for project in data:  # another site's unit 009001 numbered like our 703001
        project.update(unit_code="009001", unit_name="示例县甲乡人民政府（虚构）")
    path = tmp_path / "other.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    report = run_json("import", "--project", shipped_site, "--format", "json", path)
    created = [(f["action"], f["id"]) for f in report[0]["files"] if f["kind"] == "project"]
    assert created == [("created", "2021-009001-01"), ("created", "2021-009001-02")]
    notes = [d["message"] for d in report[0]["diagnostics"] if d["code"] == "new-id"]
    assert notes[0] == ("The id '2021-703001-01' of the project '乡镇及村级(社区)民族团结及综治"
                        "创建经费' is used by another project on the site; the new id "
                        "2021-009001-01 is used instead")
    assert run_cli("validate", "--project", shipped_site).returncode == 0


def test_a_project_renamed_at_the_source_keeps_its_id(shipped_site: Path,
                                                      tmp_path: Path) -> None:
    data: list[dict[str, Any]] = json.loads(export_text(REPO))[:1]
    data[0]["name"] = "改过名的项目"
    path = tmp_path / "renamed.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    report = run_json("import", "--project", shipped_site, "--format", "json", "--prune", path)
    changed = [(f["action"], f["id"], f["fields"]) for f in report[0]["files"]
               if f["action"] != "unchanged"]
    assert changed == [("updated", "2021-703001-01", ["name"])]  # and nothing absent: open
    assert len(run_json("export", "--project", shipped_site)) == 42  # data may be a part


@pytest.mark.parametrize(("text", "expected"), [
    ('[{"id": "a"},\n  {"id": ', "bad.json:2:10: 错误：不是有效的 JSON：Expecting value"),
    ('[{"id": "x", "year": "2023", "unit_code": 9001, "name": "n", "amount": "1.00"}]',
     "bad.json:1:2: 错误：第 1 个项目的「unit_code」应当是加引号的文字，这里是 9001"),
    ('[\n {"id": "x", "year": "2023", "unit_code": "9001", "amount": "1,00"}]',
     "bad.json:2:2: 错误：第 1 个项目缺少「name」"),
    ('[\n {"id": "x", "year": "2023", "unit_code": "9001", "name": "n", "amount": "1,00"}]',
     "bad.json:2:2: 错误：第 1 个项目的「amount」应当是以万元计的金额（如 \"3.28\"），这里是 \"1,00\""),
    ("[]", "bad.json: 错误：没有读到任何项目（按 json 格式读到 0 个单位、0 个项目"),
    ("id,year,unit_code,unit_name,name,amount,level1\n",
     "bad.json:1:1: 错误：表头缺少 level2, category1"),
])
def test_broken_open_data_is_refused_with_its_position(tmp_path: Path, text: str,
                                                       expected: str) -> None:
    path = tmp_path / "bad.json"
    path.write_text(text, encoding="utf-8")
    proc = run_cli("import", "--project", tmp_path / "site", path,
                   env={"SITE_BUILDER_LANG": "zh_CN"})
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert expected in proc.stderr.replace(str(tmp_path) + "/", ""), proc.stderr
    assert not (tmp_path / "site").exists()


def test_open_data_is_recognised_by_content(tmp_path: Path, seeds: list[Path]) -> None:
    (tmp_path / "a.txt").write_text('\ufeff  [{"id": 1}]', encoding="utf-8")
    (tmp_path / "b.dat").write_text(",".join(("id", "year", "unit_code", "unit_name", "name",
                                              "amount")) + "\n", encoding="utf-8")
    assert [opendata.kind_of(tmp_path / n) for n in ("a.txt", "b.dat")] == ["json", "csv"]
    assert [opendata.kind_of(path) for path in seeds] == [None, None]

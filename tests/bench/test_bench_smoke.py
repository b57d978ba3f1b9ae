"""Smoke run of the benchmark generator and harness (N=200, no peers) so neither can rot."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from conftest import REPO, run_cli

from site_builder.content.reader import load_site
from site_builder.content.writer import dump_yaml, project_data, unit_data

SMOKE_PROJECTS = 200


def _generate(out: Path, seed: int = 7) -> None:
    subprocess.run([sys.executable, str(REPO / "benchmarks" / "generate.py"), "--projects",
                    str(SMOKE_PROJECTS), "--out", str(out), "--seed", str(seed)],
                   check=True, capture_output=True, timeout=300)


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes()
            for p in sorted((root / "content").rglob("*.yaml"))}


def test_generator_is_deterministic_valid_and_written_like_content_writer(tmp_path: Path) -> None:
    _generate(tmp_path / "a")
    _generate(tmp_path / "b")
    first = _files(tmp_path / "a")
    assert first == _files(tmp_path / "b"), "the same seed must give byte-identical files"
    proc = run_cli("validate", "--project", tmp_path / "a")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    site = load_site(tmp_path / "a").site
    assert len(site.projects) == SMOKE_PROJECTS
    assert len({p.year for p in site.projects}) >= 3 and len(site.units) >= 5
    for project in site.projects[::37]:
        text = (tmp_path / "a" / project.pos.path).read_text("utf-8")
        assert text.endswith(dump_yaml(project_data(project))), project.pos.path
    unit = site.units[0]
    assert (tmp_path / "a" / unit.pos.path).read_text("utf-8").endswith(
        dump_yaml(unit_data(unit)))
    _generate(tmp_path / "c", seed=8)
    assert _files(tmp_path / "c") != first


def test_harness_runs_end_to_end(tmp_path: Path) -> None:
    results_file = tmp_path / "results.json"
    proc = subprocess.run(
        [sys.executable, str(REPO / "benchmarks" / "run.py"), "--projects", str(SMOKE_PROJECTS),
         "--runs", "1", "--queries", "2", "--workdir", str(tmp_path / "work"),
         "--json", str(results_file)],
        capture_output=True, text=True, encoding="utf-8", timeout=600, cwd=REPO)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    assert "cold build incl. search (s)" in proc.stdout
    results = json.loads(results_file.read_text("utf-8"))
    assert results["projects"] == SMOKE_PROJECTS
    builds = results["builds"]
    for key in ("ours_cold", "ours_edit", "ours_add"):
        assert builds[key] and builds[key][0]["seconds"] > 0
        assert builds[key][0]["peak_rss"] > 10 * 1024 * 1024
    rebuilds = {r["kind"]: r for r in results["preview"]["rebuilds"]}
    assert rebuilds["edit"]["quick"] and 0 < rebuilds["edit"]["reported"] <= rebuilds["edit"]["seen"]
    assert not rebuilds["add"]["quick"] and rebuilds["add"]["seen"] > 0
    assert "in serve, after an edit: until shown (s)" in proc.stdout
    sizes = results["sizes"]["ours"]
    assert sizes["files"] > SMOKE_PROJECTS and sizes["index_bytes"] > 0
    ours = results["browser"]["ours"]
    assert [r["query"] for r in ours["first"]] == ["满意度", "经费"]
    assert all(r["wire"] > 0 and r["requests"] > 0 and r["total"] > 0 for r in ours["first"])
    assert ours["quality"]["recall"] == 1.0 and ours["quality"]["precision"] == 1.0

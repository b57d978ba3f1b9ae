"""``site-builder check`` options, the ``checks`` setting, and the checks inside ``build``."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from check_sites import UNIT, YEAR, P, clean_rows, with_row, write_site
from conftest import run_cli, run_json

S = "产出指标"


def _site(root: Path, settings: str = "") -> Path:
    """One clean project, one with an error (empty value), one with a warning (≧)."""
    projects = [P(1), with_row(P(2), 0, (S, "数量指标", "第2片区道路维护长度", "")),
                with_row(P(3), 1, (S, "质量指标", "第3片区维护验收合格率", "≧95%"))]
    return write_site(root, projects, settings)


def test_levels_can_be_changed_and_rules_turned_off(tmp_path: Path) -> None:
    site = _site(tmp_path / "s", "checks:\n  empty-value: info\n  variant-operator: off\n"
                 "  level2-missing: error\n")
    proc = run_cli("check", "--project", site, "--format", "json")
    assert proc.returncode == 0, proc.stderr
    findings = json.loads(proc.stdout)
    assert [(f["rule"], f["severity"]) for f in findings] == [("empty-value", "info")]
    rules = {r["rule"]: r for r in run_json("check", "--project", site, "--list-rules",
                                            "--format", "json")}
    assert rules["variant-operator"]["level"] == "off"
    assert rules["variant-operator"]["default"] == "warning"


def test_unknown_rule_is_an_error_with_position_and_suggestion(tmp_path: Path) -> None:
    site = _site(tmp_path / "s", "checks:\n  copy-paste: off\n  varient-operator: off\n")
    proc = run_cli("check", "--project", site)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert ("site.yaml:4:3: error: unknown check rule 'varient-operator' "
            "(did you mean 'variant-operator'?)") in proc.stderr
    build = run_cli("build", "--project", site)
    assert build.returncode == 1 and "site.yaml:4:3" in build.stderr


def test_unknown_level_is_an_error(tmp_path: Path) -> None:
    site = _site(tmp_path / "s", "checks:\n  copy-paste: loud\n")
    proc = run_cli("check", "--project", site)
    assert proc.returncode == 1
    assert "site.yaml:3:15: error: rule 'copy-paste' is set to 'loud'" in proc.stderr
    assert "off, error, warning or info" in proc.stderr
    proc = run_cli("check", "--project", _site(tmp_path / "t", "checks: off\n"))
    assert proc.returncode == 1 and "'checks' must be a mapping" in proc.stderr


def test_exit_status_text_output_and_report_file(tmp_path: Path) -> None:
    site = _site(tmp_path / "s")
    proc = run_cli("check", "--project", site)
    assert proc.returncode == 1  # an error
    lines = proc.stdout.splitlines()
    assert lines[-1] == "quality check of 3 projects: 1 error(s), 1 warning(s), 0 note(s)"
    assert lines[0].startswith(f"content/{YEAR}/{UNIT}/{YEAR}-{UNIT}-02.yaml:")
    assert "error: [empty-value] 指标「第2片区道路维护长度」没有指标值" in lines[0]
    warn_only = _site(tmp_path / "w", "checks:\n  empty-value: off\n")
    assert run_cli("check", "--project", warn_only).returncode == 0
    strict = run_cli("check", "--project", warn_only, "--strict", "--format", "json",
                     "-o", tmp_path / "r.json")
    assert strict.returncode == 1 and strict.stdout.endswith(f"-> {tmp_path / 'r.json'}\n")
    saved = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert [f["rule"] for f in saved] == ["variant-operator"]


def test_content_errors_stop_the_check(tmp_path: Path) -> None:
    site = write_site(tmp_path / "s", [P(1)])
    bad = site / "content" / YEAR / UNIT / f"{YEAR}-{UNIT}-01.yaml"
    bad.write_text(bad.read_text(encoding="utf-8").replace("amount: '10.00'", "amount: ten"),
                   encoding="utf-8")
    proc = run_cli("check", "--project", site)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert f"{YEAR}-{UNIT}-01.yaml:5:9: error:" in proc.stderr


def test_help_lists_every_rule() -> None:
    proc = run_cli("check", "--help")
    assert proc.returncode == 0
    assert "rate-not-percent" in proc.stdout and "copied-goals" in proc.stdout


def test_build_reports_findings_and_stops_only_with_strict(tmp_path: Path) -> None:
    site = _site(tmp_path / "s")
    out = tmp_path / "out"
    proc = run_cli("build", "--project", site, "--out", out)
    assert proc.returncode == 0, proc.stderr
    assert "error: [empty-value]" in proc.stderr and "warning: [variant-operator]" in proc.stderr
    assert "quality check: 1 error(s), 1 warning(s), 0 note(s)" in proc.stderr
    assert not (out / "quality.html").exists()
    before = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    (site / "site.yaml").write_text("title: 改过的标题\n", encoding="utf-8")
    strict = run_cli("build", "--project", site, "--out", out, "--strict")
    assert strict.returncode == 1 and "error: [empty-value]" in strict.stderr
    assert "warning" not in strict.stderr
    after = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert after == before


def test_strict_build_passes_with_warnings_only(tmp_path: Path) -> None:
    site = write_site(tmp_path / "s", [P(1), with_row(P(2), 1, (S, "质量指标", "合格率", "≧95%")),
                                       P(3, rows=clean_rows(3))])
    proc = run_cli("build", "--project", site, "--out", tmp_path / "out", "--strict")
    assert proc.returncode == 0, proc.stderr
    assert "warning: [variant-operator]" in proc.stderr


@pytest.mark.parametrize("publish", [True, False])
def test_quality_page_is_published_on_request(tmp_path: Path, publish: bool) -> None:
    site = _site(tmp_path / "s", f"publish_quality_report: {str(publish).lower()}\n")
    run_cli("build", "--project", site, "--out", tmp_path / "out", check=True)
    page = tmp_path / "out" / "quality.html"
    assert page.exists() is publish
    if publish:
        html = page.read_text(encoding="utf-8")
        assert '<html lang="zh-CN"' in html and "<h1>数据质量</h1>" in html
        assert f'href="projects/{YEAR}-{UNIT}-02.html"' in html
        assert "没有指标值" in html and "content/" not in html  # no source paths for citizens
        scripts = re.findall(r"<script[^>]*>", html)  # only the site's own file, no inline code
        assert all(re.fullmatch(r'<script src="static/site\.js">', s) for s in scripts), \
            scripts
        assert "style=" not in html

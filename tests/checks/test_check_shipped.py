"""The checks on the shipped content (the two published tables), and the HTML report in Chromium.

The expected findings below are the reviewed result: see docs/decisions.md (issue 5) for the
judgement on each, real problem of the published table or false alarm.
"""

from __future__ import annotations

import re
import shutil
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from check_sites import P, write_site
from conftest import REPO, run_cli, run_json, serve_dir

EMPTY_21 = "支付每月街道路灯电费、支付每月垃圾场维护费、街道花坛，街道垃圾清理等费用、及时处理所有生活垃圾。"
SHIPPED: list[tuple[str, str, str]] = [
    ("2021-703001-05", "rate-not-percent", "人代工作成本率"),
    ("2021-703001-06", "copy-paste", ""),
    ("2021-703001-10", "trivial-target", "运动会参与人数增长率"),
    ("2021-703001-11", "goals-money", ""),
    ("2021-703001-11", "rate-not-percent", "各项活动成本控制率"),
    ("2021-703001-16", "duplicate-indicator", "村党支部会议完成时间"),
    ("2021-703001-16", "rate-not-percent", "新农合参保率："),
    ("2021-703001-17", "copy-paste", ""),
    ("2021-703001-18", "duplicate-indicator", "村党支部会议完成时间"),
    ("2021-703001-20", "missing-output-level2", ""),
    ("2021-703001-20", "rate-not-percent", "有关法律政策知晓率"),
    ("2021-703001-21", "missing-output-level2", ""),
    ("2021-703001-21", "empty-value", EMPTY_21),
    ("2021-703001-21", "trivial-target", "环境问题投诉举报降低率"),
    ("2021-703001-23", "unparseable-value", "民兵训练完成时间"),
    ("2021-703001-24", "copy-paste", ""),
    ("2021-703001-25", "copy-paste", ""),
    ("2021-703001-25", "cost-below-amount", ""),
    ("2021-703001-26", "year-mismatch", ""),
    ("2021-703001-26", "year-mismatch", ""),
    ("2023-002001-04", "variant-operator", "各类宣传横幅及资料"),
    ("2023-002001-04", "variant-operator", "办公耗材"),
    ("2023-002001-04", "variant-operator", "设备维修维护费"),
    ("2023-002001-04", "variant-operator", "差旅费"),
    ("2023-002001-06", "duplicate-indicator", "顺利发放本年度村干部报酬"),
    ("2023-002001-06", "variant-operator", "村委会主任、副书记每人每年待遇"),
    ("2023-002001-06", "variant-operator", "其他享受待遇人员每人每年发放"),
    ("2023-002001-09", "copied-goals", ""),
    ("2023-002001-10", "copied-goals", ""),
    ("2023-002001-14", "variant-operator", "各类宣传横幅及资料成本"),
    ("2023-002001-14", "variant-operator", "办公耗材成本"),
    ("2023-002001-14", "variant-operator", "差旅费成本"),
    ("2023-002001-14", "variant-operator", "群众满意度"),
    ("2023-002001-16", "duplicate-indicator", "政策宣传知晓率"),
]
"""Every error and warning on the shipped content (project, rule, indicator)."""


@pytest.fixture(scope="module")
def shipped_findings() -> list[dict[str, Any]]:
    findings: list[dict[str, Any]] = run_json("check", "--format", "json", cwd=REPO)
    return findings


def test_shipped_content_findings_are_the_reviewed_ones(
        shipped_findings: list[dict[str, Any]]) -> None:
    found = Counter((f["project_id"], f["rule"], f["indicator"]) for f in shipped_findings
                    if f["severity"] != "info")
    assert found == Counter(SHIPPED)
    infos = Counter(f["rule"] for f in shipped_findings if f["severity"] == "info")
    assert infos == {"level2-missing": 40, "category-variant": 16}
    errors = [f for f in shipped_findings if f["severity"] == "error"]
    assert [f["project_id"] for f in errors] == ["2021-703001-21"]


def test_copies_in_the_published_tables_name_each_other(
        shipped_findings: list[dict[str, Any]]) -> None:
    related = {f["project_id"]: f["related"] for f in shipped_findings
               if f["rule"] in ("copy-paste", "copied-goals")}
    assert related == {
        "2021-703001-06": ["2021-703001-25"], "2021-703001-25": ["2021-703001-06"],
        "2021-703001-17": ["2021-703001-24"], "2021-703001-24": ["2021-703001-17"],
        "2023-002001-09": ["2023-002001-10"], "2023-002001-10": ["2023-002001-09"],
    }


@pytest.fixture(scope="module")
def report_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped site built with the 数据质量 page, and a local report saved at its root."""
    root = tmp_path_factory.mktemp("report") / "site"
    shutil.copytree(REPO / "content", root / "content")
    settings = (REPO / "site.yaml").read_text(encoding="utf-8")
    (root / "site.yaml").write_text(
        settings.replace("publish_quality_report: false", "publish_quality_report: true"),
        encoding="utf-8")
    out = root / "output"
    run_cli("build", "--project", root, check=True)
    proc = run_cli("check", "--project", root, "--format", "html",
                   "-o", out / "quality-report.html")
    assert proc.returncode == 1 and (out / "quality-report.html").exists()
    return out


@pytest.mark.parametrize("name", ["quality.html"])  # the local report: test_check_worklist.py
def test_report_groups_findings_and_links_project_pages(
        report_site: Path, shipped_findings: list[dict[str, Any]], page: Any, name: str) -> None:
    server, url = serve_dir(report_site)
    try:
        # the browser asks for /favicon.ico on its own; the site's icon is not this test's job
        page.route("**/favicon.ico", lambda route: route.fulfill(status=204))
        page.set_default_timeout(120_000)  # generous: CI machines can be busy
        page.goto(url + name)
        assert page.locator("html").get_attribute("lang") == "zh-CN"
        scripts = page.locator("script").evaluate_all("els => els.map(e => e.src)")
        # the published page has the site's own script (large-text switch) and no other
        assert scripts == ([] if name == "quality-report.html" else [url + "static/site.js"])
        flagged = {f["project_id"] for f in shipped_findings}
        assert page.locator("section.quality-group").count() == len(flagged) == 42
        section = page.locator("section.quality-group").filter(
            has=page.get_by_role("heading", name="社区医保经费", exact=True))
        assert section.locator("caption").inner_text() == "社区医保经费：3 条（2 个警告、1 个提示）"
        assert section.get_by_text("与其他项目雷同").count() == 1
        section.get_by_role("link", name="2021-703001-06").click()
        page.wait_for_url("**/projects/2021-703001-06.html")
        assert page.locator("h1").inner_text() == "城乡医保经费"
        page.go_back()
        page.get_by_role("link", name="社区医保经费", exact=True).click()
        page.wait_for_url("**/projects/2021-703001-25.html")
        assert page.locator("h1").inner_text() == "社区医保经费"
    finally:
        server.shutdown()


def test_report_shows_sources_only_in_the_local_report(report_site: Path) -> None:
    local = (report_site / "quality-report.html").read_text(encoding="utf-8")
    published = (report_site / "quality.html").read_text(encoding="utf-8")
    assert "content/2021/703001/2021-703001-21.yaml:16" in local
    assert "content/2021" not in published
    assert "<script" not in local and "style=" not in local + published
    assert re.findall(r"<script[^>]*>", published) == ['<script src="static/site.js">']


def test_report_escapes_published_text(tmp_path: Path) -> None:
    site = write_site(tmp_path / "s", [P(1, name="<b>道路</b>&维护", amount="30.00")])
    proc = run_cli("check", "--project", site, "--format", "html")
    assert proc.returncode == 0, proc.stderr
    assert "&lt;b&gt;道路&lt;/b&gt;&amp;维护" in proc.stdout and "<b>道路" not in proc.stdout
    assert "成本指标合计只有 10 万元" in proc.stdout

"""Every quality rule through the real CLI: a site whose projects each trigger one rule, and a
site of near misses that must stay silent."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from check_sites import UNIT, YEAR, P, clean_rows, with_row, write_site
from conftest import run_cli, run_json

from site_builder.checks.registry import RULES

S = "产出指标"
GOALS_19 = ["目标一：维护第19片区村级道路，保障群众出行安全便利。", "目标二：完成道路维护5公里。"]


def _triggers() -> list[tuple[str, P]]:
    """(rule, project) where the project breaks exactly that rule."""
    q = [("产出指标", "数量指标", "第12片区维护工作", "完成"),
         ("产出指标", "质量指标", "第12片区维护质量", "优良"),
         ("产出指标", "时效指标", "第12片区维护完成时间", "按时"),
         ("产出指标", "成本指标", "第12片区道路维护费", "≤10万元"),
         ("效益指标", "社会效益指标", "第12片区群众出行条件", "改善"),
         ("效益指标", "可持续影响指标", "第12片区道路管护机制健全性", "健全"),
         ("满意度指标", "服务对象满意度指标", "群众满意度", "≥95%")]
    rows7 = clean_rows(7)
    return [
        ("missing-level1", P(1, rows=clean_rows(1)[:6])),
        ("missing-output-level2", P(2, rows=[r for r in clean_rows(2) if r[1] != "时效指标"])),
        ("wrong-parent", with_row(P(3), 4, ("产出指标", "社会效益指标", "第3片区出行条件", "改善"))),
        ("level2-missing", with_row(P(4), 6, ("满意度指标", "", "群众满意度", "≥95%"))),
        ("category-variant", with_row(P(27), 4, ("效益指标", "社会效益", "第27片区群众出行条件", "改善"))),
        ("empty-value", with_row(P(5), 0, (S, "数量指标", "第5片区道路维护长度", ""))),
        ("duplicate-indicator", P(6, rows=[*clean_rows(6), (S, "质量指标", "第6片区维护验收合格率",
                                                             "100%")])),
        ("unparseable-value", P(7, rows=[*rows7[:2], (S, "时效指标", rows7[2][2],
                                                      "按上级要求尽快完成全部维护工作任务"),
                                         *rows7[3:]])),
        ("variant-operator", with_row(P(8), 1, (S, "质量指标", "第8片区维护验收合格率", "≧95%"))),
        ("variant-operator", with_row(P(23), 1, (S, "质量指标", "第23片区维护验收合格率",
                                                 "≥=95%"))),
        ("rate-not-percent", with_row(P(9), 1, (S, "质量指标", "第9片区维护验收合格率", "95"))),
        ("rate-not-percent", with_row(P(21), 1, (S, "质量指标", "第21片区维护验收合格率", "提高"))),
        ("percent-over-100", with_row(P(10), 1, (S, "质量指标", "第10片区维护验收合格率",
                                                 "≥120%"))),
        ("trivial-target", with_row(P(11), 4, ("效益指标", "社会效益指标", "第11片区出行投诉下降率",
                                               "≥0%"))),
        ("quantitative-share", P(12, rows=q)),
        ("table-total", P(14, extra={"table_total": "9.00"})),
        ("cost-over-amount", with_row(P(15), 3, (S, "成本指标", "第15片区道路维护费", "≤12万元"))),
        ("cost-below-amount", with_row(P(16), 3, (S, "成本指标", "第16片区道路维护费", "≤3万元"))),
        ("goals-money", P(17, goals=["目标：共计发放第17片区补助资金120万元、救济款42万元。"])),
        ("year-mismatch", P(18, name="2022年第18片区道路维护经费",
                            goals=["目标：2022年维护第18片区村级道路。"],
                            rows=clean_rows(18, "2022"))),
        ("copy-paste", P(19, goals=GOALS_19)),
        ("copy-paste", P(20, goals=GOALS_19, rows=clean_rows(19), name="第20片区道路维护经费")),
        ("copy-paste", with_row(P(22, goals=GOALS_19, rows=clean_rows(19)), 0,
                                (S, "数量指标", "第19片区道路维护长度", "6公里"))),
        ("copied-goals", P(25, goals=["目标：本经费用于第25片区和第26片区的道路维护与管护。"])),
        ("copied-goals", P(26, goals=["目标：本经费用于第25片区和第26片区的道路维护与管护。"])),
    ]


def _near_misses() -> list[P]:
    """Projects close to a rule's edge that must not be reported."""
    c = "成本指标"
    return [
        P(1),
        P(2, rows=[*clean_rows(2)[:3], ("成本指标", "经济成本指标", "第2片区道路维护费", "≤10万元"),
                   *clean_rows(2)[4:]]),
        P(3, rows=[*clean_rows(3), (S, c, "第3片区道路维护长度", "≤0.5万元")],
          amount="10.50"),
        P(4, rows=[*clean_rows(4), ("效益指标", "社会效益指标", "第4片区交通事故发生率", "0"),
                   (S, "质量指标", "第4片区路灯故障率", "≤0%")]),
        P(5, rows=[*clean_rows(5), ("效益指标", "社会效益指标", "第5片区客流增长率", "≥150%")]),
        P(6, rows=[*clean_rows(6), ("效益指标", "经济效益指标", "第6片区群众收入", "增幅20%")]),
        P(7, rows=[*clean_rows(7), ("效益指标", "社会效益指标", "第7片区工作效率", "提升")]),
        P(8, rows=[*clean_rows(8), (S, c, "第8片区人均培训成本", "≤80元"),
                   (S, c, "第8片区单次维护成本", "≤0.5万元"), (S, c, "第8片区劳务补助", "70元")]),
        P(9, goals=["目标：按每人每月300元的标准、按300元/人发放补助；总投资10万元，其中道路6万元、"
                    "桥梁4万元。"]),
        P(10, year="2022", rows=[*clean_rows(10)[:2], (S, "时效指标", "第10片区维护完成时间", "每月"),
                                 *clean_rows(10)[3:]], goals=["目标：每年都要维护第10片区道路。"]),
        P(11, rows=[*clean_rows(10)[:2], (S, "时效指标", "第10片区维护完成时间", "每月"),
                    *clean_rows(10)[3:]], name="第10片区道路维护经费",
          goals=["目标：每年都要维护第10片区道路。"]),
        P(12, extra={"table_total": "10.00"}, goals=[f"目标：{YEAR}年全年维护第12片区道路。"]),
        P(13, extra={"table_total": ""}),
        P(14, rows=[*clean_rows(14)[:1], (S, "数量指标", "第14片区维护桥梁", "2座"),
                    (S, "质量指标", "第14片区维护质量", "优良"), (S, "时效指标", "第14片区完成时间", "按时"),
                    *clean_rows(14)[3:]]),
    ]


def _by_project(findings: list[dict[str, Any]]) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for f in findings:
        found.setdefault(f["project_id"], set()).add(f["rule"])
    return found


@pytest.fixture(scope="module")
def trigger_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    projects = [p for _, p in _triggers()]
    return write_site(tmp_path_factory.mktemp("triggers"), projects,
                      declared={(YEAR, UNIT): "999.00"})


@pytest.fixture(scope="module")
def trigger_findings(trigger_site: Path) -> list[dict[str, Any]]:
    findings: list[dict[str, Any]] = run_json("check", "--project", trigger_site,
                                              "--format", "json")
    return findings


def test_every_rule_has_a_trigger() -> None:
    triggered = {rule for rule, _ in _triggers()} | {"unit-total"}
    assert triggered == {r.id for r in RULES if r.family != "self-evaluation"}  # see
    # tests/test_evaluations.py for those


@pytest.mark.parametrize(("rule", "project"), _triggers(), ids=lambda x: getattr(x, "id", x))
def test_rule_triggers(trigger_findings: list[dict[str, Any]], rule: str, project: P) -> None:
    assert rule in _by_project(trigger_findings).get(project.id, set())


def test_each_trigger_breaks_only_its_own_rule(trigger_findings: list[dict[str, Any]]) -> None:
    expected: dict[str, set[str]] = {}
    for rule, project in _triggers():
        expected.setdefault(project.id, set()).add(rule)
    expected[""] = {"unit-total"}
    assert _by_project(trigger_findings) == expected


def test_unit_total_names_both_sums(trigger_findings: list[dict[str, Any]]) -> None:
    [unit] = [f for f in trigger_findings if f["rule"] == "unit-total"]
    assert unit["path"] == f"content/{YEAR}/{UNIT}/_unit.yaml" and unit["unit"] == UNIT
    assert "999 万元" in unit["message"] and unit["severity"] == "warning"


def test_findings_carry_position_project_and_indicator(
        trigger_site: Path, trigger_findings: list[dict[str, Any]]) -> None:
    [empty] = [f for f in trigger_findings if f["rule"] == "empty-value"]
    path = f"content/{YEAR}/{UNIT}/{YEAR}-{UNIT}-05.yaml"
    assert (empty["path"], empty["severity"], empty["project_id"], empty["indicator"]) == (
        path, "error", f"{YEAR}-{UNIT}-05", "第5片区道路维护长度")
    lines = (trigger_site / path).read_text(encoding="utf-8").splitlines()
    row = "\n".join(lines[empty["line"] - 1:empty["line"] + 3])  # the indicator's mapping
    assert lines[empty["line"] - 1].startswith("- ") and "第5片区道路维护长度" in row
    assert empty["hint"]
    keys = {"rule", "severity", "path", "line", "project_id", "project_name", "indicator",
            "message", "hint"}
    assert all(keys <= f.keys() for f in trigger_findings)


def test_messages_name_the_problem(trigger_findings: list[dict[str, Any]]) -> None:
    messages = {(f["rule"], f["project_id"][-2:]): f["message"] for f in trigger_findings}
    assert "满意度指标" in messages[("missing-level1", "01")]
    assert "时效指标" in messages[("missing-output-level2", "02")]
    assert "缺少百分号" in messages[("rate-not-percent", "09")]
    assert "“提高”不是百分数" in messages[("rate-not-percent", "21")]
    assert "“≧”" in messages[("variant-operator", "08")]
    assert "“≥=”写乱了" in messages[("variant-operator", "23")]
    assert "120万元、42万元" in messages[("goals-money", "17")]
    assert "「第19片区道路维护经费」" in messages[("copy-paste", "20")]
    assert "几乎相同" in messages[("copy-paste", "22")]
    assert f"{YEAR}-{UNIT}-26" in messages[("copied-goals", "25")]
    years = [f for f in trigger_findings if f["rule"] == "year-mismatch"]
    assert len(years) == 3 and all("2022" in f["message"] for f in years)


def test_copy_paste_names_the_other_project(trigger_findings: list[dict[str, Any]]) -> None:
    related = {f["project_id"][-2:]: f["related"] for f in trigger_findings
               if f["rule"] == "copy-paste"}
    assert related["19"] == [f"{YEAR}-{UNIT}-20", f"{YEAR}-{UNIT}-22"]
    assert related["22"] == [f"{YEAR}-{UNIT}-19", f"{YEAR}-{UNIT}-20"]


def test_near_misses_are_silent(tmp_path: Path) -> None:
    projects = _near_misses()
    sums = Counter[tuple[str, str]]()
    for p in projects:
        sums[(p.year, p.unit)] += int(float(p.amount) * 100)
    declared = {k: f"{v / 100:.2f}" for k, v in sums.items()}
    site = write_site(tmp_path / "s", projects, declared=declared)
    proc = run_cli("check", "--project", site, "--strict")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "0 error(s), 0 warning(s), 0 note(s)" in proc.stdout

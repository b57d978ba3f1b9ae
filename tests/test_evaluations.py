"""Self-evaluations (项目支出绩效自评表) as content: read and validated with positions, linked
to their projects, cached, and checked by the self-evaluation rules.  The example site
(examples/self-evaluation/) holds two real target tables and two fictional self-evaluations."""

from __future__ import annotations

import csv
import hashlib
import json
import shutil
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import REPO, run_cli, run_json

from site_builder.achievement import grade_of, number, outcome
from site_builder.checks import evaluation as evaluation_rules
from site_builder.checks.registry import RULES
from site_builder.content.reader import load_site
from site_builder.model import EvaluatedIndicator, SelfEvaluation, Site

EXAMPLE = REPO / "examples" / "self-evaluation"
UNIT_DIR = "content/2023/002001"
GOOD = f"{UNIT_DIR}/2023-002001-01.evaluation.yaml"
FLAWED = f"{UNIT_DIR}/2023-002001-02.evaluation.yaml"
EVALUATION_RULES = {r.id for r in RULES if r.family == "self-evaluation"}


@pytest.fixture
def example(tmp_path: Path) -> Path:
    site = tmp_path / "site"
    shutil.copytree(EXAMPLE, site)
    return site


@pytest.fixture(scope="module")
def example_site() -> Site:
    result = load_site(EXAMPLE)
    assert [d for d in result.diagnostics if d.severity == "error"] == []
    return result.site


def test_the_example_targets_are_the_shipped_real_tables() -> None:
    """The example's target tables are copies of the shipped (real) content, never edited."""
    for name in ("_unit.yaml", "2023-002001-01.yaml", "2023-002001-02.yaml"):
        assert (EXAMPLE / UNIT_DIR / name).read_bytes() == (REPO / UNIT_DIR / name).read_bytes()
    for name in (GOOD, FLAWED):
        assert "虚构" in (EXAMPLE / name).read_text(encoding="utf-8").splitlines()[1]


def test_self_evaluations_are_linked_by_id_and_by_name(example_site: Site) -> None:
    first, second = example_site.projects
    assert example_site.evaluation_of(first).project == first.id  # by 'project:'
    by_name = example_site.evaluation_of(second)
    assert by_name is not None and by_name.project == "" and by_name.name == second.name
    assert example_site.evaluated_project(by_name) is second
    assert example_site.unlinked_evaluations == ()


def test_values_are_kept_exactly_as_published(example_site: Site) -> None:
    evaluation = example_site.evaluations[1]
    rows = {row.name: row for row in evaluation.indicators}
    assert (rows["购买厨用耗材"].target, rows["购买厨用耗材"].score) == ("≤1.36万元", "12")
    assert rows["社会和谐稳定"].actual == "效果明显"
    assert rows["社会和谐稳定"].level2 == ""
    assert evaluation.funds[0].rate == "96%" and evaluation.total_score == "99"
    assert evaluation.funds[1].label == "其中：当年财政拨款"
    assert rows["购买厨用耗材"].pos.line == 23 and rows["购买厨用耗材"].pos.col == 3


def test_the_content_cache_gives_back_the_same_self_evaluations(example: Path) -> None:
    cache = example / ".site-builder-cache" / "content.json"
    first = load_site(example, cache)
    assert cache.is_file() and b'"e"' in cache.read_bytes()
    again = load_site(example, cache)
    assert again.site.evaluations == first.site.evaluations
    assert [e.field_pos for e in again.site.evaluations] == \
        [e.field_pos for e in first.site.evaluations]
    assert [[r.pos for r in e.indicators] for e in again.site.evaluations] == \
        [[r.pos for r in e.indicators] for e in first.site.evaluations]


def test_a_mistyped_key_in_a_row_is_named_with_its_place(example: Path) -> None:
    path = example / GOOD
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("{label: 上年结转资金, initial:", "{label: 上年结转资金, budget:"),
                    encoding="utf-8")
    english = run_cli("validate", "--project", example)
    assert english.returncode != 0 and "Traceback" not in english.stderr
    said = english.stdout + english.stderr
    assert f"{GOOD}:13:19: error: unknown key 'budget' in the row" in said
    chinese = run_cli("validate", "--project", example, env={"SITE_BUILDER_LANG": "zh_CN"})
    said = chinese.stdout + chinese.stderr
    assert chinese.returncode != 0
    assert f"{GOOD}:13:19: 错误：" in said and "budget" in said
    assert "unknown key" not in said


def test_a_self_evaluation_without_its_project_still_publishes_and_says_so(
        example: Path, tmp_path: Path) -> None:
    path = example / GOOD
    path.write_text(path.read_text(encoding="utf-8").replace(
        "project: 2023-002001-01", "project: 2023-002001-99"), encoding="utf-8")
    out = tmp_path / "out"
    built = run_cli("build", "--project", example, "--out", out)
    assert built.returncode == 0, built.stderr
    assert "names project '2023-002001-99', which the site does not have" in built.stderr
    page = (out / "evaluations/2023-002001-01.html").read_text(encoding="utf-8")
    assert "本站没有这个项目的绩效目标表" in page and "组织召开专委会" in page
    assert 'id="self-evaluation"' not in (out / "projects/2023-002001-01.html").read_text(
        encoding="utf-8")


def test_two_self_evaluations_of_one_project_are_refused(example: Path, tmp_path: Path
                                                         ) -> None:
    copy = example / f"{UNIT_DIR}/2023-002001-01b.evaluation.yaml"
    copy.write_text((example / GOOD).read_text(encoding="utf-8").replace(
        "id: 2023-002001-01", "id: 2023-002001-01b"), encoding="utf-8")
    out = tmp_path / "out"
    copy.rename(copy.with_suffix(".txt"))
    run_cli("build", "--project", example, "--out", out, check=True)
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    copy.with_suffix(".txt").rename(copy)
    built = run_cli("build", "--project", example, "--out", out)
    assert built.returncode != 0 and "Traceback" not in built.stderr
    assert "project '2023-002001-01' already has a self-evaluation" in built.stderr
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before


@pytest.mark.parametrize(("target", "actual", "level2", "expected"), [
    ("5次", "4次", "数量指标", "missed"), ("5次", "5次", "数量指标", "met"),
    ("≤0.76万元", "0.74万元", "成本指标", "met"), ("≤1.52万", "1.60万元", "成本指标", "missed"),
    ("100%", "98%", "质量指标", "missed"), ("≥95%", "较好", "", "not-comparable"),
    ("≥95%", "96", "", "met"), ("2021年12月31日", "2021年12月20日", "时效指标", "met"),
    ("2021年12月31日", "2022年1月5日", "时效指标", "missed"),
    ("2023全年", "2023全年", "时效指标", "met"), ("稳步提升", "效果明显", "", "not-comparable"),
    ("健全", "健全", "", "met"), ("≈50人", "50人", "", "not-comparable"),
    ("10个", "10次", "", "not-comparable"), ("5次", "", "", "not-comparable"),
])
def test_outcome_of_a_row(target: str, actual: str, level2: str, expected: str) -> None:
    row = EvaluatedIndicator("产出指标", level2, "某指标", target, actual)
    assert outcome(row) == expected


def test_numbers_and_grades() -> None:
    assert [number(t) for t in ("9.5", "9.5分", "97.56%", "十分", "")] == \
        [number("9.5"), number("9.5"), number("97.56"), None, None]
    assert [grade_of(number(t) or 0) for t in ("90", "89.99", "80", "60", "59.9")] == \
        ["优", "良", "良", "中", "差"]


def _rules_of(site: Site, evaluation: SelfEvaluation) -> list[str]:
    mutated = Site(site.units, site.projects, (evaluation, *site.evaluations[1:]))
    return sorted(f.rule for f in evaluation_rules.check(mutated, EVALUATION_RULES)
                  if f.pos.path == evaluation.pos.path)


def _row(evaluation: SelfEvaluation, index: int, **changes: str) -> SelfEvaluation:
    rows = list(evaluation.indicators)
    rows[index] = replace(rows[index], **changes)
    return replace(evaluation, indicators=tuple(rows))


def _triggers(good: SelfEvaluation) -> dict[str, SelfEvaluation]:
    """For each self-evaluation rule, the consistent example changed to break it alone."""
    funds = (replace(good.funds[0], rate="99%"), *good.funds[1:])
    return {
        "score-over-weight": replace(_row(good, 1, score="8"), total_score="99.36"),
        "total-not-sum": replace(good, total_score="97"),
        "execution-rate": replace(good, funds=funds),
        "full-score-missed": replace(_row(good, 0, score="7"), total_score="99.76"),
        "missed-without-reason": _row(good, 0, reason=""),
        "vague-actual": _row(good, 11, actual="较好"),
        "weights-not-standard": _row(_row(good, 2, weight="7", score="7"), 8, weight="9",
                                     score="9"),
        "indicator-unmatched": _row(good, 3, name="履行好监督职能和审议"),
        "grade-mismatch": replace(good, grade="良"),
    }


def test_a_consistent_self_evaluation_gets_no_finding(example_site: Site) -> None:
    good = example_site.evaluations[0]
    assert _rules_of(example_site, good) == []
    punctuated = _row(good, 2, name="及时、有效办好上级下达的工作任务。")
    assert _rules_of(example_site, punctuated) == []
    no_satisfaction = replace(_row(good, 1, weight="17", score="17"),
                              indicators=_row(good, 1, weight="17", score="17").indicators[:11])
    no_satisfaction = replace(no_satisfaction, indicators=no_satisfaction.indicators)
    assert _rules_of(example_site, no_satisfaction) == ["indicator-unmatched"]  # 满意度 gone


def test_every_self_evaluation_rule_has_a_trigger(example_site: Site) -> None:
    assert set(_triggers(example_site.evaluations[0])) == EVALUATION_RULES


@pytest.mark.parametrize("rule", sorted(EVALUATION_RULES))
def test_each_trigger_breaks_its_rule_alone(example_site: Site, rule: str) -> None:
    broken = _triggers(example_site.evaluations[0])[rule]
    assert set(_rules_of(example_site, broken)) == {rule}


def test_weights_moved_from_a_missing_satisfaction_indicator_are_accepted(
        example_site: Site) -> None:
    good = example_site.evaluations[0]
    moved = _row(good, 1, weight="17", score="17")
    moved = replace(moved, indicators=moved.indicators[:11])
    site = Site(example_site.units, tuple(replace(p, indicators=p.indicators[:11])
                                          if p.id == good.project else p
                                          for p in example_site.projects),
                (moved, *example_site.evaluations[1:]))
    assert _rules_of(site, moved) == []
    assert _rules_of(site, _row(moved, 1, weight="7", score="7")) != []


def test_the_flawed_example_through_the_cli() -> None:
    """``check`` on the example site: the consistent self-evaluation has no finding, the flawed
    one each mistake it was written with, in Chinese, naming the indicator and both values."""
    findings = run_json("check", "--project", EXAMPLE, "--format", "json")
    mine = [f for f in findings if f["rule"] in EVALUATION_RULES]
    assert {f["path"] for f in mine} == {FLAWED}
    assert sorted(f["rule"] for f in mine) == sorted([
        "score-over-weight", "total-not-sum", "execution-rate", "execution-rate",
        "full-score-missed", "missed-without-reason", "vague-actual", "grade-mismatch"])
    [missed] = [f for f in mine if f["rule"] == "full-score-missed"]
    assert missed["indicator"] == "乡镇用餐人数" and missed["line"] == 19
    assert "31人次" in missed["message"] and "28人次" in missed["message"]
    assert missed["project_id"] == "2023-002001-02"
    [total] = [f for f in mine if f["rule"] == "total-not-sum"]
    assert "99" in total["message"] and "101.54" in total["message"]


def test_open_data_holds_the_self_evaluations_as_published(tmp_path: Path) -> None:
    """Per-project JSON embeds its self-evaluation; evaluations.json and evaluations.csv hold
    them all (target beside actual), and the data package describes both."""
    out = tmp_path / "out"
    run_cli("build", "--project", EXAMPLE, "--out", out, check=True)
    data = out / "data"
    own = json.loads((data / "projects/2023-002001-02.json").read_text(encoding="utf-8"))
    evaluation = own["self_evaluation"]
    assert evaluation["project"] == "2023-002001-02" and evaluation["total_score"] == "99"
    row = next(i for i in evaluation["indicators"] if i["name"] == "乡镇用餐人数")
    assert (row["target"], row["actual"], row["outcome"]) == ("31人次", "28人次", "missed")
    assert json.loads((data / "evaluations.json").read_text(encoding="utf-8"))[1] == evaluation
    with open(data / "evaluations.csv", encoding="utf-8-sig", newline="") as stream:
        rows = list(csv.DictReader(stream))
    assert len(rows) == 13 + 9
    assert {(r["indicator"], r["target"], r["actual"]) for r in rows} >= {
        ("购买厨用耗材", "≤1.36万元", "1.20万元"), ("社会和谐稳定", "稳步提升", "效果明显")}
    package = json.loads((data / "datapackage.json").read_text(encoding="utf-8"))
    names = [r["name"] for r in package["resources"]]
    assert names[:4] == ["projects", "indicators", "evaluations", "evaluation-indicators"]
    for resource in package["resources"][2:4]:
        made = (data / resource["path"]).read_bytes()
        assert resource["bytes"] == len(made)
        assert resource["hash"] == "sha256:" + hashlib.sha256(made).hexdigest()


def test_a_site_without_self_evaluations_has_no_such_files(tmp_path: Path) -> None:
    out = tmp_path / "out"
    run_cli("build", "--project", REPO, "--out", out, check=True)
    assert not (out / "data/evaluations.csv").exists()
    assert "self_evaluation" not in (out / "data/projects.json").read_text(encoding="utf-8")


@pytest.mark.parametrize(("query", "found"), [
    ("合并召开", "2023-002001-01"), ("效果明显", "2023-002001-02"), ("食堂运转正常", "2023-002001-02")])
def test_what_was_achieved_and_why_not_is_searchable(query: str, found: str) -> None:
    result = run_json("search", "--project", EXAMPLE, "--json", query)
    assert [r["id"] for r in result["results"]] == [found]


def test_validate_counts_the_self_evaluations() -> None:
    chinese = run_cli("validate", "--project", EXAMPLE, env={"SITE_BUILDER_LANG": "zh_CN"})
    assert chinese.returncode == 0, chinese.stderr
    assert "个文件，2 个项目，2 份绩效自评：0 个错误" in chinese.stdout
    summary = run_json("validate", "--project", EXAMPLE, "--format", "json")
    assert (summary["projects"], summary["evaluations"]) == (2, 2)
    shipped = run_cli("validate", "--project", REPO, env={"SITE_BUILDER_LANG": "zh_CN"})
    assert "绩效自评" not in shipped.stdout

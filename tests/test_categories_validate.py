"""Categories checked on every indicator: missing or unknown 一级, non-standard 二级, variants.

Through the real CLI; the files are never changed by validate or check.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import REPO, run_cli, run_json

UNIT = "code: '002001'\nyear: 2023\nname: 测试单位\n"
HEAD = "id: p1\nyear: 2023\nunit: '002001'\nname: 测试项目\namount: '1.00'\nindicators:\n"
GOOD = ("- {level1: 产出指标, level2: 数量指标, name: 次数, value: 5次}\n"
        "- {level1: 效益指标, level2: 社会效益指标, name: 效果, value: 明显}\n"
        "- {level1: 满意度指标, level2: 服务对象满意度指标, name: 满意度, value: ≥95%}\n")


def site_with(root: Path, rows: str) -> Path:
    folder = root / "content/2023/002001"
    folder.mkdir(parents=True)
    (folder / "_unit.yaml").write_text(UNIT, encoding="utf-8")
    (folder / "p1.yaml").write_text(HEAD + GOOD + rows, encoding="utf-8")
    return root


CHINESE = {"SITE_BUILDER_LANG": "zh_CN"}
"""The messages a clerk reads by default (the tests run English unless they ask)."""
LINE = "content/2023/002001/p1.yaml:10:3"
"""Where the row under test is (after the three good rows)."""


@pytest.mark.parametrize(("row", "severity", "message", "hint"), [
    ("{name: 无分类, value: 5次}", "error", "指标「无分类」没有填写一级指标",
     "按原表填写 level1（一级指标）：产出指标、效益指标、满意度指标、成本指标"),
    ("{level1: '', level2: 社会效益, name: 效果2, value: 明显}", "warning",
     "指标「效果2」没有填写一级指标；它的二级指标“社会效益”属于“效益指标”，分类页把它归入“效益指标”",
     "在这一行加上 level1: 效益指标"),
    ("{level2: 成本指标, name: 成本, value: ≤1万元}", "error", "指标「成本」没有填写一级指标",
     "在 2022 年起的表格中“成本指标”本身就是一级指标"),
    ("{level1: 产出指木, level2: 质量指标, name: 合格率, value: 100%}", "error",
     "一级指标“产出指木”不是绩效目标表中的一级指标", "是不是“产出指标”？一级指标只能是：产出指标、效益指标、满意度指标、成本指标"),
    ("{level1: 数量指标, name: 合格率, value: 100%}", "error",
     "一级指标“数量指标”不是绩效目标表中的一级指标", "“数量指标”是二级指标，属于“产出指标”：写成 level1: 产出指标，level2: 数量指标"),
    ("{level1: \"效益\\u200b指标\", level2: 社会效益指标, name: 合格率, value: 100%}", "error",
     "一级指标“效益[U+200B]指标”不是绩效目标表中的一级指标", "重新输入“效益指标”"),
    ("{level1: 胡乱, name: 合格率, value: 100%}", "error", "一级指标“胡乱”不是绩效目标表中的一级指标",
     "一级指标只能是：产出指标、效益指标、满意度指标、成本指标"),
    ("{level1: 效益指标, level2: 效益指标, name: 合格率, value: 100%}", "warning",
     "二级指标“效益指标”不是“效益指标”下的标准二级指标（“效益指标”是一级指标的名称）",
     "效益指标下的二级指标是：经济效益指标、社会效益指标、生态效益指标、可持续影响指标"),
    ("{level1: 产出指标, level2: 数量指木, name: 合格率, value: 100%}", "warning",
     "二级指标“数量指木”不是“产出指标”下的标准二级指标",
     "是不是“数量指标”？产出指标下的二级指标是：数量指标、质量指标、时效指标、成本指标"),
])
def test_each_indicator_names_its_categories(tmp_path: Path, row: str, severity: str,
                                             message: str, hint: str) -> None:
    site = site_with(tmp_path, f"- {row}\n")
    before = (site / "content/2023/002001/p1.yaml").read_bytes()
    proc = run_cli("validate", "--project", site, env=CHINESE)
    assert proc.returncode == (1 if severity == "error" else 0), proc.stdout
    found = [line for line in proc.stdout.splitlines() if line.startswith(LINE)]
    assert len(found) == 1, proc.stdout
    word = {"error": "错误", "warning": "警告"}[severity]
    assert found[0].startswith(f"{LINE}: {word}：{message}"), found[0]
    assert hint in found[0], found[0]
    assert "Traceback" not in proc.stdout + proc.stderr
    assert (site / "content/2023/002001/p1.yaml").read_bytes() == before


def test_suggestions_never_repeat_the_wrong_word(tmp_path: Path) -> None:
    rows = "".join(f"- {{level1: {one}, level2: {two}, name: 行{n}, value: 1次}}\n"
                   for n, (one, two) in enumerate([
                       ("效益指标", "效益指标"), ("满意度指标", "满意度指标"), ("产出指标", "产出指标"),
                       ("效益指标", "社会效益指标 指标"), ("产出指标", "成本"), ("效益", "效益")]))
    site = site_with(tmp_path, rows)
    report = json.loads(run_cli("validate", "--project", site, "--format", "json",
                                env=CHINESE).stdout)
    assert report["diagnostics"], report
    for diagnostic in report["diagnostics"]:
        text = diagnostic["message"]
        wrong = text.split("“", 1)[1].split("”", 1)[0]
        assert f"是不是“{wrong}”" not in diagnostic["hint"], diagnostic


def test_variants_are_notes_of_check_and_the_site_still_builds(tmp_path: Path) -> None:
    rows = ("- {level1: 产出, level2: 质量指标, name: 合格率, value: 100%}\n"
            "- {level1: 效益指标, level2: 可持续性影响指标, name: 长效, value: 长期}\n")
    site = site_with(tmp_path, rows)
    assert run_cli("validate", "--project", site, "--strict").returncode == 0
    findings = run_json("check", "--project", site, "--format", "json")
    variants = [f for f in findings if f["rule"] == "category-variant"]
    assert [(f["severity"], f["line"], f["message"]) for f in variants] == [
        ("info", 10, "指标「合格率」的一级指标“产出”是简写，绩效目标表中的名称是“产出指标”"),
        ("info", 11, "指标「长效」的二级指标“可持续性影响指标”的写法与表格不同，绩效目标表中的名称是"
                     "“可持续影响指标”"),
    ]
    assert "照原样显示“产出”" in variants[0]["hint"]
    run_cli("build", "--project", site, check=True)


def test_shipped_content_builds_with_its_variants_as_notes() -> None:
    report = run_json("validate", "--format", "json", cwd=REPO)
    assert report["errors"] == 0 and report["warnings"] == 0
    findings = run_json("check", "--format", "json", cwd=REPO)
    variants = [f for f in findings if f["rule"] == "category-variant"]
    written = sorted({f["message"].split("指标“", 1)[1].split("”", 1)[0] for f in variants})
    assert written == ["可持续性影响指标", "社会效益"]
    assert len(variants) == 16 and {f["severity"] for f in variants} == {"info"}

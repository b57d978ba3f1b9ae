"""The importer on both published seed tables: counts, exact indicators, fidelity to the text."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from site_builder.commands.import_cmd import read_table
from site_builder.importers.base import ImportResult
from site_builder.model import Project

FLAT_COUNTS = [15, 15, 14, 11, 12, 14, 10, 17, 15, 12, 19, 10, 13, 8, 14, 12, 10, 12, 13, 12,
               13, 10, 13, 10, 14, 9]
THREE_LEVEL_COUNTS = [13, 9, 10, 11, 8, 10, 13, 12, 9, 9, 11, 18, 11, 12, 10, 8]


@pytest.fixture(scope="module")
def flat(seeds: list[Path]) -> ImportResult:
    return read_table(seeds[0], None)


@pytest.fixture(scope="module")
def three(seeds: list[Path]) -> ImportResult:
    return read_table(seeds[1], None)


def test_layouts_detected(flat: ImportResult, three: ImportResult) -> None:
    assert (flat.layout, three.layout) == ("flat", "three-level")


def test_flat_projects_and_amounts(flat: ImportResult) -> None:
    assert len(flat.projects) == 26
    assert str(sum(p.amount for p in flat.projects)) == "448.68"
    assert [len(p.indicators) for p in flat.projects] == FLAT_COUNTS
    unit = flat.units[0]
    assert (unit.code, unit.name, unit.region, unit.parent_code, str(unit.declared_total)) == (
        "703001", "门源县青石嘴镇政府", "门源县", "703", "448.68")


def test_three_level_projects_and_amounts(three: ImportResult) -> None:
    assert len(three.projects) == 16
    assert str(sum(p.amount for p in three.projects)) == "113.77"
    assert [len(p.indicators) for p in three.projects] == THREE_LEVEL_COUNTS
    assert {(u.code, u.year, u.name) for u in three.units} == {
        ("002001", "2023", "祁连县阿柔乡人民政府")}


def rows(project: Project) -> list[tuple[str, str, str, str]]:
    return [(i.level1, i.level2, i.name, i.value) for i in project.indicators]


def by_name(result: ImportResult, name: str) -> Project:
    return next(p for p in result.projects if p.name == name)


@pytest.mark.parametrize(("project", "row"), [
    ("维稳经费", ("产出指标", "时效指标", "举办扫黑除恶专项斗争主题培训班完成时间", "2021年1月至12月")),
    ("纪委工作经费", ("满意度指标", "", "群众满意度", "≥95%")),  # <math>\geq 95\%</math>
    ("城乡医保经费", ("产出指标", "成本指标", "城乡医保工作总成本", "≤2.21万元/年")),
    ("乡镇及村级(社区)民族团结及综治创建经费",
     ("产出指标", "时效指标", "乡村干部及宗教人员培训完成时间", "2021年12月31日")),  # glued
    ("人大工作经费及建设年经费", ("产出指标", "时效指标", "人代会召开及时率", "100%")),  # "1人代会"
    ("村干部报酬", ("满意度指标", "", "村干部满意度", "≥95%")),  # (三)满意度指标 under 效益
    ("县委常委工作经费", ("效益指标", "社会效益指标", "有关法律政策知晓率", "100")),
    ("城管工作经费", ("产出指标", "数量指标", "支付每月街道路灯电费、支付每月垃圾场维护费、街道花坛，"
                     "街道垃圾清理等费用、及时处理所有生活垃圾。", "")),
    ("2020年度人饮工程维修费", ("满意度指标", "服务对象满意度指标", "人饮群众满意度", "≥95%")),
    ("村级运转经费", ("效益指标", "社会效益指标", "新农合参保率：", "提升")),
])
def test_flat_exact_indicators(flat: ImportResult, project: str,
                               row: tuple[str, str, str, str]) -> None:
    assert row in rows(by_name(flat, project))


@pytest.mark.parametrize(("project", "row"), [
    ("乡级人大代表活动经费", ("产出指标", "成本指标", "调研燃油费及差旅费", "≤0.76万元")),
    ("乡级人大代表活动经费", ("产出指标", "成本指标", "制作档案及宣传费", "≤1.52万")),
    ("乡镇维稳及综治工作经费", ("满意度指标", "服务对象满意度指标", "群众满意度", "≅95%")),
    ("乡镇维稳及综治工作经费", ("产出指标", "成本指标", "各类宣传横幅及资料成本", "≅0.3万元")),
    ("城乡医疗保险工作经费", ("产出指标", "成本指标", "各类宣传横幅及资料", "≦0.3万元")),
    ("村干部报酬", ("产出指标", "成本指标", "村委会主任、副书记每人每年待遇", "≒33.64万元")),
    ("乡镇食堂伙食补助", ("效益指标", "可持续影响指标", "保证干部用餐安全方心，提升归属感提高凝聚力", "是")),
    ("乡镇食堂伙食补助", ("满意度指标", "", "服务对象满意度", "≥95%")),
    ("村级运转经费", ("产出指标", "数量指标", "3.5万元/年", "10.5万元")),
    ("村级民族团结创建工作经费", ("产出指标", "数量指标", "开展调研每半年一次", "≥2次")),
    ("村级民族团结创建工作经费", ("效益指标", "", "提升民族团结水平", "提升")),
    ("乡镇民族团结创建工作经费", ("产出指标", "数量指标", "政策法规和民族基本常识的学习和宣传", "≥10次")),
    ("乡镇民族团结创建工作经费",
     ("效益指标", "社会效益", "促进辖区各民族的团结和谐，无民族团结重大负面事件为", "稳步提升")),
    ("乡镇乡村振兴工作经费", ("效益指标", "可持续影响指标", "档案管理规范性", "规范")),
    ("藏传佛教寺院管理工作经费", ("产出指标", "成本指标",
                                 "拨付驻寺干部个人运转经费 500元*12个月*2人 ≤ 1.20万元", "≤ 1.20万元")),
])
def test_three_level_exact_indicators(three: ImportResult, project: str,
                                      row: tuple[str, str, str, str]) -> None:
    assert row in rows(by_name(three, project))


def test_three_level_totals_remarks_and_stray_code(three: ImportResult) -> None:
    assert by_name(three, "乡级人大代表活动经费").table_total == "3.28"
    assert by_name(three, "乡镇民族团结创建工作经费").table_total == ""  # 合计 row without amount
    assert by_name(three, "乡镇维稳及综治工作经费").notes == ("633222100204",)
    assert all(p.remark.startswith("备注") for p in three.projects)
    assert [len(p.goals) for p in three.projects][6] == 7  # 目标1…目标7 in one cell


def test_every_import_problem_is_reported_with_a_line(flat: ImportResult,
                                                      three: ImportResult) -> None:
    for result in (flat, three):
        for diagnostic in result.diagnostics:
            assert diagnostic.pos.line > 0 and diagnostic.pos.path.endswith(".txt")
    codes = {d.code for d in three.diagnostics}
    assert {"stray-text", "glued-value", "name-in-category-column"} <= codes
    assert "no-value" in {d.code for d in flat.diagnostics}  # 城管工作经费's unnumbered text


# --- fidelity: nothing dropped, nothing invented ---------------------------------------------

_LATEX = {r"\geq": "≥", r"\leq": "≤", r"\%": "%"}
_MARKERS = re.compile(r"^(?:[一二三四五六七八九十]+、|[(（][一二三四五六七八九十]+[)）]|\d{1,2}\s*[.．、]?)")
_HEADERS = {"单位编码", "单位及项目名称", "金额(万元)", "绩效目标", "绩效指标", "一级指标", "二级指标",
            "三级指标", "指标值", "合计"}


def squash(text: str) -> str:
    for command, char in _LATEX.items():
        text = text.replace(command, char)
    return re.sub(r"\s+|</?math>", "", text)


def source_atoms(path: Path) -> list[str]:
    """Every piece of text in the source: cells split at <p> and at list numbering."""
    atoms = []
    for line in path.read_text(encoding="utf-8").splitlines():
        for cell in line.split("\t"):
            for part in re.split(r"</?p>|\s(?=[一二三四五六七八九十]+、|[(（][一二三四五六七八九十]+[)）]|"
                                 r"\d{1,2}\s*\.(?!\d))", cell):
                atom = squash(_MARKERS.sub("", part.strip()) if part else "")
                if atom and atom not in _HEADERS and not re.fullmatch(r"[:：]", atom):
                    atoms.append(atom)
    return atoms


def model_text(result: ImportResult) -> str:
    parts = []
    for unit in result.units:
        parts += [unit.code, unit.parent_code, unit.name, unit.title, str(unit.declared_total)]
    for p in result.projects:
        parts += [p.name, str(p.amount), p.table_total or "", p.remark, *p.notes, *p.goals]
        for i in p.indicators:
            parts += [i.level1, i.level2, i.name, i.value]
        parts.append("\n")
    return squash("\x00".join(parts)).replace("\x00", "")


def test_nothing_dropped(flat: ImportResult, three: ImportResult, seeds: list[Path]) -> None:
    for result, path in ((flat, seeds[0]), (three, seeds[1])):
        text = model_text(result)
        atoms = [re.sub(r"^#|^[^\s:：]{2,10}指标[:：]", "", a) for a in source_atoms(path)]
        missing = [a for a in atoms if a and a not in text]
        assert missing == [], f"{path.name}: text not found in the imported model: {missing[:5]}"


def test_nothing_invented(flat: ImportResult, three: ImportResult, seeds: list[Path]) -> None:
    for result, path in ((flat, seeds[0]), (three, seeds[1])):
        source = squash(path.read_text(encoding="utf-8"))
        for project in result.projects:
            for indicator in project.indicators:
                assert squash(indicator.name) in source, indicator
                assert squash(indicator.value) in source, indicator
            for goal in project.goals:
                assert squash(goal) in source, goal

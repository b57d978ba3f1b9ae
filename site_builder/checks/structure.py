"""Structure rules: the 一级/二级 categories of the official form, empty and repeated rows."""

from __future__ import annotations

from collections.abc import Iterator, Set
from functools import lru_cache

from site_builder.categories import LEVEL2, parent_of, written_differently
from site_builder.checks.finding import Finding, project_finding
from site_builder.checks.text import categories, compact, quoted, stated_categories
from site_builder.model import Indicator, Project, Site

REQUIRED_LEVEL1 = ("产出指标", "效益指标", "满意度指标")
"""一级 categories every project must have."""
OUTPUT_LEVEL2 = ("数量指标", "质量指标", "时效指标", "成本指标")
"""二级 categories the 产出指标 must have."""
VALUE_EXAMPLES = "如“≥95%”“10次”“2023年12月底前”"
Note = tuple[str, str, str]
"""A finding about an indicator before it is placed: rule, message and hint."""


def check(site: Site, enabled: Set[str]) -> Iterator[Finding]:
    for project in site.projects:
        yield from _level1(project)
        yield from _output_level2(project)
        yield from _duplicates(project)
        for indicator in project.indicators:
            for rule, message, hint in _notes(indicator.level1, indicator.level2,
                                              indicator.name, indicator.value):
                yield project_finding(rule, project, message, hint, indicator=indicator)


def _level1(project: Project) -> Iterator[Finding]:
    if not project.indicators:
        yield project_finding("missing-level1", project, "项目没有填写任何绩效指标",
                              "按绩效目标表填写产出、效益、满意度三类指标", field="name")
        return
    present = {categories(i)[0] for i in project.indicators}
    for level1 in REQUIRED_LEVEL1:
        if level1 not in present:
            examples = "、".join(n.removesuffix("指标") for n in LEVEL2[level1])
            yield project_finding(
                "missing-level1", project, f"项目没有{level1}",
                f"补充{level1}（{examples}）；产出、效益、满意度三类指标都要有",
                field="indicators")


def _output_level2(project: Project) -> Iterator[Finding]:
    pairs = [categories(i) for i in project.indicators]
    if not any(c1 == "产出指标" for c1, _ in pairs):
        return
    present = {c2 for c1, c2 in pairs if c1 == "产出指标"}
    if any("成本指标" in pair for pair in pairs):
        present.add("成本指标")
    missing = [name for name in OUTPUT_LEVEL2 if name not in present]
    if missing:
        yield project_finding(
            "missing-output-level2", project, f"产出指标中缺少{'、'.join(missing)}",
            "产出指标应包括数量、质量、时效、成本四类二级指标，请补充", field="indicators")


@lru_cache(maxsize=1 << 16)
def _notes(level1: str, level2: str, name: str, value: str) -> tuple[Note, ...]:
    """What the row rules find about an indicator with these texts (rule, message, hint),
    remembered: they depend on nothing else, and indicators repeat a lot."""
    return tuple(_indicator(Indicator(level1, level2, name, value)))


def _indicator(indicator: Indicator) -> Iterator[Note]:
    name = quoted(indicator.name)
    if not indicator.value.strip():
        yield ("empty-value", f"指标「{name}」没有指标值", f"填写可衡量的目标值，{VALUE_EXAMPLES}")
    c1, c2 = stated_categories(indicator)
    if c1 and c2 and c1 != c2 and c2 not in LEVEL2.get(c1, ()):
        parent = parent_of(c2) or ""
        yield ("wrong-parent",
               f"指标「{name}」的二级指标“{indicator.level2}”不属于一级指标“{indicator.level1}”",
               f"“{c2}”应放在“{parent}”下；移动这条指标，或改正二级指标")
    if not indicator.level2.strip():
        yield _level2_missing(indicator, name)
    yield from _variants(indicator, name, c1, c2)


def _variants(indicator: Indicator, name: str, c1: str | None, c2: str | None
              ) -> Iterator[Note]:
    """A category the form prints otherwise (``社会效益`` for ``社会效益指标``)."""
    for level, text, canonical in (("一级", indicator.level1, c1),
                                   ("二级", indicator.level2, c2)):
        if canonical is not None and written_differently(text, canonical):
            shortened = canonical.startswith(text.strip())
            how = "是简写" if shortened else "的写法与表格不同"
            yield ("category-variant",
                   f"指标「{name}」的{level}指标“{text}”{how}，绩效目标表中的名称是“{canonical}”",
                   f"网页按“{canonical}”归类，并照原样显示“{text}”；原表就是这样写的可以保留，"
                   f"想与表格一致就改为“{canonical}”")


def _level2_missing(indicator: Indicator, name: str) -> Note:
    level1 = categories(indicator)[0]
    if level1 in LEVEL2:
        options = "、".join(LEVEL2[level1])
        return ("level2-missing", f"指标「{name}」没有填写二级指标",
                f"{level1}下的二级指标是：{options}")
    return ("level2-missing", f"指标「{name}」没有填写一级和二级指标",
            "按绩效目标表填写一级指标（产出、效益、满意度）和二级指标")


def _duplicates(project: Project) -> Iterator[Finding]:
    """The same name twice in one 二级, or twice with the same value.

    One activity measured in two 二级 with different values (``订购刊物 ≥1次`` as 数量 and
    ``≤0.3万元`` as 成本) is how the form is meant to be used, not a duplicate.
    """
    seen: dict[str, list[Indicator]] = {}
    for indicator in project.indicators:
        key = compact(indicator.name)
        if not key:
            continue
        earlier = next((e for e in seen.get(key, ()) if _repeats(e, indicator)), None)
        seen.setdefault(key, []).append(indicator)
        if earlier is None:
            continue
        same = compact(earlier.value) == compact(indicator.value)
        detail = "指标值也相同" if same else f"那里的指标值是“{quoted(earlier.value, 20)}”"
        yield project_finding(
            "duplicate-indicator", project,
            f"指标「{quoted(indicator.name)}」与第 {earlier.pos.line} 行的指标重名（{detail}）",
            "删除重复的指标，或把名称写得能区分（数量、质量、时效各写各的内容）",
            indicator=indicator)


def _repeats(earlier: Indicator, later: Indicator) -> bool:
    return (categories(earlier)[1] == categories(later)[1]
            or compact(earlier.value) == compact(later.value))

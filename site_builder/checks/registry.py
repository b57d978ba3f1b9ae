"""Every quality rule in one table: id, family, default severity, title and description.

The table drives the defaults, the validation of the ``checks`` setting in ``site.yaml``, the
help of ``site-builder check`` and ``docs/checks.md`` (``python -m site_builder.docgen``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from site_builder.diagnostics import SEVERITY_WORDS, Severity
from site_builder.i18n import _

Family = Literal["structure", "values", "money", "time", "copy-paste", "self-evaluation"]

FAMILIES: tuple[Family, ...] = ("structure", "values", "money", "time", "copy-paste",
                                "self-evaluation")
"""Rule families, in documentation order."""

SEVERITY_LABELS: dict[str, str] = {"error": "错误", "warning": "警告", "info": "提示"}
"""How each severity reads in Chinese reports."""


@dataclass(frozen=True)
class Rule:
    """One quality rule."""

    id: str
    """Stable identifier used in ``site.yaml``, output and docs (``rate-not-percent``)."""
    family: Family
    """Which module checks it."""
    severity: Severity
    """Default severity; ``site.yaml`` may change it or turn the rule off."""
    title: str
    """Short Chinese name shown in reports (``比率不是百分数``)."""
    description: str
    """What it finds and why it matters, for docs and ``--help``."""


RULES: tuple[Rule, ...] = (
    Rule("missing-level1", "structure", "error", "缺少一级指标",
         "The project has no 产出指标, 效益指标 or 满意度指标 row; the official form requires "
         "all three."),
    Rule("missing-output-level2", "structure", "warning", "产出指标不全",
         "The 产出指标 lack 数量, 质量, 时效 or 成本 indicators (成本 may also be its own 一级 as "
         "in the 2022 form)."),
    Rule("wrong-parent", "structure", "error", "二级指标放错一级",
         "An 二级 category stands under an 一级 it does not belong to (e.g. 社会效益指标 under "
         "产出指标)."),
    Rule("level2-missing", "structure", "info", "未填二级指标",
         "An indicator states no 二级 category (or neither 一级 nor 二级)."),
    Rule("category-variant", "structure", "info", "指标分类写法与表格不同",
         "An 一级 or 二级 category written in a shortened or variant form (社会效益 for "
         "社会效益指标, 产出 for 产出指标, 可持续性影响指标 for 可持续影响指标); pages group it "
         "under the form's name and show the text as published. A missing or unknown 一级 and "
         "a 二级 the form does not have are reported by `validate`."),
    Rule("empty-value", "structure", "error", "指标值为空",
         "An indicator has no 指标值, so nobody can tell whether it was met."),
    Rule("duplicate-indicator", "structure", "warning", "指标重复",
         "The same indicator name twice in one project, within one 二级 or with the same "
         "value (one activity measured as 数量 and as 成本 is how the form is meant to be "
         "used)."),
    Rule("unparseable-value", "values", "warning", "指标值无法识别",
         "The 指标值 is not a number, date, period or short qualitative word (e.g. a sentence), "
         "so it is not measurable. Stated changes (增幅20%) count as measurable; values of "
         "rates are left to rate-not-percent."),
    Rule("variant-operator", "values", "warning", "符号写法不规范",
         "The value uses a variant or garbled comparison sign (≦ ≧ ≒ ≅ ~) instead of ≤ ≥ ≈, "
         "or a run of signs the value cannot be read with (≥=95%)."),
    Rule("rate-not-percent", "values", "warning", "比率不是百分数",
         "An indicator named …率 has a value that is not a percentage (万元, a bare number or "
         "a word)."),
    Rule("percent-over-100", "values", "warning", "百分比超过100%",
         "A percentage above 100% for something that cannot exceed it (growth rates are "
         "exempt)."),
    Rule("trivial-target", "values", "warning", "目标必然达成",
         "A target that is met whatever happens (≥0, ≥0%). ≤0% (nothing may go wrong) is a "
         "strict target and not reported."),
    Rule("quantitative-share", "values", "info", "定量指标偏少",
         "Fewer than half of the project's indicators are quantitative (numbers, dates, "
         "periods); the guidance asks for mainly quantitative indicators."),
    Rule("unit-total", "money", "warning", "单位合计与项目不符",
         "The unit's declared total differs from the sum of its projects' amounts."),
    Rule("table-total", "money", "warning", "合计行与项目金额不符",
         "The 合计 row of the project table differs from the project amount."),
    Rule("cost-over-amount", "money", "warning", "成本指标超过项目金额",
         "The 成本 indicators stated in 万元 add up to more than the project amount. Unit "
         "costs (人均, 单次, 每人…) and values in 元 are not added up."),
    Rule("cost-below-amount", "money", "warning", "成本指标远低于项目金额",
         "The 成本 indicators stated in 万元 add up to less than half of the project amount."),
    Rule("goals-money", "money", "warning", "目标中的金额超过项目金额",
         "Sums of money written in the 绩效目标 exceed the project amount."),
    Rule("year-mismatch", "time", "warning", "年份与预算年度不符",
         "A year in the project name, the 绩效目标 or a 时效 value differs from the budget "
         "year."),
    Rule("copy-paste", "copy-paste", "warning", "与其他项目雷同",
         "The goals and indicators are identical or nearly identical (75% of goals, indicator "
         "names and rows shared) to another project's; the other project is named. The same "
         "project of the same unit in another year is not reported."),
    Rule("copied-goals", "copy-paste", "warning", "绩效目标与其他项目相同",
         "The 绩效目标 text is identical to another project's while the indicators differ."),
    Rule("score-over-weight", "self-evaluation", "error", "得分高于分值",
         "A self-evaluation row (an indicator or the 预算执行率 row) scores more than its "
         "分值."),
    Rule("total-not-sum", "self-evaluation", "error", "总分不等于各项得分之和",
         "The 总分's 得分 differs from the sum of the indicators' scores and the 预算执行率 "
         "score (by more than 0.05)."),
    Rule("execution-rate", "self-evaluation", "warning", "执行率与执行数不符",
         "The 执行率 of a 项目资金 row is not 全年执行数 / 全年预算数, to the decimals it is "
         "written with."),
    Rule("full-score-missed", "self-evaluation", "warning", "未达成却得满分",
         "A quantitative target the 实际完成值 does not reach, scored in full (a missed "
         "quantitative target scores in proportion)."),
    Rule("missed-without-reason", "self-evaluation", "warning", "未达成未说明原因",
         "A target missed (or scored below its 分值) with no 偏差原因分析及改进措施."),
    Rule("vague-actual", "self-evaluation", "warning", "实际完成值含糊",
         "The 实际完成值 of a quantitative target is a word (效果明显, 较好), not a number, so "
         "nobody can tell whether the target was met."),
    Rule("weights-not-standard", "self-evaluation", "warning", "分值结构不符合规定",
         "The 分值 do not add up to 产出 50, 效益 30, 满意度 10 and 预算执行率 10 (财预〔2020〕"
         "10号); with no 满意度 indicator its 10 may go to 产出 or 效益."),
    Rule("indicator-unmatched", "self-evaluation", "warning", "自评指标与目标表不一致",
         "An indicator of the self-evaluation that the project's 绩效目标表 does not have, or "
         "the reverse (names compared without spaces and punctuation)."),
    Rule("grade-mismatch", "self-evaluation", "warning", "自评等级与总分不符",
         "The 自评等级 is not the one the total earns (优 ≥ 90, 良 80–89, 中 60–79, 差 < 60)."),
)
"""Every rule, in documentation order."""

BY_ID: dict[str, Rule] = {rule.id: rule for rule in RULES}
"""Rules by id."""


def checks_doc() -> str:
    """Markdown of every rule (docs/checks.md is this text)."""
    lines = [
        "# Data-quality checks (审核)", "",
        "<!-- generated by `python -m site_builder.docgen`; do not edit -->", "",
        "`site-builder check [--format text|json|html] [-o FILE] [--strict]` runs these rules "
        "on the content; `site-builder build` runs them too, prints errors and warnings, and "
        "with `--strict` stops on errors (the previous output stays). Checks only point "
        "mistakes out: published values are never changed.", "",
        "Save an HTML report at the root of the built site (`-o output/quality-report.html`, "
        "after building: a build replaces `output/`) and its project links open the project "
        "pages. With `publish_quality_report: true` "
        "the site also publishes the report as a 数据质量 page (`quality.html`).", "",
        "The report is ordered as a clerk works through it: errors first, then warnings, then "
        "notes (提示), one group per rule. In the HTML report the count of each rule is at the "
        "top (each linking to its group), a group of repeated warnings or notes is one line "
        "that opens (`<details>`) on its list, and the links 只看错误 / 只看警告 / 只看提示 "
        "show one severity only, without JavaScript. Every finding shows where it is in the "
        "form it was imported from (Excel workbook, sheet and cell; Word table and row; PDF "
        "page; line of a text table: the project's `source`) next to its YAML line. The text "
        "format lists the findings in the same order and ends each line with `[原表 SOURCE]`; "
        "the JSON format stays in file order.", "",
        "A missing or unknown 一级指标 and a 二级 the form does not have are found earlier, "
        "by `site-builder validate` (see docs/content.md); `check` runs only on content "
        "without validation errors.", "",
        "Change a rule's severity or turn it off in `site.yaml`:", "",
        "```yaml", "checks:", "  quantitative-share: off", "  year-mismatch: error", "```", "",
        "Severities: `error` (`check` exits 1; `build --strict` stops), `warning` (`check "
        "--strict` exits 1), `info`; `off` disables the rule.", "",
    ]
    for family in FAMILIES:
        lines += [f"## {family}", "", "| rule | default | 名称 | what it finds |",
                  "| --- | --- | --- | --- |"]
        lines += [f"| `{r.id}` | {r.severity} | {r.title} | {r.description} |"
                  for r in RULES if r.family == family]
        lines.append("")
    return "\n".join(lines)


def rules_help() -> str:
    """Plain-text rule list for ``site-builder check --help``."""
    width = max(len(r.id) for r in RULES)
    rows = [f"  {r.id:<{width}}  {_(SEVERITY_WORDS[r.severity]):<7}  {r.title}" for r in RULES]
    return _("rules (configure in site.yaml under 'checks:'):") + "\n" + "\n".join(rows)

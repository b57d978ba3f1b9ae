"""Self-evaluation rules: scores that do not add up, rates that do not match the amounts,
missed targets scored in full or left unexplained, grades, and indicators that differ from
the project's 绩效目标表 (see :mod:`site_builder.achievement` for how a row is read)."""

from __future__ import annotations

from collections.abc import Iterator, Set
from decimal import Decimal

from site_builder.achievement import (
    grade_differs,
    indicator_key,
    number,
    outcome,
    quantitative,
    vague,
)
from site_builder.checks.finding import Finding, evaluation_finding
from site_builder.model import Project, SelfEvaluation, Site

SOURCE_HINT = "公开数据照原样保留；请核对自评表并在源表中改正"
TOTAL_TOLERANCE = Decimal("0.05")
"""How far the 总分 may be from the sum of the scores (rounding of fractional scores)."""
STANDARD_WEIGHTS = {"产出指标": Decimal(50), "效益指标": Decimal(30), "满意度指标": Decimal(10)}
"""The weights of 财预〔2020〕10号 by 一级 (预算执行率 10 besides)."""
FUNDS_WEIGHT = Decimal(10)


def plain(value: Decimal) -> str:
    """A number as plain text without trailing zeros."""
    text = format(value.normalize(), "f")
    return text if value else "0"


def check(site: Site, enabled: Set[str]) -> Iterator[Finding]:
    for evaluation in site.evaluations:
        project = site.evaluated_project(evaluation)
        yield from _rows(evaluation, project)
        yield from _total(evaluation, project)
        yield from _rates(evaluation, project)
        yield from _weights(evaluation, project)
        yield from _grade(evaluation, project)
        if project is not None:
            yield from _unmatched(evaluation, project)


def _rows(evaluation: SelfEvaluation, project: Project | None) -> Iterator[Finding]:
    for funds in evaluation.funds:
        score, weight = number(funds.score), number(funds.weight)
        if score is not None and weight is not None and score > weight:
            yield evaluation_finding(
                "score-over-weight", evaluation, project,
                f"“{funds.label}”的得分 {funds.score} 高于分值 {funds.weight}",
                f"得分不能超过分值；{SOURCE_HINT}", row=funds)
    for row in evaluation.indicators:
        score, weight = number(row.score), number(row.weight)
        if score is not None and weight is not None and score > weight:
            yield evaluation_finding(
                "score-over-weight", evaluation, project,
                f"指标“{row.name}”的得分 {row.score} 高于分值 {row.weight}",
                f"得分不能超过分值；{SOURCE_HINT}", row=row)
        result = outcome(row)
        values = f"年度指标值 {row.target}，实际完成值 {row.actual}"
        if (result == "missed" and quantitative(row) and score is not None
                and score == weight):
            yield evaluation_finding(
                "full-score-missed", evaluation, project,
                f"指标“{row.name}”未达成（{values}），却得满分 {row.score}",
                f"定量指标未达成时按完成比例计分；{SOURCE_HINT}", row=row)
        short = score is not None and weight is not None and score < weight
        if (result == "missed" or short) and not row.reason.strip():
            why = "未达成" if result == "missed" else f"得分 {row.score} 低于分值 {row.weight}"
            yield evaluation_finding(
                "missed-without-reason", evaluation, project,
                f"指标“{row.name}”{why}（{values}），没有填写偏差原因",
                "在“偏差原因分析及改进措施”中说明未达成的原因和改进措施", row=row)
        if quantitative(row) and row.actual.strip() and vague(row.actual):
            yield evaluation_finding(
                "vague-actual", evaluation, project,
                f"指标“{row.name}”的年度指标值是 {row.target}，实际完成值却写作“{row.actual}”",
                "实际完成值应写明完成的数量或比例，才能判断是否达成", row=row)


def _scored(evaluation: SelfEvaluation) -> tuple[list[Decimal], list[Decimal]] | None:
    """The scores and weights of the indicators and the 预算执行率 row; None when one of them
    is not a number."""
    scores: list[Decimal] = []
    weights: list[Decimal] = []
    for score_text, weight_text in [*((r.score, r.weight) for r in evaluation.funds
                                      if r.score.strip() or r.weight.strip()),
                                    *((r.score, r.weight) for r in evaluation.indicators)]:
        score, weight = number(score_text), number(weight_text)
        if score is None or weight is None:
            return None
        scores.append(score)
        weights.append(weight)
    return scores, weights


def _total(evaluation: SelfEvaluation, project: Project | None) -> Iterator[Finding]:
    total = number(evaluation.total_score)
    scored = _scored(evaluation)
    if total is None or scored is None or not scored[0]:
        return
    added = sum(scored[0], Decimal(0))
    if abs(added - total) > TOTAL_TOLERANCE:
        yield evaluation_finding(
            "total-not-sum", evaluation, project,
            f"总分的得分写作 {evaluation.total_score}，各项得分（含预算执行率）相加为 "
            f"{plain(added)}，相差 {plain(abs(added - total))}",
            f"核对各项得分和总分；{SOURCE_HINT}", field="total_score")


def _rates(evaluation: SelfEvaluation, project: Project | None) -> Iterator[Finding]:
    for row in evaluation.funds:
        rate, budget, executed = number(row.rate), number(row.full_year), number(row.executed)
        if rate is None or budget is None or executed is None or not budget:
            continue
        computed = executed / budget * 100
        decimals = len(row.rate.split(".", 1)[1].rstrip("%％ ")) if "." in row.rate else 0
        if abs(computed - rate) > Decimal(5) / Decimal(10) ** (decimals + 1):
            yield evaluation_finding(
                "execution-rate", evaluation, project,
                f"“{row.label}”的执行率写作 {row.rate}，全年执行数 {row.executed} ÷ 全年预算数 "
                f"{row.full_year} = {computed.quantize(Decimal('0.01'))}%",
                f"核对执行率和执行数；{SOURCE_HINT}", row=row)


def _weights(evaluation: SelfEvaluation, project: Project | None) -> Iterator[Finding]:
    if _scored(evaluation) is None or not evaluation.indicators:
        return
    sums = dict.fromkeys(STANDARD_WEIGHTS, Decimal(0))
    for row in evaluation.indicators:
        level = row.category1 if row.category1 in sums else "产出指标"  # 成本 as its own 一级
        sums[level] += number(row.weight) or Decimal(0)
    funds = sum((number(r.weight) or Decimal(0) for r in evaluation.funds), Decimal(0))
    output, benefit, satisfaction = sums["产出指标"], sums["效益指标"], sums["满意度指标"]
    standard = (output, benefit, satisfaction) == (Decimal(50), Decimal(30), Decimal(10))
    moved = (satisfaction == 0 and output + benefit == 90 and output >= 50 and benefit >= 30)
    if funds == FUNDS_WEIGHT and (standard or moved):
        return
    yield evaluation_finding(
        "weights-not-standard", evaluation, project,
        f"分值为产出 {plain(output)}、效益 {plain(benefit)}、满意度 {plain(satisfaction)}、"
        f"预算执行率 {plain(funds)}，不是规定的 50、30、10、10",
        "按《项目支出绩效评价管理办法》（财预〔2020〕10号）设置分值；没有满意度指标时，"
        "其 10 分可计入产出或效益", field="indicators")


def _grade(evaluation: SelfEvaluation, project: Project | None) -> Iterator[Finding]:
    earned = grade_differs(evaluation.grade, evaluation.total_score)
    if earned:
        yield evaluation_finding(
            "grade-mismatch", evaluation, project,
            f"自评等级写作“{evaluation.grade}”，总分 {evaluation.total_score} 对应的等级是"
            f"“{earned}”",
            f"优 ≥ 90 分，良 80–89 分，中 60–79 分，差 < 60 分；{SOURCE_HINT}", field="grade")


def _unmatched(evaluation: SelfEvaluation, project: Project) -> Iterator[Finding]:
    targets = {indicator_key(i.name) for i in project.indicators}
    evaluated = {indicator_key(i.name) for i in evaluation.indicators}
    for row in evaluation.indicators:
        if indicator_key(row.name) not in targets:
            yield evaluation_finding(
                "indicator-unmatched", evaluation, project,
                f"自评指标“{row.name}”不在项目“{project.name}”的绩效目标表中",
                "自评表应逐项评价绩效目标表中的指标；核对指标名称", row=row)
    missing = [i.name for i in project.indicators if indicator_key(i.name) not in evaluated]
    if missing:
        yield evaluation_finding(
            "indicator-unmatched", evaluation, project,
            f"绩效目标表中的指标 {'、'.join(f'“{name}”' for name in missing)} 没有自评",
            "自评表应逐项评价绩效目标表中的指标；补上这些指标的实际完成值和得分",
            field="indicators")

"""Tables of another kind, recognised by their title or header and refused by name.

Finance offices publish several forms that look alike: all have 一级/二级/三级指标 columns.
The readers of the 项目支出绩效目标表 (text, Excel, Word, PDF), given a 自评表 or a 部门整体支出
table, stop with a message that names the form instead of storing its 得分 as 指标值.  A
项目支出绩效自评表 so refused (:func:`is_evaluation_refusal`) is then read as self-evaluations
(:mod:`site_builder.importers.formats`); the 部门整体支出 forms stay refused.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from site_builder.diagnostics import Diagnostic, Position, SiteBuilderError
from site_builder.i18n import _


@dataclass(frozen=True)
class OtherForm:
    """A published form this importer does not read."""

    name: str
    """Its name as finance offices write it (``项目支出绩效自评表``)."""
    title: re.Pattern[str]
    """Matches a title line of the form."""
    headers: frozenset[str]
    """Header cells (white space removed) found in this form and not in the target table."""
    needed: int
    """How many of :attr:`headers` make a row this form's header."""


OTHER_FORMS: tuple[OtherForm, ...] = (
    OtherForm("部门整体支出绩效自评表", re.compile(r"部门整体支出.{0,6}自评"),
              frozenset({"年度主要任务", "实际完成值", "得分", "全年执行数", "执行率"}), 3),
    OtherForm("项目支出绩效自评表", re.compile(r"自评表|自评情况表|绩效自评"),
              frozenset({"年度指标值", "实际完成值", "全年实际值", "得分", "分值", "全年执行数",
                         "执行率", "偏差原因分析及改进措施", "未完成原因分析", "年初预算数",
                         "全年预算数"}), 2),
    OtherForm("部门整体支出绩效目标表", re.compile(r"部门整体支出.{0,6}绩效目标"),
              frozenset({"年度主要任务", "任务名称", "主要内容", "年度总体目标",
                         "部门整体支出", "部门(单位)名称"}), 2),
)
"""Forms refused by name, most specific first."""

_TITLE_LINE = re.compile(r"^.{0,60}表$")


def _normalised(text: str) -> str:
    return re.sub(r"\s+", "", text).replace("（", "(").replace("）", ")")


def form_of_title(text: str) -> OtherForm | None:
    """The other form a title line names (a short line ending in 表), or None."""
    line = _normalised(text).lstrip("#")
    if not _TITLE_LINE.match(line):
        return None
    return next((form for form in OTHER_FORMS if form.title.search(line)), None)


def form_of_header(cells: Iterable[str]) -> OtherForm | None:
    """The other form whose header cells a row holds, or None."""
    texts = {_normalised(cell) for cell in cells}
    return next((form for form in OTHER_FORMS if len(texts & form.headers) >= form.needed),
                None)


def form_of_row(cells: Iterable[str]) -> OtherForm | None:
    """The other form a row's title or header names, or None."""
    texts = [cell for cell in cells if cell.strip()]
    if len(texts) == 1 and (form := form_of_title(texts[0])):
        return form
    return form_of_header(texts)


def refusal(form: OtherForm, pos: Position) -> SiteBuilderError:
    """The error for a table of another kind: what it is and what to import instead."""
    return SiteBuilderError([Diagnostic(
        pos, "error", _("This is a {form}, which this importer does not read (it reads only "
                        "the department budget project expenditure performance target table, "
                        "项目支出绩效目标表); nothing was imported").format(form=form.name),
        _("Import a project expenditure performance target table (its header is 单位编码、"
          "单位及项目名称、金额、绩效目标、一级指标、二级指标、三级指标、指标值)"),
        "other-form")])


SELF_EVALUATION = "项目支出绩效自评表"
"""The form :mod:`site_builder.importers.evaluation_form` reads where a target table was
expected."""


def is_evaluation_refusal(diagnostic: Diagnostic) -> bool:
    """Whether ``diagnostic`` is the refusal of a 项目支出绩效自评表 (:func:`refusal`)."""
    return diagnostic.code == "other-form" and SELF_EVALUATION in diagnostic.message \
        and "部门整体" not in diagnostic.message

"""The 一级/二级 categories of one indicator, as ``site-builder validate`` checks them.

Every indicator must name its 一级指标: a missing or unknown one is an error, with the names of
the form offered (or, where the 二级 makes the 一级 certain, a warning naming the 一级 the
category pages file the indicator under).  A 二级 the form does not have is a warning naming
the standard ones.  Nothing is filled in or corrected: the file stays as written.  Names written
in a shortened or variant way (``社会效益``) are the quality rule ``category-variant``, not a
validation problem.
"""

from __future__ import annotations

import re
from functools import lru_cache

from site_builder.categories import (
    LEVEL1,
    LEVEL2,
    canonical_level1,
    canonical_level2,
    certain_parent,
    close_name,
    parent_of,
    retyped,
)
from site_builder.diagnostics import Diagnostic, Severity
from site_builder.model import Indicator

LEVEL1_NAMES = "、".join(LEVEL1)
"""The 一级 names as a clerk reads them in a hint."""
ALL_LEVEL2 = "；".join(f"{level1}下为{'、'.join(names)}" for level1, names in LEVEL2.items())
"""Every standard 二级, by 一级, for hints where the 一级 is not known."""

_HIDDEN = re.compile(r"[\u200b-\u200f\u2060\ufeff\u00a0\u3000]")


def visible(text: str) -> str:
    """``text`` with characters a clerk cannot see (zero-width, no-break and full-width
    spaces) written as ``[U+200B]``, so a message never seems to repeat the right name."""
    return _HIDDEN.sub(lambda m: f"[U+{ord(m[0]):04X}]", text)


Problem = tuple[Severity, str, str, str]
"""A problem before it is placed: severity, message, hint, code."""


def check_categories(indicator: Indicator) -> list[Diagnostic]:
    """What is wrong with the 一级 and 二级 of ``indicator``, at its position."""
    found = _problems(indicator.level1, indicator.level2, indicator.name)
    return [Diagnostic(indicator.pos, severity, message, hint, code)
            for severity, message, hint, code in found]


@lru_cache(maxsize=1 << 12)
def _problems(level1: str, level2: str, name: str) -> tuple[Problem, ...]:
    """The problems of one (一级, 二级, 三级) as written; remembered, since rows repeat."""
    found: list[Problem] = []
    c1 = canonical_level1(level1) if level1.strip() else None
    if not level1.strip():
        found.append(_missing_level1(level2, name))
    elif c1 is None:
        found.append(_unknown_level1(level1))
    if level2.strip() and canonical_level2(level2) is None:
        found.append(_unknown_level2(level2, c1))
    return tuple(found)


def _missing_level1(level2: str, name: str) -> Problem:
    shown = f"指标「{name[:30]}」" if name else "这条指标"
    parent = certain_parent(level2)
    if parent is not None:
        return ("warning",
                f"{shown}没有填写一级指标；它的二级指标“{level2}”属于“{parent}”，分类页把它"
                f"归入“{parent}”，项目页的表格照原样把一级指标显示为（空）",
                f"在这一行加上 level1: {parent}（原表确实没写时可以不改）", "level1-inferred")
    if canonical_level2(level2) == "成本指标":
        hint = ("二级指标“成本指标”在旧版表格中属于“产出指标”，在 2022 年起的表格中"
                "“成本指标”本身就是一级指标：按原表填写 level1")
    else:
        hint = f"按原表填写 level1（一级指标）：{LEVEL1_NAMES}"
    return ("error", f"{shown}没有填写一级指标", hint, "level1-missing")


def _unknown_level1(level1: str) -> Problem:
    message = f"一级指标“{visible(level1)}”不是绩效目标表中的一级指标"
    as_level2 = canonical_level2(level1)
    retyped_as = canonical_level1(retyped(level1))
    if as_level2 is not None and as_level2 not in LEVEL1:
        parent = parent_of(as_level2) or ""
        hint = (f"“{level1}”是二级指标，属于“{parent}”：写成 level1: {parent}，"
                f"level2: {as_level2}")
    elif retyped_as is not None:
        hint = (f"“{visible(level1)}”里夹有空格、全角字母或看不见的字符：删掉这个名称，"
                f"重新输入“{retyped_as}”")
    elif (close := close_name(level1, LEVEL1)) is not None:
        hint = f"是不是“{close}”？一级指标只能是：{LEVEL1_NAMES}"
    else:
        hint = f"一级指标只能是：{LEVEL1_NAMES}"
    return ("error", message, hint, "unknown-level1")


def _unknown_level2(level2: str, level1: str | None) -> Problem:
    retyped_as = canonical_level2(retyped(level2))
    if level1 is None:
        message = f"二级指标“{visible(level2)}”不是绩效目标表中的二级指标"
        standard = f"标准的二级指标：{ALL_LEVEL2}"
        close = close_name(level2, [n for names in LEVEL2.values() for n in names])
    else:
        message = f"二级指标“{visible(level2)}”不是“{level1}”下的标准二级指标"
        standard = f"{level1}下的二级指标是：{'、'.join(LEVEL2[level1])}"
        close = close_name(level2, LEVEL2[level1])
    if canonical_level1(level2) is not None:
        message += f"（“{level2}”是一级指标的名称）"
    if retyped_as is not None:
        hint = (f"“{visible(level2)}”里夹有空格、全角字母或看不见的字符：删掉这个名称，"
                f"重新输入“{retyped_as}”；{standard}")
    elif close is not None:
        hint = f"是不是“{close}”？{standard}"
    else:
        hint = f"{standard}；原表就是这样写的可以保留"
    return ("warning", message, hint, "nonstandard-level2")

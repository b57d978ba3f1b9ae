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
from site_builder.i18n import N_, Language, _
from site_builder.model import Indicator

LEVEL1_NAMES = "、".join(LEVEL1)
"""The 一级 names as a clerk reads them in a hint."""


def all_level2() -> str:
    """Every standard 二级, by 一级, for hints where the 一级 is not known."""
    return _("; ").join(_("under {level1}: {names}").format(level1=level1, names="、".join(names))
                        for level1, names in LEVEL2.items())

_HIDDEN = re.compile(r"[\u200b-\u200f\u2060\ufeff\u00a0\u3000]")


def visible(text: str) -> str:
    """``text`` with characters a clerk cannot see (zero-width, no-break and full-width
    spaces) written as ``[U+200B]``, so a message never seems to repeat the right name."""
    return _HIDDEN.sub(lambda m: f"[U+{ord(m[0]):04X}]", text)


Problem = tuple[Severity, str, str, str]
"""A problem before it is placed: severity, message, hint, code."""


def check_categories(indicator: Indicator) -> list[Diagnostic]:
    """What is wrong with the 一级 and 二级 of ``indicator``, at its position."""
    found = _problems(indicator.level1, indicator.level2, indicator.name, Language.code)
    return [Diagnostic(indicator.pos, severity, message, hint, code)
            for severity, message, hint, code in found]


@lru_cache(maxsize=1 << 12)
def _problems(level1: str, level2: str, name: str, language: str) -> tuple[Problem, ...]:
    """The problems of one (一级, 二级, 三级) as written; remembered, since rows repeat
    (by ``language`` too: the messages are in the language in use)."""
    del language
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
    shown = _("the indicator 「{name}」").format(name=name[:30]) if name else \
        _("this indicator")
    parent = certain_parent(level2)
    if parent is not None:
        return ("warning",
                _("{indicator} has no 一级指标 (level 1); its 二级指标 '{level2}' belongs to "
                  "'{parent}', so the category pages file it under '{parent}', and the "
                  "project page's table shows its 一级指标 as written, (empty)").format(
                      indicator=shown, level2=level2, parent=parent),
                _("add level1: {parent} to this row (it may stay as it is when the published "
                  "table really leaves it out)").format(parent=parent), "level1-inferred")
    if canonical_level2(level2) == "成本指标":
        hint = _("the 二级指标 '成本指标' belongs to '产出指标' in the older forms; in the forms "
                 "from 2022 on '成本指标' is itself a 一级指标: write level1 as published")
    else:
        hint = _("write level1 (一级指标) as published: {names}").format(names=LEVEL1_NAMES)
    return ("error", _("{indicator} has no 一级指标 (level 1)").format(indicator=shown), hint,
            "level1-missing")


def _unknown_level1(level1: str) -> Problem:
    message = _("the 一级指标 '{level1}' is not a 一级指标 of the performance target form").format(
        level1=visible(level1))
    as_level2 = canonical_level2(level1)
    retyped_as = canonical_level1(retyped(level1))
    if as_level2 is not None and as_level2 not in LEVEL1:
        parent = parent_of(as_level2) or ""
        hint = _("'{name}' is a 二级指标 under '{parent}': write level1: {parent}, level2: "
                 "{level2}").format(name=level1, parent=parent, level2=as_level2)
    elif retyped_as is not None:
        hint = _(_RETYPE).format(name=visible(level1), retyped=retyped_as)
    elif (close := close_name(level1, LEVEL1)) is not None:
        hint = _("did you mean '{close}'? A 一级指标 can only be: {names}").format(
            close=close, names=LEVEL1_NAMES)
    else:
        hint = _("a 一级指标 can only be: {names}").format(names=LEVEL1_NAMES)
    return ("error", message, hint, "unknown-level1")


def _unknown_level2(level2: str, level1: str | None) -> Problem:
    retyped_as = canonical_level2(retyped(level2))
    if level1 is None:
        message = _("the 二级指标 '{level2}' is not a 二级指标 of the performance target "
                    "form").format(level2=visible(level2))
        standard = _("the standard 二级指标: {names}").format(names=all_level2())
        close = close_name(level2, [n for names in LEVEL2.values() for n in names])
    else:
        message = _("the 二级指标 '{level2}' is not a standard 二级指标 under '{level1}'").format(
            level2=visible(level2), level1=level1)
        standard = _("the 二级指标 under {level1} are: {names}").format(
            level1=level1, names="、".join(LEVEL2[level1]))
        close = close_name(level2, LEVEL2[level1])
    if canonical_level1(level2) is not None:
        message += _(" ('{level2}' is the name of a 一级指标)").format(level2=level2)
    if retyped_as is not None:
        hint = _("{retype}; {standard}").format(
            retype=_(_RETYPE).format(name=visible(level2), retyped=retyped_as),
            standard=standard)
    elif close is not None:
        hint = _("did you mean '{close}'? {standard}").format(close=close, standard=standard)
    else:
        hint = _("{standard}; it may stay when the published table writes it so").format(
            standard=standard)

    return ("warning", message, hint, "nonstandard-level2")


_RETYPE = N_("'{name}' holds spaces, full-width letters or invisible characters: delete the "
             "name and type '{retyped}' again")
"""The hint for a name that is a standard one once retyped (translated where shown)."""

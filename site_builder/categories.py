"""The indicator taxonomy of the 项目支出绩效目标表: 一级 → 二级 names and their published variants.

Published tables write the same category in several ways (``社会效益`` for ``社会效益指标``,
``可持续性影响指标`` for ``可持续影响指标``).  The model keeps the text as published; this module
maps it to the canonical name so pages, checks and search can group by category.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from functools import lru_cache

LEVEL1: tuple[str, ...] = ("产出指标", "效益指标", "满意度指标", "成本指标")
"""Canonical 一级指标, in the order of the official form (成本指标 is 一级 in the 2022+ form)."""

LEVEL2: dict[str, tuple[str, ...]] = {
    "产出指标": ("数量指标", "质量指标", "时效指标", "成本指标"),
    "效益指标": ("经济效益指标", "社会效益指标", "生态效益指标", "可持续影响指标"),
    "满意度指标": ("服务对象满意度指标",),
    "成本指标": ("经济成本指标", "社会成本指标", "生态环境成本指标"),
}
"""Canonical 二级指标 under each 一级指标, in form order."""

_ALL_LEVEL2 = {name for names in LEVEL2.values() for name in names}


def _core(text: str) -> str:
    """Drop numbering, punctuation and the 指标 suffix so variants compare equal."""
    text = re.sub(r"^[（(]?[一二三四五六七八九十\d]+[)）、.．]?", "", text.strip())
    text = re.sub(r"[\s:：]+$", "", text)
    text = text.replace("可持续性", "可持续")
    return text.removesuffix("指标")


_LEVEL1_BY_CORE = {_core(n): n for n in LEVEL1}
_LEVEL2_BY_CORE = {_core(n): n for n in _ALL_LEVEL2}


@lru_cache(maxsize=1 << 12)
def canonical_level1(text: str) -> str | None:
    """The canonical 一级 name for published ``text``, or None if it is not an 一级 name."""
    return _LEVEL1_BY_CORE.get(_core(text)) if text else None


@lru_cache(maxsize=1 << 12)
def canonical_level2(text: str) -> str | None:
    """The canonical 二级 name for published ``text``, or None if it is not an 二级 name."""
    return _LEVEL2_BY_CORE.get(_core(text)) if text else None


def parent_of(level2: str) -> str | None:
    """The 一级 a canonical 二级 belongs to (``成本指标``: 产出指标, as in the classic form)."""
    for level1, names in LEVEL2.items():
        if level2 in names:
            return level1
    return None


def is_known_pair(level1: str, level2: str) -> bool:
    """True when published ``level2`` may stand under published ``level1``."""
    c1, c2 = canonical_level1(level1), canonical_level2(level2)
    return c1 is not None and c2 is not None and c2 in LEVEL2.get(c1, ())


def known_names() -> list[str]:
    """Every canonical category name, for did-you-mean hints."""
    return sorted(set(LEVEL1) | _ALL_LEVEL2)


_INVISIBLE = re.compile(r"[\s\u200b-\u200f\u2060\ufeff]+")


def retyped(text: str) -> str:
    """``text`` NFKC-normalised without spaces or invisible characters (a full-width letter,
    a space typed inside the name, a zero-width space pasted from a web page)."""
    return _INVISIBLE.sub("", unicodedata.normalize("NFKC", text))


def certain_parent(level2: str) -> str | None:
    """The 一级 that published ``level2`` alone makes certain, else None.

    ``成本指标`` gives none: it is a 二级 under 产出指标 in the classic form and an 一级 of its
    own in the 2022 form."""
    canonical = canonical_level2(level2)
    if canonical is None or canonical in LEVEL1:
        return None
    return parent_of(canonical)


def close_name(text: str, names: tuple[str, ...] | list[str]) -> str | None:
    """The name of ``names`` that ``text`` was most likely meant to be (a typing slip, a
    wrong character): the one clearly closest, never one that reads like ``text`` itself;
    None when none is close or several are equally close."""
    shown = _core(retyped(text))
    scored = sorted(((difflib.SequenceMatcher(None, shown, _core(name)).ratio(), name)
                     for name in names if retyped(name) != retyped(text)), reverse=True)
    if not scored or scored[0][0] < 0.5 or (len(scored) > 1 and scored[1][0] == scored[0][0]):
        return None
    return scored[0][1]


def written_differently(text: str, canonical: str) -> bool:
    """Whether published ``text`` names ``canonical`` in another way than the form prints it
    (``社会效益``, ``可持续性影响指标``, ``（一）产出指标``)."""
    return text.strip() != canonical

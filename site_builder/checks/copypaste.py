"""Copy-paste rules: projects whose goals and indicators repeat another project's.

Each project becomes a set of features: one per goal (without its ``目标一：`` label), one per
indicator name and one per indicator row (name = value), compacted and hashed; with the names
counted on their own, a copy whose numbers were edited still scores high.  Identical sets are
grouped with one dictionary; near-identical ones are found through an inverted index of the
*rare* features (shared by at most :data:`MAX_POSTINGS` projects), so the work grows with the
number of projects, not with its square.  Candidate pairs are then compared with the Jaccard
similarity of their full feature sets.

The same project carried over from one year to the next (same unit, same name, another year)
is not reported.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence, Set
from functools import lru_cache
from itertools import combinations

from site_builder.checks.finding import Finding, project_finding
from site_builder.checks.text import compact, goal_text
from site_builder.model import Project, Site

SIMILAR = 0.75
"""Jaccard similarity of feature sets from which two projects count as nearly identical."""
MIN_FEATURES = 4
"""Projects with fewer goals and indicators than this are not compared."""
MAX_POSTINGS = 50
"""Features shared by more projects than this (``群众满意度 = ≥95%``) do not make pairs."""
MIN_GOALS_CHARS = 20
"""Goals shorter than this (compacted) are too generic to call copied."""
LISTED = 3
"""How many other projects a finding names."""

Features = frozenset[int]


def _hash(text: str) -> int:
    return int.from_bytes(hashlib.blake2b(text.encode("utf-8"), digest_size=8).digest(), "big")


def features(project: Project) -> Features:
    """The hashed goals and indicator rows of ``project``."""
    found = {h for goal in project.goals if (h := _goal_feature(goal)) is not None}
    for indicator in project.indicators:
        found.update(_indicator_features(indicator.name, indicator.value))
    return frozenset(found)


@lru_cache(maxsize=1 << 16)
def _goal_feature(goal: str) -> int | None:
    """The hashed goal, None when it is too short to tell projects apart (remembered: goals
    repeat a lot)."""
    text = goal_text(goal)
    return _hash("g:" + text) if len(text) >= 4 else None


@lru_cache(maxsize=1 << 16)
def _indicator_features(name: str, value: str) -> tuple[int, int]:
    """The hashed name and the hashed row (name = value) of an indicator, remembered."""
    core = compact(name)
    return _hash(f"n:{core}"), _hash(f"i:{core}={compact(value)}")


def _carried_over(a: Project, b: Project) -> bool:
    return a.year != b.year and a.unit_code == b.unit_code and compact(a.name) == compact(b.name)


class _Groups:
    """Projects grouped by an identical key, with fast 'who else' answers."""

    def __init__(self, projects: Sequence[Project], keys: Sequence[object | None]) -> None:
        self.projects = projects
        self.members: dict[object, list[int]] = defaultdict(list)
        self.key_of: dict[int, object] = {}
        for index, key in enumerate(keys):
            if key is not None:
                self.members[key].append(index)
                self.key_of[index] = key
        self.same_name: Counter[tuple[object, str, str]] = Counter()
        self.same_year: Counter[tuple[object, str, str, str]] = Counter()
        for key, group in self.members.items():
            for i in group if len(group) > 1 else ():
                p = projects[i]
                self.same_name[(key, p.unit_code, compact(p.name))] += 1
                self.same_year[(key, p.unit_code, compact(p.name), p.year)] += 1

    def others(self, index: int) -> tuple[list[int], int]:
        """Up to :data:`LISTED` other members for ``index`` and how many there are in all."""
        key = self.key_of.get(index)
        group = self.members.get(key, []) if key is not None else []
        if len(group) < 2:
            return [], 0
        me = self.projects[index]
        listed = [j for j in _first(group, index, self.projects)]
        carried = (self.same_name[(key, me.unit_code, compact(me.name))]
                   - self.same_year[(key, me.unit_code, compact(me.name), me.year)])
        return listed, len(group) - 1 - carried


def _first(group: list[int], index: int, projects: Sequence[Project]) -> Iterator[int]:
    found = 0
    for j in group:
        if j != index and not _carried_over(projects[index], projects[j]):
            yield j
            found += 1
            if found == LISTED:
                return


def _near(projects: Sequence[Project], feats: Sequence[Features]) -> dict[int, list[int]]:
    """Nearly identical (not identical) pairs found through rare shared features."""
    postings: dict[int, list[int]] = defaultdict(list)
    for index, found in enumerate(feats):
        if len(found) >= MIN_FEATURES:
            for feature in found:
                postings[feature].append(index)
    shared: Counter[tuple[int, int]] = Counter()
    common = [0] * len(feats)
    for indexes in postings.values():
        if len(indexes) > MAX_POSTINGS:
            for index in indexes:
                common[index] += 1
        elif len(indexes) > 1:
            shared.update(combinations(indexes, 2))
    # A pair has at most rare + min(common) features in common: keep only the pairs that could
    # be similar enough, without building every pair's intersection and union.
    sizes = [len(found) for found in feats]
    candidates: list[tuple[int, int]] = []
    for (a, b), rare in shared.items():
        most = rare + min(common[a], common[b])
        if most >= SIMILAR * (sizes[a] + sizes[b] - most):
            candidates.append((a, b))
    candidates.sort()
    near: dict[int, list[int]] = defaultdict(list)
    for a, b in candidates:
        fa, fb = feats[a], feats[b]
        if fa == fb or _carried_over(projects[a], projects[b]):
            continue
        if len(fa & fb) >= SIMILAR * len(fa | fb):
            near[a].append(b)
            near[b].append(a)
    return near


def check(site: Site, enabled: Set[str]) -> Iterator[Finding]:
    if not {"copy-paste", "copied-goals"} & enabled:
        return
    projects = site.projects
    feats = [features(p) for p in projects]
    exact = _Groups(projects, [f if len(f) >= MIN_FEATURES else None for f in feats])
    near = _near(projects, feats)
    goals = _Groups(projects, [_goals_key(p) for p in projects])
    for index, project in enumerate(projects):
        same, count = exact.others(index)
        close = sorted(near.get(index, []))
        if same or close:
            yield _copy_finding(project, [projects[j] for j in same], count,
                                [projects[j] for j in close])
            continue
        listed, count = goals.others(index)
        if listed:
            yield _goals_finding(project, [projects[j] for j in listed], count)


def _goals_key(project: Project) -> str | None:
    text = "|".join(goal_text(goal) for goal in project.goals)
    return text if len(text) >= MIN_GOALS_CHARS else None


def _named(others: list[Project]) -> str:
    return "、".join(f"「{p.name}」（{p.id}）" for p in others)


def _more(count: int, listed: int) -> str:
    return f"，另有 {count - listed} 个项目也相同" if count > listed else ""


def _copy_finding(project: Project, same: list[Project], count: int,
                  close: list[Project]) -> Finding:
    if same:
        message = (f"绩效目标和指标与{_named(same)}完全相同{_more(count, len(same))}"
                   + (f"；与{_named(close[:LISTED])}几乎相同" if close else ""))
    else:
        message = f"绩效目标和指标与{_named(close[:LISTED])}几乎相同{_more(len(close), LISTED)}"
    related = tuple(p.id for p in same + close[:LISTED])
    return project_finding("copy-paste", project, message,
                           "每个项目应写出自己的目标和指标；核对是否照搬了其他项目的内容",
                           field="goals", related=related)


def _goals_finding(project: Project, others: list[Project], count: int) -> Finding:
    return project_finding(
        "copied-goals", project,
        f"绩效目标与{_named(others)}的绩效目标一字不差{_more(count, len(others))}",
        "绩效目标应写明本项目要完成的事；核对是否照搬了其他项目的目标",
        field="goals", related=tuple(p.id for p in others))

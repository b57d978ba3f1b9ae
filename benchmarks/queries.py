"""The fixed query set and its ground truth: the projects whose visible text contains the query.

The text of a project is what its page shows and both engines index: name, unit, year, amount,
goals and every indicator cell, one field per line so that no query matches across fields.
Text and query are compared after NFKC and lower-casing, as a citizen would expect.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from site_builder.model import Project, Site, format_amount

COMMON = ("满意度", "经费", "宣传", "培训", "医保", "村干部", "干部", "民族团结", "环境整治",
          "民兵", "调解", "健全性", "成本控制率", "100%", "12月31日", "村")
"""Words of the shipped content, from nearly every project down to a few percent of them."""
MISSING = "无此项目"
"""A query that matches nothing."""


@dataclass(frozen=True)
class Query:
    """One query of the fixed set with the ids of the projects that contain it."""

    text: str
    """What the visitor types."""
    kind: str
    """Where it comes from: common, place, village, amount or missing."""
    truth: frozenset[str]
    """Ids of the projects whose text contains it."""


def normalize(text: str) -> str:
    return unicodedata.normalize("NFKC", text).lower()


def project_text(project: Project, unit_name: str) -> str:
    """The visible, searchable text of a project, one field per line."""
    fields = [project.name, unit_name, project.year, format_amount(project.amount),
              *project.goals]
    for indicator in project.indicators:
        fields.extend((indicator.level1, indicator.level2, indicator.name, indicator.value))
    return normalize("\n".join(fields))


def _rare_words(site: Site) -> list[tuple[str, str]]:
    """A township, a village and an amount drawn deterministically from ``site``."""
    found: list[tuple[str, str]] = []
    unit = site.units[len(site.units) // 2]
    town = unit.name[len(unit.region):][:2] if unit.region else unit.name[:2]
    found.append((town, "place"))
    for project in site.projects:
        match = re.search(r"[\u4e00-\u9fff]{2}村(?!级|干部|民)", project.name)
        if match:
            found.append((match.group(), "village"))
            break
    middle = site.projects[len(site.projects) // 2]
    found.append((format_amount(middle.amount), "amount"))
    return found


def query_set(site: Site) -> list[Query]:
    """The fixed queries with their ground truth over ``site``."""
    names = {u.key: u.name for u in site.units}
    texts = {p.id: project_text(p, names.get((p.year, p.unit_code), ""))
             for p in site.projects}
    wanted = [(q, "common") for q in COMMON] + _rare_words(site) + [(MISSING, "missing")]
    queries = []
    for text, kind in dict.fromkeys(wanted):
        needle = normalize(text)
        truth = frozenset(pid for pid, body in texts.items() if needle in body)
        queries.append(Query(text, kind, truth))
    return queries


@dataclass(frozen=True)
class Quality:
    """Recall and precision of one engine over the query set (macro averages)."""

    recall: float
    """Mean over queries with at least one relevant project of found-relevant / relevant."""
    precision: float
    """Mean over queries with at least one result of relevant results / results."""
    perfect: int
    """Queries answered with exactly the ground truth."""


def quality(queries: list[Query], found: dict[str, set[str]]) -> Quality:
    recalls, precisions, perfect = [], [], 0
    for query in queries:
        got = found.get(query.text, set())
        hits = len(got & query.truth)
        if query.truth:
            recalls.append(hits / len(query.truth))
        if got:
            precisions.append(hits / len(got))
        perfect += got == set(query.truth)
    return Quality(sum(recalls) / max(1, len(recalls)),
                   sum(precisions) / max(1, len(precisions)), perfect)

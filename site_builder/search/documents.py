"""What of a project (or of a self-evaluation of its own) is searchable, and what a search
result shows."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache

from site_builder.achievement import below_pass
from site_builder.categories import LEVEL1, LEVEL2
from site_builder.core import urls
from site_builder.model import Indicator, Project, SelfEvaluation, Site, format_amount
from site_builder.search.analyzer import FIELD_SEPARATOR, normalize

SECOND_LEVEL: tuple[str, ...] = tuple(dict.fromkeys(n for names in LEVEL2.values() for n in names))
"""Canonical 二级 names, in form order."""
KNOWN_CATEGORIES = frozenset(LEVEL1) | frozenset(SECOND_LEVEL)
"""Canonical indicator categories a project can be filtered by."""
OWN_BIT = {name: i for i, name in enumerate(LEVEL1)}
"""Scope bit of the rows under an 一级 without one of its own 二级 (none, or another's)."""
SECOND_BIT = {name: len(LEVEL1) + i for i, name in enumerate(SECOND_LEVEL)}
"""Scope bit of the rows with this 二级 under its own 一级 — most rows: one bit each."""
ODD_BIT = {name: len(LEVEL1) + len(SECOND_LEVEL) + i for i, name in enumerate(SECOND_LEVEL)}
"""Scope bit of the rows with this 二级 under another 一级, or none."""
SCOPE_BITS = len(LEVEL1) + 2 * len(SECOND_LEVEL)
"""Scope bits in all (28: written as one base-32 digit)."""


def category_bits(category: str) -> tuple[int, ...]:
    """The scope bits whose rows are in ``category``: a row is in a category when its 一级 or
    its 二级 (canonical) is that category."""
    bits: list[int] = []
    if category in OWN_BIT:
        bits += [OWN_BIT[category], *(SECOND_BIT[c] for c in LEVEL2[category])]
    if category in SECOND_BIT:
        bits += [SECOND_BIT[category], ODD_BIT[category]]
    return tuple(sorted(set(bits)))


def category_mask(category: str) -> int:
    """:func:`category_bits` as a mask."""
    mask = 0
    for bit in category_bits(category):
        mask |= 1 << bit
    return mask


@dataclass(frozen=True)
class SearchDoc:
    """One project as the search index sees it."""

    id: str
    """The project's id (equal to the id in the open-data export)."""
    url: str
    """Its page, relative to the site root (``projects/<id>.html``)."""
    name: str
    """Project name as published."""
    unit_code: str
    """Code of its unit."""
    unit_name: str
    """Name of its unit."""
    year: str
    """Budget year."""
    amount: str
    """Amount in 万元 as text (``20.49``)."""
    categories: tuple[str, ...]
    """Canonical indicator categories (一级 and 二级) the project has indicators in."""
    parts: tuple[str, ...]
    """The searchable texts as published: name, unit, year, amount, goals, indicators, notes."""
    scopes: tuple[int, ...]
    """Parallel to :attr:`parts`: for an indicator row, its scope bits (:func:`scope_mask`);
    0 for every other part.  A category filter matches a term only in the parts with a bit of
    the category (:func:`category_bits`)."""
    evaluation: tuple[str, ...] = ()
    """The self-evaluation filter's values the project has (:data:`EVALUATION_FILTERS`)."""

    @cached_property
    def text(self) -> str:
        """Normalised searchable text; a project matches a term iff the term occurs in it.

        Equal to ``normalize(FIELD_SEPARATOR.join(self.parts))``: a line feed neither composes
        nor changes case with its neighbours, so each part is normalised on its own, and the
        parts that recur from project to project only once."""
        return FIELD_SEPARATOR.join(map(normalized_part, self.parts))

    @cached_property
    def normalized_name(self) -> str:
        """Normalised name (a term found here puts the project in the first rank tier)."""
        return normalize(self.name)

    @cached_property
    def digest(self) -> str:
        """Fingerprint of everything indexed, to re-index only changed projects."""
        data = json.dumps([self.url, self.name, self.unit_code, self.unit_name, self.year,
                           self.amount, self.categories, self.parts, self.scopes, self.evaluation],
                          ensure_ascii=False)
        return hashlib.sha256(data.encode("utf-8")).hexdigest()[:20]


@lru_cache(maxsize=1 << 16)
def normalized_part(part: str) -> str:
    """:func:`normalize`, remembered for the texts that recur across projects."""
    return normalize(part)


def project_url(project: Project) -> str:
    """Page of a project relative to the site root (the site's pages use the same path)."""
    return f"projects/{project.id}.html"


def project_categories(project: Project) -> tuple[str, ...]:
    found = {c for i in project.indicators for c in (i.category1, i.category2)}
    return tuple(sorted(found & KNOWN_CATEGORIES))


def scope_mask(indicator: Indicator) -> int:
    """The scope bits of an indicator row (see :func:`category_bits`): the 二级's own bit when
    it stands under its own 一级; else the bits of each of the two that is a canonical name."""
    first, second = indicator.category1, indicator.category2
    if first in LEVEL2 and second in LEVEL2[first]:
        return 1 << SECOND_BIT[second]
    mask = 0
    for category in {first, second}:
        if category in OWN_BIT:
            mask |= 1 << OWN_BIT[category]
        if category in ODD_BIT:
            mask |= 1 << ODD_BIT[category]
    return mask


def category_parts(parts: Sequence[str], scopes: Sequence[int], category: str) -> list[str]:
    """The parts (as published) that are indicator rows in ``category``."""
    mask = category_mask(category)
    return [part for part, scope in zip(parts, scopes, strict=True) if scope & mask]


def category_text(parts: Sequence[str], scopes: Sequence[int], category: str) -> str:
    """The normalised text of the indicator rows in ``category`` (joined by
    :data:`FIELD_SEPARATOR`): with a category filter, every term must occur in it."""
    return FIELD_SEPARATOR.join(map(normalized_part, category_parts(parts, scopes, category)))


def search_doc(site: Site, project: Project) -> SearchDoc:
    amount = format_amount(project.amount)
    unit_name = site.unit_name(project)
    parts = [project.name, unit_name, project.year, f"{amount}万元", *project.goals]
    scopes = [0] * len(parts)
    for indicator in project.indicators:
        cells = (indicator.level1, indicator.level2, indicator.category1, indicator.category2,
                 indicator.name, indicator.value)
        parts.append(" ".join(dict.fromkeys(c for c in cells if c)))
        scopes.append(scope_mask(indicator))
    parts.extend(project.notes)
    if project.remark:
        parts.append(project.remark)
    scopes += [0] * (len(parts) - len(scopes))
    evaluation = site.evaluation_of(project)
    if evaluation is not None:  # what was achieved, and why not: searchable too
        parts.extend(evaluation.achieved)
        scopes += [0] * len(evaluation.achieved)
        for row in evaluation.indicators:
            parts.append(" ".join(dict.fromkeys(c for c in (row.actual, row.reason) if c)))
            scopes.append(scope_mask(Indicator(row.level1, row.level2, row.name, row.target)))
    kept = [i for i, part in enumerate(parts) if part]
    return SearchDoc(
        id=project.id, url=project_url(project), name=project.name, unit_code=project.unit_code,
        unit_name=unit_name, year=project.year, amount=amount,
        categories=project_categories(project), parts=tuple(parts[i] for i in kept),
        scopes=tuple(scopes[i] for i in kept),
        evaluation=() if evaluation is None else _evaluation_filters(evaluation))


def _evaluation_filters(evaluation: SelfEvaluation) -> tuple[str, ...]:
    return ("evaluated", "below-80") if below_pass(evaluation.total_score) else ("evaluated",)


def evaluation_doc(site: Site, evaluation: SelfEvaluation) -> SearchDoc:
    """A self-evaluation whose project the site does not have (it has a page of its own): its
    name, unit, year, goals, what was achieved, and every indicator row with its target,
    actual value and reason.  Its amount is the 全年预算数 of its first funds row."""
    unit = site.unit(evaluation.year, evaluation.unit_code)
    unit_name = unit.name if unit is not None else evaluation.unit_code
    amount = evaluation.funds[0].full_year if evaluation.funds else ""
    parts = [evaluation.name, unit_name, evaluation.year, f"{amount}万元" if amount else "",
             *evaluation.expected, *evaluation.achieved]
    scopes = [0] * len(parts)
    rows = [Indicator(row.level1, row.level2, row.name, row.target)
            for row in evaluation.indicators]
    for row, indicator in zip(evaluation.indicators, rows, strict=True):
        cells = (row.level1, row.level2, indicator.category1, indicator.category2, row.name,
                 row.target, row.actual, row.reason)
        parts.append(" ".join(dict.fromkeys(c for c in cells if c)))
        scopes.append(scope_mask(indicator))
    parts += [*evaluation.notes, evaluation.remark]
    scopes += [0] * (len(parts) - len(scopes))
    kept = [i for i, part in enumerate(parts) if part]
    found = {c for i in rows for c in (i.category1, i.category2)}
    return SearchDoc(
        id=evaluation_doc_id(evaluation), url=urls.evaluation_path(evaluation),
        name=evaluation.name, unit_code=evaluation.unit_code, unit_name=unit_name,
        year=evaluation.year, amount=amount,
        categories=tuple(sorted(found & KNOWN_CATEGORIES)),
        parts=tuple(parts[i] for i in kept), scopes=tuple(scopes[i] for i in kept),
        evaluation=_evaluation_filters(evaluation))


def evaluation_doc_id(evaluation: SelfEvaluation) -> str:
    """The search id of a self-evaluation of its own (apart from the projects' ids, which it
    may repeat: it is linked by name)."""
    return f"evaluations/{evaluation.id}"


def search_docs(site: Site) -> list[SearchDoc]:
    """Every project in site order (year, unit, id), then every self-evaluation whose project
    the site does not have; a doc's number is its position here."""
    return [*(search_doc(site, p) for p in site.projects),
            *(evaluation_doc(site, e) for e in site.unlinked_evaluations)]


def doc_ids(site: Site) -> list[str]:
    """The ids of :func:`search_docs`, in its order, without making the documents."""
    return [*(p.id for p in site.projects),
            *(evaluation_doc_id(e) for e in site.unlinked_evaluations)]

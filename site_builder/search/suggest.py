"""是不是要找: near terms for a query that finds nothing, or very little.

A term of the query that finds no project (or a one-term query finding fewer than
:data:`FEW` projects) is compared with the real text around it, found with the index the search
already has — no dictionary ships with the site:

1. **Candidates.**  A text within ``k`` edits of the term (``k`` = :func:`max_edits`) holds at
   least ``D - k`` of the term's ``D`` distinct characters.  Every project holding that many
   (the term's single characters are grams of the index), passing the filters, is scored by the
   term's characters and character pairs it holds; the :data:`CANDIDATES` best (then the first
   in site order) are read.
2. **Texts.**  Their project name, unit name and indicator rows (with a category filter: only
   the rows of that category), split into runs as the index splits them.
3. **Near terms.**  Every piece of a run between ``L - k`` and ``L + k`` characters long
   (``L`` the term's length, at least 2), without digits, whose edit distance to the term is
   at most ``k``: optimal string alignment (insert, delete, replace, swap two neighbours cost
   1; replacing a character by one of :mod:`~site_builder.search.confusables` costs ½).
4. **Order.**  Smaller distance; more characters in common; length nearer the term's; held by
   more candidates; code point order.  A text sharing 3 characters in a row (2 for a term of up
   to three) with a better one is dropped.  At
   most :data:`SHOWN` are offered, each with the number of projects the corrected query finds,
   and only when that is more than the query finds.

``site_builder/search/suggest.js`` does the same in the browser (data loaded only when
needed: the shards of those grams and the candidates' display files); the tests compare them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from site_builder.search.analyzer import normalize, query_terms, runs
from site_builder.search.confusables import CONFUSABLE
from site_builder.search.documents import category_parts
from site_builder.search.index import open_index
from site_builder.search.query import Filters, filter_docs, search, term_projects

FEW = 3
"""A one-term query finding fewer projects than this gets suggestions too."""
CANDIDATES = 12
"""Projects whose texts are compared with a term."""
SHOWN = 3
"""Suggestions offered at most."""
LONGEST = 16
"""Terms longer than this (in characters) get no suggestions."""
CONFUSED_COST = 0.5
"""Cost of replacing a character by a confusable one (other edits cost 1)."""


@dataclass(frozen=True)
class Suggestion:
    """A corrected query."""

    query: str
    """The query with the corrected term(s), terms separated by one space."""
    total: int
    """Projects it finds (with the same filters)."""


@dataclass(frozen=True, order=True)
class Near:
    """A text near a term, with what ranks it (smaller first)."""

    cost: float
    """Edit distance to the term."""
    missing: int
    """The term's characters it lacks (as a multiset)."""
    length_gap: int
    """Difference in length from the term."""
    rarity: int
    """Minus the number of candidates holding it."""
    text: str
    """The text itself (normalised)."""


def max_edits(term: str) -> int:
    """Edits allowed: 1 up to three characters, 2 from four."""
    return 1 if len(term) <= 3 else 2


def wants_suggestions(term: str) -> bool:
    """Terms that get suggestions: two to :data:`LONGEST` characters, no digits (a changed
    amount or year would be a different fact, not a spelling)."""
    return 2 <= len(term) <= LONGEST and not has_digit(term)


def has_digit(text: str) -> bool:
    """Whether ``text`` holds a digit 0–9 (normalised text has no other digits)."""
    return any("0" <= c <= "9" for c in text)


def distance(a: str, b: str, limit: float) -> float:
    """Optimal string alignment distance, confusable replacements at :data:`CONFUSED_COST`;
    anything above ``limit`` is returned as ``limit + 1``."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[float] = []
    previous = [float(j) for j in range(len(b) + 1)]
    for i in range(1, len(a) + 1):
        row = [float(i)] + [0.0] * len(b)
        for j in range(1, len(b) + 1):
            if a[i - 1] == b[j - 1]:
                replace = 0.0
            elif (a[i - 1], b[j - 1]) in CONFUSABLE:
                replace = CONFUSED_COST
            else:
                replace = 1.0
            best = min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + replace)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                best = min(best, previous2[j - 2] + 1)
            row[j] = best
        if min(row) > limit:
            return limit + 1
        previous2, previous = previous, row
    return previous[-1] if previous[-1] <= limit else limit + 1


def near_texts(term: str, texts: Sequence[Iterable[str]]) -> list[Near]:
    """The pieces of ``texts`` (one collection of runs per candidate) near ``term``, best
    first (see the module's docstring)."""
    k = max_edits(term)
    wanted = Counter(term)
    found: dict[str, tuple[float, int, int]] = {}
    holders: Counter[str] = Counter()
    for candidate in texts:
        held: set[str] = set()
        for run in dict.fromkeys(candidate):
            for size in range(max(2, len(term) - k), len(term) + k + 1):
                for start in range(len(run) - size + 1):
                    piece = run[start:start + size]
                    if piece == term or has_digit(piece):
                        continue
                    missing = sum((wanted - Counter(piece)).values())
                    if missing > k:
                        continue
                    if piece not in found:
                        cost = distance(term, piece, k)
                        if cost > k:
                            continue
                        found[piece] = (cost, missing, abs(len(piece) - len(term)))
                    held.add(piece)
        holders.update(held)
    return sorted(Near(cost, missing, gap, -holders[text], text)
                  for text, (cost, missing, gap) in found.items())


def common_run(a: str, b: str) -> int:
    """Length of the longest piece of text ``a`` and ``b`` share."""
    best = 0
    for i in range(len(a)):
        for j in range(len(b)):
            size = 0
            while i + size < len(a) and j + size < len(b) and a[i + size] == b[j + size]:
                size += 1
            best = max(best, size)
    return best


def overlap_of(term: str) -> int:
    """Characters in a row that make two suggestions for ``term`` the same words: 2 for a term
    of up to three characters, else 3."""
    return 2 if len(term) <= 3 else 3


def distinct(term: str, near: list[Near]) -> list[Near]:
    """``near`` without texts that share :func:`overlap` characters in a row with a better
    one (族团结, 族团结创 after 民族团结): pieces of the same words would crowd out other
    suggestions."""
    overlap = overlap_of(term)
    kept: list[Near] = []
    for item in near:
        if all(common_run(item.text, k.text) < overlap for k in kept):
            kept.append(item)
    return kept


def candidate_texts(doc: dict[str, Any], category: str | None) -> list[str]:
    """The runs of a project that suggestions are taken from."""
    if category:
        parts = category_parts(doc["parts"], doc["scopes"], category)
    else:
        parts = [doc["name"], doc["unit_name"], *(p for p, m in zip(
            doc["parts"], doc["scopes"], strict=True) if m)]
    return [run for part in parts for run in runs(normalize(part))]


def grams_of(term: str) -> list[str]:
    """The term's distinct characters and character pairs."""
    return list(dict.fromkeys([*term, *(term[i:i + 2] for i in range(len(term) - 1))]))


Count = Callable[[str], int]
"""The number of projects a query finds (with the filters of the search)."""


def choose(term: str, holders: dict[str, set[int]], allowed: set[int] | None) -> list[int]:
    """The candidates (project numbers) for ``term``: ``holders`` maps each gram of
    :func:`grams_of` to the projects holding it."""
    chars = set(term)
    need = max(1, len(chars) - max_edits(term))
    score: Counter[int] = Counter()
    singles: Counter[int] = Counter()
    for gram in grams_of(term):
        for doc in holders.get(gram, ()):
            if allowed is None or doc in allowed:
                score[doc] += 1
                if len(gram) == 1:
                    singles[doc] += 1
    ranked = sorted((d for d in score if singles[d] >= need), key=lambda d: (-score[d], d))
    return ranked[:CANDIDATES]


def corrections(terms: list[str], totals: list[int], total: int) -> list[int]:
    """Which terms to correct: those finding nothing alone when the query finds nothing; the
    only term when a one-term query finds fewer than :data:`FEW`."""
    if total == 0:
        return [i for i, (t, n) in enumerate(zip(terms, totals, strict=True))
                if n == 0 and wants_suggestions(t)]
    if len(terms) == 1 and total < FEW and wants_suggestions(terms[0]):
        return [0]
    return []


def combine(terms: list[str], fixes: dict[int, list[Near]], count: Count,
            total: int) -> list[Suggestion]:
    """The suggested queries: with one term to correct, up to :data:`SHOWN` alternatives; with
    more, the best of each together.  Only queries finding more than ``total`` are kept."""
    if not fixes or any(not near for near in fixes.values()):
        return []
    if len(fixes) == 1:
        (index, near), = fixes.items()
        options = [[*terms[:index], n.text, *terms[index + 1:]] for n in near]
    else:
        options = [[fixes[i][0].text if i in fixes else t for i, t in enumerate(terms)]]
    found: list[Suggestion] = []
    for option in options:
        query = " ".join(option)
        if len(found) == SHOWN:
            break
        found_total = count(query)
        if found_total > total:
            found.append(Suggestion(query, found_total))
    return found


def suggest(index_path: Path, query: str, filters: Filters, order: dict[str, int],
            total: int) -> list[Suggestion]:
    """Suggestions for ``query``, which finds ``total`` projects with ``filters``; ``order``
    gives the project number (site order) of each id."""
    def count(text: str) -> int:
        return search(index_path, text, filters)[0]

    terms = query_terms(query)
    fix = corrections(terms, [count(t) for t in terms] if total == 0 else [total], total)
    if not fix:
        return []
    fixes: dict[int, list[Near]] = {}
    with open_index(index_path).reader() as reader:
        numbers = {docnum: order[fields["project"]["id"]]
                   for docnum, fields in reader.iter_docs()
                   if "project" in fields and fields["project"]["id"] in order}
        docnums = {number: docnum for docnum, number in numbers.items()}
        passing = filter_docs(reader, filters)
        allowed = None if passing is None else {numbers[d] for d in passing if d in numbers}
        for index in fix:
            term = terms[index]
            holders = {g: {numbers[d] for d in term_projects(reader, g) if d in numbers}
                       for g in grams_of(term)}
            picked = choose(term, holders, allowed)
            texts = [candidate_texts(reader.stored_fields(docnums[n])["project"]["doc"],
                                     filters.category) for n in picked]
            fixes[index] = distinct(term, near_texts(term, texts))[:2 * SHOWN]
    return combine(terms, fixes, count, total)

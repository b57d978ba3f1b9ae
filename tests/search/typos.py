"""Typo queries made from a site's own texts, for measuring 是不是要找 (seeded, deterministic).

Intended terms are the site's project names, unit names and 三级 indicator names, and pieces of
two to six characters of them (what people type).  Each gets one typo of one kind:

* ``swap`` — two neighbouring characters exchanged;
* ``drop`` — one character left out (terms of three or more characters);
* ``similar`` — one character replaced by a 同音/形近 one from the hand-made table
  (:mod:`site_builder.search.confusables`, which the ranking uses too: this measures how well
  the table and the ranking work together);
* ``random`` — one character replaced by a random character of the site's texts (a control that
  the table cannot help).

Only typos that find nothing are kept (a typo that is itself real text is no typo for search).
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from site_builder.model import Site
from site_builder.search.analyzer import normalize
from site_builder.search.confusables import GROUPS
from site_builder.search.documents import SearchDoc
from site_builder.search.suggest import LONGEST

KINDS = ("swap", "drop", "similar", "random")


@dataclass(frozen=True)
class Typo:
    """A query with one typo and the term it was made from."""

    query: str
    """What is typed."""
    intended: str
    """The term meant (normalised)."""
    kind: str
    """One of :data:`KINDS`."""


def intended_terms(site: Site, rng: random.Random) -> list[str]:
    """Whole names and pieces of them, each once, in a seeded order."""
    names: dict[str, None] = {}
    for project in site.projects:
        names[normalize(project.name)] = None
        names[normalize(site.unit_name(project))] = None
        for indicator in project.indicators:
            names[normalize(indicator.name)] = None
    whole = sorted(n for n in names if 2 <= len(n) <= LONGEST and " " not in n
                   and not any(c.isdigit() for c in n))
    pieces: dict[str, None] = {}
    for name in whole:
        size = rng.randint(2, 6)
        if len(name) > size:
            start = rng.randrange(len(name) - size + 1)
            pieces[name[start:start + size]] = None
    terms = list(dict.fromkeys([*whole, *pieces]))
    rng.shuffle(terms)
    return terms


def make_typo(term: str, kind: str, rng: random.Random, alphabet: str) -> str | None:
    chars = list(term)
    if kind == "swap":
        spots = [i for i in range(len(chars) - 1) if chars[i] != chars[i + 1]]
        if not spots:
            return None
        i = rng.choice(spots)
        chars[i], chars[i + 1] = chars[i + 1], chars[i]
    elif kind == "drop":
        if len(chars) < 3:
            return None
        del chars[rng.randrange(len(chars))]
    elif kind == "similar":
        spots = [(i, g) for i, c in enumerate(chars) for g in GROUPS if c in g]
        if not spots:
            return None
        i, group = rng.choice(spots)
        chars[i] = rng.choice([c for c in group if c != chars[i]])
    else:
        i = rng.randrange(len(chars))
        chars[i] = rng.choice([c for c in alphabet if c != chars[i]])
    return "".join(chars)


def typos(site: Site, docs: list[SearchDoc], count: int, seed: int) -> list[Typo]:
    """``count`` typos of each kind that find nothing in ``docs`` (the site's search docs)."""
    rng = random.Random(seed)
    texts = [doc.text for doc in docs]
    alphabet = "".join(sorted({c for t in texts for c in t if "\u4e00" <= c <= "\u9fff"}))
    made: list[Typo] = []
    for kind in KINDS:
        kept = 0
        for term in intended_terms(site, rng):
            query = make_typo(term, kind, rng, alphabet)
            if query and query != term and not any(query in t for t in texts):
                made.append(Typo(query, term, kind))
                kept += 1
                if kept == count:
                    break
    return made

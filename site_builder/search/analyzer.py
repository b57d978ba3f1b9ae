"""A dictionary-free analyzer that makes every substring findable.

Text is NFKC-normalised and lower-cased (full-width ``９５％`` becomes ``95%``), then split on
white space into runs.  Every run yields each character (unigram) and each overlapping pair and
triple of characters (bigram, trigram) — for Chinese the classic "single characters plus
bigrams" scheme, extended by trigrams, and applied to all scripts.  So any query term of up to
three characters (石嘴, 医保, 村干部, 95%) is answered exactly by one posting list, and a longer one
by intersecting its trigrams, then confirming the candidates.  Latin words and numbers (decimals
and percent kept: ``0.76``, ``2021``) of four or more characters are also emitted whole so that
exact word matches rank first.

``site_builder/search/engine.js`` implements the same function; ``tests/search/token_vectors.json``
proves both give identical tokens.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterator
from operator import add

from whoosh.analysis import Analyzer, Filter, Token, Tokenizer  # type: ignore[import-untyped]

SPACE = "\t\n\v\f\r \x1c-\x1f\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
"""White space that separates runs (the same class as ``SPACE`` in engine.js)."""

_RUNS = re.compile(f"[^{SPACE}]+")
_WORDS = re.compile(r"[0-9]+(?:\.[0-9]+)?%?|[a-z]+")
GRAM_MAX = 3
"""Longest gram: terms up to this length are looked up exactly."""
WORD_MIN = GRAM_MAX + 1
"""Whole words shorter than this are grams already."""
FIELD_SEPARATOR = "\n"
"""Joins the searchable parts of a project so that no match spans two parts."""


def normalize(text: str) -> str:
    """NFKC, then lower case: the form in which text is indexed and matched."""
    return unicodedata.normalize("NFKC", text).lower()


def runs(normalized: str) -> list[str]:
    """The white-space separated runs of already normalised text."""
    return _RUNS.findall(normalized)


def run_tokens(run: str) -> Iterator[str]:
    """Tokens of one run: at each character its unigram, bigram and trigram; then whole words."""
    chars = list(run)
    for i in range(len(chars)):
        for size in range(1, min(GRAM_MAX, len(chars) - i) + 1):
            yield "".join(chars[i:i + size])
    for word in _WORDS.findall(run):
        if len(word) >= WORD_MIN:
            yield word


def run_gram_counts(run: str) -> Counter[str]:
    """``Counter(run_tokens(run))``, built from whole-run slices instead of token by token
    (uni-, bi- and trigrams: :data:`GRAM_MAX` is 3)."""
    bigrams = list(map(add, run, run[1:]))
    counts = Counter(run)
    counts.update(bigrams)
    counts.update(map(add, bigrams, run[2:]))
    counts.update(word for word in _WORDS.findall(run) if len(word) >= WORD_MIN)
    return counts


def tokens(text: str) -> list[str]:
    """Every token of ``text`` in order (the function the test vectors pin down)."""
    return [token for run in runs(normalize(text)) for token in run_tokens(run)]


def query_terms(query: str) -> list[str]:
    """The distinct normalised terms of a query; each must occur in a matching project."""
    seen: dict[str, None] = {}
    for term in runs(normalize(query)):
        seen.setdefault(term, None)
    return list(seen)


def required_grams(term: str) -> list[str]:
    """Grams every project containing ``term`` has: the term itself, or its trigrams."""
    chars = list(term)
    if len(chars) <= GRAM_MAX:
        return [term]
    grams: dict[str, None] = {}
    for i in range(len(chars) - GRAM_MAX + 1):
        grams.setdefault("".join(chars[i:i + GRAM_MAX]), None)
    return list(grams)


def is_exact(term: str) -> bool:
    """True when the posting lists alone decide whether a project contains ``term``."""
    return len(term) <= GRAM_MAX


def gram_hash(gram: str) -> int:
    """FNV-1a (32 bit) over the code points of ``gram``; shards are chosen by it."""
    value = 0x811C9DC5
    for char in gram:
        value ^= ord(char)
        value = (value * 0x01000193) & 0xFFFFFFFF
    return value


class SubstringTokenizer(Tokenizer):  # type: ignore[misc]
    """Whoosh tokenizer emitting :func:`tokens` (normalisation included)."""

    def __call__(self, value: str, positions: bool = False, chars: bool = False,
                 keeporiginal: bool = False, removestops: bool = True, start_pos: int = 0,
                 start_char: int = 0, tokenize: bool = True, mode: str = "",
                 **kwargs: object) -> Iterator[Token]:
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        texts = tokens(value) if tokenize else [normalize(value)]
        for position, text in enumerate(texts, start_pos):
            token.text = text
            token.boost = 1.0
            token.stopped = False
            if keeporiginal:
                token.original = text
            if positions:
                token.pos = position
            if chars:
                token.startchar = token.endchar = start_char
            yield token


class DropEmptyFilter(Filter):  # type: ignore[misc]
    """Drops empty tokens (none are produced today; keeps the chain a tokenizer | filter)."""

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        return (t for t in tokens if t.text)


def analyzer() -> Analyzer:
    """The Whoosh analyzer chain used for every searchable field."""
    return SubstringTokenizer() | DropEmptyFilter()

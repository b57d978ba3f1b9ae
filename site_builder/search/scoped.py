"""Category-scoped posting lists: which projects hold a gram *in an indicator row* of a category.

With a category filter a term must occur in the project's indicator rows of that category
(``docs/search.md``, "Filters").  Each row has scope bits
(:func:`~site_builder.search.documents.scope_mask`: nearly always one, its 二级 under its own
一级) and a category reads the lists of its bits
(:func:`~site_builder.search.documents.category_bits`).  For a gram ``g`` and a bit ``b`` the
*scoped* list is the set of projects with ``g`` in a row with bit ``b``, sent base64-encoded
under the key :func:`scope_key` (``b`` as one base-32 digit, then the gram) in whichever layout
is smaller:

* ``0``, varint count, varint gaps — the projects (numbers ascending, gaps from -1);
* ``1``, ``ceil(N / 8)`` bytes — bit ``n % 8`` of byte ``n // 8`` set for project ``n``.

No entry: no project.  These lists live in a shard family of their own (``search/k/``), so a
query without a category filter downloads none of them.
"""

from __future__ import annotations

from array import array
from binascii import b2a_base64
from collections.abc import Iterable, Sequence
from functools import lru_cache
from itertools import chain, groupby
from operator import itemgetter

from site_builder.search.analyzer import runs
from site_builder.search.documents import SCOPE_BITS, normalized_part
from site_builder.search.encoding import bits, gaps

LIST, BITSET = 0, 1
DIGITS = "0123456789abcdefghijklmnopqrstuv"
"""Base-32 digits (JavaScript's ``bit.toString(32)``)."""
assert len(DIGITS) >= SCOPE_BITS, "a scope bit is written as one base-32 digit"


def scope_key(bit: int, gram: str) -> str:
    """The key of gram ``gram``'s scoped list for scope bit ``bit``."""
    return DIGITS[bit] + gram


def key_bit(key: str) -> int:
    """The scope bit of a scoped key."""
    return DIGITS.index(key[0])


@lru_cache(maxsize=1 << 16)
def mask_bits(mask: int) -> tuple[int, ...]:
    """The bits set in a scope mask, ascending."""
    return tuple(bit for bit in range(mask.bit_length()) if mask >> bit & 1)


@lru_cache(maxsize=1 << 16)
def _part_runs(part: str) -> tuple[str, ...]:
    return tuple(runs(normalized_part(part)))


def part_runs(parts: Sequence[str], scopes: Sequence[int]) -> dict[str, int]:
    """The runs of a project's indicator rows, each with the categories (mask) it is in."""
    found: dict[str, int] = {}
    for part, mask in zip(parts, scopes, strict=True):
        if mask:
            for run in _part_runs(part):
                found[run] = found.get(run, 0) | mask
    return found


_BYTE_BITS = [tuple(bit for bit in range(8) if value >> bit & 1) for value in range(256)]


def members(bitset: int, total_docs: int) -> list[int]:
    """The project numbers in a bitset (bit ``n`` for project ``n``), ascending."""
    found: list[int] = []
    for index, byte in enumerate(bitset.to_bytes((total_docs + 7) // 8, "little")):
        if byte:
            base = index * 8
            found.extend(base + bit for bit in _BYTE_BITS[byte])
    return found


def encode_scoped(selected: Iterable[int] | int, total_docs: int) -> str:
    """The projects ``selected`` (numbers, or a bitset: bit ``n`` for project ``n``) in the
    smaller layout of the module's docstring."""
    bitset_size = 1 + (total_docs + 7) // 8
    if isinstance(selected, int):
        count = selected.bit_count()
        chosen = members(selected, total_docs) if 2 + count <= bitset_size else []
    else:
        chosen = sorted(selected)
        count = len(chosen)
    best = b""
    if 2 + count <= bitset_size:  # else a list (a byte per entry at least) is larger
        best = bytes([LIST]) + gaps(chosen)
    if not best or len(best) > bitset_size:
        packed = (selected.to_bytes(bitset_size - 1, "little") if isinstance(selected, int)
                  else bits(chosen, total_docs))
        best = bytes([BITSET]) + packed
    return b2a_base64(best, newline=False).decode("ascii")


def _bitset(projects: Iterable[int], total_docs: int) -> int:
    return int.from_bytes(bits(list(projects), total_docs), "little")


BIG = 32
"""Added to a bit in :data:`RunLinks` when the projects are a bitset."""
RunLinks = tuple[tuple[int, "array[int] | int"], ...]
"""One run's projects per category bit, ascending by key: ``(bit, project numbers)`` for short
lists, ``(bit + BIG, bitset)`` (bit ``n`` for project ``n``) for lists of more than 1/8 of all
projects, which are no larger as bitsets and merge fast."""


class ScopeLinks:
    """By run: for each scope bit, the projects holding the run in a row with that bit."""

    def __init__(self) -> None:
        self.by_run: dict[str, dict[int, array[int]]] = {}
        """Run text → scope mask → the projects whose rows of exactly these bits hold the run
        (each project once per run)."""

    def add(self, number: int, parts: Sequence[str], scopes: Sequence[int]) -> None:
        """Record project ``number``'s indicator rows."""
        by_run = self.by_run
        for run, mask in part_runs(parts, scopes).items():
            masks = by_run.get(run)
            if masks is None:
                by_run[run] = {mask: array("I", (number,))}
            elif mask in masks:
                masks[mask].append(number)
            else:
                masks[mask] = array("I", (number,))

    def keyed(self, run_docs: dict[str, int], total_docs: int) -> None:
        """Turn :attr:`by_run` into :attr:`links`, keyed by the runs' document numbers
        (``run_docs``: text → number); empties :attr:`by_run`."""
        self.links: dict[int, RunLinks] = {}
        """By run document: its projects per category bit."""
        for run, masks in self.by_run.items():
            docnum = run_docs.get(run)
            if docnum is None:
                continue
            per_bit: dict[int, list[array[int]]] = {}
            for mask, projects in masks.items():
                for bit in mask_bits(mask):
                    per_bit.setdefault(bit, []).append(projects)
            links: list[tuple[int, array[int] | int]] = []
            for bit, lists in sorted(per_bit.items()):
                merged = lists[0] if len(lists) == 1 else array("I", chain.from_iterable(lists))
                if 8 * len(merged) > total_docs:
                    links.append((bit + BIG, _bitset(merged, total_docs)))
                else:
                    links.append((bit, merged))
            self.links[docnum] = tuple(links)
        self.by_run = {}

    def codes(self, run_docnums: Iterable[int], total_docs: int) -> dict[int, str]:
        """By bit (ascending): the encoded scoped list of a gram found in the runs
        ``run_docnums``."""
        found = list(filter(None, map(self.links.get, run_docnums)))
        if not found:
            return {}
        pairs = found[0] if len(found) == 1 else sorted(chain.from_iterable(found),
                                                          key=itemgetter(0))
        per_bit: dict[int, tuple[list[array[int]], list[int]]] = {}
        for key, group in groupby(pairs, key=itemgetter(0)):
            lists = per_bit.setdefault(key % BIG, ([], []))
            lists[key // BIG].extend(map(itemgetter(1), group))
        codes: dict[int, str] = {}
        for bit in sorted(per_bit):
            small, big = per_bit[bit]
            merged: Iterable[int] | int
            if big:
                merged = 0
                for bitset in big:
                    merged |= bitset
                if small:
                    merged |= _bitset(chain.from_iterable(small), total_docs)
            elif len(small) == 1:
                merged = small[0]
            else:
                merged = set().union(*small)
            codes[bit] = encode_scoped(merged, total_docs)
        return codes

    def sets(self, run_docnums: Iterable[int], total_docs: int) -> dict[int, list[int]]:
        """By bit: the projects (ascending) holding a gram found in the runs ``run_docnums``
        in a row of that category (what :meth:`codes` encodes)."""
        found: dict[int, set[int]] = {}
        for links in filter(None, map(self.links.get, run_docnums)):
            for key, projects in links:
                into = found.setdefault(key % BIG, set())
                into.update(members(projects, total_docs) if isinstance(projects, int)
                            else projects)
        return {bit: sorted(projects) for bit, projects in sorted(found.items())}

"""Compact binary posting lists and the script files that carry them.

A posting list is one of two byte layouts, whichever is smaller, sent as base64:

* **list** — ``0``, varint count, then per project: varint gap to the previous project number
  and one byte ``impact << 1 | in_name``;
* **bitset** — ``1``, ``ceil(N / 8)`` bytes with bit ``n % 8`` of byte ``n // 8`` set for project
  ``n``, each project's impact in 4 bits (two per byte, in project order, ``round(impact * 15 /
  127)``), then varint count and varint gaps of the projects whose name holds the gram;
* **flat bitset** — ``2``, one byte with the typical impact, the bitset, then the name gaps; used
  for grams in more than half of all projects (their idf is too small for impacts to matter)
  once the per-project impacts would cost more than :data:`FLAT_ABOVE` bytes.

``impact`` (1–127) is the project's BM25 term weight scaled to 127, so the browser needs no
document lengths.  Data files are classic scripts calling ``SiteBuilderSearch.receive(key, data)``
so that they load from ``file://`` and under ``Content-Security-Policy: script-src 'self'``.
"""

from __future__ import annotations

import base64
import json
from bisect import bisect_left
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import chain, repeat
from operator import sub
from typing import Any

LIST, BITSET, FLAT = 0, 1, 2
NIBBLE_MAX = 15
FLAT_ABOVE = 4096
IMPACT_MAX = 127
_DOUBLED = bytes((i << 1) & 0xFF for i in range(256))
"""Byte table: impact → impact << 1 (the name flag goes in bit 0)."""
_NIBBLE = bytes(max(1, round(min(i, IMPACT_MAX) * NIBBLE_MAX / IMPACT_MAX)) for i in range(256))
"""Byte table: impact → its 4-bit form in bitsets."""


@dataclass(frozen=True)
class Postings:
    """One posting list: the projects holding a gram, in project order."""

    docs: Sequence[int]
    """Project numbers (positions in site order), ascending."""
    impacts: Sequence[int]
    """BM25 weight of the gram in each project, scaled to 1..127 (parallel to ``docs``)."""
    named: Sequence[int] = ()
    """Project numbers, ascending, whose name holds the gram."""


def varint(value: int) -> bytes:
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        if value:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


_GAP_CODES = [b""] + [varint(i) for i in range(1 << 14)]
"""By distance to the previous project (gap + 1): the gap's varint, for one- and two-byte
varints."""
_MINUS_ONE = bytes([0, *range(255)])
"""Byte table: distance → gap (distance − 1)."""
_BYTES = [bytes([i]) for i in range(256)]


def _distances(docs: Sequence[int]) -> list[int]:
    """Each project's distance to the previous one (the first: to -1), that is gap + 1."""
    return list(map(sub, docs, chain((-1,), docs)))


def _gap_codes(distances: list[int]) -> list[bytes]:
    if not distances or max(distances) < len(_GAP_CODES):
        return list(map(_GAP_CODES.__getitem__, distances))
    return [varint(distance - 1) for distance in distances]


def gaps(docs: Sequence[int]) -> bytes:
    """Varint count, then the varint gap before each of ``docs`` (ascending, from -1)."""
    return varint(len(docs)) + b"".join(_gap_codes(_distances(docs)))


def encode_list(postings: Postings) -> bytes:
    docs = postings.docs
    distances = _distances(docs)
    codes = bytearray(bytes(postings.impacts).translate(_DOUBLED))
    for i in _positions(docs, postings.named):
        codes[i] |= 1
    head = bytes([LIST]) + varint(len(docs))
    if not distances or max(distances) <= 0x80:
        body = bytearray(2 * len(docs))
        body[0::2] = bytes(distances).translate(_MINUS_ONE)
        body[1::2] = codes
        return head + bytes(body)
    parts = [b""] * (2 * len(docs))
    parts[0::2] = _gap_codes(distances)
    parts[1::2] = map(_BYTES.__getitem__, codes)
    return head + b"".join(parts)


def _positions(docs: Sequence[int], named: Sequence[int]) -> list[int]:
    """Indexes in ``docs`` (ascending) of the projects in ``named`` (ascending, a subset)."""
    found: list[int] = []
    i = 0
    for doc in named:
        i = bisect_left(docs, doc, i)
        found.append(i)
    return found


def bits(docs: Sequence[int], total_docs: int) -> bytes:
    """Bit ``n % 8`` of byte ``n // 8`` set for each project ``n``: one flag byte per project
    first, then the eight flags of each byte gathered with big-integer shifts."""
    size = (total_docs + 7) // 8
    flags = bytearray(8 * size)
    deque(map(flags.__setitem__, docs, repeat(1)), maxlen=0)
    packed = 0
    for bit in range(8):
        packed |= int.from_bytes(flags[bit::8], "little") << bit
    return packed.to_bytes(size, "little")


def encode_bitset(postings: Postings, total_docs: int, named: bytes | None = None) -> bytes:
    """The bitset layout (``named``: :func:`gaps` of the named projects, if already made)."""
    scaled = bytes(postings.impacts).translate(_NIBBLE)
    low, high = scaled[0::2], scaled[1::2]
    packed = int.from_bytes(low, "little") | int.from_bytes(high, "little") << 4
    nibbles = packed.to_bytes(len(low), "little")
    names = gaps(postings.named) if named is None else named
    return bytes([BITSET]) + bits(postings.docs, total_docs) + nibbles + names


def encode_flat(postings: Postings, total_docs: int, named: bytes | None = None) -> bytes:
    """The flat bitset layout (``named`` as for :func:`encode_bitset`)."""
    impacts = sorted(postings.impacts)
    typical = impacts[len(impacts) // 2] if impacts else 1
    names = gaps(postings.named) if named is None else named
    return bytes([FLAT, typical]) + bits(postings.docs, total_docs) + names


def list_size(count: int, total_docs: int) -> int:
    """Bytes of the list layout for ``count`` projects spread evenly over ``total_docs``."""
    gap_bytes = len(varint(total_docs // max(1, count)))
    return 1 + len(varint(count)) + count * (1 + gap_bytes)


def encode_postings(postings: Postings, total_docs: int) -> str:
    """The smallest fitting layout of ``postings`` (the first of list, bitset, flat bitset on
    a tie), base64-encoded.

    Short lists are always smallest as lists (a bitset costs ``total_docs / 8`` bytes), so
    only lists near the break-even point are sized both ways; only the winner is encoded."""
    count = len(postings.docs)
    bitset_size = 1 + (total_docs + 7) // 8 + (count + 1) // 2
    best = encode_list(postings)
    if 2 * list_size(count, total_docs) >= bitset_size:
        named = gaps(postings.named)
        bitset_size += len(named)
        flat_size = 2 + (total_docs + 7) // 8 + len(named)
        flat = 2 * count > total_docs and bitset_size > FLAT_ABOVE and flat_size < bitset_size
        if flat and flat_size < len(best):
            best = encode_flat(postings, total_docs, named)
        elif bitset_size < len(best):
            best = encode_bitset(postings, total_docs, named)
    return base64.b64encode(best).decode("ascii")


def js_literal(value: Any) -> str:
    """JSON that is also a safe JavaScript literal (sorted keys, U+2028/9 escaped)."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def data_script(key: str, value: Any) -> bytes:
    """A data file: a classic script handing ``value`` to the search engine."""
    return f"SiteBuilderSearch.receive({js_literal(key)},{js_literal(value)});\n".encode()

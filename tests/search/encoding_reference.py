"""The posting-list encoder as first written (one project at a time), kept as the reference
that ``site_builder.search.encoding`` must match byte for byte.

Compact binary posting lists and the script files that carry them.

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
from collections.abc import Sequence
from dataclasses import dataclass
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


def _gaps(docs: Sequence[int]) -> bytes:
    out = bytearray(varint(len(docs)))
    previous = -1
    for doc in docs:
        out += varint(doc - previous - 1)
        previous = doc
    return bytes(out)


def encode_list(postings: Postings) -> bytes:
    docs = postings.docs
    gaps = [doc - previous - 1 for previous, doc in zip([-1, *docs], docs, strict=False)]
    codes = bytearray(bytes(postings.impacts).translate(_DOUBLED))
    for i in _positions(docs, postings.named):
        codes[i] |= 1
    head = bytes([LIST]) + varint(len(docs))
    if not gaps or max(gaps) < 0x80:
        body = bytearray(2 * len(docs))
        body[0::2] = bytes(gaps)
        body[1::2] = codes
        return head + bytes(body)
    out = bytearray(head)
    for gap, code in zip(gaps, codes, strict=True):
        if gap < 0x80:
            out.append(gap)
        else:
            out += varint(gap)
        out.append(code)
    return bytes(out)


def _positions(docs: Sequence[int], named: Sequence[int]) -> list[int]:
    """Indexes in ``docs`` (ascending) of the projects in ``named`` (ascending, a subset)."""
    found: list[int] = []
    i = 0
    for doc in named:
        while docs[i] != doc:
            i += 1
        found.append(i)
    return found


def _bits(docs: Sequence[int], total_docs: int) -> bytes:
    bits = bytearray((total_docs + 7) // 8)
    for doc in docs:
        bits[doc >> 3] |= 1 << (doc & 7)
    return bytes(bits)


def encode_bitset(postings: Postings, total_docs: int) -> bytes:
    scaled = bytes(postings.impacts).translate(_NIBBLE)
    low, high = scaled[0::2], scaled[1::2]
    packed = int.from_bytes(low, "little") | int.from_bytes(high, "little") << 4
    nibbles = packed.to_bytes(len(low), "little")
    return (bytes([BITSET]) + _bits(postings.docs, total_docs) + nibbles
            + _gaps(postings.named))


def encode_flat(postings: Postings, total_docs: int) -> bytes:
    impacts = sorted(postings.impacts)
    typical = impacts[len(impacts) // 2] if impacts else 1
    return bytes([FLAT, typical]) + _bits(postings.docs, total_docs) + _gaps(postings.named)


def list_size(count: int, total_docs: int) -> int:
    """Bytes of the list layout for ``count`` projects spread evenly over ``total_docs``."""
    gap_bytes = len(varint(total_docs // max(1, count)))
    return 1 + len(varint(count)) + count * (1 + gap_bytes)


def encode_postings(postings: Postings, total_docs: int) -> str:
    """The smallest fitting layout of ``postings``, base64-encoded.

    Short lists are always smallest as lists (a bitset costs ``total_docs / 8`` bytes), so
    only lists near the break-even point are encoded both ways."""
    count = len(postings.docs)
    bitset_size = 1 + (total_docs + 7) // 8 + (count + 1) // 2
    if 2 * list_size(count, total_docs) < bitset_size:
        return base64.b64encode(encode_list(postings)).decode("ascii")
    candidates = [encode_list(postings), encode_bitset(postings, total_docs)]
    if 2 * count > total_docs and len(candidates[1]) > FLAT_ABOVE:
        candidates.append(encode_flat(postings, total_docs))
    best = min(candidates, key=len)
    return base64.b64encode(best).decode("ascii")


def js_literal(value: Any) -> str:
    """JSON that is also a safe JavaScript literal (sorted keys, U+2028/9 escaped)."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def data_script(key: str, value: Any) -> bytes:
    """A data file: a classic script handing ``value`` to the search engine."""
    return f"SiteBuilderSearch.receive({js_literal(key)},{js_literal(value)});\n".encode()

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
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

LIST, BITSET, FLAT = 0, 1, 2
NIBBLE_MAX = 15
FLAT_ABOVE = 4096
IMPACT_MAX = 127


@dataclass(frozen=True)
class Posting:
    """One project in a posting list."""

    doc: int
    """Project number (position in site order)."""
    impact: int
    """BM25 weight scaled to 1..127."""
    in_name: bool
    """Whether the project's name holds the gram."""


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


def encode_list(postings: Sequence[Posting]) -> bytes:
    out = bytearray([LIST]) + varint(len(postings))
    previous = -1
    for p in postings:
        out += varint(p.doc - previous - 1)
        out.append(p.impact << 1 | int(p.in_name))
        previous = p.doc
    return bytes(out)


def _bits(postings: Sequence[Posting], total_docs: int) -> bytes:
    bits = bytearray((total_docs + 7) // 8)
    for p in postings:
        bits[p.doc >> 3] |= 1 << (p.doc & 7)
    return bytes(bits)


def _names(postings: Sequence[Posting]) -> bytes:
    return _gaps([p.doc for p in postings if p.in_name])


def encode_bitset(postings: Sequence[Posting], total_docs: int) -> bytes:
    nibbles = bytearray((len(postings) + 1) // 2)
    for i, p in enumerate(postings):
        nibble = max(1, round(p.impact * NIBBLE_MAX / IMPACT_MAX))
        nibbles[i >> 1] |= nibble << (4 * (i & 1))
    return bytes([BITSET]) + _bits(postings, total_docs) + bytes(nibbles) + _names(postings)


def encode_flat(postings: Sequence[Posting], total_docs: int) -> bytes:
    impacts = sorted(p.impact for p in postings)
    typical = impacts[len(impacts) // 2] if impacts else 1
    return bytes([FLAT, typical]) + _bits(postings, total_docs) + _names(postings)


def encode_postings(postings: Sequence[Posting], total_docs: int) -> str:
    """The smallest fitting layout of ``postings`` (sorted by doc), base64-encoded."""
    candidates = [encode_list(postings), encode_bitset(postings, total_docs)]
    if 2 * len(postings) > total_docs and len(candidates[1]) > FLAT_ABOVE:
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

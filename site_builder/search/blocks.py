"""Whoosh 3 posting lists encoded and decoded a whole list at a time.

Whoosh's ``W3PostingsWriter`` and ``W3LeafMatcher`` handle postings one by one (about 4 µs
of Python each).  Here a term's postings are written as **one** block in the same on-disk
layout, and read back block by block, so that the work per posting happens in C (pickle,
``itertools.accumulate``).  A posting list in the postings file is::

    b"W3Bl", then per block: int32 length (negative for the last block),
             pickle (count, last id, max weight, compression, min length, max length),
             pickle (id deltas, weights, values)      (zlib-compressed if compression > 0)

where the id deltas restart from 0 in every block and the weights are ``None`` (all 1.0), one
float (all equal) or a tuple of floats.  Whoosh's own readers (the CLI's queries) read these
blocks like any others; :func:`field_postings` reads any block Whoosh writes.
"""

from __future__ import annotations

import heapq
import io
import pickle
import zlib
from collections.abc import Iterator, Sequence
from itertools import accumulate, groupby
from operator import itemgetter, sub
from typing import Any

from whoosh.codec.whoosh3 import W3TermInfo  # type: ignore[import-untyped]
from whoosh.reading import EmptyReader, IndexReader  # type: ignore[import-untyped]
from whoosh.system import pack_int, unpack_int  # type: ignore[import-untyped]

MAGIC = b"W3Bl"
"""Start of every posting list in a Whoosh 3 postings file."""
PICKLE_PROTOCOL = 2
"""The protocol Whoosh 3 writes its blocks with."""

TermPostings = tuple[bytes, list[int], list[float]]
"""A term with the documents holding it (ascending) and the weight in each."""


def encode_list(ids: Sequence[int], weights: Sequence[float]) -> tuple[bytes, W3TermInfo]:
    """A whole posting list as one uncompressed block, and the term info describing it.

    ``ids`` ascend, ``weights`` are parallel floats."""
    deltas = (ids[0], *map(sub, ids[1:], ids))
    top = max(weights)
    data = pickle.dumps((deltas, _mini_weights(weights, top), None), PICKLE_PROTOCOL)
    info = pickle.dumps((len(ids), ids[-1], top, 0, 0, 0), PICKLE_PROTOCOL)
    terminfo = W3TermInfo(weight=float(sum(weights)), df=len(ids), maxweight=top,
                          minid=ids[0], maxid=ids[-1])
    return MAGIC + pack_int(-len(info) - len(data)) + info + data, terminfo


def _mini_weights(weights: Sequence[float], top: float) -> float | tuple[float, ...] | None:
    if min(weights) == top:
        return None if top == 1.0 else top
    return tuple(weights)


def decode_list(raw: bytes) -> tuple[list[int], list[float]]:
    """The (ids, weights) of a posting list read from the postings file."""
    if raw[:4] != MAGIC:
        raise ValueError("not a Whoosh 3 posting list")
    ids: list[int] = []
    weights: list[float] = []
    stream = io.BytesIO(raw)
    position, last = 4, False
    while not last:
        length = unpack_int(raw[position:position + 4])[0]
        last, length = length < 0, abs(length)
        stream.seek(position + 4)
        count, _, _, compression, _, _ = pickle.load(stream)
        data = raw[stream.tell():position + 4 + length]
        deltas, block_weights, _ = pickle.loads(zlib.decompress(data) if compression else data)
        ids.extend(accumulate(deltas))
        weights.extend(_full_weights(block_weights, count))
        position += 4 + length
    return ids, weights


def _full_weights(weights: Any, count: int) -> Sequence[float]:
    if weights is None:
        return [1.0] * count
    if isinstance(weights, float):
        return [weights] * count
    return list(weights)


def field_postings(reader: IndexReader, field: str) -> Iterator[TermPostings]:
    """Every term of ``field`` in byte order with its postings in live documents (index-wide
    document numbers); terms found only in deleted documents are skipped."""
    leaves = [_leaf_postings(leaf, base, field) for leaf, base in reader.leaf_readers()]
    if len(leaves) == 1:
        yield from (t for t in leaves[0] if t[1])
        return
    merged = heapq.merge(*leaves, key=itemgetter(0))
    for term, group in groupby(merged, key=itemgetter(0)):
        ids: list[int] = []
        weights: list[float] = []
        for _, more_ids, more_weights in group:
            ids.extend(more_ids)
            weights.extend(more_weights)
        if ids:
            yield term, ids, weights


def _leaf_postings(leaf: IndexReader, base: int, field: str) -> Iterator[TermPostings]:
    if isinstance(leaf, EmptyReader):  # an index without documents (a new, empty site)
        return
    # The segment reader's own terms reader and postings file: opening them again through the
    # codec would copy the whole postings file out of the compound file each time.
    terms, postfile = leaf._terms, leaf._terms._postfile
    deleted = leaf.deleted_docs_set if leaf.has_deletions() else frozenset()
    for (name, term), info in terms.items_from(field, b""):
        if name != field:
            break
        if info.is_inlined():
            inlined_ids, inlined_weights, _ = info.inlined_postings()
            ids, weights = list(inlined_ids), list(inlined_weights)
        else:
            ids, weights = decode_list(postfile.get(*_extent(info)))
        if deleted:
            kept = [i for i, doc in enumerate(ids) if doc not in deleted]
            ids, weights = [ids[i] for i in kept], [weights[i] for i in kept]
        if base:
            ids = [doc + base for doc in ids]
        yield term, ids, weights


def _extent(info: W3TermInfo) -> tuple[int, int]:
    """Offset and length of a posting list (Whoosh 2.7 reads the length as a 1-tuple)."""
    offset, length = info.extent()
    return offset, length[0] if isinstance(length, tuple) else length

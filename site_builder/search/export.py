"""The static search index under ``output/search/``, translated from the Whoosh index.

Layout (every file a classic script, see :mod:`~site_builder.search.encoding`)::

    search/manifest.js        project count, shard count, scoring constants
    search/s/<hex>.js         shard: {gram: postings} for grams whose hash falls in it
    search/p/<hex>-<n>.js     a posting list too large to share a shard (referenced as "@p/…")
    search/d/<k>/<n>.js       display and verification data of project n (k = n // 1000)

A query downloads the manifest, one shard per distinct gram (plus the posting files the shard
points to), and the display data of the results it shows.  The shard count grows with the index
so that shards stay near :data:`SHARD_TARGET` bytes.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from whoosh.reading import IndexReader  # type: ignore[import-untyped]

from site_builder.build.outputs import OutputFile
from site_builder.search.analyzer import gram_hash
from site_builder.search.encoding import IMPACT_MAX, Posting, data_script, encode_postings
from site_builder.search.index import open_index

FORMAT_VERSION = 1
SHARD_TARGET = 16 * 1024
"""Aimed-at size of a shard file in bytes."""
OWN_FILE = 8 * 1024
"""Posting lists longer than this (base64 characters) get a file of their own."""
DOC_BLOCK = 1000
"""Projects per folder of display data."""
K1, B = 1.2, 0.75
FILTER_PREFIX = {"year": "\x01y", "unit": "\x01u", "category": "\x01c"}
"""Filters are posting lists too, under keys no text gram can take."""


@dataclass(frozen=True)
class ExportStats:
    """Sizes of the export, for the build report and benchmarks."""

    files: int
    """Files written under search/."""
    bytes: int
    """Their total size."""
    shards: int
    """Number of shard files."""


def doc_key(number: int) -> str:
    return f"d/{number // DOC_BLOCK}/{number}"


def shard_key(shard: int) -> str:
    return f"s/{shard:x}"


def _impact(tf: float, length: float, avg: float) -> int:
    weight = tf * (K1 + 1) / (tf + K1 * (1 - B + B * length / avg))
    return max(1, min(IMPACT_MAX, round(weight / (K1 + 1) * IMPACT_MAX)))


class _Exporter:
    def __init__(self, reader: IndexReader, ids: Sequence[str]) -> None:
        self.reader = reader
        number = {doc_id: n for n, doc_id in enumerate(ids)}
        self.numbers: dict[int, int] = {}
        for docnum, fields in reader.iter_docs():
            if fields["id"] in number:
                self.numbers[docnum] = number[fields["id"]]
        self.total = len(ids)
        self.length = {d: reader.doc_field_length(d, "content") or 1 for d in self.numbers}
        self.avg = sum(self.length.values()) / max(1, len(self.length))

    def _docs(self, field: str, text: bytes) -> Iterable[tuple[int, float]]:
        for docnum, weight in self.reader.postings(field, text).items_as("weight"):
            if docnum in self.numbers:
                yield docnum, weight

    def grams(self) -> Iterable[tuple[str, str]]:
        for field, text in self.reader.all_terms():
            if field == "content":
                named = {d for d, _ in self._docs("name", text)} if (
                    ("name", text) in self.reader) else set()
                postings = sorted(
                    (Posting(self.numbers[d], _impact(w, self.length[d], self.avg), d in named)
                     for d, w in self._docs(field, text)), key=lambda p: p.doc)
                if postings:
                    yield text.decode("utf-8"), encode_postings(postings, self.total)
            elif field in FILTER_PREFIX:
                postings = sorted((Posting(self.numbers[d], 1, False)
                                   for d, _ in self._docs(field, text)), key=lambda p: p.doc)
                if postings:
                    yield FILTER_PREFIX[field] + text.decode("utf-8"), encode_postings(
                        postings, self.total)


def shard_count(total_bytes: int) -> int:
    """Power of two giving shards of about :data:`SHARD_TARGET` bytes."""
    wanted = max(1, math.ceil(total_bytes / SHARD_TARGET))
    return 1 << (wanted - 1).bit_length()


def export_files(index_path: Path, docs: Sequence[dict[str, object]],
                 ids: Sequence[str]) -> list[OutputFile]:
    """Every data file of the static index (paths relative to the output root)."""
    with open_index(index_path).reader() as reader:
        entries = sorted(_Exporter(reader, ids).grams())
    files: list[OutputFile] = []
    inline: list[tuple[str, str]] = []
    own = 0
    for gram, data in entries:
        if len(data) > OWN_FILE:
            key = f"p/{gram_hash(gram):08x}-{own}"
            own += 1
            files.append(OutputFile(f"search/{key}.js", data_script(key, data)))
            inline.append((gram, "@" + key))
        else:
            inline.append((gram, data))
    count = shard_count(sum(len(g.encode()) + len(d) + 6 for g, d in inline))
    shards: dict[int, dict[str, str]] = defaultdict(dict)
    for gram, data in inline:
        shards[gram_hash(gram) & (count - 1)][gram] = data
    for shard in range(count):
        key = shard_key(shard)
        files.append(OutputFile(f"search/{key}.js", data_script(key, shards.get(shard, {}))))
    for number, doc in enumerate(docs):
        key = doc_key(number)
        files.append(OutputFile(f"search/{key}.js", data_script(key, doc)))
    manifest = {"version": FORMAT_VERSION, "docs": len(docs), "shards": count,
                "k1": K1, "b": B, "block": DOC_BLOCK, "filters": FILTER_PREFIX}
    files.append(OutputFile("search/manifest.js", data_script("manifest", manifest)))
    return files

"""The static search index under ``output/search/``, translated from the Whoosh index.

Layout (every file a classic script, see :mod:`~site_builder.search.encoding`)::

    search/manifest.js        project count, shard count, scoring constants (also built into
                              engine.js and search.js, see :mod:`~site_builder.search.producer`)
    search/s/<hex>.js         shard: {gram: postings} for grams whose hash falls in it
    search/p/<hex>-<n>.js     a posting list too large to share a shard (referenced as "@p/…")
    search/d/<k>/<n>.js       display and verification data of project n (k = n // 1000)
    search/k/<hex>.js         scoped shard: {bit + gram: scoped list} (see
                              :mod:`~site_builder.search.scoped`), read only with a category
    search/q/<hex>-<n>.js     a scoped list too large to share a scoped shard

A query downloads one shard per distinct gram (plus the posting files the shard points to) and
the display data of the results it shows; with a category filter also one scoped shard per
gram.  The shard counts grow with the index so that shards stay near :data:`SHARD_TARGET`
bytes.
"""

from __future__ import annotations

import math
from array import array
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from itertools import chain, repeat
from operator import getitem
from pathlib import Path

from whoosh.reading import IndexReader  # type: ignore[import-untyped]

from site_builder.core.outputs import OutputFile
from site_builder.search.analyzer import gram_hash, is_exact
from site_builder.search.blocks import field_postings
from site_builder.search.documents import KNOWN_CATEGORIES, category_bits
from site_builder.search.encoding import IMPACT_MAX, Postings, data_script, encode_postings
from site_builder.search.index import open_index
from site_builder.search.scoped import ScopeLinks, scope_key

FORMAT_VERSION = 1
SHARD_TARGET = 16 * 1024
"""Aimed-at size of a shard file in bytes."""
OWN_FILE = 8 * 1024
"""Posting lists longer than this (base64 characters) get a file of their own."""
DOC_BLOCK = 1000
"""Projects per folder of display data."""
K1, B = 1.2, 0.75
FILTER_PREFIX = {"year": "\x01y", "unit": "\x01u", "category": "\x01c", "evaluation": "\x01e"}
"""Filters are posting lists too, under keys no text gram can take."""
SHARDS, OWN = "s", "p"
"""Folders of the shards and of the posting lists with files of their own."""
SCOPED_SHARDS, SCOPED_OWN = "k", "q"
"""The same for the category-scoped lists."""
LIST_FOLDERS = tuple(f"search/{folder}/" for folder in (SHARDS, OWN, SCOPED_SHARDS, SCOPED_OWN))
"""Where the files of the posting and scoped lists are (a new export may leave some out)."""


def doc_key(number: int) -> str:
    return f"d/{number // DOC_BLOCK}/{number}"


def shard_key(shard: int, family: str = SHARDS) -> str:
    return f"{family}/{shard:x}"


class Tables:
    """What the export needs from the index, keyed by Whoosh document numbers."""

    def __init__(self, reader: IndexReader, ids: Sequence[str]) -> None:
        number = {doc_id: n for n, doc_id in enumerate(ids)}
        self.total = len(ids)
        self.doc_files = [data_script(doc_key(n), {}) for n in range(len(ids))]
        """By project number: its display data file (made at once: the file is a third of
        the size of the dictionary it is made from)."""
        self.numbers: dict[int, int] = {}
        run_docs: dict[str, int] = {}
        lengths = [1] * len(ids)
        self.scopes = ScopeLinks()
        """The projects holding each run in the indicator rows of each category."""
        for docnum, fields in reader.iter_docs():
            if "text" in fields:
                run_docs[fields["text"]] = docnum
            elif fields["project"]["id"] in number:
                n = number[fields["project"]["id"]]
                doc = fields["project"]["doc"]
                self.numbers[docnum] = n
                self.doc_files[n] = data_script(doc_key(n), doc)
                lengths[n] = max(1, fields["project"]["length"])
                self.scopes.add(n, doc["parts"], doc["scopes"])
        self.scopes.keyed(run_docs, len(ids))
        self.lengths = lengths
        """By project number: its length in runs."""
        avg = average_length(lengths)
        norm = [K1 * (1 - B + B * length / avg) for length in lengths]
        self.norms = sorted(set(norm))
        """The distinct BM25 length norms of the projects."""
        rank = {value: i for i, value in enumerate(self.norms)}
        self.norm_of = [rank[value] for value in norm]
        """Per project: the index of its norm in :attr:`norms`."""
        self.by_tf: dict[int, list[int]] = {}
        """Per term frequency: the impact at each of :attr:`norms`."""
        self.single = [impact(1, value) for value in norm]
        size = reader.doc_count_all()
        self.links = self._links(reader, "runs", run_docs, size)
        self.names = self._links(reader, "name_runs", run_docs, size)

    def _links(self, reader: IndexReader, field: str, run_docs: dict[str, int], size: int
               ) -> list[Sequence[int]]:
        """By run document: the project numbers linked through ``field``, once per
        occurrence."""
        links: list[Sequence[int]] = [()] * size
        for term, docnums, counts in field_postings(reader, field):
            run = run_docs.get(term.decode("utf-8"))
            if run is not None:
                links[run] = self._projects(docnums, counts)
        return links

    def _projects(self, docnums: list[int], counts: list[float]) -> list[int]:
        """The exported projects among ``docnums``, each repeated ``count`` times."""
        numbers = self.numbers
        if not numbers.keys() >= set(docnums):
            kept = [i for i, d in enumerate(docnums) if d in numbers]
            docnums, counts = [docnums[i] for i in kept], [counts[i] for i in kept]
        projects = list(map(numbers.__getitem__, docnums))
        if max(counts, default=1.0) == 1.0:
            return projects
        return list(chain.from_iterable(map(repeat, projects, map(int, counts))))

    def postings(self, run_docnums: list[int]) -> Postings | None:
        """The projects holding a gram found in these runs, with their impacts."""
        found = self.counts(run_docnums)
        if found is None:
            return None
        docs, tfs, named = found
        if tfs is None:
            impacts = list(map(self.single.__getitem__, docs))
        else:
            impacts = self._impacts(docs, tfs)
        return Postings(docs, impacts, named)

    def counts(self, run_docnums: list[int]
               ) -> tuple[list[int], list[int] | None, list[int]] | None:
        """(projects, term frequencies or None when all are 1, projects whose name holds it)
        of a gram found in these runs; None when no project has it."""
        found = list(chain.from_iterable(map(self.links.__getitem__, run_docnums)))
        if not found:
            return None
        counts = Counter(found)
        docs = sorted(counts)
        tfs = None if len(docs) == len(found) else list(map(counts.__getitem__, docs))
        named = set(chain.from_iterable(map(self.names.__getitem__, run_docnums)))
        return docs, tfs, sorted(named)

    def impacts(self, docs: Sequence[int], tfs: Sequence[int] | None) -> list[int]:
        """The impact of each project of a posting list (``tfs`` None: each holds it once)."""
        if tfs is None:
            return list(map(self.single.__getitem__, docs))
        return self._impacts(docs, tfs)

    def _impacts(self, docs: Sequence[int], tfs: Sequence[int]) -> list[int]:
        """The impact of each project at its term frequency (looked up, not computed)."""
        for tf in set(tfs).difference(self.by_tf):
            self.by_tf[tf] = [impact(tf, value) for value in self.norms]
        tables = map(self.by_tf.__getitem__, tfs)
        return list(map(getitem, tables, map(self.norm_of.__getitem__, docs)))

    def scoped(self, run_docnums: list[int]) -> dict[int, str]:
        """By category bit: the encoded scoped list of a gram found in these runs."""
        return self.scopes.codes(run_docnums, self.total)

    def filter_postings(self, docnums: Iterable[int]) -> Postings | None:
        docs = sorted(self.numbers[d] for d in docnums if d in self.numbers)
        return filter_postings(docs)


def filter_postings(docs: Sequence[int]) -> Postings | None:
    """The posting list of a filter value held by the projects ``docs`` (ascending)."""
    return Postings(docs, [1] * len(docs)) if docs else None


def average_length(lengths: Sequence[int]) -> float:
    """The mean document length to 3 significant digits.  Rounded so that an edit which
    changes one project's length almost never changes every other project's impacts: the
    preview server then re-encodes only the posting lists of the edited project's runs."""
    return float(f"{sum(lengths) / max(1, len(lengths)):.3g}")


def impact(tf: int, norm: float) -> int:
    """BM25 term weight (``tf`` counted in runs) scaled to 1..127."""
    return max(1, min(IMPACT_MAX, round(IMPACT_MAX * tf / (tf + norm))))


def _entries(reader: IndexReader, tables: Tables, scoped: list[tuple[str, str]]
             ) -> Iterator[tuple[str, str]]:
    """(gram or filter key, encoded postings); the scoped lists are added to ``scoped``."""
    shared: dict[bytes, tuple[str, dict[int, str]] | None] = {}
    """By set of runs (packed): the encoded postings and scoped lists.  Many grams are found
    in the same runs: all the trigrams of a long run in that run alone."""
    for term, runs, _ in field_postings(reader, "grams"):
        key = array("I", runs).tobytes()
        if key not in shared:
            postings = tables.postings(runs)
            shared[key] = None if postings is None else (
                encode_postings(postings, tables.total), tables.scoped(runs))
        found = shared[key]
        if found is not None:
            gram = term.decode("utf-8")
            yield gram, found[0]
            if is_exact(gram):  # whole words only rank; they are never looked up with a filter
                scoped.extend((scope_key(bit, gram), code) for bit, code in found[1].items())
    for field, prefix in FILTER_PREFIX.items():
        for term, docnums, _ in field_postings(reader, field):
            postings = tables.filter_postings(docnums)
            if postings is not None:
                yield prefix + term.decode("utf-8"), encode_postings(postings, tables.total)


def shard_count(total_bytes: int) -> int:
    """Power of two giving shards of about :data:`SHARD_TARGET` bytes."""
    wanted = max(1, math.ceil(total_bytes / SHARD_TARGET))
    return 1 << (wanted - 1).bit_length()


def export_files(index_path: Path, ids: Sequence[str]) -> list[OutputFile]:
    """Every data file of the static index of the projects ``ids`` (in site order), translated
    from the Whoosh index at ``index_path`` (paths relative to the output root).  Tables and
    encoded lists are let go as soon as their files are made (the export of 100,000 projects
    is hundreds of MB)."""
    scoped: list[tuple[str, str]] = []
    with open_index(index_path).reader() as reader:
        tables = Tables(reader, ids)
        entries = sorted(_entries(reader, tables, scoped))
    doc_files = tables.doc_files
    del tables
    files: list[OutputFile] = []
    count = _family_files(entries, SHARDS, OWN, files)
    del entries
    scoped.sort()
    scoped_count = _family_files(scoped, SCOPED_SHARDS, SCOPED_OWN, files)
    del scoped
    for number, script in enumerate(doc_files):
        files.append(doc_file(number, script))
    files.append(manifest_file(len(doc_files), count, scoped_count))
    return files


def _family_files(entries: list[tuple[str, str]], family: str, own: str,
                  files: list[OutputFile]) -> int:
    """Add the files of one shard family (``entries`` sorted by key) to ``files``; returns
    its shard count."""
    inline = _own_files(entries, own, files)
    count = shard_count(sum(map(inline_size, inline)))
    shards: dict[int, dict[str, str]] = defaultdict(dict)
    for gram, data in inline:
        shards[shard_of(gram, count)][gram] = data
    del inline
    for shard in range(count):
        files.append(shard_file(shard, shards.pop(shard, {}), family))
    return count


def inline_size(entry: tuple[str, str]) -> int:
    """What a (gram, data) entry adds to its shard, for :func:`shard_count`."""
    return len(entry[0].encode()) + len(entry[1]) + 6


def shard_of(gram: str, count: int) -> int:
    """The shard (of ``count``) a gram's entry is in."""
    return gram_hash(gram) & (count - 1)


def shard_file(shard: int, entries: dict[str, str], family: str = SHARDS) -> OutputFile:
    """A shard: its grams' posting lists, or references to their own files."""
    key = shard_key(shard, family)
    return OutputFile(f"search/{key}.js", data_script(key, entries))


def doc_file(number: int, script: bytes) -> OutputFile:
    """The display data file of project ``number`` (``script``: its data script)."""
    return OutputFile(f"search/{doc_key(number)}.js", script)


def display_script(number: int, doc: dict[str, object]) -> bytes:
    """The data script of project ``number``'s display data."""
    return data_script(doc_key(number), doc)


def manifest_file(total: int, count: int, scoped: int = 1) -> OutputFile:
    """The manifest: project count, shard counts (``scoped``: of the scoped lists), the scope
    bits of each category and the constants the browser scores with."""
    manifest = {"version": FORMAT_VERSION, "docs": total, "shards": count, "scoped": scoped,
                "scopes": {c: category_bits(c) for c in sorted(KNOWN_CATEGORIES)},
                "k1": K1, "b": B, "block": DOC_BLOCK, "filters": FILTER_PREFIX}
    return OutputFile("search/manifest.js", data_script("manifest", manifest))


def own_key(gram: str, index: int, own: str = OWN) -> str:
    """The key of the ``index``-th posting list (in gram order) that has a file of its own."""
    return f"{own}/{gram_hash(gram):08x}-{index}"


def own_file(key: str, data: str) -> OutputFile:
    return OutputFile(f"search/{key}.js", data_script(key, data))


def _own_files(entries: list[tuple[str, str]], own: str, files: list[OutputFile]
               ) -> list[tuple[str, str]]:
    """Add the files of posting lists too long to share a shard to ``files``; every (gram,
    postings or reference to its file) in gram order."""
    inline: list[tuple[str, str]] = []
    index = 0
    for gram, data in entries:
        if len(data) > OWN_FILE:
            key = own_key(gram, index, own)
            index += 1
            files.append(own_file(key, data))
            inline.append((gram, "@" + key))
        else:
            inline.append((gram, data))
    return inline

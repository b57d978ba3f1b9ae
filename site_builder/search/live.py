"""The static search index held in memory by the preview server and patched after an edit.

:func:`~site_builder.search.export.export_files` reads the whole Whoosh index each time (2.5 s
of CPU at 10,000 projects).  The preview keeps what the export computed instead: per gram its
projects (ascending), their term frequencies, impacts and name flags, and the encoded list.  An
edit of one project changes that project's entry in the lists of the grams whose frequency or
name flag it changed, and only those lists, their shards and its display file are made again.
The category-scoped lists (:mod:`~site_builder.search.scoped`) are kept as sets of projects
and patched the same way.

That holds while the project numbers and the other projects' impacts stay: an edit that keeps
the project's id, year and unit keeps its number (site order), and impacts depend on the
project's own length and the mean length rounded to 3 significant digits
(:func:`~site_builder.search.export.average_length`).  When an edit moves that mean,
:meth:`LiveIndex.edit` says so and the caller exports the index again.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from site_builder.core.outputs import OutputFile
from site_builder.search.analyzer import is_exact, run_gram_counts
from site_builder.search.blocks import field_postings
from site_builder.search.documents import SearchDoc
from site_builder.search.encoding import Postings, encode_postings
from site_builder.search.export import (
    FILTER_PREFIX,
    K1,
    OWN,
    OWN_FILE,
    SCOPED_OWN,
    SCOPED_SHARDS,
    SHARDS,
    B,
    Tables,
    average_length,
    display_script,
    doc_file,
    filter_postings,
    impact,
    inline_size,
    manifest_file,
    own_file,
    own_key,
    shard_count,
    shard_file,
    shard_of,
)
from site_builder.search.index import display_data, doc_runs, name_runs, open_index
from site_builder.search.scoped import encode_scoped, key_bit, mask_bits, part_runs, scope_key


@dataclass(frozen=True)
class GramList:
    """One gram's posting list as the export computed it, kept to be patched."""

    docs: array[int]
    """Project numbers, ascending."""
    tfs: array[int]
    """Term frequency in each (runs holding the gram, with repeats)."""
    impacts: bytes
    """Impact in each (1..127)."""
    named: array[int]
    """Project numbers, ascending, whose name holds the gram."""

    def postings(self) -> Postings:
        return Postings(self.docs, self.impacts, self.named)


@dataclass(frozen=True)
class Patched:
    """What an edit changed in the static index."""

    files: list[OutputFile]
    """The files to write again (shards, own posting files, the display file)."""
    manifest: OutputFile | None
    """The new manifest when the shard count changed (the client files carry it), else None."""
    removed: set[str] = field(default_factory=set)
    """Files of the index that are no longer part of it (lists that lost their own file,
    shards beyond a smaller count)."""


def project_terms(doc: SearchDoc) -> tuple[Counter[str], set[str], int]:
    """(term frequency of each gram, grams of the name, length in runs) of a project."""
    runs = doc_runs(doc)
    frequencies: Counter[str] = Counter()
    for run, count in runs.items():
        for gram in _grams(run):
            frequencies[gram] += count
    named = {gram for run in name_runs(doc) for gram in _grams(run)}
    return frequencies, named, sum(runs.values())


@lru_cache(maxsize=1 << 16)
def _grams(run: str) -> tuple[str, ...]:
    return tuple(run_gram_counts(run))


def _filter_terms(doc: SearchDoc) -> set[str]:
    return {FILTER_PREFIX["year"] + doc.year, FILTER_PREFIX["unit"] + doc.unit_code,
            *(FILTER_PREFIX["category"] + c for c in doc.categories),
            *(FILTER_PREFIX["evaluation"] + e for e in doc.evaluation)}


def project_scopes(doc: SearchDoc) -> dict[str, int]:
    """By gram (of up to three characters) of a project's indicator rows: the categories
    (scope mask) of the rows holding it."""
    found: dict[str, int] = {}
    for run, mask in part_runs(doc.parts, doc.scopes).items():
        for gram in _grams(run):
            if is_exact(gram):
                found[gram] = found.get(gram, 0) | mask
    return found


class _Family:
    """One shard family's layout (posting lists or scoped lists): which list goes into which
    file, as :func:`~site_builder.search.export.export_files` lays them out."""

    def __init__(self, data: dict[str, str], shards: str, own: str) -> None:
        self.data = data
        """By key: the encoded list."""
        self.folder = shards
        """Folder of the shards."""
        self.own_folder = own
        """Folder of the lists with files of their own."""
        self.layout()

    def layout(self) -> None:
        """Work out every list's file from scratch."""
        self.own = sorted(key for key, data in self.data.items() if len(data) > OWN_FILE)
        """Keys whose list has a file of its own, in key order (the files are numbered)."""
        self.own_index = {key: index for index, key in enumerate(self.own)}
        self.inline_total = sum(inline_size((key, self.shown(key))) for key in self.data)
        self.count = shard_count(self.inline_total)
        """Shard count."""
        self.shards: dict[int, dict[str, str]] = {}
        """By shard: key → list or reference to its own file."""
        for key in self.data:
            self.shards.setdefault(shard_of(key, self.count), {})[key] = self.shown(key)

    def shown(self, key: str) -> str:
        """What a shard holds for ``key``: its list, or a reference to the list's file."""
        index = self.own_index.get(key)
        return self.data[key] if index is None else "@" + own_key(key, index, self.own_folder)

    def before(self, keys: set[str]) -> dict[str, str]:
        """What the shards hold for those of ``keys`` that have a list now."""
        return {key: self.shown(key) for key in keys if key in self.data}

    def paths(self) -> set[str]:
        """The paths of the shards and of the lists with files of their own."""
        return ({own_file(own_key(k, i, self.own_folder), "").path
                 for i, k in enumerate(self.own)}
                | {shard_file(s, {}, self.folder).path for s in range(self.count)})

    def files(self) -> list[OutputFile]:
        """Every file of the family."""
        made = [own_file(own_key(k, i, self.own_folder), self.data[k])
                for i, k in enumerate(self.own)]
        made += [shard_file(s, self.shards.get(s, {}), self.folder) for s in range(self.count)]
        return made

    def relayout(self, keys: set[str], before: dict[str, str]
                 ) -> tuple[list[OutputFile], set[str]]:
        """The files that the changed lists ``keys`` (shown as ``before`` until now) touch,
        and the files no longer used.  When a list gets or loses a file of its own, or the
        shard count changes, every list is placed again."""
        owned = {key for key in keys if len(self.data.get(key, "")) > OWN_FILE}
        total = self.inline_total + sum(
            inline_size((key, self.shown(key))) for key in keys if key in self.data) - sum(
            inline_size(item) for item in before.items())
        if owned != keys & self.own_index.keys() or shard_count(total) != self.count:
            before_files = self.paths()
            self.layout()
            return self.files(), before_files - self.paths()
        self.inline_total = total
        touched: set[int] = set()
        for key in keys:
            shard = shard_of(key, self.count)
            touched.add(shard)
            if key in self.data:
                self.shards.setdefault(shard, {})[key] = self.shown(key)
            else:
                self.shards.get(shard, {}).pop(key, None)
        made = [shard_file(s, self.shards.get(s, {}), self.folder) for s in sorted(touched)]
        made += [own_file(own_key(k, self.own_index[k], self.own_folder), self.data[k])
                 for k in sorted(owned)]
        return made, set()


class LiveIndex:
    """The export of the Whoosh index, kept to be patched (see the module's docstring)."""

    def __init__(self, ids: Sequence[str], lengths: list[int], lists: dict[str, GramList],
                 filters: dict[str, list[int]], doc_files: list[bytes],
                 scoped: dict[str, list[int]]) -> None:
        self.ids = list(ids)
        self.number = {doc_id: n for n, doc_id in enumerate(ids)}
        self.lengths = lengths
        self.length_sum = sum(lengths)
        self.avg = average_length(lengths)
        self.norms = [K1 * (1 - B + B * length / self.avg) for length in lengths]
        self.lists = lists
        """By gram: its posting list."""
        self.filters = filters
        """By filter key (prefix and value): the projects holding it, ascending."""
        self.doc_files = doc_files
        """By project number: its display data script."""
        self.scoped = scoped
        """By scoped key (:func:`~site_builder.search.scoped.scope_key`): the projects holding
        the gram in a row with that scope bit, ascending."""
        data: dict[str, str] = {}
        for gram, kept in lists.items():
            data[gram] = encode_postings(kept.postings(), len(ids))
        for key, docs in filters.items():
            data[key] = self._encoded_filter(docs)
        self.plain = _Family(data, SHARDS, OWN)
        """The posting lists and their files."""
        scoped_data: dict[str, str] = {}
        for key, docs in scoped.items():
            scoped_data[key] = encode_scoped(docs, len(ids))
        self.scoped_family = _Family(scoped_data, SCOPED_SHARDS, SCOPED_OWN)
        """The scoped lists and their files."""
        self._counts = (self.plain.count, self.scoped_family.count)
        self._scoped_before: dict[str, str] = {}

    @property
    def data(self) -> dict[str, str]:
        """By gram or filter key: the encoded posting list."""
        return self.plain.data

    @classmethod
    def prime(cls, index_path: Path, docs: Sequence[SearchDoc]) -> LiveIndex:
        """The export of the Whoosh index at ``index_path`` for the projects ``docs`` (in site
        order), as :func:`~site_builder.search.export.export_files` computes it."""
        ids = [d.id for d in docs]
        with open_index(index_path).reader() as reader:
            tables = Tables(reader, ids)
            lists: dict[str, GramList] = {}
            scoped: dict[str, list[int]] = {}
            shared: dict[bytes, tuple[GramList, dict[int, list[int]]] | None] = {}
            for term, runs, _ in field_postings(reader, "grams"):
                key = array("I", runs).tobytes()
                if key not in shared:
                    kept = _kept(tables, runs)
                    shared[key] = None if kept is None else (
                        kept, tables.scopes.sets(runs, tables.total))
                found = shared[key]
                if found is not None:
                    gram = term.decode("utf-8")
                    lists[gram] = found[0]
                    if is_exact(gram):
                        for bit, projects in found[1].items():
                            scoped[scope_key(bit, gram)] = projects
            filters: dict[str, list[int]] = {}
            for field, prefix in FILTER_PREFIX.items():
                for term, docnums, _ in field_postings(reader, field):
                    numbers = sorted(tables.numbers[d] for d in docnums if d in tables.numbers)
                    if numbers:
                        filters[prefix + term.decode("utf-8")] = numbers
        return cls(ids, tables.lengths, lists, filters, tables.doc_files, scoped)

    def _encoded_filter(self, docs: Sequence[int]) -> str:
        postings = filter_postings(docs)
        assert postings is not None
        return encode_postings(postings, len(self.ids))

    def files(self) -> list[OutputFile]:
        """Every file of the static index, as :func:`export_files` makes them."""
        made = self.plain.files() + self.scoped_family.files()
        made += [doc_file(n, script) for n, script in enumerate(self.doc_files)]
        made.append(self._manifest())
        return made

    def _manifest(self) -> OutputFile:
        return manifest_file(len(self.ids), self.plain.count, self.scoped_family.count)

    # -- an edit -------------------------------------------------------------------------

    def edit(self, old: SearchDoc, new: SearchDoc) -> Patched | None:
        """Patch the index for ``new`` in place of ``old`` (same id, same place in the site);
        None when the edit moved the rounded mean length, so that every impact may change and
        the index must be exported again."""
        n = self.number[new.id]
        terms0, named0, length0 = project_terms(old)
        terms1, named1, length1 = project_terms(new)
        grams = {g for g in terms0.keys() | terms1.keys()
                 if terms0.get(g) != terms1.get(g) or (g in named0) != (g in named1)}
        if length1 != length0:
            self.length_sum += length1 - length0
            self.lengths[n] = length1
            if float(f"{self.length_sum / len(self.ids):.3g}") != self.avg:
                return None
            self.norms[n] = K1 * (1 - B + B * length1 / self.avg)
            grams = set(terms0.keys() | terms1.keys())
        before = self.plain.before(grams)
        for gram in grams:
            self._patch(gram, n, terms1.get(gram, 0), gram in named1)
        filters0, filters1 = _filter_terms(old), _filter_terms(new)
        for key in filters0 ^ filters1:
            before.update(self.plain.before({key}))
            self._patch_filter(key, n, key in filters1)
        self.doc_files[n] = display_script(n, display_data(new))
        files, removed = self.plain.relayout(grams | (filters0 ^ filters1), before)
        keys = self._patch_scoped(n, project_scopes(old), project_scopes(new))
        more, gone = self.scoped_family.relayout(keys, self._scoped_before)
        counts = (self.plain.count, self.scoped_family.count)
        manifest = self._manifest() if counts != self._counts else None
        self._counts = counts
        return Patched([*files, *more, doc_file(n, self.doc_files[n])], manifest,
                       removed | gone)

    def _patch(self, gram: str, n: int, tf: int, named: bool) -> None:
        """Give project ``n`` term frequency ``tf`` (0: none) in ``gram``'s list."""
        old = self.lists.get(gram)
        docs = old.docs if old else array("I")
        tfs = old.tfs if old else array("I")
        impacts = old.impacts if old else b""
        names = old.named if old else array("I")
        i = bisect_left(docs, n)
        tail = i + 1 if i < len(docs) and docs[i] == n else i
        if tf:
            docs = docs[:i] + array("I", [n]) + docs[tail:]
            tfs = tfs[:i] + array("I", [tf]) + tfs[tail:]
            impacts = impacts[:i] + bytes([impact(tf, self.norms[n])]) + impacts[tail:]
        else:
            docs, tfs, impacts = docs[:i] + docs[tail:], tfs[:i] + tfs[tail:], \
                impacts[:i] + impacts[tail:]
        j = bisect_left(names, n)
        was_named = j < len(names) and names[j] == n
        if named and not was_named:
            names = names[:j] + array("I", [n]) + names[j:]
        elif was_named and not named:
            names = names[:j] + names[j + 1:]
        if not docs:
            self.lists.pop(gram, None)
            self.data.pop(gram, None)
            return
        kept = self.lists[gram] = GramList(docs, tfs, impacts, names)
        self.data[gram] = encode_postings(kept.postings(), len(self.ids))

    def _patch_filter(self, key: str, n: int, holds: bool) -> None:
        """Add project ``n`` to the filter list ``key`` (or take it out)."""
        docs = [d for d in self.filters.get(key, []) if d != n]
        if holds:
            docs.insert(bisect_left(docs, n), n)
        if docs:
            self.filters[key] = docs
            self.data[key] = self._encoded_filter(docs)
        else:
            self.filters.pop(key, None)
            self.data.pop(key, None)

    def _patch_scoped(self, n: int, scopes0: dict[str, int], scopes1: dict[str, int]
                      ) -> set[str]:
        """Give project ``n`` its new scoped grams; the keys whose list changed (their old form
        is kept in :attr:`_scoped_before` for the relayout)."""
        keys: set[str] = set()
        for gram in scopes0.keys() | scopes1.keys():
            was, now = scopes0.get(gram, 0), scopes1.get(gram, 0)
            keys.update(scope_key(bit, gram) for bit in mask_bits(was ^ now))
        family = self.scoped_family
        self._scoped_before = family.before(keys)
        for key in keys:
            docs = list(self.scoped.get(key, ()))  # a copy: grams of the same runs share lists
            i = bisect_left(docs, n)
            if scopes1.get(key[1:], 0) >> key_bit(key) & 1:  # the bit came (else it went)
                docs.insert(i, n)
            elif i < len(docs) and docs[i] == n:
                del docs[i]
            if docs:
                self.scoped[key] = docs
                family.data[key] = encode_scoped(docs, len(self.ids))
            else:
                self.scoped.pop(key, None)
                family.data.pop(key, None)
        return keys


def _kept(tables: Tables, runs: list[int]) -> GramList | None:
    found = tables.counts(runs)
    if found is None:
        return None
    docs, tfs, named = found
    frequencies = tfs if tfs is not None else [1] * len(docs)
    return GramList(array("I", docs), array("I", frequencies),
                    bytes(tables.impacts(docs, tfs)), array("I", named))

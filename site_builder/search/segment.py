"""A Whoosh segment writer fed with already analysed documents.

``SegmentWriter.add_document`` puts every posting into a pool, sorts the pool and hands it to
the codec posting by posting.  The documents of this index arrive analysed (term → count, see
:class:`~site_builder.search.index.CountsField`) and in ascending document numbers, so
:class:`DirectWriter` appends each posting to its term's list and, at commit, writes every
term's whole list in one go (:func:`~site_builder.search.blocks.encode_list`).  Field lengths,
deletions, the lock and the table of contents stay Whoosh's own.  The result is an ordinary
Whoosh segment; a commit never merges segments (see ``update_index``).
"""

from __future__ import annotations

from array import array
from collections.abc import Mapping, Sequence
from typing import Any

from whoosh import columns  # type: ignore[import-untyped]
from whoosh import index as whoosh_index
from whoosh.codec.whoosh3 import (  # type: ignore[import-untyped]
    W3Codec,
    W3FieldWriter,
    W3PerDocReader,
    W3PerDocWriter,
)
from whoosh.fields import FieldType  # type: ignore[import-untyped]
from whoosh.system import pack_ushort  # type: ignore[import-untyped]
from whoosh.writing import NO_MERGE, SegmentWriter  # type: ignore[import-untyped]

from site_builder.search.blocks import encode_list

STORED_COLUMN = columns.PickleColumn(columns.VarBytesColumn())
"""Stored fields, pickled but not compressed: one ``zlib.compress`` per document cost more
than writing all postings of a run document."""


class Codec(W3Codec):  # type: ignore[misc]
    """Whoosh's default codec, writing whole posting lists and stored fields uncompressed (the
    index is a cache), and without per-block length statistics, which Whoosh uses only to skip
    blocks in BM25 top-k searches that this index never runs."""

    length_stats = False

    def __init__(self) -> None:
        super().__init__(compression=0)

    def field_writer(self, storage: Any, segment: Any) -> TermWriter:
        return TermWriter(self, storage, segment)

    def per_document_writer(self, storage: Any, segment: Any) -> PerDocWriter:
        return PerDocWriter(self, storage, segment)

    def per_document_reader(self, storage: Any, segment: Any) -> PerDocReader:
        return PerDocReader(storage, segment)


class PerDocWriter(W3PerDocWriter):  # type: ignore[misc]
    """Whoosh 3's per-document writer with :data:`STORED_COLUMN`."""

    def _create_column(self, fieldname: str, column: Any) -> None:
        super()._create_column(fieldname, STORED_COLUMN if fieldname == "_stored" else column)


class PerDocReader(W3PerDocReader):  # type: ignore[misc]
    """Whoosh 3's per-document reader with :data:`STORED_COLUMN`."""

    def stored_fields(self, docnum: int) -> dict[str, Any]:
        value: dict[str, Any] | None = self._cached_reader("_stored", STORED_COLUMN)[docnum]
        return value or {}


class TermWriter(W3FieldWriter):  # type: ignore[misc]
    """Whoosh 3's field writer with a call writing a term's whole posting list."""

    def add_term(self, term: bytes, ids: Sequence[int], weights: Sequence[float]) -> None:
        """Write ``term`` (between ``start_field`` and ``finish_field``, in byte order)."""
        data, terminfo = encode_list(ids, weights)
        offset = self._postfile.tell()
        self._postfile.write(data)
        terminfo.set_extent(offset, len(data))
        self._tindex.add(pack_ushort(self._fieldid) + term, terminfo.to_bytes())


class DirectWriter(SegmentWriter):  # type: ignore[misc]
    """Adds documents to a new segment without Whoosh's posting pool."""

    def __init__(self, ix: whoosh_index.Index) -> None:
        super().__init__(ix, timeout=60.0, codec=Codec())
        self.terms: dict[str, dict[str, array[int]]] = {}
        """Per indexed field: term → document, count, document, count, … (an array: 8 bytes a
        posting instead of about 44 in a list, which at 50,000 projects was 400 MB)"""

    def add(self, indexed: Mapping[str, Mapping[str, int]], stored: Mapping[str, Any]) -> None:
        """Add a document: its analysed fields (term → count) and its stored values."""
        docnum = self.docnum
        perdoc = self.perdocwriter
        perdoc.start_doc(docnum)
        for name, counts in indexed.items():
            postings = self.terms.setdefault(name, {})
            for term, count in counts.items():
                found = postings.get(term)
                if found is None:
                    postings[term] = array("I", (docnum, count))
                else:
                    found.extend((docnum, count))
            field = self.schema[name]
            if field.scorable:
                perdoc.add_field(name, field, None, sum(counts.values()))
        for name, value in stored.items():
            perdoc.add_field(name, self.schema[name], value, 0)
        perdoc.finish_doc()
        self.docnum += 1
        self._added = True

    def commit_segment(self) -> None:
        """Write the postings, then commit without merging."""
        writer: TermWriter = self.fieldwriter
        for name in sorted(self.terms):
            field: FieldType = self.schema[name]
            writer.start_field(name, field)
            postings = self.terms[name]
            for term in sorted(postings):
                pairs = postings[term]
                writer.add_term(term.encode("utf-8"), pairs[0::2], list(map(float, pairs[1::2])))
            writer.finish_field()
        self.terms.clear()
        self.commit(mergetype=NO_MERGE)

"""The Whoosh index of every project, kept in the build cache and updated incrementally.

Only projects whose :attr:`SearchDoc.digest` changed are re-analysed; removed projects are
deleted.  The cache is safe to delete: the next build recreates it.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from whoosh import index as whoosh_index  # type: ignore[import-untyped]
from whoosh.fields import ID, KEYWORD, STORED, TEXT, Schema  # type: ignore[import-untyped]
from whoosh.writing import SegmentWriter  # type: ignore[import-untyped]

from site_builder.search.analyzer import FIELD_SEPARATOR, analyzer
from site_builder.search.documents import SearchDoc

SCHEMA_VERSION = "2"
"""Bumped whenever the schema or the analyzer changes; a mismatch rebuilds the index."""
INDEX_NAME = "projects"
VERSION_FILE = "site-builder-search.json"


def make_schema() -> Schema:
    chain = analyzer()
    return Schema(
        id=ID(stored=True, unique=True),
        content=TEXT(analyzer=chain, phrase=False),
        name=TEXT(analyzer=chain, phrase=False),
        year=ID(stored=True),
        unit=ID(stored=True),
        category=KEYWORD(stored=True, commas=True, scorable=False),
        digest=STORED,
        doc=STORED,
    )


@dataclass(frozen=True)
class IndexUpdate:
    """What an incremental update did."""

    added: int
    """Projects indexed for the first time."""
    changed: int
    """Projects re-indexed because their content changed."""
    removed: int
    """Projects deleted from the index."""


def index_dir(cache_dir: Path) -> Path:
    """Where the Whoosh index lives inside the build cache."""
    return cache_dir / "search"


def open_index(directory: Path) -> whoosh_index.Index:
    """The existing index (the CLI's search reads it)."""
    return whoosh_index.open_dir(str(directory), indexname=INDEX_NAME)


def _fresh(directory: Path) -> whoosh_index.Index:
    shutil.rmtree(directory, ignore_errors=True)
    directory.mkdir(parents=True)
    (directory / VERSION_FILE).write_text(json.dumps({"schema": SCHEMA_VERSION}), "utf-8")
    return whoosh_index.create_in(str(directory), make_schema(), indexname=INDEX_NAME)


def _usable(directory: Path) -> bool:
    try:
        version = json.loads((directory / VERSION_FILE).read_text("utf-8"))
        return bool(version.get("schema") == SCHEMA_VERSION
                    and whoosh_index.exists_in(str(directory), indexname=INDEX_NAME))
    except (OSError, ValueError, AttributeError):
        return False


def update_index(directory: Path, docs: Sequence[SearchDoc]) -> IndexUpdate:
    """Make the index at ``directory`` hold exactly ``docs``, touching only what changed."""
    ix = open_index(directory) if _usable(directory) else _fresh(directory)
    with ix.searcher() as searcher:
        stored = {f["id"]: f["digest"] for f in searcher.all_stored_fields()}
    wanted = {d.id: d for d in docs}
    removed = sorted(set(stored) - set(wanted))
    new = [d for d in docs if d.id not in stored]
    changed = [d for d in docs if d.id in stored and stored[d.id] != d.digest]
    if removed or new or changed:
        writer: SegmentWriter = ix.writer(timeout=60.0)
        for doc_id in removed:
            writer.delete_by_term("id", doc_id)
        for doc in new:
            writer.add_document(**_fields(doc))
        for doc in changed:
            writer.update_document(**_fields(doc))
        writer.commit(optimize=len(removed) + len(changed) > len(docs) // 4)
    return IndexUpdate(len(new), len(changed), len(removed))


def _fields(doc: SearchDoc) -> dict[str, object]:
    return {
        "id": doc.id, "content": FIELD_SEPARATOR.join(doc.parts), "name": doc.name,
        "year": doc.year, "unit": doc.unit_code, "category": ",".join(doc.categories),
        "digest": doc.digest,
        "doc": {"url": doc.url, "name": doc.name, "unit_code": doc.unit_code,
                "unit_name": doc.unit_name, "year": doc.year, "amount": doc.amount,
                "parts": list(doc.parts)},
    }

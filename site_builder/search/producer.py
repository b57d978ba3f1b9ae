"""Build producer: update the Whoosh index in the cache, export it, ship the browser client.

The client files carry the index's manifest (project count, shard count, scoring constants)
so that a first query needs no request for it: ``engine.js`` is the engine followed by the
manifest, and the ES module ``search.js`` holds the engine and the manifest itself instead of
importing ``engine.js``.  A visitor's first query so waits for two round trips fewer.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence, Set
from functools import partial
from importlib import resources
from pathlib import Path

from site_builder.core.background import Background
from site_builder.core.outputs import BuildContext, OutputFile
from site_builder.core.producers import Edit, ProducerSpec, Update
from site_builder.processes import can_fork
from site_builder.search.confusables import GROUPS
from site_builder.search.documents import doc_ids, search_doc, search_docs
from site_builder.search.encoding import js_literal
from site_builder.search.export import LIST_FOLDERS, export_files
from site_builder.search.index import index_dir, update_index
from site_builder.search.live import LiveIndex

MANIFEST = "search/manifest.js"
"""The manifest as a file of its own (for clients that load the engine some other way)."""
ENGINE_IMPORT = b'import "./engine.js";\n'
"""The line of the package's search.js that the built search.js replaces by the engine."""
GROUPS_LINE = b"  var GROUPS = [];\n"
"""The line of the package's suggest.js that the build replaces by the confusable groups."""


def client_file(name: str) -> bytes:
    return resources.files("site_builder.search").joinpath(name).read_bytes()


def client_files(manifest: bytes) -> Iterator[OutputFile]:
    """engine.js and search.js with ``manifest`` (the manifest file's script) built in,
    suggest.js with the confusable characters, ui.js and widget.js; all :func:`compact`."""
    engine = compact(client_file("engine.js")) + manifest
    module = client_file("search.js")
    if ENGINE_IMPORT not in module:
        raise ValueError("search.js no longer imports ./engine.js")
    yield OutputFile("search/engine.js", engine)
    yield OutputFile("search/search.js", compact(module).replace(ENGINE_IMPORT, engine, 1))
    yield OutputFile("search/suggest.js", compact(suggest_script()))
    yield OutputFile("search/ui.js", compact(client_file("ui.js")))
    yield OutputFile("search/widget.js", compact(client_file("widget.js")))


def suggest_script() -> bytes:
    """suggest.js with :data:`~site_builder.search.confusables.GROUPS` in place."""
    script = client_file("suggest.js")
    if GROUPS_LINE not in script:
        raise ValueError("suggest.js no longer has the GROUPS line")
    groups = f"  var GROUPS = {js_literal(list(GROUPS))};\n".encode()
    return script.replace(GROUPS_LINE, groups, 1)


def compact(script: bytes) -> bytes:
    """The script without its comment lines and indentation (a quarter of a first query's
    bytes): lines that are wholly a ``//`` comment or part of a ``/* */`` comment go, every
    other line is kept, stripped.  Safe for the client scripts, which have no multi-line
    strings; a comment closing before code on the same line is refused rather than guessed."""
    kept: list[bytes] = []
    in_comment = False
    for line in script.split(b"\n"):
        text = line.strip()
        if in_comment or text.startswith(b"/*"):
            end = text.find(b"*/")
            if end >= 0 and end + 2 != len(text):
                raise ValueError(f"code after a comment: {line!r}")
            in_comment = end < 0
            continue
        if text.startswith(b"//") or not text:
            continue
        kept.append(text)
    return b"\n".join(kept) + b"\n"


INDEX_APART_FROM = 20_000
"""Projects from which the index is updated in a process of its own (see :func:`produce`)."""


def produce(context: BuildContext) -> Iterable[OutputFile]:
    """Update the index, export it.  On a large site the update runs in a forked process:
    the memory it takes (documents, posting lists: 365 MB at 50,000 projects) is given back
    whole when that process ends, instead of staying in this process, in pieces the export
    cannot use, while the export takes as much again."""
    path = index_dir(context.cache_dir)
    if len(context.site.projects) >= INDEX_APART_FROM and can_fork():
        with Background(partial(_indexed, path, context)) as apart:
            apart.result()
        ids = doc_ids(context.site)
    else:
        ids = _indexed(path, context)
    files = export_files(path, ids)
    files.reverse()
    manifest = b""
    while files:  # each file let go once written
        item = files.pop()
        if item.path == MANIFEST:
            manifest = item.data
        yield item
    yield from client_files(manifest)


def _indexed(path: Path, context: BuildContext) -> list[str]:
    """Update the index at ``path``; the ids of the site's projects in order.  The documents
    (50 MB at 10,000 projects with their normalised texts) are let go before the export,
    which can use that memory again."""
    docs = search_docs(context.site)
    ids = [doc.id for doc in docs]
    update_index(path, docs, consume=True)
    return ids


class LiveSearch:
    """The search's updater: the static index kept in memory (:class:`LiveIndex`), its
    posting lists patched for each edit instead of a new export."""

    def __init__(self, context: BuildContext) -> None:
        self.site = context.site
        self.index = LiveIndex.prime(index_dir(context.cache_dir), search_docs(context.site))

    def update(self, context: BuildContext, edits: Sequence[Edit], paths: Set[str]
               ) -> Update | None:
        """The search files the edits change; the whole export when an edit moved the mean
        length the impacts are computed with."""
        old_site, self.site = self.site, context.site
        files: list[OutputFile] = []
        removed: set[str] = set()
        manifest = None
        for edit in edits:
            patched = self.index.edit(search_doc(old_site, edit.old),
                                      search_doc(context.site, edit.new))
            if patched is None:
                whole = list(produce(context))
                self.index = LiveIndex.prime(index_dir(context.cache_dir),
                                             search_docs(context.site))
                made = {f.path for f in whole}
                removed.update(p for p in paths if p.startswith(LIST_FOLDERS) and p not in made)
                return Update(files + whole, frozenset(removed - made))
            files += patched.files
            removed.update(patched.removed)
            removed.difference_update(f.path for f in patched.files)
            manifest = patched.manifest or manifest
        if manifest is not None:
            files.append(manifest)
            files += client_files(manifest.data)
        return Update(files, frozenset(removed))


PRODUCER = ProducerSpec("search", produce, live=LiveSearch)
"""The search index, exported for the browser."""

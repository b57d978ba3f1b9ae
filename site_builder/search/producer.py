"""Build producer: update the Whoosh index in the cache, export it, ship the browser client."""

from __future__ import annotations

from collections.abc import Iterable
from importlib import resources

from site_builder.build.outputs import BuildContext, OutputFile
from site_builder.search.documents import search_docs
from site_builder.search.export import export_files
from site_builder.search.index import index_dir, update_index

CLIENT_FILES = ("engine.js", "search.js", "ui.js")
"""The browser client, copied to ``output/search/`` as is."""


def client_file(name: str) -> bytes:
    return resources.files("site_builder.search").joinpath(name).read_bytes()


def produce(context: BuildContext) -> Iterable[OutputFile]:
    docs = search_docs(context.site)
    path = index_dir(context.cache_dir)
    update_index(path, docs)
    yield from export_files(path, [d.id for d in docs])
    for name in CLIENT_FILES:
        yield OutputFile(f"search/{name}", client_file(name))

"""Build producer: update the Whoosh index in the cache, export it, ship the browser client."""

from __future__ import annotations

from collections.abc import Iterable
from importlib import resources

from site_builder.build.outputs import BuildContext, OutputFile
from site_builder.search.documents import SearchDoc, search_docs
from site_builder.search.export import export_files
from site_builder.search.index import index_dir, update_index

CLIENT_FILES = ("engine.js", "search.js", "ui.js")
"""The browser client, copied to ``output/search/`` as is."""


def display_data(doc: SearchDoc) -> dict[str, object]:
    """What the browser shows for a result (and checks the query against)."""
    return {"id": doc.id, "url": doc.url, "name": doc.name, "unit_code": doc.unit_code,
            "unit_name": doc.unit_name, "year": doc.year, "amount": doc.amount,
            "parts": list(doc.parts)}


def client_file(name: str) -> bytes:
    return resources.files("site_builder.search").joinpath(name).read_bytes()


def produce(context: BuildContext) -> Iterable[OutputFile]:
    docs = search_docs(context.site)
    path = index_dir(context.cache_dir)
    update_index(path, docs)
    yield from export_files(path, [display_data(d) for d in docs], [d.id for d in docs])
    for name in CLIENT_FILES:
        yield OutputFile(f"search/{name}", client_file(name))

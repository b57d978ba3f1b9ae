"""Full-text search that finds every project containing the query.

* :mod:`~site_builder.search.analyzer` — the dictionary-free analyzer (mirrored in ``engine.js``);
* :mod:`~site_builder.search.documents` — what of a project is searchable;
* :mod:`~site_builder.search.index` — the Whoosh index in the build cache, updated incrementally;
* :mod:`~site_builder.search.query` — queries with substring semantics (``site-builder search``);
* :mod:`~site_builder.search.export` — the sharded static index under ``output/search/``;
* :mod:`~site_builder.search.producer` — the build producer tying them together.
"""

"""The content of a site: its YAML files read, checked and written.

- :mod:`~site_builder.content.reader` reads a site's content folder into a
  :class:`~site_builder.model.Site` (``load_site``), with file:line:column diagnostics;
- :mod:`~site_builder.content.yamlsafe` loads YAML safely (codes kept as strings, limits,
  control characters) and :mod:`~site_builder.content.yaml_mistakes` names the mistakes of
  Chinese typing in it;
- :mod:`~site_builder.content.canonical` reads files in site-builder's own layout without the
  YAML parser;
- :mod:`~site_builder.content.schema` is the field table that drives validation, the JSON
  Schema and docs/content-fields.md; :mod:`~site_builder.content.validate_fields` and
  :mod:`~site_builder.content.validate_categories` check a file against it;
- :mod:`~site_builder.content.cache` keeps what was read, keyed by each file's size and time;
- :mod:`~site_builder.content.writer` writes projects as YAML, all or none (what an import
  adds, replaces or skips is decided in :mod:`site_builder.importers.merge`).

The package imports no feature (build, search, checks, importers, commands).
"""

"""What the features and the build share: the output contract, and nothing that builds.

* :mod:`~site_builder.core.outputs` — the files producers hand to the writer
  (:class:`~site_builder.core.outputs.OutputFile`, ``OutputStream``), the
  :class:`~site_builder.core.outputs.BuildContext` they read, their counters and the
  :data:`~site_builder.core.outputs.Producer` protocol;
* :mod:`~site_builder.core.urls` — where every file of the site lives;
* :mod:`~site_builder.core.background` — work done in a forked process.

The core imports no feature (build, search, checks, importers, commands); they import it
(``tests/test_dependencies.py`` holds both to it).
"""

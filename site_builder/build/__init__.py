"""The build: gather and validate content, build the site model, render, write.

Producers (:func:`site_builder.build.registry.producers`) each turn the validated content into
:class:`~site_builder.core.outputs.OutputFile` objects; only :mod:`site_builder.build.writer`
writes them to disk.
"""

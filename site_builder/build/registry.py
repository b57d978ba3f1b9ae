"""Where producers are registered: a producer is a module with a ``PRODUCER``
(:class:`~site_builder.core.outputs.ProducerSpec`) named here.

The build never imports a producer by name; adding one means writing its module and adding
a line to :data:`PRODUCER_MODULES`.
"""

from __future__ import annotations

import importlib

from site_builder.core.producers import ProducerSpec

PRODUCER_MODULES = (
    "site_builder.build.pages",
    "site_builder.build.opendata",
    "site_builder.build.static",
    "site_builder.search.producer",
    "site_builder.build.quality_page",
    "site_builder.build.forms",
    "site_builder.build.history",
)
"""Every producer's module, in the order a build in one process runs them."""


def producers() -> list[ProducerSpec]:
    """Every registered producer, in :data:`PRODUCER_MODULES` order."""
    found: list[ProducerSpec] = []
    for name in PRODUCER_MODULES:
        spec = importlib.import_module(name).PRODUCER
        if not isinstance(spec, ProducerSpec):
            raise TypeError(f"{name}.PRODUCER is not a ProducerSpec")
        found.append(spec)
    return found

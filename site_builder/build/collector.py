"""Garbage collection during a build: only the youngest objects are looked at.

A build makes millions of objects that live until it ends (the site, page data, rendered
pages).  Python's collector would walk all of them again at every full collection, which at
10,000 projects took about half the time of preparing and rendering the pages.  During a
build, objects made before it are frozen and only the youngest generation is collected (that
still frees the short-lived reference cycles of template rendering); the previous settings
come back when the build ends.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

YOUNG_THRESHOLD = 10_000
"""Allocations between two collections of the youngest generation."""
NEVER = 1 << 30
"""A threshold the older generations never reach during a build."""


@contextmanager
def young_collections_only() -> Iterator[None]:
    """Collect only the youngest generation inside the ``with`` block (or decorated call)."""
    before = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(YOUNG_THRESHOLD, NEVER, NEVER)
    try:
        yield
    finally:
        gc.set_threshold(*before)
        gc.unfreeze()

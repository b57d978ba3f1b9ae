"""The render cache: finished pages keyed by everything that went into them.

Lives in ``.site-builder-cache/render/`` inside the site; safe to delete at any time (the next
build renders every page again).  A page's key covers its own data, the settings, the code and
templates; a page whose template read the whole ``site`` is also keyed by a digest of the site.
Entries a build did not use are removed at its end, so the cache never grows without bound.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

RENDER_DIR = "render"
"""Sub-folder of the cache folder holding rendered pages."""


def page_key(*parts: str) -> str:
    """Key of a page from the text of its inputs."""
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.encode("utf-8") + b"\0")
    return digest.hexdigest()


class RenderCache:
    """Rendered pages on disk; every method tolerates a missing or damaged cache."""

    def __init__(self, cache_dir: Path, site_digest: str, used: set[Path]) -> None:
        self.folder = cache_dir / RENDER_DIR
        self.site_digest = site_digest
        self.used = used
        """Entries read or written by this build (shared by every render of one build)."""

    def _plain(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.html"

    def _marker(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.site"

    def _with_site(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}-{self.site_digest[:16]}.html"

    def get(self, key: str) -> bytes | None:
        """The cached page for ``key``, or None."""
        candidates = [self._plain(key)]
        if self._marker(key).is_file():
            candidates = [self._with_site(key), self._marker(key)]
        try:
            data = candidates[0].read_bytes()
        except OSError:
            return None
        self.used.update(candidates)
        return data

    def put(self, key: str, data: bytes, used_site: bool) -> None:
        """Store a page; ``used_site`` when its template read the whole site."""
        try:
            if used_site:
                _write(self._marker(key), b"")
                self.used.add(self._marker(key))
                target = self._with_site(key)
            else:
                self._marker(key).unlink(missing_ok=True)
                target = self._plain(key)
            _write(target, data)
            self.used.add(target)
        except OSError:
            pass  # a cache that cannot be written only makes the next build slower



def prune(cache_dir: Path, used: set[Path]) -> None:
    """Remove every render-cache entry a build did not use."""
    folder = cache_dir / RENDER_DIR
    if not folder.is_dir():
        return
    for path in folder.rglob("*"):
        if path.is_file() and path not in used:
            path.unlink(missing_ok=True)


def _write(target: Path, data: bytes) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.replace(temp, target)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise

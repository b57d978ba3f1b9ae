"""The render cache: finished pages keyed by everything that went into them.

Lives in ``.site-builder-cache/render/`` inside the site; safe to delete at any time (the next
build renders every page again).  A page's key covers its own data, the settings, the code and
templates; a page whose template read the whole ``site`` is also keyed by a digest of the site.
Entries a build did not use are removed at its end, so the cache never grows without bound.
"""

from __future__ import annotations

import contextlib
import hashlib
import itertools
import os
import secrets
from collections.abc import Callable
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

    def __init__(self, cache_dir: Path, site_digest: Callable[[], str], used: set[Path]
                 ) -> None:
        self.folder = cache_dir / RENDER_DIR
        self._folder = os.fspath(self.folder)
        self.site_digest = site_digest
        self.used = used
        """Entries read or written by this build (shared by every render of one build)."""

    def _stem(self, key: str) -> str:
        return f"{self._folder}/{key[:2]}/{key}"

    def get(self, key: str) -> bytes | None:
        """The cached page for ``key``, or None."""
        stem = self._stem(key)
        try:
            data = _read(stem + ".html")
        except FileNotFoundError:  # not cached, or cached with the site's digest
            return self._get_with_site(stem)
        except OSError:
            return None
        self.used.add(Path(stem + ".html"))
        return data

    def _get_with_site(self, stem: str) -> bytes | None:
        marker = stem + ".site"
        if not os.path.isfile(marker):
            return None
        target = f"{stem}-{self.site_digest()[:16]}.html"
        try:
            data = _read(target)
        except OSError:
            return None
        self.used.update((Path(target), Path(marker)))
        return data

    def put(self, key: str, data: bytes, used_site: bool) -> None:
        """Store a page; ``used_site`` when its template read the whole site.  A page is
        stored either plain or with the site's digest (plus a marker), never both: ``get``
        tries the plain entry first."""
        stem = self._stem(key)
        try:
            if used_site:
                _unlink(stem + ".html")
                _write(stem + ".site", b"")
                self.used.add(Path(stem + ".site"))
                target = f"{stem}-{self.site_digest()[:16]}.html"
            else:
                _unlink(stem + ".site")
                target = stem + ".html"
            _write(target, data)
            self.used.add(Path(target))
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


_TOKEN = secrets.token_hex(4)
"""Part of every temporary name: tells apart processes of other machines or containers
sharing the cache folder (within one machine the process id does)."""
_COUNTER = itertools.count()
"""Numbers the temporary files of one process."""
_WRITE_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0)


def _read(path: str) -> bytes:
    with open(path, "rb") as stream:
        return stream.read()


def _unlink(path: str) -> None:
    with contextlib.suppress(FileNotFoundError):
        os.unlink(path)


def _write(target: str, data: bytes) -> None:
    """Write ``target`` whole or not at all: into a temporary name no other writer uses (no
    ``mkstemp``, which costs a dozen system calls), then renamed over the target."""
    temp = os.path.join(os.path.dirname(target),
                        f".tmp-{os.getpid()}-{_TOKEN}-{next(_COUNTER)}")
    try:
        handle = os.open(temp, _WRITE_FLAGS, 0o644)
    except FileNotFoundError:  # the entry's folder does not exist yet
        os.makedirs(os.path.dirname(target), exist_ok=True)
        handle = os.open(temp, _WRITE_FLAGS, 0o644)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.replace(temp, target)
    except BaseException:
        _unlink(temp)
        raise

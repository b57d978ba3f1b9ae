"""The render cache: which page of the output was made from which inputs.

A page's key covers its own data, the settings, the code and templates; a page whose template
read the whole ``site`` is also keyed by a digest of the site.  ``.site-builder-cache/
pages.json`` records, for the output folder the last build wrote, each page's key with the
size and modification time its file had.  A page whose key did not change, and whose file
still has that size and time, is taken from the output as it is (the writer links it into
the new build) instead of being rendered again.  So no page is kept twice: a cache of page
files beside the output cost 12,000 more files and 170 MB more writing at 10,000 projects.

The index only ever describes the output folder it was written for; another folder, or a page
changed by hand, is rendered again.  Safe to delete at any time.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import stat
from collections.abc import Callable, Iterable
from pathlib import Path

from site_builder.core.outputs import Made

INDEX_FILE = "pages.json"
"""The index, in the cache folder."""
FORMAT = "pages-1"
LEGACY_DIR = "render"
"""Where earlier versions kept a copy of every page (removed by the next build)."""


def page_key(*parts: str) -> str:
    """Key of a page from the text of its inputs."""
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.encode("utf-8") + b"\0")
    return digest.hexdigest()


Entry = list[object]
"""An index entry: [key, site digest or "", size, modification time in ns]."""


class PageIndex:
    """The index as the last build left it, for the output folder ``out``."""

    def __init__(self, cache_dir: Path, out: Path) -> None:
        self.out = os.fspath(out.resolve())
        self.entries = _load(cache_dir / INDEX_FILE, self.out)

    def kept(self, path: str, key: str, site_digest: Callable[[], str]) -> str | None:
        """The output file of ``path`` when it was made from ``key`` (and, if its template
        read the site, from this site) and is unchanged since; else None."""
        entry = self.entries.get(path)
        if entry is None or entry[0] != key or (entry[1] and entry[1] != site_digest()):
            return None
        file = os.path.join(self.out, path)
        try:
            found = os.lstat(file)
        except OSError:
            return None
        if (stat.S_ISREG(found.st_mode) and found.st_size == entry[2]
                and found.st_mtime_ns == entry[3]):
            return file
        return None


_LOADED: dict[tuple[str, str, int, int], dict[str, Entry]] = {}
"""The index last read in this process, by its path, folder, size and time."""


def _load(index: Path, out: str) -> dict[str, Entry]:
    try:
        found = os.stat(index)
        memo = (os.fspath(index), out, found.st_size, found.st_mtime_ns)
        if memo not in _LOADED:
            data = json.loads(index.read_bytes())
            pages = data["pages"] if data.get("format") == FORMAT and data.get("out") == out \
                else {}
            _LOADED.clear()
            _LOADED[memo] = pages if isinstance(pages, dict) else {}
        return _LOADED[memo]
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return {}  # none yet, or damaged: everything is rendered


def save_index(cache_dir: Path, out: Path, made: Iterable[Made], merge: bool = False) -> None:
    """Write the index of the pages ``made`` in ``out`` as they are there now (``merge``: into
    the index already there, for a rebuild that made some pages only)."""
    folder = os.fspath(out.resolve())
    pages = dict(_load(cache_dir / INDEX_FILE, folder)) if merge else {}
    for page in made:
        try:
            found = os.lstat(os.path.join(folder, page.path))
        except OSError:
            pages.pop(page.path, None)
            continue
        pages[page.path] = [page.key, page.site, found.st_size, found.st_mtime_ns]
    data = {"format": FORMAT, "out": folder, "pages": dict(sorted(pages.items()))}
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        temp = cache_dir / f".{INDEX_FILE}.{os.getpid()}"
        temp.write_text(json.dumps(data, separators=(",", ":")), encoding="utf-8")
        os.replace(temp, cache_dir / INDEX_FILE)
    except OSError:
        pass  # a cache that cannot be written only makes the next build slower
    shutil.rmtree(cache_dir / LEGACY_DIR, ignore_errors=True)

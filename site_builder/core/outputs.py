"""What producers hand to the writer: files with their site-relative paths."""

from __future__ import annotations

import hashlib
import posixpath
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from site_builder.diagnostics import Diagnostic
from site_builder.model import Site


@dataclass(frozen=True)
class Made:
    """A page of this build (rendered or kept), for the next build's index."""

    path: str
    """Site-relative path."""
    key: str
    """Its key."""
    site: str = ""
    """Digest of the whole site when its template read it, else ""."""


@dataclass(frozen=True)
class OutputFile:
    """One file of the built site."""

    path: str
    """Path inside the output folder, with '/' separators (``2023/002001/index.html``)."""
    data: bytes
    """The file's bytes (b"" when ``kept``)."""
    kept: str = ""
    """The previous output's file this one is, unchanged (a page whose inputs did not
    change): the writer links it instead of writing ``data``; "" for a new file."""


@dataclass(frozen=True)
class OutputStream:
    """A file of the built site too large to hold in memory (``projects.json`` is 250 MB at
    50,000 projects), made a piece at a time while the writer writes it."""

    path: str
    """Path inside the output folder, as :attr:`OutputFile.path`."""
    chunks: Iterable[bytes]
    """The file's bytes, in order; iterated once, by the writer."""


Output = OutputFile | OutputStream
"""What producers hand to the writer."""


@dataclass(frozen=True)
class BuildContext:
    """Everything a producer may read; producers never write files themselves."""

    root: Path
    """The site's folder (holds site.yaml, content/, templates/)."""
    site: Site
    """The validated content."""
    settings: dict[str, Any]
    """site.yaml values with defaults filled in (see :mod:`site_builder.settings`)."""
    cache_dir: Path
    """Folder for caches that are safe to delete (search index, render cache)."""
    jobs: int = 1
    """How many worker processes producers may use."""
    base_url: str = ""
    """Absolute address of the site for sitemap.xml and feeds; pages use relative links."""
    source_date_epoch: int | None = None
    """SOURCE_DATE_EPOCH when set: the only time a build may print."""
    progress: Callable[[int, int], None] | None = None
    """Called with (pages done, pages in total) while pages render; None: report nothing."""
    diagnostics: tuple[Diagnostic, ...] = ()
    """Warnings and notes found while reading the content (errors stop the build earlier)."""
    out_dir: Path | None = None
    """The output folder being built (its unchanged pages are kept); None: render all."""
    stats: BuildStats = field(default_factory=lambda: BuildStats())
    """Counters the producers update (pages rendered and reused)."""

    @cached_property
    def site_digest(self) -> str:
        """Digest of all content, for cache entries of pages that read the whole site; made on
        first use (0.45 s at 10k projects, and the standard templates never need it)."""
        return hashlib.sha256(repr(self.site).encode("utf-8")).hexdigest()


@dataclass
class BuildStats:
    """What the producers did, for the build's summary line."""

    pages: int = 0
    """HTML pages written."""
    rendered: int = 0
    """Pages rendered by this build."""
    reused: int = 0
    """Pages taken unchanged from the render cache."""
    made: list[Made] = field(default_factory=list)
    """Every page made (rendered or kept) with its key, for the render cache's index."""
    data_files: dict[str, dict[str, Any]] = field(default_factory=dict)
    """Open-data files made so far: each one's data-package resource (size, checksum), by
    path, for the data package and the download page."""

    def add(self, other: BuildStats) -> None:
        """Count what another process did too."""
        self.pages += other.pages
        self.rendered += other.rendered
        self.reused += other.reused
        self.made.extend(other.made)
        self.data_files.update(other.data_files)

    def clear(self) -> None:
        self.pages = self.rendered = self.reused = 0
        self.made = []
        self.data_files = {}


def relative_root(page_path: str) -> str:
    """Prefix from ``page_path`` back to the site root: ``a/b/index.html`` → ``../../``."""
    depth = page_path.count("/")
    return "../" * depth


def relative_url(from_page: str, to_path: str) -> str:
    """Relative link from one output file to another (both site-relative paths)."""
    start = posixpath.dirname(from_page) or "."
    return posixpath.relpath(to_path, start)


Producer = Callable[[BuildContext], Iterable[Output]]
"""Makes some of the files of a site."""


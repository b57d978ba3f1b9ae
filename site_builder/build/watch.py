"""What the preview server watches, and what changed: the site's own files only.

File system events come from ``watchdog`` (inotify on Linux, FSEvents on macOS,
ReadDirectoryChangesW on Windows), so a change is seen at once and watching costs nothing while
nothing changes (polling a 10,000-project site took 0.13 s every 0.4 s).  Where the system
refuses to watch (too many folders for inotify), watchdog's polling observer takes over.

Events are gathered into :class:`Changes`: the content files that changed (the preview may
rebuild those quickly), or "anything" when something else did (settings, templates, static
files, pages, a folder), which takes a full build.  Editors' temporary and backup files are
ignored.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path

from watchdog.events import (
    DirCreatedEvent,
    DirDeletedEvent,
    DirMovedEvent,
    FileClosedEvent,
    FileCreatedEvent,
    FileDeletedEvent,
    FileModifiedEvent,
    FileMovedEvent,
    FileSystemEvent,
    FileSystemEventHandler,
)
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver
from watchdog.observers.polling import PollingObserver

from site_builder.content.reader import CONTENT_DIR, PAGES_DIR
from site_builder.settings import SETTINGS_FILE
from site_builder.sitefiles import STATIC_DIR, TEMPLATES_DIR

FOLDERS = (CONTENT_DIR, TEMPLATES_DIR, STATIC_DIR)
"""The watched folders (watched with everything in them), besides ``site.yaml``."""
SETTLE_SECONDS = 0.05
"""How long to wait after an event for the rest of a save (editors write several files)."""
EVENTS = [FileCreatedEvent, FileDeletedEvent, FileModifiedEvent, FileMovedEvent,
          FileClosedEvent, DirCreatedEvent, DirDeletedEvent, DirMovedEvent]
"""The events that can change the site (not opening or reading a file)."""
CONTENT_SUFFIXES = (".yaml", ".yml")


@dataclass
class Changes:
    """Changes seen since the last :meth:`take`."""

    files: set[Path] = field(default_factory=set)
    """Content files created, changed or removed."""
    anything: bool = False
    """Something else changed: rebuild everything."""

    def any(self) -> bool:
        return self.anything or bool(self.files)


def ignored(name: str) -> bool:
    """Editors' temporary, swap and backup files (``.x.swp``, ``x~``, ``#x#``, ``4913``)."""
    return (name.startswith((".", "#")) or name.endswith(("~", ".swp", ".swx", ".tmp"))
            or name == "4913")


def classify(root: Path, path: Path, folder: bool, changes: Changes) -> None:
    """Note what a change at ``path`` (a folder when ``folder``) means for the site."""
    try:
        parts = path.relative_to(root).parts
    except ValueError:
        return
    if not parts or ignored(parts[-1]):
        return
    if parts == (SETTINGS_FILE,) or parts[0] in FOLDERS and (folder or parts[0] != CONTENT_DIR):
        changes.anything = True
    elif parts[0] == CONTENT_DIR:
        if parts[1:2] == (PAGES_DIR,):
            changes.anything = changes.anything or path.suffix == ".md"
        elif path.suffix in CONTENT_SUFFIXES:
            changes.files.add(path)


class Watcher(FileSystemEventHandler):
    """Watches a site; :meth:`wait` returns what changed."""

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        self._lock = threading.Lock()
        self._seen = threading.Event()
        self._changes = Changes()
        self._observer: BaseObserver | None = None

    def start(self) -> None:
        """Begin watching (again: the watched folders may have come or gone)."""
        self.stop()
        try:
            self._observer = self._schedule(Observer())
        except OSError:  # e.g. inotify's limit of watched folders
            self._observer = self._schedule(PollingObserver())

    def _schedule(self, observer: BaseObserver) -> BaseObserver:
        observer.schedule(self, str(self.root), recursive=False, event_filter=EVENTS)
        for name in FOLDERS:
            if (self.root / name).is_dir():
                observer.schedule(self, str(self.root / name), recursive=True,
                                  event_filter=EVENTS)
        observer.daemon = True
        observer.start()
        return observer

    def stop(self) -> None:
        if self._observer is not None:
            self._observer.stop()
            self._observer.join()
            self._observer = None

    def on_any_event(self, event: FileSystemEvent) -> None:
        paths = [event.src_path, getattr(event, "dest_path", "") or ""]
        with self._lock:
            for path in paths:
                if path:
                    classify(self.root, Path(str(path)), event.is_directory, self._changes)
            if self._changes.any():
                self._seen.set()

    def wait(self, stop: threading.Event, timeout: float = 0.5) -> Changes | None:
        """The changes once some were seen (after letting a save finish), or None when
        ``timeout`` passed or ``stop`` was set."""
        if not self._seen.wait(timeout) or stop.is_set():
            return None
        stop.wait(SETTLE_SECONDS)
        return self.take()

    def take(self) -> Changes:
        """The changes seen so far; forgets them."""
        with self._lock:
            changes, self._changes = self._changes, Changes()
            self._seen.clear()
        return changes

"""Rebuilds in the preview server: ``site-builder serve`` running, a project edited.

The server is started on the generated site and left to get ready for quick rebuilds; then a
project is edited (and another added) as in the ``build`` rebuild rows.  Two figures per edit:
the rebuild time the server reports, and the time from writing the file to the project's page
on disk showing the new text (what a publisher waits for, file watching included).
"""

from __future__ import annotations

import queue
import re
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from benchmarks.measure import tree_rss

REBUILT = re.compile(r"rebuilt .* in ([0-9.]+) s( \(quick\))?")
READY = "ready for quick rebuilds"
WAIT_SECONDS = 900


@dataclass(frozen=True)
class PreviewRebuild:
    """One rebuild in the preview server."""

    kind: str
    """``edit`` or ``add``."""
    reported: float
    """Seconds the server reports for the rebuild."""
    seen: float
    """Seconds from writing the file to the page showing the change."""
    quick: bool
    """Whether it was a quick rebuild."""


class Preview:
    """A running ``site-builder serve`` whose output lines can be awaited."""

    def __init__(self, site: Path, out: Path) -> None:
        self.out = out
        self.process = subprocess.Popen(
            [sys.executable, "-m", "site_builder", "--lang", "en", "serve", "--project", str(site),
             "--out", str(out), "--port", "0"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
            text=True, encoding="utf-8")
        self.lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()
        self.peak_rss = 0

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.put(line)

    def wait_for(self, wanted: Callable[[str], bool]) -> str:
        deadline = time.monotonic() + WAIT_SECONDS
        while time.monotonic() < deadline:
            self.peak_rss = max(self.peak_rss, tree_rss(self.process.pid))
            try:
                line = self.lines.get(timeout=0.05)
            except queue.Empty:
                if self.process.poll() is not None:
                    raise RuntimeError("site-builder serve exited") from None
                continue
            if wanted(line):
                return line
        raise TimeoutError("site-builder serve did not answer")

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=60)


@contextmanager
def preview(site: Path, out: Path) -> Iterator[Preview]:
    server = Preview(site, out)
    try:
        server.wait_for(lambda line: READY in line)
        yield server
    finally:
        server.stop()


def rebuild(server: Preview, kind: str, write: Callable[[], tuple[Path, str]]) -> PreviewRebuild:
    """Make the change ``write`` makes (it returns the page to look at and the text the page
    must show) and measure the rebuild."""
    started = time.perf_counter()
    page, text = write()
    line = server.wait_for(lambda found: REBUILT.search(found) is not None)
    while text not in (page.read_text("utf-8") if page.exists() else ""):
        time.sleep(0.005)
    seen = time.perf_counter() - started
    match = REBUILT.search(line)
    assert match is not None
    if not match.group(2):  # a full build: let it get ready again before the next change
        server.wait_for(lambda found: READY in found)
    return PreviewRebuild(kind, float(match.group(1)), seen, bool(match.group(2)))

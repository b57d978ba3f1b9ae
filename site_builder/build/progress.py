"""Build progress: a bar on a terminal, nothing while building otherwise (one summary line at
the end is printed by the command)."""

from __future__ import annotations

import sys
from typing import TextIO

from site_builder.i18n import _

BAR_WIDTH = 30
"""Characters of the progress bar."""


class ProgressBar:
    """Redraws ``[#####     ] 12/120 pages`` in place on a terminal stream."""

    def __init__(self, stream: TextIO = sys.stderr) -> None:
        self.stream = stream
        self.shown = False

    def __call__(self, done: int, total: int) -> None:
        filled = BAR_WIDTH * done // total if total else BAR_WIDTH
        bar = f"[{'#' * filled}{' ' * (BAR_WIDTH - filled)}]"
        self.stream.write("\r" + _("{bar} {done}/{total} pages").format(bar=bar, done=done,
                                                                        total=total))
        self.stream.flush()
        self.shown = True

    def close(self) -> None:
        """Clear the bar's line so the summary starts on a clean line."""
        if self.shown:
            self.stream.write("\r" + " " * (BAR_WIDTH + 24) + "\r")
            self.stream.flush()
            self.shown = False


def progress_for(stream: TextIO = sys.stderr) -> ProgressBar | None:
    """A progress bar when ``stream`` is a terminal, else None."""
    return ProgressBar(stream) if stream.isatty() else None

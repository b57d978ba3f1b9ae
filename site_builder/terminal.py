"""What the commands print goes through one place: standard output and error, with control
characters from content shown escaped (see :func:`~site_builder.controls.terminal_text`), so
that no diagnostic, search result or import report can send a terminal an ESC sequence.

Data written to standard output (``export``) goes to :func:`data_output`, unchanged.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, TextIO, cast

from site_builder.controls import terminal_text


class TerminalStream:
    """A text stream that writes through :func:`terminal_text` to the stream it wraps."""

    def __init__(self, stream: TextIO) -> None:
        self.unescaped = stream
        """The wrapped stream, for data that must reach it unchanged."""

    def write(self, text: str) -> int:
        self.unescaped.write(terminal_text(text))
        return len(text)

    def writelines(self, lines: Any) -> None:
        for line in lines:
            self.write(line)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.unescaped, name)


@contextmanager
def escaped_output() -> Iterator[None]:
    """Standard output and error as :class:`TerminalStream` while the block runs."""
    saved = sys.stdout, sys.stderr
    sys.stdout = cast(TextIO, TerminalStream(saved[0]))
    sys.stderr = cast(TextIO, TerminalStream(saved[1]))
    try:
        yield
    finally:
        sys.stdout, sys.stderr = saved


def data_output() -> TextIO:
    """Standard output for data (CSV, JSON files' text): never escaped."""
    stream = sys.stdout
    return stream.unescaped if isinstance(stream, TerminalStream) else stream

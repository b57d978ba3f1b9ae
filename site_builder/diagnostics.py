"""Diagnostics: positioned messages for publishing staff (``path:line:col: error: … (hint)``)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Literal

from site_builder.i18n import N_, _

Severity = Literal["error", "warning", "info"]
SEVERITY_WORDS: dict[str, str] = {"error": N_("error"), "warning": N_("warning"),
                                  "info": N_("info")}
"""How each severity is written in a message (translated where shown; JSON keeps the key)."""


@dataclass(frozen=True, order=True, slots=True)
class Position:
    """Where something came from in a source file."""

    path: str
    """File path as shown to the user (relative to the project when possible)."""
    line: int = 0
    """1-based line number; 0 when unknown."""
    col: int = 0
    """1-based column number; 0 when unknown."""

    def __str__(self) -> str:
        if self.line and self.col:
            return f"{self.path}:{self.line}:{self.col}"
        if self.line:
            return f"{self.path}:{self.line}"
        return self.path


@dataclass(frozen=True)
class Diagnostic:
    """One finding about the input, with where it is and what to do."""

    pos: Position
    """Where the problem is."""
    severity: Severity
    """error (stops the command), warning or info."""
    message: str
    """What is wrong, in words a clerk understands."""
    hint: str = ""
    """What to do about it."""
    code: str = ""
    """Short machine-readable identifier, e.g. ``unknown-key``."""

    def format(self) -> str:
        """``path:line:col: <severity>: message (hint)``, the severity in the language in use."""
        word = _(SEVERITY_WORDS.get(self.severity, self.severity))
        text = _("{position}: {severity}: {message}").format(
            position=self.pos, severity=word, message=self.message)
        return _("{text} ({hint})").format(text=text, hint=self.hint) if self.hint else text

    def to_json(self) -> dict[str, object]:
        data = asdict(self)
        pos = data.pop("pos")
        return {**pos, **data}


class SiteBuilderError(Exception):
    """An error the user can fix; carries diagnostics, never shown as a traceback."""

    def __init__(self, diagnostics: Iterable[Diagnostic]) -> None:
        self.diagnostics = list(diagnostics)
        super().__init__("\n".join(d.format() for d in self.diagnostics))


def error(path: str, message: str, hint: str = "", line: int = 0, col: int = 0,
          code: str = "") -> Diagnostic:
    """Shorthand for an error diagnostic."""
    return Diagnostic(Position(path, line, col), "error", message, hint, code)


def has_errors(diagnostics: Iterable[Diagnostic]) -> bool:
    return any(d.severity == "error" for d in diagnostics)


def dumps_json(diagnostics: Iterable[Diagnostic]) -> str:
    return json.dumps([d.to_json() for d in diagnostics], ensure_ascii=False, indent=2)

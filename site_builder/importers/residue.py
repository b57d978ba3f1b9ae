"""Remove the residue PDF text extraction leaves in published tables (``<p>``, ``<math>``, tabs).

Only markup is removed: the characters of the published text are kept as they are.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from site_builder.diagnostics import Diagnostic, Position
from site_builder.i18n import _
from site_builder.importers.textfile import split_lines

LATEX: dict[str, str] = {
    r"\geqslant": "≥", r"\leqslant": "≤", r"\geq": "≥", r"\leq": "≤", r"\ge": "≥", r"\le": "≤",
    r"\approx": "≈", r"\times": "×", r"\neq": "≠", r"\%": "%", r"\sim": "~", r"\cdot": "·",
}
"""LaTeX commands found inside ``<math>`` residue and the characters they stand for."""

_MATH = re.compile(r"<math>(.*?)</math>", re.S)
_P_TAG = re.compile(r"</?p>")
_GOAL_MARK = re.compile(r"(?<=\S)\s*(?=目标[一二三四五六七八九十\d]{1,3}\s*[：:])")

TITLE = re.compile(r"^#*\s*(?P<unit>\S+?)(?P<year>\d{4})年.*?绩效目标.*?表\s*$")
"""A table title: ``门源县青石嘴镇政府2021年部门预算项目支出绩效目标公开表``."""
REGION = re.compile(r"^(?P<region>\S+?(?:自治县|自治州|县|区|市|旗))")
"""The parent region at the start of a unit name (``祁连县`` in 祁连县阿柔乡人民政府)."""


@dataclass(frozen=True)
class Cell:
    """One tab-separated cell of a source line, with where it starts."""

    text: str
    """The cell's text with markup residue left in (use :func:`paragraphs` or :func:`clean`)."""
    pos: Position
    """Line and column of the cell in the source file."""


def math_to_text(match: re.Match[str]) -> str:
    body = match.group(1)
    for command in sorted(LATEX, key=len, reverse=True):
        body = body.replace(command, LATEX[command])
    return re.sub(r"[\s{}]+", "", body)


def clean(text: str) -> str:
    """Text without ``<math>``/``<p>`` markup and with outer white space trimmed."""
    text = _MATH.sub(math_to_text, text)
    return re.sub(r"\s+", " ", _P_TAG.sub(" ", text)).strip()


def paragraphs(text: str) -> list[str]:
    """The ``<p>`` paragraphs of a cell (the whole cell when it has none), cleaned."""
    text = _MATH.sub(math_to_text, text)
    parts = _P_TAG.split(text) if "<p>" in text else [text]
    return [re.sub(r"\s+", " ", p).strip() for p in parts if p.strip()]


def split_goals(text: str) -> list[str]:
    """Goals of a 绩效目标 cell: one per paragraph and per ``目标N：`` marker."""
    goals: list[str] = []
    for paragraph in paragraphs(text):
        goals.extend(g.strip() for g in _GOAL_MARK.split(paragraph) if g.strip())
    return goals


def split_cells(line: str, path: str, number: int) -> list[Cell]:
    """The non-empty cells of a tab-separated line, with their positions."""
    cells = []
    col = 1
    for raw in line.split("\t"):
        if raw.strip():
            offset = len(raw) - len(raw.lstrip())
            cells.append(Cell(raw.strip(), Position(path, number, col + offset)))
        col += len(raw) + 1
    return cells


PAGE_NUMBER = re.compile(
    r"^(?:第\s*\d+\s*页\s*[,，、/]?\s*(?:共\s*\d+\s*页)?|共\s*\d+\s*页\s*第\s*\d+\s*页"
    r"|[-—–－]\s*\d+\s*[-—–－]|\d+\s*/\s*\d+|(?:page|Page|PAGE)\s*\d+(?:\s*of\s*\d+)?)$")
"""A page number printed on its own line (``第1页 共17页``, ``- 2 -``, ``2/17``)."""

PAGE_BREAK = "\f"
"""The form feed PDF text extraction puts where a page ends."""

_ODD_SPACE = re.compile(r"[\v\f\x1c-\x1f\x85\u2028\u2029]")
"""Characters that break a line or a page inside a cell: read as a space, with a warning."""
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1b\x7f]")
"""Other control characters (not text at all): also read as a space, with a warning."""


def prepare(text: str, path: str) -> tuple[str, list[Diagnostic]]:
    """The text with page furniture and control characters taken out, and what was taken.

    Lines and columns stay those of the file: a page number line becomes an empty line, a page
    break (``\\f``) at the start of a line and ``\\f``/``\\v`` or other control characters
    inside a line become spaces, each reported where it stands.
    """
    found: list[Diagnostic] = []
    lines = split_lines(text)
    for number, line in enumerate(lines, 1):
        if line.startswith(PAGE_BREAK):
            breaks = len(line) - len(line.lstrip(PAGE_BREAK))
            line = " " * breaks + line[breaks:]
            found.append(Diagnostic(Position(path, number, 1), "info",
                                    _("A page break was skipped"), code="page-break"))
        for match in _ODD_SPACE.finditer(line):
            found.append(Diagnostic(
                Position(path, number, match.start() + 1), "warning",
                _("The cell has the control character {char} (a page or line break); it was "
                  "read as a space").format(char=_shown(match.group())),
                _("Check the original text here; if it was copied from Word or a PDF, the "
                  "character can be deleted"), "control-char"))
        line = _ODD_SPACE.sub(" ", line)
        for match in _CONTROL.finditer(line):
            found.append(Diagnostic(
                Position(path, number, match.start() + 1), "warning",
                _("The cell has the control character {char}; it was read as a "
                  "space").format(char=_shown(match.group())),
                _("Check the original text here"),
                "control-char"))
        line = _CONTROL.sub(" ", line)
        if PAGE_NUMBER.match(clean(line)):
            found.append(Diagnostic(Position(path, number, 1), "info",
                                    _("The page number '{text}' is not part of the table; it was "
                                      "skipped").format(text=clean(line)),
                                    code="page-number"))
            line = ""
        lines[number - 1] = line
    return "\n".join(lines), found


def _shown(char: str) -> str:
    names = {"\f": "\\f", "\v": "\\v"}
    return names.get(char, f"U+{ord(char):04X}")


def region_of(unit_name: str) -> str:
    match = REGION.match(unit_name)
    return match["region"] if match else ""

"""The geometry of one PDF page: ruled tables rebuilt from their lines, the other text in lines.

A PDF has no tables, only glyphs and strokes.  A table of the official form is drawn as ruled
lines; a cell merged over several rows is a region that no line crosses.  This module rebuilds
the grid from the lines (every distinct x of a vertical line, every distinct y of a horizontal
one), joins the grid's slots that no line separates into cells, and puts each glyph in the cell
its centre falls in.  A cell's lines of text are joined back into one text where the line was
only wrapped (the first word of the next line would not have fitted), and kept apart where it
was broken on purpose.  Glyphs outside every table become lines of free text (titles, 备注,
page numbers), split where a wide gap separates two pieces on one baseline.

It knows nothing of the form or of any PDF library: a reader gives it a page's glyphs and
rules (:class:`PageContent`) and gets tables and text lines back, top to bottom.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

TOLERANCE = 2.0
"""Points within which two rules, or a rule and a cell edge, are the same line."""
SPACE_GAP = 0.15
"""A gap between two glyphs wider than this many times the font size is a space."""
WRAP_SLACK = 0.3
"""Font sizes a wrapped line may have had left besides its next word (Writer's autospacing
and the compressed punctuation of a line's end)."""
PIECE_GAP = 2.5
"""A gap wider than this many times the font size splits a line of free text in two pieces."""
_NO_LINE_START = "，。、；：？！）》」』”’%．,.;:?!)]"
"""Punctuation a line never starts with: it goes with the glyph before it when lines wrap."""
_WIDE = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]")
"""Ideographs and full-width forms: a line may wrap after any one of them."""
_WORD = re.compile(r"[A-Za-z0-9]")
_SENTENCE_END = "。；;！？!?"
"""Characters a paragraph ends with."""
_ITEM = re.compile(r"^(?:目标[一二三四五六七八九十\d]{1,3}\s*[：:]|[一二三四五六七八九十]+、|"
                   r"[(（][一二三四五六七八九十\d]+[)）]|\d{1,2}\s*[.．、](?!\d))")
"""The start of a numbered item: a line that starts one begins a new paragraph."""
_IDEOGRAPH = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


@dataclass(frozen=True)
class Glyph:
    """One character drawn on the page."""

    text: str
    """The character (as the PDF's text layer maps it)."""
    x0: float
    """Left edge, in points from the page's left."""
    x1: float
    """Right edge."""
    top: float
    """Top edge, in points from the page's top."""
    bottom: float
    """Bottom edge."""

    @property
    def size(self) -> float:
        return max(self.bottom - self.top, 0.1)

    @property
    def middle(self) -> float:
        return (self.top + self.bottom) / 2


@dataclass(frozen=True)
class Rule:
    """A ruled line (a stroke, or an edge of a thin filled rectangle), horizontal or vertical."""

    x0: float
    """Left end."""
    top: float
    """Top end."""
    x1: float
    """Right end."""
    bottom: float
    """Bottom end."""


@dataclass(frozen=True)
class PageContent:
    """What a reader found on one page."""

    number: int
    """1-based page number."""
    width: float
    """Page width in points."""
    height: float
    """Page height in points."""
    glyphs: tuple[Glyph, ...]
    """Every character drawn on the page (white space included or not)."""
    rules: tuple[Rule, ...]
    """Every horizontal and vertical line."""
    images: int
    """Number of images drawn on the page."""


@dataclass(frozen=True)
class Box:
    """A rectangle on the page."""

    x0: float
    """Left."""
    top: float
    """Top."""
    x1: float
    """Right."""
    bottom: float
    """Bottom."""


@dataclass(frozen=True)
class TableCell:
    """One cell of a ruled table: one slot of the grid, or several no line separates."""

    row: int
    """Grid row (0-based) of its top slot: the row it is anchored in."""
    col: int
    """Grid column (0-based) of its left slot."""
    rows: int
    """Grid rows it spans (more than 1 for a cell merged down)."""
    box: Box
    """Its rectangle."""
    text: str
    """Its text: wrapped lines joined, lines broken on purpose kept apart by ``\\n``."""
    room: float
    """Points left after its last line, up to the cell's right margin."""
    lead: float
    """Points its first word takes (what must not have fitted in the room of the line
    before, were it the cell's continuation on the next page), with :data:`WRAP_SLACK`."""
    open_top: bool
    """No line closes it at the table's top: it goes on from the page before."""
    open_bottom: bool
    """No line closes it at the table's bottom: it goes on on the next page."""


@dataclass(frozen=True)
class Table:
    """A ruled table of one page."""

    box: Box
    """Its outline."""
    columns: tuple[float, ...]
    """x of every column boundary, left to right."""
    rows: tuple[tuple[TableCell, ...], ...]
    """For each grid row, the cells anchored in it, left to right (empty cells included)."""


@dataclass(frozen=True)
class TextLine:
    """A piece of free text (outside every table), wrapped lines of a paragraph joined."""

    box: Box
    """Where it stands."""
    text: str
    """Its text."""


def lay_out(page: PageContent, spacing: Spacing | None = None) -> list[Table | TextLine]:
    """The tables and text lines of ``page``, top to bottom (``spacing``: as counted on the
    file's pages, else on this page alone)."""
    if spacing is None:
        count = SpacingCount()
        count.add(page.glyphs)
        spacing = count.spacing()
    tables = _grids(page.rules)
    inside: list[list[list[Glyph]]] = [[[] for _ in grid.cells] for grid in tables]
    outside: list[Glyph] = []
    for glyph in page.glyphs:
        if not glyph.text:
            continue
        found = False
        for number, grid in enumerate(tables):
            slot = grid.cell_at((glyph.x0 + glyph.x1) / 2, glyph.middle)
            if slot is not None:
                inside[number][slot].append(glyph)
                found = True
                break
        if not found:
            outside.append(glyph)
    items: list[Table | TextLine] = [grid.table(glyphs, spacing) for grid, glyphs in zip(
        tables, inside, strict=True)]
    right = max([t.box.x1 for t in items if isinstance(t, Table)] + [0.0])
    items.extend(_free_text(outside, right, spacing))
    return sorted(items, key=lambda item: (item.box.top, item.box.x0))


# --- rules into grids ----------------------------------------------------------------------


@dataclass(frozen=True)
class _Segment:
    """A horizontal (at ``at`` = y, from ``start`` to ``end`` in x) or vertical line."""

    at: float
    start: float
    end: float


class _Grid:
    """The lines of one table and the cells they make."""

    def __init__(self, xs: list[float], ys: list[float], horizontal: dict[float, list[_Segment]],
                 vertical: dict[float, list[_Segment]]) -> None:
        self.xs, self.ys = xs, ys
        self.horizontal, self.vertical = horizontal, vertical
        rows, cols = len(ys) - 1, len(xs) - 1
        parent = list(range(rows * cols))

        def find(slot: int) -> int:
            while parent[slot] != slot:
                parent[slot] = parent[parent[slot]]
                slot = parent[slot]
            return slot

        for r in range(rows):
            for c in range(cols):
                if c + 1 < cols and not _covered(vertical, xs[c + 1], ys[r], ys[r + 1]):
                    parent[find(r * cols + c + 1)] = find(r * cols + c)
                if r + 1 < rows and not _covered(horizontal, ys[r + 1], xs[c], xs[c + 1]):
                    parent[find((r + 1) * cols + c)] = find(r * cols + c)
        spans: dict[int, list[int]] = {}
        for slot in range(rows * cols):
            r, c = divmod(slot, cols)
            span = spans.setdefault(find(slot), [r, c, r, c])
            span[0], span[1] = min(span[0], r), min(span[1], c)
            span[2], span[3] = max(span[2], r), max(span[3], c)
        self.cells = sorted({tuple(span) for span in spans.values()})
        self.slot_cell = [0] * (rows * cols)
        for number, (r0, c0, r1, c1) in enumerate(self.cells):
            for r in range(r0, r1 + 1):
                for c in range(c0, c1 + 1):
                    self.slot_cell[r * cols + c] = number

    def cell_at(self, x: float, y: float) -> int | None:
        """The cell (index into :attr:`cells`) a point falls in, or None outside the table."""
        if not (self.xs[0] <= x <= self.xs[-1] and self.ys[0] <= y <= self.ys[-1]):
            return None
        c = min(bisect.bisect_right(self.xs, x) - 1, len(self.xs) - 2)
        r = min(bisect.bisect_right(self.ys, y) - 1, len(self.ys) - 2)
        return self.slot_cell[r * (len(self.xs) - 1) + c]

    def table(self, glyphs: list[list[Glyph]], spacing: Spacing) -> Table:
        xs, ys = self.xs, self.ys
        boxes = [Box(xs[c0], ys[r0], xs[c1 + 1], ys[r1 + 1]) for r0, c0, r1, c1 in self.cells]
        lines = [[line for line in text_lines(inside) if spacing.text(line)]
                 for inside in glyphs]
        padding = min([line[0].x0 - box.x0 for box, found in zip(boxes, lines, strict=True)
                       for line in found] + [8.0])
        right_margin = min(max(padding, 0.0), 8.0)
        rows: list[list[TableCell]] = [[] for _ in range(len(ys) - 1)]
        for (r0, c0, r1, _), box, found in zip(self.cells, boxes, lines, strict=True):
            right = box.x1 - right_margin
            text = _joined(found, right, spacing)
            room = right - found[-1][-1].x1 if found else box.x1 - box.x0
            lead = _first_word_width(found[0]) + WRAP_SLACK * found[0][0].size if found else 0.0
            rows[r0].append(TableCell(
                r0, c0, r1 - r0 + 1, box, text, room, lead,
                r0 == 0 and not _covered(self.horizontal, ys[0], box.x0, box.x1),
                r1 == len(ys) - 2 and not _covered(self.horizontal, ys[-1], box.x0, box.x1)))
        return Table(Box(xs[0], ys[0], xs[-1], ys[-1]), tuple(xs),
                     tuple(tuple(sorted(row, key=lambda cell: cell.col)) for row in rows))


def _grids(rules: Iterable[Rule]) -> list[_Grid]:
    """The tables the rules make: each set of lines that touch one another, as a grid."""
    horizontal, vertical = [], []
    for rule in rules:
        width, height = rule.x1 - rule.x0, rule.bottom - rule.top
        if height <= TOLERANCE < width:
            horizontal.append(_Segment((rule.top + rule.bottom) / 2, rule.x0, rule.x1))
        elif width <= TOLERANCE < height:
            vertical.append(_Segment((rule.x0 + rule.x1) / 2, rule.top, rule.bottom))
    hs, vs = _merged(horizontal), _merged(vertical)
    groups = _touching(hs, vs)
    grids = []
    for h_group, v_group in groups:
        xs = sorted({s.at for s in v_group})
        ys = sorted({s.at for s in h_group})
        top, bottom = min(s.start for s in v_group), max(s.end for s in v_group)
        if top < ys[0] - TOLERANCE:
            ys.insert(0, top)
        if bottom > ys[-1] + TOLERANCE:
            ys.append(bottom)
        if len(xs) < 2 or len(ys) < 2:
            continue
        grids.append(_Grid(xs, ys, _by_position(h_group), _by_position(v_group)))
    return grids


def _merged(segments: list[_Segment]) -> list[_Segment]:
    """Lines at nearly the same position made one position; touching pieces made one line."""
    positions = _snap([s.at for s in segments])
    by_at: dict[float, list[_Segment]] = {}
    for segment in segments:
        by_at.setdefault(positions[segment.at], []).append(segment)
    merged: list[_Segment] = []
    for at, parts in sorted(by_at.items()):
        parts.sort(key=lambda s: s.start)
        start, end = parts[0].start, parts[0].end
        for part in parts[1:]:
            if part.start <= end + TOLERANCE:
                end = max(end, part.end)
            else:
                merged.append(_Segment(at, start, end))
                start, end = part.start, part.end
        merged.append(_Segment(at, start, end))
    return merged


def _snap(values: Sequence[float]) -> dict[float, float]:
    """Each value → the mean of the run of values within :data:`TOLERANCE` of one another."""
    snapped: dict[float, float] = {}
    run: list[float] = []
    for value in sorted(set(values)) + [float("inf")]:
        if run and value - run[-1] > TOLERANCE:
            mean = sum(run) / len(run)
            snapped.update((v, mean) for v in run)
            run = []
        run.append(value)
    return snapped


def _touching(hs: list[_Segment], vs: list[_Segment]) -> list[tuple[list[_Segment],
                                                                   list[_Segment]]]:
    """Horizontal and vertical lines grouped by crossing or touching one another."""
    parent = list(range(len(hs) + len(vs)))

    def find(node: int) -> int:
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    order = sorted(range(len(hs)), key=lambda i: hs[i].at)
    heights = [hs[i].at for i in order]
    for v_index, v in enumerate(vs):
        low = bisect.bisect_left(heights, v.start - TOLERANCE)
        high = bisect.bisect_right(heights, v.end + TOLERANCE)
        for h_index in order[low:high]:
            h = hs[h_index]
            if h.start - TOLERANCE <= v.at <= h.end + TOLERANCE:
                parent[find(len(hs) + v_index)] = find(h_index)
    groups: dict[int, tuple[list[_Segment], list[_Segment]]] = {}
    for index, h in enumerate(hs):
        groups.setdefault(find(index), ([], []))[0].append(h)
    for index, v in enumerate(vs):
        groups.setdefault(find(len(hs) + index), ([], []))[1].append(v)
    return [(h, v) for h, v in groups.values() if len(h) >= 1 and len(v) >= 2]


def _by_position(segments: list[_Segment]) -> dict[float, list[_Segment]]:
    found: dict[float, list[_Segment]] = {}
    for segment in segments:
        found.setdefault(segment.at, []).append(segment)
    return found


def _covered(lines: dict[float, list[_Segment]], at: float, start: float, end: float) -> bool:
    """True when a line at ``at`` runs over most of ``start``…``end``."""
    need = (end - start) / 2
    return any(min(s.end, end) - max(s.start, start) >= need for s in lines.get(at, ()))


# --- glyphs into text ----------------------------------------------------------------------


def text_lines(glyphs: Iterable[Glyph]) -> list[list[Glyph]]:
    """Glyphs grouped by baseline, top to bottom, each line left to right."""
    lines: list[list[Glyph]] = []
    middles: list[float] = []
    for glyph in sorted(glyphs, key=lambda g: (g.middle, g.x0)):
        if lines and abs(glyph.middle - middles[-1]) <= 0.5 * max(glyph.size, lines[-1][0].size):
            lines[-1].append(glyph)
        else:
            lines.append([glyph])
            middles.append(glyph.middle)
    for line in lines:
        line.sort(key=lambda g: g.x0)
    return lines


@dataclass(frozen=True)
class Spacing:
    """How the pages of a file show the spaces of their text.

    Calc draws no space glyph, only a gap; Writer draws some spaces as glyphs and others as
    gaps.  A gap wider than :data:`SPACE_GAP` is a space, except where Writer widens the gap
    between an ideograph and a Latin letter or digit (autospacing) even where the text has no
    space: in a file that does that, a gap there is not a space.
    """

    script_gaps: bool = True
    """A gap between an ideograph and a Latin letter or digit is a space."""

    def text(self, line: Sequence[Glyph]) -> str:
        """The text of one line."""
        parts: list[str] = []
        for before, glyph in zip([None, *line], line, strict=False):
            if before is not None and (glyph.x0 - before.x1 > SPACE_GAP * glyph.size) and (
                    self.script_gaps or not _script_boundary(before, glyph)):
                parts.append(" ")
            parts.append(glyph.text)
        return re.sub(r"\s+", " ", "".join(parts)).strip()


@dataclass
class SpacingCount:
    """Ideograph–Latin boundaries seen so far, and how many of them had a gap."""

    boundaries: int = 0
    """Boundaries seen (glyphs closer than one font size)."""
    gaps: int = 0
    """Those with a gap wider than :data:`SPACE_GAP`."""

    MINIMUM = 5
    """Boundaries needed before deciding."""

    def add(self, glyphs: Iterable[Glyph]) -> None:
        for line in text_lines(glyphs):
            for before, glyph in zip(line, line[1:], strict=False):
                gap = (glyph.x0 - before.x1) / glyph.size
                if _script_boundary(before, glyph) and gap < 1:
                    self.boundaries += 1
                    self.gaps += gap > SPACE_GAP

    @property
    def decided(self) -> bool:
        return self.boundaries >= self.MINIMUM

    def spacing(self) -> Spacing:
        """Autospacing when nearly every boundary has a gap."""
        return Spacing(not self.decided or self.gaps < 0.8 * self.boundaries)


def _script_boundary(before: Glyph, glyph: Glyph) -> bool:
    """An ideograph next to a Latin letter or digit (where Writer widens the gap)."""
    return bool(_IDEOGRAPH.match(before.text) and _WORD.match(glyph.text)
                or _WORD.match(before.text) and _IDEOGRAPH.match(glyph.text))


def _joined(lines: list[list[Glyph]], right: float, spacing: Spacing) -> str:
    """Lines joined where they were wrapped at ``right``.

    A line was broken on purpose when the next line's first word would have fitted after it
    and it ends a sentence (。；!?) or the next line starts a numbered item (目标二：, 2.);
    any other line was wrapped (Chinese text wraps between any two characters, and what may
    not be split differs between producers).
    """
    if not lines:
        return ""
    text = spacing.text(lines[0])
    for before, line in zip(lines, lines[1:], strict=False):
        following = spacing.text(line)
        fits = _first_word_width(line) <= right - before[-1].x1 - 0.5
        if fits and (text[-1] in _SENTENCE_END or _ITEM.match(following)):
            text = f"{text}\n{following}"
        elif before[-1].text.isspace() or line[0].text.isspace():
            text = f"{text} {following}"
        else:
            text = join_wrapped(text, following)
    return text


def join_wrapped(text: str, following: str) -> str:
    """Two pieces of one wrapped line: the space the wrap took between two Latin words or
    after half-width punctuation (``力量, 利用``) put back, else nothing between them."""
    if not text or not following:
        return text + following
    gap = " " if (_WORD.match(text[-1]) and _WORD.match(following[0])
                  or text[-1] in ",;:!?") else ""
    return f"{text}{gap}{following}"


def _first_word_width(line: Sequence[Glyph]) -> float:
    """Width of what a wrapped line must have started with: a word, or one wide glyph."""
    end = 0
    if _WIDE.match(line[0].text):
        end = 1
    else:
        while end < len(line) and not _WIDE.match(line[end].text) and (
                end == 0 or line[end].x0 - line[end - 1].x1 <= SPACE_GAP * line[end].size):
            end += 1
    while end < len(line) and line[end].text in _NO_LINE_START:
        end += 1
    end = max(end, 1)
    return line[end - 1].x1 - line[0].x0


def _free_text(glyphs: list[Glyph], right: float, spacing: Spacing) -> list[TextLine]:
    """Text outside the tables: lines split at wide gaps, wrapped paragraph lines joined."""
    pieces: list[list[Glyph]] = []
    for line in text_lines(glyphs):
        start = 0
        for index in range(1, len(line) + 1):
            if index == len(line) or line[index].x0 - line[index - 1].x1 > (
                    PIECE_GAP * line[index].size):
                pieces.append(line[start:index])
                start = index
    right = max([right] + [piece[-1].x1 for piece in pieces])
    found: list[TextLine] = []
    paragraph: list[list[Glyph]] = []
    for piece in sorted(pieces, key=lambda p: (min(g.top for g in p), p[0].x0)):
        if paragraph and _continues(paragraph[-1], piece, right):
            paragraph.append(piece)
            continue
        if paragraph:
            found.append(_paragraph(paragraph, right, spacing))
        paragraph = [piece]
    if paragraph:
        found.append(_paragraph(paragraph, right, spacing))
    return found


def _continues(before: list[Glyph], piece: list[Glyph], right: float) -> bool:
    """``piece`` goes on the paragraph ``before`` ends: next line down, and ``before`` was full."""
    size = before[0].size
    below = min(g.top for g in piece) - max(g.bottom for g in before)
    if not (-0.2 * size <= below <= 0.8 * size):
        return False
    if piece[0].x0 > before[0].x0 + size:
        return False
    return _first_word_width(piece) > right - before[-1].x1 - 0.5


def _paragraph(lines: list[list[Glyph]], right: float, spacing: Spacing) -> TextLine:
    glyphs = [g for line in lines for g in line]
    box = Box(min(g.x0 for g in glyphs), min(g.top for g in glyphs),
              max(g.x1 for g in glyphs), max(g.bottom for g in glyphs))
    return TextLine(box, _joined(lines, right, spacing))

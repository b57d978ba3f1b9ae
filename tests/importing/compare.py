"""Compare what two imports of the same tables give, project by project, indicator by indicator.

Every reader of the official form (text, Excel, Word, converted formats, PDF) must give the
content the text import gives for the seed tables.  :func:`compare` lists every difference
in words a reviewer can check against the source, and counts the indicators that agree, so a
test can both demand equality and report how close a reader came.

Usage (from any test under ``tests/``)::

    from importing.compare import compare
    found = compare(text_result.projects, other_result.projects)
    assert found.differences == (), found.report()
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from site_builder.model import Indicator, Project

PROJECT_FIELDS = ("amount", "goals", "table_total", "remark")
"""Project fields compared besides the indicators (names and codes match projects up)."""


@dataclass(frozen=True)
class Comparison:
    """The differences between the projects of two imports."""

    projects: int
    """Projects in the expected import."""
    indicators: int
    """Indicators in the expected import."""
    exact: int
    """Expected indicators found with the same 一级, 二级, name and value at the same place."""
    differences: tuple[str, ...]
    """One line per difference: project, field or indicator number, expected and found."""

    def report(self, limit: int = 30) -> str:
        head = (f"{self.exact}/{self.indicators} indicators exact over {self.projects} "
                f"projects; {len(self.differences)} difference(s)")
        return "\n".join([head, *self.differences[:limit]])


def _row(indicator: Indicator) -> tuple[str, str, str, str]:
    return (indicator.level1, indicator.level2, indicator.name, indicator.value)


def _key(project: Project) -> tuple[str, str, str]:
    return (project.year, project.unit_code, project.name)


def compare(expected: Sequence[Project], found: Sequence[Project],
            fields: Sequence[str] = PROJECT_FIELDS, notes: bool = False) -> Comparison:
    """Differences of ``found`` from ``expected``; projects paired by (year, unit, name).

    Projects of the same name in one unit are paired in order.  ``notes`` also compares the
    notes (text an importer could not place), which depend on the source format.
    """
    pool: dict[tuple[str, str, str], list[Project]] = defaultdict(list)
    for project in found:
        pool[_key(project)].append(project)
    differences: list[str] = []
    exact = 0
    for project in expected:
        label = f"{project.year} {project.unit_code} {project.name}"
        candidates = pool.get(_key(project))
        if not candidates:
            differences.append(f"{label}: missing")
            continue
        other = candidates.pop(0)
        for name in (*fields, *(("notes",) if notes else ())):
            mine, theirs = getattr(project, name), getattr(other, name)
            if mine != theirs:
                differences.append(f"{label}: {name} {mine!r} != {theirs!r}")
        rows, other_rows = project.indicators, other.indicators
        for number in range(max(len(rows), len(other_rows))):
            want = _row(rows[number]) if number < len(rows) else None
            got = _row(other_rows[number]) if number < len(other_rows) else None
            if want == got:
                exact += 1
            else:
                differences.append(f"{label}: indicator {number + 1} {want} != {got}")
    for key, left in sorted(pool.items()):
        differences.extend(f"{' '.join(key)}: not expected (found in addition)" for _ in left)
    return Comparison(len(expected), sum(len(p.indicators) for p in expected), exact,
                      tuple(differences))

"""Project identity across imports: how names are compared and how new ids are chosen.

A project is the same project when its year, unit code and name are the same; its id (used
in URLs, ``projects/<id>.html``) is given once, when it is first imported, and never changes.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from site_builder.content.schema import PATTERNS

_SPACE = re.compile(r"\s+")
_ID = re.compile(PATTERNS["id"])
_YEAR = re.compile(PATTERNS["year"])
_CODE = re.compile(PATTERNS["code"])

NameKey = tuple[str, str, str]
"""(year, unit code, compared name): what makes two projects the same project."""


def compared_name(name: str) -> str:
    """A project name as it is compared (never stored): NFKC-normalised, so that full-width
    and half-width forms are equal (``（`` and ``(``, ``１`` and ``1``), without any white
    space, and case-folded (``LED`` and ``led``)."""
    return _SPACE.sub("", unicodedata.normalize("NFKC", name)).casefold()


def name_key(year: str, unit_code: str, name: str) -> NameKey:
    """The identity of a project named ``name`` in a unit and year."""
    return (year, unit_code, compared_name(name))


def is_valid_id(text: str) -> bool:
    """True when ``text`` may be an id (and so a file name and a URL part)."""
    return bool(_ID.match(text))


def is_valid_year(text: str) -> bool:
    return bool(_YEAR.match(text))


def is_valid_code(text: str) -> bool:
    """True when ``text`` may be a unit code (and so a folder name)."""
    return bool(_CODE.match(text))


def id_number(project_id: str, year: str, unit_code: str) -> int | None:
    """NN of an id of the form ``<year>-<unit code>-<NN>``, or None for any other id."""
    prefix = f"{year}-{unit_code}-"
    rest = project_id[len(prefix):] if project_id.startswith(prefix) else ""
    return int(rest) if rest.isascii() and rest.isdigit() else None


def id_order(project_id: str, year: str, unit_code: str) -> tuple[int, int, str]:
    """Sort key of ids within a unit and year: numbered ids by number (the order they were
    given in), then any other id by its text."""
    number = id_number(project_id, year, unit_code)
    return (0, number, project_id) if number is not None else (1, 0, project_id)


def format_id(year: str, unit_code: str, number: int) -> str:
    """``<year>-<unit code>-<NN>``, NN with at least two digits."""
    return f"{year}-{unit_code}-{number:02d}"


def highest_number(ids: Iterable[str], year: str, unit_code: str) -> int:
    """The highest NN among ``ids`` of the form ``<year>-<unit code>-<NN>`` (0 for none): a
    new project of that unit and year gets the next number, never a gap left by another."""
    numbers = (id_number(i, year, unit_code) for i in ids)
    return max((n for n in numbers if n is not None), default=0)

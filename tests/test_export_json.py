"""Open data JSON: the fast indented writer gives exactly ``json.dumps``'s bytes."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from site_builder.content.reader import load_site
from site_builder.diagnostics import Position
from site_builder.export import CSV_COLUMNS, dumps_indented, project_json, project_text

REPO = Path(__file__).resolve().parents[1]

_SCALARS = (st.none() | st.booleans() | st.integers() | st.text(max_size=8)
            | st.floats(allow_nan=True, allow_infinity=True))
_VALUES = st.recursive(_SCALARS, lambda inner: st.lists(inner, max_size=3)
                       | st.lists(inner, max_size=3).map(tuple)
                       | st.dictionaries(st.text(max_size=3), inner, max_size=3)
                       | st.dictionaries(st.integers() | st.booleans() | st.none(), inner,
                                         max_size=2), max_leaves=12)


@given(_VALUES)
def test_dumps_indented_is_json_dumps(value: object) -> None:
    assert dumps_indented(value) == json.dumps(value, ensure_ascii=False, indent=2)


def test_project_text_is_json_dumps_of_project_json() -> None:
    site = load_site(REPO).site
    assert site.projects
    for project in site.projects:
        assert project_text(site, project) == json.dumps(project_json(site, project),
                                                         ensure_ascii=False, indent=2)


_CELL = st.text(alphabet=st.sampled_from(list('a ,"\r\n\t\'项;=+-@1.%')), max_size=5)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.lists(_CELL, min_size=6, max_size=6),
                          st.lists(st.lists(_CELL, min_size=4, max_size=4), max_size=3)),
                max_size=4))
def test_csv_is_the_csv_modules_text(rows: list[tuple[list[str], list[list[str]]]]) -> None:
    """Joining separately written cells gives what writing whole rows gives."""
    from decimal import Decimal

    from site_builder.export import csv_rows, to_csv
    from site_builder.model import Indicator, Project, Site, Unit

    units = tuple(Unit(f"u{n}", "2023", head[3], pos=Position("u")) for n, (head, _) in
                  enumerate(rows))
    projects = tuple(
        Project(head[0], "2023", f"u{n}", head[4], Decimal(n), indicators=tuple(
            Indicator(*cells) for cells in indicators)) for n, (head, indicators) in
        enumerate(rows))
    site = Site(units, projects)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    writer.writerows(csv_rows(site))
    assert to_csv(site) == "\ufeff" + buffer.getvalue()


@given(st.lists(st.text(max_size=6)))
def test_json_array_bytes_is_json_array_in_utf8(items: list[str]) -> None:
    from site_builder.export import json_array, json_array_bytes

    texts = [dumps_indented({"a": [item, {"b": item}]}) for item in items]
    assert json_array_bytes([t.encode("utf-8") for t in texts]) == \
        json_array(texts).encode("utf-8")

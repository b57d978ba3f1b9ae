"""Check a composed YAML tree against a :mod:`site_builder.content.schema` field table."""

from __future__ import annotations

import difflib
import re
from decimal import Decimal

from site_builder.content.schema import HINTS, INDICATOR_KEYS, PATTERNS, FieldSpec
from site_builder.content.validate_categories import check_categories
from site_builder.content.yamlsafe import YNode
from site_builder.diagnostics import Diagnostic, Position
from site_builder.i18n import N_, _
from site_builder.model import Indicator

Fields = dict[str, object]


def _err(pos: Position, message: str, hint: str = "", code: str = "") -> Diagnostic:
    return Diagnostic(pos, "error", message, hint, code)


WHAT: dict[str, str] = {"project": N_("project"), "unit": N_("unit"),
                        "indicator": N_("indicator"), "evaluation": N_("self-evaluation"),
                        "row": N_("row")}
"""How messages name each sort of mapping :func:`check_mapping` reads (translated where
shown)."""
_KIND_NAMES: dict[str, str] = {"id": N_("id"), "year": N_("year"), "code": N_("code"),
                               "decimal": N_("decimal number")}
"""How messages name each typed field's kind (translated where shown)."""


def check_mapping(node: YNode | None, specs: tuple[FieldSpec, ...], what: str,
                  file_pos: Position) -> tuple[Fields, dict[str, Position], list[Diagnostic]]:
    """Read the known keys of ``node``; report unknown, missing and mistyped ones.

    ``what``: a key of :data:`WHAT` (``project``, ``unit``, ``indicator``)."""
    what = _(WHAT.get(what, what))
    if node is None or node.kind != "map":
        found = _("an empty file") if node is None else node.describe()
        pos = file_pos if node is None else node.pos
        return {}, {}, [_err(pos, _("a {what} must be a mapping of keys, not {found}").format(
                             what=what, found=found),
                             _("start from a file written by 'site-builder import' or "
                               "'site-builder init'"), "not-a-mapping")]
    by_name = _by_name(specs)
    values: Fields = {}
    positions: dict[str, Position] = {}
    problems: list[Diagnostic] = []
    for key, (key_node, value_node) in node.value.items():
        spec = by_name.get(key)
        if spec is None:
            problems.append(_unknown_key(key, key_node.pos, list(by_name), what))
            continue
        positions[key] = value_node.pos
        value, field_problems = read_field(spec, value_node)
        problems.extend(field_problems)
        values[key] = value
    for spec in specs:
        if spec.required and values.get(spec.name) in (None, ""):
            if spec.name not in values:
                problems.append(_err(node.pos, _("the {what} has no '{field}'").format(
                                         what=what, field=spec.name),
                                     _("add '{field}:' ({doc})").format(field=spec.name,
                                                                       doc=_(spec.doc)),
                                     "missing-field"))
            elif not any(d.pos == positions[spec.name] for d in problems):
                problems.append(_err(positions[spec.name], _("'{field}' is empty").format(
                                         field=spec.name), _(spec.doc), "missing-field"))
    return values, positions, problems


_SPECS_BY_NAME: dict[int, tuple[tuple[FieldSpec, ...], dict[str, FieldSpec]]] = {}
"""Each field table's specs by key, keyed by the table's id (the table is kept alive)."""


def _by_name(specs: tuple[FieldSpec, ...]) -> dict[str, FieldSpec]:
    known = _SPECS_BY_NAME.get(id(specs))
    if known is None or known[0] is not specs:
        known = _SPECS_BY_NAME[id(specs)] = (specs, {s.name: s for s in specs})
    return known[1]


def _unknown_key(key: str, pos: Position, allowed: list[str], what: str) -> Diagnostic:
    close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
    hint = _("did you mean '{name}'?").format(name=close[0]) if close else \
        _("allowed keys: {keys}").format(keys=", ".join(allowed))
    return _err(pos, _("unknown key '{key}' in the {what}").format(key=key, what=what), hint,
                "unknown-key")


def read_field(spec: FieldSpec, node: YNode) -> tuple[object, list[Diagnostic]]:
    """Convert one value to its Python form, with diagnostics when it does not fit."""
    if spec.kind == "texts":
        return _read_texts(spec, node)
    if spec.kind == "indicators":
        return _read_indicators(node)
    if spec.kind == "rows":
        return _read_rows(spec, node)
    if node.kind == "null":
        return None, []
    if node.kind != "str":
        return None, [_err(node.pos, _("'{field}' must be text, not {found}").format(
                               field=spec.name, found=node.describe()),
                           _(HINTS.get(spec.kind, spec.doc)), "wrong-type")]
    text: str = node.value
    if spec.kind in PATTERNS and not re.match(PATTERNS[spec.kind], text.strip()):
        return None, [_err(node.pos, _("'{field}' is {value}, which is not a valid "
                                       "{kind}").format(field=spec.name, value=repr(text),
                                                        kind=_(_KIND_NAMES[spec.kind])),
                           _(HINTS[spec.kind]), "wrong-format")]
    if spec.kind == "decimal":
        return Decimal(text.strip()), []
    return (text.strip() if spec.kind in PATTERNS else text), []


def _read_texts(spec: FieldSpec, node: YNode) -> tuple[object, list[Diagnostic]]:
    if node.kind == "null":
        return (), []
    if node.kind == "str":
        return (node.value,), []
    if node.kind != "seq":
        return (), [_err(node.pos, _("'{field}' must be a list of text").format(
                             field=spec.name),
                         _("write each entry on its own line starting with '- '"),
                         "wrong-type")]
    items: list[str] = []
    problems = []
    for item in node.value:
        if item.kind == "str":
            items.append(item.value)
        elif item.kind != "null":
            problems.append(_err(item.pos, _("an entry of '{field}' must be text, not "
                                             "{found}").format(field=spec.name,
                                                               found=item.describe()),
                                 _("quote the entry"), "wrong-type"))
    return tuple(items), problems


def _read_indicators(node: YNode) -> tuple[object, list[Diagnostic]]:
    if node.kind == "null":
        return (), []
    if node.kind != "seq":
        return (), [_err(node.pos, _("'{field}' must be a list").format(field="indicators"),
                         _("write one '- {example}' per row").format(
                             example="{level1: …, level2: …, name: …, value: …}"),
                         "wrong-type")]

    indicators: list[Indicator] = []
    problems: list[Diagnostic] = []
    for item in node.value:
        plain = _plain_indicator(item)
        if plain is not None:
            problems.extend(check_categories(plain))
            indicators.append(plain)
            continue
        values, _positions, found = check_mapping(item, INDICATOR_KEYS, "indicator", item.pos)
        problems.extend(found)
        if found:
            continue
        indicator = Indicator(
            level1=str(values.get("level1") or ""), level2=str(values.get("level2") or ""),
            name=str(values.get("name") or ""), value=str(values.get("value") or ""),
            pos=item.pos,
        )
        problems.extend(check_categories(indicator))
        indicators.append(indicator)
    return tuple(indicators), problems


Row = tuple[Fields, Position]
"""One entry of a ``rows`` field: its checked keys and where it is."""


def _read_rows(spec: FieldSpec, node: YNode) -> tuple[object, list[Diagnostic]]:
    """The entries of a list of mappings (``rows``), each checked against ``spec.rows``."""
    if node.kind == "null":
        return (), []
    if node.kind != "seq":
        return (), [_err(node.pos, _("'{field}' must be a list").format(field=spec.name),
                         _("write one '- {example}' per row").format(
                             example="{" + ", ".join(f"{key.name}: …" for key in spec.rows[:3])
                             + ", …}"), "wrong-type")]
    rows: list[Row] = []
    problems: list[Diagnostic] = []
    for item in node.value:
        values, _positions, found = check_mapping(item, spec.rows, "row", item.pos)
        problems.extend(found)
        if not found:
            rows.append((values, item.pos))
    return tuple(rows), problems


_INDICATOR_NAMES = frozenset(spec.name for spec in INDICATOR_KEYS)
"""Keys of an indicator; all are plain text and only ``name`` is required."""


def _plain_indicator(item: YNode) -> Indicator | None:
    """The indicator of an entry whose keys are known and whose values are text or empty, with
    a name, exactly as :func:`check_mapping` reads it; None for anything else, which the
    general path then reads and reports (a shortcut for the 100,000 entries of a large site)."""
    if item.kind != "map":
        return None
    found: dict[str, str] = {}
    for key, (_key, value) in item.value.items():

        if key not in _INDICATOR_NAMES or value.kind == "map" or value.kind == "seq":
            return None
        if value.value is not None:
            found[key] = value.value
    if not found.get("name"):
        return None
    return Indicator(level1=found.get("level1", ""), level2=found.get("level2", ""),
                     name=found["name"], value=found.get("value", ""), pos=item.pos)

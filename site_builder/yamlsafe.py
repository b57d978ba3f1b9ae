"""Hardened YAML loading into a positioned tree.

* safe composition only (no object construction, no custom tags);
* every scalar stays the string it was written as: ``002001``, ``0.10``, ``no`` and
  ``2023-01-01`` keep their meaning as written; only an empty value, ``~`` or ``null`` is null;
* limits on file size, nesting depth, aliases and expanded size, so an alias bomb fails fast;
* duplicate keys are errors (PyYAML would silently keep the last one).
"""

from __future__ import annotations

from pathlib import Path
from sys import intern
from typing import Any, Literal, NamedTuple

import yaml

from site_builder.diagnostics import Position, SiteBuilderError, error

MAX_FILE_BYTES = 2_000_000
"""Largest YAML file accepted."""
MAX_DEPTH = 40
"""Deepest nesting accepted."""
MAX_ALIASES = 100
"""Most ``*alias`` references accepted in one file."""
MAX_NODES = 200_000
"""Most values in one file once aliases are expanded."""

NULLS = frozenset({"", "~", "null", "Null", "NULL"})


class YNode(NamedTuple):
    """A YAML value with its position: a mapping, a sequence, a string or null.

    A named tuple rather than a frozen dataclass: a 10,000-project site makes 1.3 million of
    them, and a tuple is made three times faster (its :class:`Position` only when asked).
    """

    kind: Literal["map", "seq", "str", "null"]
    """What sort of value this is."""
    value: Any
    """dict[str, tuple[YNode, YNode]] (key node, value node), list[YNode], str or None."""
    path: str
    """File the value is in, as shown to the user."""
    line: int
    """1-based line where the value starts."""
    col: int
    """1-based column where the value starts."""

    @property
    def pos(self) -> Position:
        """Where the value starts."""
        return Position(self.path, self.line, self.col)

    def describe(self) -> str:
        return {"map": "a mapping", "seq": "a list", "str": "text", "null": "empty"}[self.kind]


class _LimitedLoader(yaml.SafeLoader):
    """SafeLoader whose composer counts aliases and depth."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.alias_count = 0
        self.depth = 0

    def _mark(self) -> Any:
        return self.peek_event().start_mark  # type: ignore[no-untyped-call]

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            self.alias_count += 1
            if self.alias_count > MAX_ALIASES:
                raise _Limit(self._mark(), f"more than {MAX_ALIASES} aliases")
        self.depth += 1
        try:
            if self.depth > MAX_DEPTH:
                raise _Limit(self._mark(), f"nesting deeper than {MAX_DEPTH}")
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


class _Limit(Exception):
    def __init__(self, mark: Any, what: str) -> None:
        super().__init__(what)
        self.mark = mark
        self.what = what


def load_yaml_file(path: Path, shown: str) -> YNode | None:
    """Load ``path`` (shown as ``shown``); raise :class:`SiteBuilderError` on problems."""
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise SiteBuilderError([error(shown, f"file is {size} bytes, larger than the "
                                      f"{MAX_FILE_BYTES} bytes allowed", "split it or remove "
                                      "pasted binary data", code="file-too-large")])
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise SiteBuilderError([error(shown, "file is not UTF-8 text", "save it as UTF-8",
                                      line=line, col=1, code="encoding")]) from None
    return load_yaml_text(text, shown)


def load_yaml_text(text: str, shown: str) -> YNode | None:
    """Compose ``text`` into a :class:`YNode` tree, or raise :class:`SiteBuilderError`."""
    try:
        return _compose(text, shown)
    except _Limit as exc:
        raise SiteBuilderError([_at(shown, exc.mark, f"YAML {exc.what}",
                                    "anchors and aliases are not needed in content files; "
                                    "write the values out", "yaml-limit")]) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = (exc.problem or exc.context or "invalid YAML").strip()
        if "maximum nesting depth" in problem:  # libyaml 0.2.6+ stops at its own depth
            # limit while scanning ahead, before our event pass sees the 41st level
            raise SiteBuilderError([_at(shown, mark, f"YAML nesting deeper than {MAX_DEPTH}",
                                        "content files need only a few levels; check the "
                                        "brackets", "yaml-limit")]) from None
        raise SiteBuilderError([_at(shown, mark, f"invalid YAML: {problem}",
                                    _syntax_hint(problem, _char_at(text, mark)),
                                    "yaml-syntax")]) from None
    except yaml.YAMLError as exc:
        raise SiteBuilderError([error(shown, f"invalid YAML: {exc}", "check the file's syntax",
                                      code="yaml-syntax")]) from None


def _compose(text: str, shown: str) -> YNode | None:
    """The tree of ``text``: straight from libyaml's events when the file is plain (the usual
    case), else through a composed node graph that handles and reports everything else."""
    if _FAST:
        try:
            return _plain_tree(text, shown)
        except _NotPlain:
            pass
    node = _compose_fast(text) if _FAST else _compose_checked(text)
    if node is None:
        return None
    if ("*" in text or "<<" in text) and _expanded_size(node, {}) > MAX_NODES:
        raise SiteBuilderError([error(shown, f"more than {MAX_NODES} values after expanding "
                                      "aliases", "remove anchors and aliases", code="yaml-limit")])
    return _convert(node, shown, [0])


def _expanded_size(node: yaml.Node, memo: dict[int, int]) -> int:
    """Number of values ``node`` stands for once aliases are expanded (linear time)."""
    known = memo.get(id(node))
    if known is not None:
        return known
    size = 1
    if isinstance(node, yaml.SequenceNode):
        size += sum(_expanded_size(item, memo) for item in node.value)
    elif isinstance(node, yaml.MappingNode):
        size += sum(_expanded_size(k, memo) + _expanded_size(v, memo) for k, v in node.value)
    memo[id(node)] = size
    return size


_FAST = bool(getattr(yaml, "__with_libyaml__", False))
"""Use libyaml when PyYAML has it: about 15 times faster than the pure-Python composer."""
if _FAST:
    from yaml._yaml import CParser


def _compose_checked(text: str) -> Any:
    """Pure-Python composition that counts depth and aliases as it goes."""
    loader = _LimitedLoader(text)
    try:
        return loader.get_single_node()
    finally:
        loader.dispose()


def _compose_fast(text: str) -> Any:
    """libyaml composition, after a flat pass over its events enforces depth and alias limits.

    libyaml's composer recurses without a limit (deep nesting crashes the process), so the
    event stream is checked first; events come from C and the pass costs well under 1 ms.
    """
    depth = aliases = 0
    for event in yaml.parse(text, Loader=yaml.CSafeLoader):
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                raise _Limit(event.start_mark, f"nesting deeper than {MAX_DEPTH}")
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
        elif isinstance(event, yaml.AliasEvent):
            aliases += 1
            if aliases > MAX_ALIASES:
                raise _Limit(event.start_mark, f"more than {MAX_ALIASES} aliases")
    return yaml.compose(text, Loader=yaml.CSafeLoader)


class _NotPlain(Exception):
    """The file uses something :func:`_plain_tree` leaves to the composer: anchors, aliases,
    tags, several documents, a key that is not text or repeats, or very many values."""


_SCALAR, _MAP_START, _SEQ_START = yaml.ScalarEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent
_ENDS = (yaml.MappingEndEvent, yaml.SequenceEndEvent)


def _plain_tree(text: str, shown: str) -> YNode | None:
    """The tree of a plain file in one pass over libyaml's events, without composing nodes.

    Any event the pass does not expect raises :class:`_NotPlain` before a value could differ,
    and the caller composes the file instead, so results and errors are the composer's (the
    depth limit and syntax errors are raised here at the same event as there).  One loop on
    purpose: it runs for every one of the million values of a large site; nodes are made with
    ``tuple.__new__`` (what the named tuple's constructor calls) for the same reason.
    """
    marked = "&" in text or "!" in text  # else no node can have an anchor or a tag
    make = tuple.__new__
    parser = CParser(text)
    try:
        get = parser.get_event
        get()  # StreamStartEvent
        if type(get()) is yaml.StreamEndEvent:
            return None
        root: YNode | None = None
        stack: list[tuple[Any, YNode | None]] = []
        container: Any = None  # dict or list being filled; None at the top
        key: YNode | None = None  # key waiting for its value when container is a dict
        count = 0
        while True:
            event: Any = get()
            kind = type(event)
            if kind is _SCALAR:
                if marked and (event.anchor is not None or event.tag is not None):
                    raise _NotPlain
                mark = event.start_mark
                value = event.value
                if not event.style and value in NULLS:
                    node = make(YNode, ("null", None, shown, mark.line + 1, mark.column + 1))
                else:  # interned: a site repeats the same texts (产出指标, ≥95%) by the 100,000
                    node = make(YNode, ("str", intern(value), shown, mark.line + 1,
                                        mark.column + 1))
            elif kind is _MAP_START or kind is _SEQ_START:
                if marked and (event.anchor is not None or event.tag is not None):
                    raise _NotPlain
                mark = event.start_mark
                if len(stack) >= MAX_DEPTH:
                    raise _Limit(mark, f"nesting deeper than {MAX_DEPTH}")
                new: Any = {} if kind is _MAP_START else []
                node = make(YNode, ("map" if kind is _MAP_START else "seq", new, shown,
                                    mark.line + 1, mark.column + 1))
            elif kind in _ENDS:
                container, key = stack.pop()
                continue
            elif kind is yaml.DocumentEndEvent and type(get()) is yaml.StreamEndEvent:
                return root
            else:  # an alias, or a second document
                raise _NotPlain
            count += 1
            if count > MAX_NODES:
                raise _NotPlain
            if container is None:
                root = node
            elif type(container) is list:
                container.append(node)
            elif key is None:
                if node.kind != "str" or node.value in container:
                    raise _NotPlain
                key = node
            else:
                container[key.value] = (key, node)
                key = None
            if kind is not _SCALAR:
                stack.append((container, key))
                container, key = node.value, None
    finally:
        parser.dispose()


def _char_at(text: str, mark: Any) -> str:
    if mark is None:
        return ""
    lines = text.splitlines()
    line = lines[mark.line] if mark.line < len(lines) else ""
    return line[mark.column] if mark.column < len(line) else ""


def _syntax_hint(problem: str, char: str = "") -> str:
    if char == "\t" or "'\\t'" in problem or "tab" in problem:
        return "YAML does not allow tab characters for indentation; use spaces"
    if "mapping values are not allowed" in problem:
        return "put text that contains ': ' in quotes"
    return "check indentation and quoting near this position"


def _at(shown: str, mark: Any, message: str, hint: str, code: str) -> Any:
    line = mark.line + 1 if mark is not None else 0
    col = mark.column + 1 if mark is not None else 0
    return error(shown, message, hint, line, col, code)


def _pos(shown: str, node: yaml.Node) -> Position:
    return Position(shown, node.start_mark.line + 1, node.start_mark.column + 1)


def _convert(node: yaml.Node, shown: str, counter: list[int]) -> YNode:
    counter[0] += 1
    if counter[0] > MAX_NODES:
        raise SiteBuilderError([error(shown, f"more than {MAX_NODES} values after expanding "
                                      "aliases", "remove anchors and aliases", code="yaml-limit")])
    pos = _pos(shown, node)
    line, col = pos.line, pos.col
    if node.tag not in _ALLOWED_TAGS:
        raise SiteBuilderError([error(shown, f"custom YAML tag {node.tag!r} is not allowed",
                                      "remove the tag", pos.line, pos.col, "yaml-tag")])
    if isinstance(node, yaml.ScalarNode):
        text = str(node.value)
        if not node.style and text in NULLS:
            return YNode("null", None, shown, line, col)
        return YNode("str", text, shown, line, col)
    if isinstance(node, yaml.SequenceNode):
        items = [_convert(item, shown, counter) for item in node.value]
        return YNode("seq", items, shown, line, col)
    return YNode("map", _convert_mapping(node, shown, counter), shown, line, col)


_ALLOWED_TAGS = frozenset({"!"} | {f"tag:yaml.org,2002:{name}" for name in (
    "str", "int", "float", "bool", "null", "map", "seq", "timestamp", "value", "merge")})


def _convert_mapping(node: yaml.Node, shown: str,
                     counter: list[int]) -> dict[str, tuple[YNode, YNode]]:
    result: dict[str, tuple[YNode, YNode]] = {}
    for key_node, value_node in node.value:
        key = _convert(key_node, shown, counter)
        if key.kind != "str":
            raise SiteBuilderError([error(shown, f"a key must be text, not {key.describe()}",
                                          "write keys as plain words", key.pos.line,
                                          key.pos.col, "yaml-key")])
        if key.value in result:
            first = result[key.value][0].pos
            raise SiteBuilderError([error(shown, f"duplicate key {key.value!r} (first at line "
                                          f"{first.line})", "keep only one of them",
                                          key.pos.line, key.pos.col, "duplicate-key")])
        result[key.value] = (key, _convert(value_node, shown, counter))
    return result

"""Hardened YAML loading into a positioned tree.

* safe composition only (no object construction, no custom tags);
* every scalar stays the string it was written as: ``002001``, ``0.10``, ``no`` and
  ``2023-01-01`` keep their meaning as written; only an empty value, ``~`` or ``null`` is null;
* limits on file size (``limit_yaml_mb``), nesting depth, aliases and expanded size, so an
  alias bomb fails fast, at the alias that crosses the limit;
* duplicate keys are errors (PyYAML would silently keep the last one);
* every error is positioned: syntax errors at the mistake where it can be told (a full-width
  colon typed with a Chinese input method, a ``{`` not closed; see
  :mod:`~site_builder.content.yaml_mistakes`), control characters at their line and column.
"""

from __future__ import annotations

from pathlib import Path
from sys import intern
from typing import Any, Literal, NamedTuple

import yaml

from site_builder.content import yaml_mistakes
from site_builder.diagnostics import Diagnostic, Position, SiteBuilderError, error
from site_builder.i18n import N_, _
from site_builder.limits import DEFAULT_LIMITS, InputLimits

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
        return _(_KINDS[self.kind])


_KINDS = {"map": N_("a mapping"), "seq": N_("a list"), "str": N_("text"), "null": N_("empty")}
"""How a message names each kind of value (translated where shown)."""


class _Limit(Exception):
    """A structural limit crossed at ``mark`` (``what``: what was crossed, or a diagnostic's
    whole message when ``hint`` is given; both already translated)."""

    def __init__(self, mark: Any, what: str, hint: str = "") -> None:
        super().__init__(what)
        self.mark = mark
        self.what = what
        self.hint = hint

    def diagnostic(self, shown: str) -> Diagnostic:
        if self.hint:
            return _at(shown, self.mark, self.what, self.hint, "yaml-limit")
        return _at(shown, self.mark, _("YAML {limit}").format(limit=self.what),
                   _("anchors and aliases are not needed in content files; write the values "
                     "out"), "yaml-limit")


def load_yaml_file(path: Path, shown: str, limits: InputLimits = DEFAULT_LIMITS
                   ) -> YNode | None:
    """Load ``path`` (shown as ``shown``); raise :class:`SiteBuilderError` on problems."""
    limits.check_file(path, shown, "limit_yaml_mb")
    raw = path.read_bytes()
    limits.check_size(len(raw), shown, "limit_yaml_mb")  # it may have grown meanwhile
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise SiteBuilderError([error(shown, _("file is not UTF-8 text"), _("save it as UTF-8"),
                                      line=line, col=1, code="encoding")]) from None
    return load_yaml_text(text, shown)


def load_yaml_text(text: str, shown: str) -> YNode | None:
    """Compose ``text`` into a :class:`YNode` tree, or raise :class:`SiteBuilderError`."""
    if "\x85" in text:  # a C1 control YAML would read as a line break
        found = yaml_mistakes.find_control(text, shown)
        if found is not None:
            raise SiteBuilderError([found])
    try:
        return _compose(text, shown)
    except _Limit as exc:
        raise SiteBuilderError([exc.diagnostic(shown)]) from None
    except yaml.reader.ReaderError:
        found = yaml_mistakes.find_control(text, shown)
        raise SiteBuilderError([found or error(shown, _("the file holds characters YAML does "
                                                        "not read"),
                                               _("save it as UTF-8 text"), 1, 1,
                                               "control-character")]) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = (exc.problem or exc.context or "invalid YAML").strip()
        if "maximum nesting depth" in problem:  # libyaml 0.2.6+ stops at its own depth
            # limit while scanning ahead, before our event pass sees the 41st level
            raise SiteBuilderError([_at(
                shown, mark, _("YAML nesting deeper than {depth}").format(depth=MAX_DEPTH),
                _("content files need only a few levels; check the brackets"),
                "yaml-limit")]) from None
        found = yaml_mistakes.explain(text, shown, problem, exc.problem_mark,
                                      exc.context or "", exc.context_mark)
        raise SiteBuilderError([found or _at(
            shown, mark, _("invalid YAML: {problem}").format(problem=problem),
            _syntax_hint(problem, _char_at(text, mark)),
            "yaml-syntax")]) from None
    except yaml.YAMLError as exc:
        raise SiteBuilderError([error(shown, _("invalid YAML: {problem}").format(problem=exc),
                                      _("check the file's syntax"),
                                      1, 1, code="yaml-syntax")]) from None


def _compose(text: str, shown: str) -> YNode | None:
    """The tree of ``text``: straight from libyaml's events when the file is plain (the usual
    case), else through a composed node graph that handles and reports everything else."""
    if _FAST:
        try:
            return _plain_tree(text, shown)
        except _NotPlain:
            pass
    loader: Any = yaml.CSafeLoader if _FAST else yaml.SafeLoader
    _check_events(yaml.parse(text, Loader=loader))
    node = yaml.compose(text, Loader=loader)
    if node is None:
        return None
    return _convert(node, shown, text)


_FAST = bool(getattr(yaml, "__with_libyaml__", False))
"""Use libyaml when PyYAML has it: about 15 times faster than the pure-Python composer."""
if _FAST:
    from yaml._yaml import CParser


def _check_events(events: Any) -> None:
    """Enforce the depth, alias and size limits in one flat pass over the parser's events,
    before anything is composed (the composers recurse without a limit, and expanding
    aliases is where a bomb costs).  The size counts what every alias stands for, so the
    error points at the first alias that takes the file over :data:`MAX_NODES`."""
    depth = aliases = total = 0
    sizes: dict[str, int] = {}  # anchor → values it stands for
    open_: list[tuple[str | None, int]] = []  # collections being read: (anchor, total before)
    for event in events:
        kind = type(event)
        if kind is yaml.ScalarEvent:
            total += 1
            if event.anchor is not None:
                sizes[event.anchor] = 1
        elif kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent:
            depth += 1
            if depth > MAX_DEPTH:
                raise _Limit(event.start_mark,
                             _("nesting deeper than {depth}").format(depth=MAX_DEPTH))
            open_.append((event.anchor, total))
            total += 1
        elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
            depth -= 1
            anchor, before = open_.pop()
            if anchor is not None:
                sizes[anchor] = total - before
        elif kind is yaml.AliasEvent:
            aliases += 1
            if aliases > MAX_ALIASES:
                raise _Limit(event.start_mark,
                             _("more than {count} aliases").format(count=MAX_ALIASES))
            total += sizes.get(event.anchor, 1)
            if total > MAX_NODES:
                line, col = event.start_mark.line + 1, event.start_mark.column + 1
                raise _Limit(event.start_mark, _(
                    "once the alias '*{anchor}' at line {line}, column {col} is expanded, the "
                    "file holds more than {count} values; reading stopped").format(
                        anchor=event.anchor, line=line, col=col, count=MAX_NODES),
                             _("content files need no anchors or aliases (& and *); write "
                               "the values out"))
            continue
        else:
            continue
        if total > MAX_NODES:
            line, col = event.start_mark.line + 1, event.start_mark.column + 1
            raise _Limit(event.start_mark, _(
                "the file holds more than {count} values (at line {line}, column {col}); "
                "reading stopped").format(count=MAX_NODES, line=line, col=col),
                         _("split the content into several files"))


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
                style = event.style
                if not style and value in NULLS:
                    node = make(YNode, ("null", None, shown, mark.line + 1, mark.column + 1))
                else:  # interned: a site repeats the same texts (产出指标, ≥95%) by the 100,000
                    node = make(YNode, ("str", intern(value), shown, mark.line + 1,
                                        mark.column + 1))
                    if style == '"' or not value.isascii() and (
                            "：" in value or "\u3000" in value or
                            key is None and type(container) is dict):  # rare: _check_scalar
                        role = _VALUE if type(container) is dict and key is not None else \
                            _KEY if type(container) is dict else _ITEM
                        _check_scalar(value, style, shown, mark, event.end_mark, text, role)
            elif kind is _MAP_START or kind is _SEQ_START:
                if marked and (event.anchor is not None or event.tag is not None):
                    raise _NotPlain
                mark = event.start_mark
                if len(stack) >= MAX_DEPTH:
                    raise _Limit(mark, _("nesting deeper than {depth}").format(depth=MAX_DEPTH))
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
        return _("YAML does not allow tab characters for indentation; use spaces")
    if "mapping values are not allowed" in problem:
        return _("put text that contains ': ' in quotes")
    return _("check indentation and quoting near this position")


def _at(shown: str, mark: Any, message: str, hint: str, code: str) -> Diagnostic:
    line = mark.line + 1 if mark is not None else 0
    col = mark.column + 1 if mark is not None else 0
    return error(shown, message, hint, line, col, code)


def _pos(shown: str, node: yaml.Node) -> Position:
    return Position(shown, node.start_mark.line + 1, node.start_mark.column + 1)


_KEY, _ITEM, _VALUE = 0, 1, 2
"""Where a scalar stands: a mapping's key, a list item (or the whole document), a value."""


def _check_scalar(value: str, style: str | None, shown: str, start: Any, end: Any,
                  text: str, role: int) -> None:
    """Refuse a text whose full-width characters broke the structure (see
    :mod:`~site_builder.content.yaml_mistakes`; a control character written as an escape in a
    double-quoted text is read, and reported by :func:`control_warnings`).  Called only
    for double-quoted or non-ASCII text; a full-width character matters only in a key, or
    in plain text holding a full-width colon or space."""
    if style != '"' and role != _KEY and "：" not in value and "\u3000" not in value:
        return
    line, col = start.line + 1, start.column + 1
    if role == _KEY and not value.isascii():
        yaml_mistakes.check_key(value, shown, line, col, quoted=bool(style))
    if not style and ("：" in value or "\u3000" in value):
        yaml_mistakes.check_plain(value, shown, line, col, text, end.line + 1,
                                  as_item=role == _ITEM)


def _convert(node: yaml.Node, shown: str, text: str, role: int = _ITEM) -> YNode:
    pos = _pos(shown, node)
    line, col = pos.line, pos.col
    if node.tag not in _ALLOWED_TAGS:
        raise SiteBuilderError([error(shown, _("custom YAML tag {tag} is not allowed").format(
            tag=repr(node.tag)), _("remove the tag"), pos.line, pos.col, "yaml-tag")])
    if isinstance(node, yaml.ScalarNode):
        value = str(node.value)
        if not node.style and value in NULLS:
            return YNode("null", None, shown, line, col)
        if node.style == '"' or not value.isascii():
            _check_scalar(value, node.style, shown, node.start_mark, node.end_mark, text, role)
        return YNode("str", value, shown, line, col)
    if isinstance(node, yaml.SequenceNode):
        items = [_convert(item, shown, text) for item in node.value]
        return YNode("seq", items, shown, line, col)
    return YNode("map", _convert_mapping(node, shown, text), shown, line, col)


_ALLOWED_TAGS = frozenset({"!"} | {f"tag:yaml.org,2002:{name}" for name in (
    "str", "int", "float", "bool", "null", "map", "seq", "timestamp", "value", "merge")})


def _convert_mapping(node: yaml.Node, shown: str, text: str) -> dict[str, tuple[YNode, YNode]]:
    result: dict[str, tuple[YNode, YNode]] = {}
    for key_node, value_node in node.value:
        key = _convert(key_node, shown, text, _KEY)
        if key.kind != "str":
            raise SiteBuilderError([error(shown, _("a key must be text, not {found}").format(
                                              found=key.describe()),
                                          _("write keys as plain words"), key.pos.line,
                                          key.pos.col, "yaml-key")])
        if key.value in result:
            first = result[key.value][0].pos
            raise SiteBuilderError([error(shown, _(
                "duplicate key {key} (first at line {line})").format(
                    key=repr(key.value), line=first.line), _("keep only one of them"),

                                          key.pos.line, key.pos.col, "duplicate-key")])
        result[key.value] = (key, _convert(value_node, shown, text, _VALUE))
    return result


def control_warnings(node: YNode | None) -> list[Diagnostic]:
    """A warning at each text of ``node`` (a whole file) that holds a control character other
    than tab and line feed: such text is read as written, and left out of pages and feeds."""
    found: list[Diagnostic] = []
    stack = [node] if node is not None else []
    while stack:
        item = stack.pop()
        if item.kind == "str":
            char = yaml_mistakes.first_control(item.value)
            if char:
                found.append(yaml_mistakes.control(item.path, item.line, item.col, char,
                                                   "warning"))
        elif item.kind == "seq":
            stack.extend(reversed(item.value))
        elif item.kind == "map":
            for key_node, value_node in reversed(list(item.value.values())):
                stack.extend((value_node, key_node))
    return found

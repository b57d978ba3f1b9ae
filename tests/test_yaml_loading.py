"""Hardened YAML loading: values keep their meaning as written, attacks fail fast and clearly."""

from __future__ import annotations

import contextlib
import time
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from site_builder.content import yamlsafe
from site_builder.content.yamlsafe import MAX_ALIASES, MAX_DEPTH, load_yaml_text
from site_builder.diagnostics import SiteBuilderError


@pytest.fixture(autouse=True, params=["libyaml", "pure-python"])
def composer(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Run every test with both composers: libyaml (when present) and the pure-Python one."""
    if request.param == "libyaml" and not yamlsafe._FAST:
        pytest.fail("PyYAML was installed without libyaml")
    monkeypatch.setattr(yamlsafe, "_FAST", request.param == "libyaml")
    return str(request.param)


def scalars(text: str) -> dict[str, object]:
    node = load_yaml_text(text, "t.yaml")
    assert node is not None and node.kind == "map"
    return {k: v.value for k, (_, v) in node.value.items()}


def test_yaml11_surprises_keep_their_text() -> None:
    values = scalars("code: 002001\namount: 0.10\nanswer: no\nday: 2023-01-01\n"
                     "octal: 0o17\nsexagesimal: 1:20\nempty:\ntilde: ~\n")
    assert values == {"code": "002001", "amount": "0.10", "answer": "no", "day": "2023-01-01",
                      "octal": "0o17", "sexagesimal": "1:20", "empty": None, "tilde": None}


def test_quoted_null_is_text() -> None:
    assert scalars("a: 'null'\nb: ''\n") == {"a": "null", "b": ""}


def _error(text: str) -> str:
    with pytest.raises(SiteBuilderError) as info:
        load_yaml_text(text, "bad.yaml")
    return info.value.diagnostics[0].format()


def test_alias_bomb_fails_fast() -> None:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 10):
        prev = chr(ord("a") + i - 1)
        cur = chr(ord("a") + i)
        lines.append(f"{cur}: &{cur} [{', '.join(['*' + prev] * 9)}]")
    started = time.perf_counter()
    message = _error("\n".join(lines))
    assert time.perf_counter() - started < 5
    # the first alias that takes the file over the limit: one of the *e on line 6
    assert message.startswith("bad.yaml:6:")
    assert "the alias '*e' at line 6, column" in message
    assert "the file holds more than 200000 values" in message


def test_many_aliases_refused() -> None:
    text = "a: &x 1\nb: [" + ", ".join(["*x"] * (MAX_ALIASES + 1)) + "]\n"
    assert f"more than {MAX_ALIASES} aliases" in _error(text)


@pytest.mark.parametrize("depth", [MAX_DEPTH + 5, 100_000])
def test_deep_nesting_refused(depth: int) -> None:
    text = "a: " + "[" * depth + "]" * depth + "\n"
    assert "nesting deeper" in _error(text)


def test_duplicate_key_named_with_position() -> None:
    message = _error("name: a\nyear: 2023\nname: b\n")
    assert message.startswith("bad.yaml:3:1: error: duplicate key 'name'")


def test_python_tags_refused() -> None:
    assert "tag" in _error("a: !!python/object/apply:os.system ['echo hi']\n")
    assert "tag" in _error("a: !custom 1\n")


def test_tab_indentation_has_a_hint() -> None:
    message = _error("a:\n\tb: 1\n")
    assert "bad.yaml:2:" in message and "tab" in message


def test_large_file_refused(tmp_path: Path) -> None:
    from site_builder.content.yamlsafe import load_yaml_file
    from site_builder.limits import InputLimits

    big = tmp_path / "big.yaml"
    big.write_text("a: " + "x" * 1_000_001, encoding="utf-8")
    limits = InputLimits({**InputLimits().values, "limit_yaml_mb": 1})
    with pytest.raises(SiteBuilderError) as caught:
        load_yaml_file(big, "big.yaml", limits)
    found = caught.value.diagnostics[0]
    assert (found.code, str(found.pos)) == ("input-limit", "big.yaml")
    assert "YAML file size over the limit: 2 MB (the limit is 1 MB)" in found.message
    assert "limit_yaml_mb" in found.hint


def test_not_utf8(tmp_path: Path) -> None:
    from site_builder.content.yamlsafe import load_yaml_file

    bad = tmp_path / "gbk.yaml"
    bad.write_bytes("name: 项目\n".encode("gbk"))
    with pytest.raises(SiteBuilderError, match="not UTF-8"):
        load_yaml_file(bad, "gbk.yaml")


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab:- []{}&*!|>'\"#\n\t?,%@`~0123456789项目"))
               , max_size=80))
def test_arbitrary_text_never_crashes(text: str) -> None:
    try:
        load_yaml_text(text, "fuzz.yaml")
    except SiteBuilderError as exc:
        assert exc.diagnostics and exc.diagnostics[0].pos.path == "fuzz.yaml"


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=60))
def test_arbitrary_unicode_never_crashes(text: str) -> None:
    with contextlib.suppress(SiteBuilderError):
        load_yaml_text(text, "fuzz.yaml")


def _outcome(compose: object, text: str) -> object:
    """What ``compose`` gives for ``text``: a tree, or the kind and text of its error."""
    try:
        return compose(text)  # type: ignore[operator]
    except yamlsafe._NotPlain:
        return "not plain"
    except (yaml.YAMLError, yamlsafe._Limit) as exc:
        return type(exc).__name__, str(exc)
    except SiteBuilderError as exc:
        return [d.format() for d in exc.diagnostics]


def _composed(text: str) -> object:
    yamlsafe._check_events(yaml.parse(text, Loader=yaml.CSafeLoader))
    node = yaml.compose(text, Loader=yaml.CSafeLoader)
    return None if node is None else yamlsafe._convert(node, "t.yaml", text)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(list("ab:- []{}&*!|>'\"#\n?,~0项") + ["null", "  ", "- "]),
                max_size=40).map("".join))
def test_plain_pass_agrees_with_the_composer(text: str) -> None:
    """The one-pass reader of plain files gives the composer's tree or error, or steps aside."""
    plain = _outcome(lambda t: yamlsafe._plain_tree(t, "t.yaml"), text)
    if plain != "not plain":
        assert plain == _outcome(_composed, text)


def test_plain_pass_steps_aside_for_what_it_does_not_handle() -> None:
    for text in ("a: &x 1\nb: *x\n", "a: !!str 1\n", "a: 1\n---\nb: 2\n", "a: 1\na: 2\n",
                 "~: 1\n", "? [a]\n: 1\n"):
        assert _outcome(lambda t: yamlsafe._plain_tree(t, "t.yaml"), text) == "not plain"
    assert load_yaml_text("a: !!str 1\n", "t.yaml") is not None

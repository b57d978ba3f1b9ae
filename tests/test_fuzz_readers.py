"""Fuzzing the readers of text: any input gives a result or a positioned error, quickly.

The text table layouts get the real seed tables with lines dropped, doubled, cut and garbled,
and texts made of the characters tables are made of; the YAML reader gets texts made of the
pieces YAML and Chinese typing are made of (full-width punctuation, quotes, brackets, anchors,
escapes, control characters); the workbook reader gets small real workbooks whose sheet XML is
garbled.  Whatever comes in, the result is a result or a :class:`SiteBuilderError` naming the
file (for YAML also line and column), never another exception, and within a few seconds.
"""

from __future__ import annotations

import io
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import SEEDS
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from site_builder.content import yamlsafe
from site_builder.content.yamlsafe import load_yaml_text
from site_builder.diagnostics import SiteBuilderError
from site_builder.importers import LAYOUTS, detect_layout, xlsx

BOUND = 5.0
"""Seconds any one input may take (far more than any takes; the machine is shared)."""
SEED_LINES = [line for path in sorted(SEEDS.glob("*.txt"))
              for line in path.read_text(encoding="utf-8").splitlines()]


def outcome(read: Callable[[], object], shown: str, lines: bool) -> object:
    """Run ``read``; a SiteBuilderError must name ``shown`` (and a line and column when
    ``lines``).  Any other exception, or a run over :data:`BOUND`, fails the test."""
    started = time.perf_counter()
    try:
        result = read()
    except SiteBuilderError as exc:
        assert exc.diagnostics
        for found in exc.diagnostics:
            assert found.pos.path.startswith(shown), found.format()
            if lines:
                assert found.pos.line >= 1 and found.pos.col >= 1, found.format()
        result = exc
    assert time.perf_counter() - started < BOUND
    return result


_table_pieces = st.one_of(
    st.sampled_from(SEED_LINES),
    st.sampled_from(["\t", "\n", "|", " ", "合计", "产出指标", "数量指标", "效益指标", "备注：",
                     "目标一：", "≥95%", "5次", "3.28", "002001", "2023年", "<p>", "</p>",
                     "一、", "(一)", "1.", "\x00", "\x0c", "\ufeff", "\u3000", "：", "，"]),
    st.text(max_size=12),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_table_pieces, max_size=60).map("".join))
def test_text_tables_give_a_result_or_a_positioned_error(text: str) -> None:
    layout = detect_layout(text)
    for candidate in {layout, *LAYOUTS} - {None}:
        assert candidate is not None
        outcome(lambda candidate=candidate: candidate.parse(text, "fuzz.txt"), "fuzz.txt",
                lines=False)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_seed_tables_cut_and_garbled(data: st.DataObject) -> None:
    lines = list(SEED_LINES)
    for _ in range(data.draw(st.integers(0, 8))):
        at = data.draw(st.integers(0, len(lines) - 1))
        action = data.draw(st.sampled_from(["drop", "double", "cut", "garble"]))
        if action == "drop":
            del lines[at]
        elif action == "double":
            lines.insert(at, lines[at])
        elif action == "cut":
            lines[at] = lines[at][:data.draw(st.integers(0, max(0, len(lines[at]))))]
        else:
            lines[at] = data.draw(st.text(max_size=30)) + lines[at]
    text = "\n".join(lines)
    for layout in LAYOUTS:
        outcome(lambda layout=layout: layout.parse(text, "seed.txt"), "seed.txt", lines=False)


_yaml_pieces = st.one_of(
    st.sampled_from([
        "\n", "  ", "- ", ": ", ":", "：", "，", ",", "“", "”", "‘", "’", "（", "）", "【", "】",
        "\u3000", "１", "{", "}", "[", "]", "｛", "｝", '"', "'", "#", "&a ", "*a", "!!str ",
        "? ", "|", ">", "---\n", "name", "amount", "level1", "indicators", "goals", "值",
        "产出指标", "2023", "\\x1b", "\\f", "\\u0007", "\\", "\t", "\x01", "\x7f", "\x85",
        "\u2028", "\ufeff", "目标：", "id: p1\n", "- {level1: 产出指标, name: 次数, value: 5次}\n",
    ]),
    st.text(max_size=6),
)


@pytest.mark.parametrize("fast", [True, False], ids=["libyaml", "pure-python"])
def test_yaml_gives_a_tree_or_a_positioned_error(fast: bool,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(yamlsafe, "_FAST", fast)

    @settings(max_examples=400 if fast else 200, deadline=None,
              suppress_health_check=[HealthCheck.too_slow])
    @given(st.lists(_yaml_pieces, max_size=40).map("".join))
    def check(text: str) -> None:
        outcome(lambda: load_yaml_text(text, "fuzz.yaml"), "fuzz.yaml", lines=True)

    check()


def _workbook(tmp: Path) -> tuple[bytes, dict[str, bytes]]:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    rows = [["祁连县阿柔乡人民政府2023年部门预算项目支出绩效目标公开表"],
            ["单位编码", "单位及项目名称", "金额（万元）", "绩效目标", "一级指标", "二级指标",
             "三级指标", "指标值"],
            ["002001", "乡级人大代表活动经费", 3.28, "目标：示例。", "产出指标", "数量指标",
             "组织召开专委会", "5次"],
            [None, None, None, None, None, None, "组织召开人大代表会议", "=1+2"]]
    for row in rows:
        sheet.append(row)
    sheet.merge_cells("E3:E4")
    path = tmp / "seed.xlsx"
    book.save(path)
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    return path.read_bytes(), parts


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                 HealthCheck.function_scoped_fixture])
@given(st.data())
def test_garbled_workbooks_give_a_result_or_a_positioned_error(tmp_path: Path,
                                                               data: st.DataObject) -> None:
    _, parts = _workbook(tmp_path)
    name = data.draw(st.sampled_from(sorted(n for n in parts if n.endswith(".xml"))))
    body = bytearray(parts[name])
    for _ in range(data.draw(st.integers(1, 6))):
        at = data.draw(st.integers(0, len(body) - 1))
        action = data.draw(st.sampled_from(["set", "cut", "insert"]))
        if action == "set":
            body[at] = data.draw(st.sampled_from(b'<>/="\'&;x0123456789ABrcvtsf '))
        elif action == "cut":
            del body[at:at + data.draw(st.integers(1, 40))]
        else:
            body[at:at] = data.draw(st.sampled_from(
                [b'<c r="B2" t="s"><v>99</v></c>', b'<c r="ZZZ9"><v>1</v></c>',
                 b'<mergeCell ref="A1:C9"/>', b"<row>", b"</row>", b'<f t="shared" si="0"/>',
                 b'<!DOCTYPE x [<!ENTITY a "b">]>', b"&a;", b'<c r="A1" t="b"><v>x</v></c>',
                 b'<c r="A1" s="999"><v>1e999</v></c>', b'<c r="A1" t="d"><v>x</v></c>']))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for part, content in parts.items():
            archive.writestr(part, bytes(body) if part == name else content)
    path = tmp_path / "garbled.xlsx"
    path.write_bytes(buffer.getvalue())
    outcome(lambda: xlsx.read(path, "garbled.xlsx"), "garbled.xlsx", lines=False)

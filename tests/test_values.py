"""The 指标值 parser: examples from the published tables and property tests."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from site_builder.values import KNOWN_UNITS, OPERATORS, parse_value


@pytest.mark.parametrize(("text", "expected"), [
    ("≥95%", {"kind": "quantity", "op": "≥", "number": "95", "unit": "%"}),
    ("≤0.76万元", {"kind": "quantity", "op": "≤", "number": "0.76", "unit": "万元"}),
    ("5次", {"kind": "quantity", "op": None, "number": "5", "unit": "次"}),
    ("31人次", {"kind": "quantity", "number": "31", "unit": "人次"}),
    ("≦0.3万元", {"kind": "quantity", "op": "≤", "op_published": "≦", "variant": True}),
    ("≒33.64万元", {"kind": "quantity", "op": "≈", "op_published": "≒", "variant": True}),
    ("≅95%", {"kind": "quantity", "op": "≈", "op_published": "≅", "variant": True}),
    ("≧90%", {"kind": "quantity", "op": "≥", "variant": True}),
    ("≤ 1.20万元", {"kind": "quantity", "op": "≤", "number": "1.20", "unit": "万元"}),
    ("95%以上", {"kind": "quantity", "op": "≥", "op_published": "以上", "number": "95"}),
    ("０.１０万元", {"kind": "quantity", "number": "0.10", "unit": "万元"}),
    ("９５％", {"kind": "quantity", "number": "95", "unit": "%"}),
    ("2021年12月31日", {"kind": "date", "year": 2021, "month": 12, "day": 31}),
    ("2021.12.31", {"kind": "date", "year": 2021, "month": 12, "day": 31}),
    ("2021年12月", {"kind": "date", "year": 2021, "month": 12, "day": None}),
    ("2021年1月至12月", {"kind": "period", "year": 2021, "month": 1, "end_month": 12}),
    ("2023全年", {"kind": "period", "year": 2023, "month": 1, "end_month": 12}),
    ("每月", {"kind": "period", "every": "月"}),
    ("每季度", {"kind": "period", "every": "季度"}),
    ("稳步提升", {"kind": "qualitative"}),
    ("健全", {"kind": "qualitative"}),
    ("是", {"kind": "qualitative"}),
    ("", {"kind": "empty"}),
    ("每场1.45万元以内", {"kind": "text"}),
    ("2021年按期完成培训任务。", {"kind": "text"}),
])
def test_published_values(text: str, expected: dict[str, object]) -> None:
    parsed = parse_value(text)
    for key, value in expected.items():
        assert getattr(parsed, key) == value, (text, key, parsed)


def test_unit_known_flag() -> None:
    assert parse_value("3个").unit_known
    assert not parse_value("3瓶子").unit_known


def test_display_normalises_variants_only() -> None:
    assert parse_value("≦0.3万元").display() == "≤0.3万元"
    assert parse_value("稳步提升").display() == ""


@given(st.text(max_size=40))
def test_never_raises(text: str) -> None:
    parsed = parse_value(text)
    assert parsed.kind in {"quantity", "date", "period", "qualitative", "text", "empty"}
    assert isinstance(parsed.to_json(), dict)


_numbers = st.from_regex(r"\A(0|[1-9][0-9]{0,5})(\.[0-9]{1,3})?\Z")


@given(op=st.sampled_from(sorted(k for k in OPERATORS if len(k) == 1)), number=_numbers,
       unit=st.sampled_from(sorted(u for u in KNOWN_UNITS if u not in {"年", "月", "日"})))
def test_comparisons_round_trip(op: str, number: str, unit: str) -> None:
    parsed = parse_value(f"{op}{number}{unit}")
    assert parsed.kind == "quantity"
    assert parsed.number == number  # exact decimal text, never a float
    assert parsed.unit == unit
    assert parsed.op == OPERATORS[op][0]
    assert parsed.variant == OPERATORS[op][1]


@given(year=st.integers(1990, 2099), month=st.integers(1, 12), day=st.integers(1, 28))
def test_dates_round_trip(year: int, month: int, day: int) -> None:
    for text in (f"{year}年{month}月{day}日", f"{year}.{month}.{day}"):
        parsed = parse_value(text)
        assert (parsed.kind, parsed.year, parsed.month, parsed.day) == ("date", year, month, day)

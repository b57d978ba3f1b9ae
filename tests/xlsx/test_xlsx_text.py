"""Cell values rendered as Excel displays them with their number format."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from site_builder.importers.xlsx_text import display_text


@pytest.mark.parametrize("value,fmt,shown", [
    (0.1, "0.00", "0.10"),
    (2001, "000000", "002001"),
    ("002001", "@", "002001"),
    (0.95, "0%", "95%"),
    (0.955, "0.0%", "95.5%"),
    (1234567.5, "#,##0.00", "1,234,567.50"),
    (3.28, "General", "3.28"),
    (0.1 + 0.2, "General", "0.3"),
    (5.0, "General", "5"),
    (2.675, "0.00", "2.68"),
    (-3, "0.00", "-3.00"),
    (-3, "0.00;(0.00)", "(3.00)"),
    (0, '0.00;-0.00;"-"', "-"),
    (12, '0"次"', "12次"),
    (12, "0\\人", "12人"),
    (3, "[$¥-804]#,##0.00", "¥3.00"),
    (3, "[Red]0.0", "3.0"),
    (Decimal("1.50"), "0.000", "1.500"),
    (1e20, "General", "1E+20"),
    (True, "General", "TRUE"),
    (None, "0.00", ""),
    (dt.datetime(2021, 12, 31), 'yyyy"年"m"月"d"日"', "2021年12月31日"),
    (dt.datetime(2021, 12, 31), "mm-dd-yy", "2021/12/31"),
    (dt.datetime(2021, 3, 5, 9, 7), "yyyy-mm-dd hh:mm", "2021-03-05 09:07"),
    (dt.date(2023, 1, 2), "yyyy.m.d", "2023.1.2"),
    (44561, "yyyy/m/d", "2021/12/31"),
    (dt.time(14, 30), "h:mm", "14:30"),
])
def test_display_text(value: object, fmt: str, shown: str) -> None:
    assert display_text(value, fmt) == shown

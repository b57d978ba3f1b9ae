"""The text a spreadsheet cell shows: its value rendered with the cell's number format.

Published data is evidence, so a cell is read as the clerk saw it in Excel: ``0.1`` formatted
``0.00`` reads ``0.10``, ``2001`` formatted ``000000`` reads ``002001``, ``0.95`` formatted
``0%`` reads ``95%``.  Only the parts of Excel's format language that budget tables use are
rendered (digits, decimals, grouping, percent, literals, dates); anything else falls back to
Excel's General format.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import ROUND_HALF_UP, Decimal

from openpyxl.styles.numbers import is_date_format
from openpyxl.utils.datetime import from_excel

LOCALE_FORMATS: dict[str, str] = {
    "mm-dd-yy": "yyyy/m/d",
    "d-mmm-yy": "yyyy/m/d",
    "m/d/yy h:mm": "yyyy/m/d h:mm",
}
"""Built-in formats Excel shows in the reader's locale; rendered as zh-CN Excel shows them."""

_BRACKET = re.compile(r"\[(?:\$(?P<symbol>[^\]-]*)(?:-[0-9A-Fa-f]+)?|[^\]]*)\]")
_TOKEN = re.compile(r'"(?P<quoted>[^"]*)"|\\(?P<escaped>.)|_.|\*.|(?P<char>.)', re.S)
_DATE_TOKEN = re.compile(r"yyyy|yy|mmmm|mmm|mm|m|dddd|ddd|dd|d|hh|h|ss|s|am/pm|a/p", re.I)
_PLACEHOLDERS = frozenset("0#?.,")


def display_text(value: object, number_format: str) -> str:
    """``value`` as a cell formatted with ``number_format`` displays it."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    fmt = LOCALE_FORMATS.get(number_format, number_format)
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return format_date(value, fmt)
    if isinstance(value, int | float | Decimal):
        if is_date_format(fmt) and isinstance(value, int | float):
            moment = from_excel(value)
            if moment is not None:
                return format_date(moment, fmt)
        return format_number(Decimal(repr(value)) if isinstance(value, float) else
                             Decimal(value), fmt)
    return str(value)


def general(number: Decimal) -> str:
    """Excel's General format: up to 11 significant digits, no trailing zeros."""
    if number == 0:
        return "0"
    text = f"{float(number):.11g}"
    if "e" in text:
        mantissa, exponent = text.split("e")
        return f"{mantissa}E{exponent[0]}{int(exponent[1:]):02d}"
    return text


def _section(fmt: str, number: Decimal) -> tuple[str, Decimal, str]:
    """The format section for ``number``, the value to render in it, and the sign to show."""
    sections = _split_sections(fmt)
    if number < 0 and len(sections) > 1:
        return sections[1], -number, ""
    if number == 0 and len(sections) > 2:
        return sections[2], number, ""
    return sections[0], abs(number), "-" if number < 0 else ""


def _split_sections(fmt: str) -> list[str]:
    sections, current, quoted = [], "", False
    for char in fmt:
        if char == '"':
            quoted = not quoted
        if char == ";" and not quoted:
            sections.append(current)
            current = ""
        else:
            current += char
    return [*sections, current]


def _tokens(fmt: str) -> list[tuple[str, bool]]:
    """(text, is_format_character) pairs; literals come back with quotes and escapes removed."""
    fmt = _BRACKET.sub(lambda m: m["symbol"] or "", fmt)
    tokens: list[tuple[str, bool]] = []
    for match in _TOKEN.finditer(fmt):
        if match["quoted"] is not None:
            tokens.append((match["quoted"], False))
        elif match["escaped"] is not None:
            tokens.append((match["escaped"], False))
        elif match["char"] is not None:
            tokens.append((match["char"], True))
        else:
            tokens.append((" " if match.group().startswith("_") else "", False))
    return tokens


def format_number(number: Decimal, number_format: str) -> str:
    """``number`` rendered with a numeric format such as ``0.00``, ``#,##0``, ``000000``, ``0%``."""
    if number_format in ("General", "", "@"):
        return general(number)
    fmt, value, sign = _section(number_format, number)
    tokens = _tokens(fmt)
    core = [i for i, (text, is_fmt) in enumerate(tokens) if is_fmt and text in _PLACEHOLDERS]
    if fmt.strip().lower() == "general" or any(is_fmt and t in "Ee/" for t, is_fmt in tokens):
        return f"{sign}{general(value)}"
    if not core:
        return "".join(text for text, _ in tokens)
    first, last = core[0], core[-1]
    pattern = "".join(text for text, _ in tokens[first:last + 1])
    if any(text == "%" and is_fmt for text, is_fmt in tokens):
        value *= 100
    prefix = "".join(text for text, _ in tokens[:first])
    suffix = "".join(text for text, _ in tokens[last + 1:])
    return f"{sign}{prefix}{_digits(value, pattern)}{suffix}"


def _digits(value: Decimal, pattern: str) -> str:
    integer_part, _, decimal_part = pattern.partition(".")
    scale = sum(1 for c in integer_part[::-1] if c == ",") if integer_part.endswith(",") else 0
    value /= Decimal(1000) ** scale
    integer_pattern = integer_part.rstrip(",")
    places = sum(1 for c in decimal_part if c in "0#?")
    rounded = value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    whole, _, fraction = f"{rounded:f}".partition(".")
    min_int = sum(1 for c in integer_pattern if c == "0")
    whole = whole.lstrip("0").rjust(min_int, "0")
    if "," in integer_pattern:
        whole = f"{int(whole or '0'):,}" if whole else whole
    required = sum(1 for c in decimal_part if c == "0")
    fraction = fraction.rstrip("0").ljust(required, "0") if places else ""
    return f"{whole}.{fraction}" if fraction or (decimal_part and required) else whole


def format_date(moment: dt.datetime | dt.date | dt.time, number_format: str) -> str:
    """A date or time rendered with a date format such as ``yyyy"年"m"月"d"日"``."""
    fmt = _split_sections(number_format)[0]
    if not is_date_format(fmt):
        timed = isinstance(moment, dt.datetime) and (moment.hour or moment.minute)
        fmt = "yyyy/m/d h:mm" if timed else "yyyy/m/d"
    runs: list[tuple[str, bool]] = []
    for text, is_fmt in _tokens(fmt):
        if runs and is_fmt and runs[-1][1]:
            runs[-1] = (runs[-1][0] + text, True)
        else:
            runs.append((text, is_fmt))
    pieces: list[str] = []
    after_hour = False
    for text, is_fmt in runs:
        if not is_fmt:
            pieces.append(text)
            continue
        position = 0
        for match in _DATE_TOKEN.finditer(text):
            token = match.group().lower()
            following = text[match.end():].lstrip(":").lower()
            minute = token in ("m", "mm") and (after_hour or following.startswith("s"))
            pieces.extend([text[position:match.start()], _date_part(moment, token, minute)])
            after_hour = token.startswith("h") or (after_hour and minute)
            position = match.end()
        pieces.append(text[position:])
    return "".join(pieces)


def _date_part(moment: dt.datetime | dt.date | dt.time, token: str, minute: bool) -> str:
    year = getattr(moment, "year", 1900)
    month = getattr(moment, "month", 1)
    day = getattr(moment, "day", 1)
    hour, mins, sec = (getattr(moment, "hour", 0), getattr(moment, "minute", 0),
                       getattr(moment, "second", 0))
    table: dict[str, str] = {
        "yyyy": f"{year:04d}", "yy": f"{year % 100:02d}",
        "mmmm": str(month), "mmm": str(month), "mm": f"{mins:02d}" if minute else f"{month:02d}",
        "m": str(mins) if minute else str(month), "dddd": str(day), "ddd": str(day),
        "dd": f"{day:02d}", "d": str(day), "hh": f"{hour:02d}", "h": str(hour),
        "ss": f"{sec:02d}", "s": str(sec), "am/pm": "AM" if hour < 12 else "PM",
        "a/p": "A" if hour < 12 else "P",
    }
    return table[token]

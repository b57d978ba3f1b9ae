"""The zh_CN message catalog translates every message the code marks, and its .mo is current."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def load_catalogs_tool():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("catalogs", ROOT / "scripts" / "catalogs.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["catalogs"] = module
    spec.loader.exec_module(module)
    return module


def test_every_marked_message_is_translated_and_the_mo_is_current() -> None:
    problems = load_catalogs_tool().problems()
    assert problems == [], "\n".join(problems[:50])

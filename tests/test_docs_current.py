"""Generated reference docs match the tables in the code."""

from __future__ import annotations

from conftest import REPO

from site_builder.docgen import PAGES


def test_generated_docs_are_current() -> None:
    for relative, make in PAGES.items():
        assert (REPO / relative).read_text(encoding="utf-8") == make(), (
            f"{relative} is out of date: run python -m site_builder.docgen")

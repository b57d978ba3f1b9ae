"""Helpers for the site tests: build a site, read a built tree, parse links and ids."""

from __future__ import annotations

import html.parser
import shutil
import subprocess
from pathlib import Path

from conftest import REPO, run_cli

HERE = Path(__file__).resolve().parent
FIXTURE = HERE / "fixture"
GOLDEN = HERE / "golden"
ARTIFACTS = REPO / "test-artifacts"
EPOCH = "1700000000"
"""SOURCE_DATE_EPOCH used for golden builds (2023-11-14)."""


def copy_fixture(target: Path) -> Path:
    """A fresh copy of the fixture site (without any cache) at ``target``."""
    shutil.copytree(FIXTURE, target, ignore=shutil.ignore_patterns(".site-builder-cache"))
    return target


def build(site: Path, out: Path, *args: str, epoch: str | None = EPOCH,
          check: bool = True) -> subprocess.CompletedProcess[str]:
    return run_cli("build", "--project", site, "--out", out, *args,
                   env={"SOURCE_DATE_EPOCH": epoch or ""}, check=check)


def tree(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` by relative path, with its bytes."""
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


class PageParser(html.parser.HTMLParser):
    """Collects links (href/src) and element ids of one HTML page."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()
        self.base: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("id"):
            self.ids.add(str(values["id"]))
        if tag == "base":
            self.base = values.get("href")
        for name in ("href", "src"):
            if values.get(name) is not None:
                self.links.append(str(values[name]))


def parse(path: Path) -> PageParser:
    parser = PageParser()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def html_files(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*.html"))

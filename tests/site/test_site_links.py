"""Link checker and HTML validity over the whole built shipped site."""

from __future__ import annotations

import posixpath
import subprocess
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from conftest import REPO
from site_helpers import html_files, parse

VNU = REPO / "node_modules/vnu-jar/build/dist/vnu.jar"


def broken_links(out: Path) -> list[str]:
    """Every internal href/src that does not lead to an existing file (and id, for #anchors)."""
    pages = {p.relative_to(out).as_posix(): parse(p) for p in html_files(out)}
    problems = []
    for page, parsed in pages.items():
        base = posixpath.dirname(page)
        for link in parsed.links:
            parts = urlsplit(link)
            if parts.scheme or parts.netloc:
                problems.append(f"{page}: external or absolute link {link}")
                continue
            if parts.path.startswith("/"):
                problems.append(f"{page}: root-relative link {link} breaks under a sub-path")
                continue
            target = posixpath.normpath(posixpath.join(base, unquote(parts.path))) if parts.path \
                else page
            if target.startswith("../") or not (out / target).is_file():
                problems.append(f"{page}: {link} -> missing {target}")
            elif parts.fragment and (target not in pages
                                     or parts.fragment not in pages[target].ids):
                problems.append(f"{page}: {link} -> no id '{parts.fragment}' in {target}")
    return problems


def test_no_broken_internal_links_or_anchors(built_site: Path) -> None:
    pages = html_files(built_site)
    assert len(pages) > 60
    assert broken_links(built_site) == []


def test_link_checker_finds_a_broken_link(tmp_path: Path) -> None:
    (tmp_path / "index.html").write_text('<a href="gone.html">x</a><a href="#nowhere">y</a>'
                                         '<p id="here"><a href="index.html#here">z</a>',
                                         encoding="utf-8")
    assert broken_links(tmp_path) == ["index.html: gone.html -> missing gone.html",
                                      "index.html: #nowhere -> no id 'nowhere' in index.html"]


@pytest.fixture(scope="session")
def vnu() -> Path:
    assert VNU.is_file(), "run `npm ci` first (scripts/test.sh does)"
    return VNU


def test_nu_html_checker_finds_no_errors(built_site: Path, vnu: Path) -> None:
    proc = subprocess.run(["java", "-jar", str(vnu), "--errors-only", "--skip-non-html",
                           "--format", "gnu", str(built_site)],
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[:5000]
    assert proc.stderr.strip() == ""

"""A new, empty site (``init`` then ``build``) builds a valid site that says there is nothing
yet; ``search`` works on it, on the command line and in the browser."""

from __future__ import annotations

import json
import subprocess
import xml.dom.minidom
from pathlib import Path
from typing import Any

import pytest
from conftest import run_cli, serve_dir
from site_helpers import html_files, tree
from test_site_browser import run_axe
from test_site_links import VNU, broken_links


@pytest.fixture(scope="module")
def empty_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = tmp_path_factory.mktemp("empty") / "new-site"
    run_cli("init", site, check=True)
    return site


@pytest.fixture(scope="module")
def empty_output(empty_site: Path) -> Path:
    proc = run_cli("build", "--project", empty_site, check=True)
    assert "Traceback" not in proc.stderr
    assert "built 5 pages" in proc.stdout
    return empty_site / "output"


def test_empty_site_builds_every_page_and_data_file(empty_output: Path) -> None:
    built = tree(empty_output)
    for path in ("index.html", "search.html", "downloads.html", "404.html",
                 "categories/index.html", "feed.xml", "sitemap.xml", "robots.txt",
                 "data/projects.json", "data/indicators.csv", "data/datapackage.json",
                 "search/manifest.js", "search/engine.js"):
        assert path in built, path
    assert json.loads(built["data/projects.json"]) == []
    assert built["data/indicators.csv"].decode("utf-8-sig").count("\r\n") == 1  # the header
    for xml_file in ("feed.xml", "sitemap.xml"):
        xml.dom.minidom.parseString(built[xml_file])
    assert b'"docs":0' in built["search/manifest.js"]


def test_empty_site_pages_say_there_is_nothing_yet(empty_output: Path) -> None:
    search = (empty_output / "search.html").read_text(encoding="utf-8")
    assert "本站还没有公开任何项目，暂时没有可以搜索的内容" in search
    home = (empty_output / "index.html").read_text(encoding="utf-8")
    assert "<li>本站还没有公开任何项目。</li>" in home
    assert "本站公开 0 个年度、0 个部门预算项目" in home


def test_empty_site_is_valid_html_without_broken_links(empty_output: Path) -> None:
    assert len(html_files(empty_output)) == 5
    assert broken_links(empty_output) == []
    proc = subprocess.run(["java", "-jar", str(VNU), "--errors-only", "--skip-non-html",
                           "--format", "gnu", str(empty_output)],
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[:5000]
    assert proc.stderr.strip() == ""


def test_search_command_on_an_empty_site(empty_site: Path, empty_output: Path) -> None:
    proc = run_cli("search", "--project", empty_site, "项目", env={"SITE_BUILDER_LANG": "zh_CN"})
    assert proc.returncode == 0, proc.stderr
    assert "没有找到包含“项目”的项目" in proc.stdout
    proc = run_cli("search", "--project", empty_site, "项目", "--json")
    assert json.loads(proc.stdout) == {"query": "项目", "total": 0, "results": [],
                                       "suggestions": []}
    assert run_cli("validate", "--project", empty_site).returncode == 0


def test_empty_site_search_page_in_the_browser(empty_output: Path, page: Any) -> None:
    server, url = serve_dir(empty_output)
    try:
        for name in ("index.html", "search.html"):
            page.goto(url + name)
            assert run_axe(page) == [], name
        page.goto(url + "search.html?q=项目")
        status = page.locator("#search-status")
        status.filter(has_text="没有找到").wait_for(timeout=30_000)
        assert "没有找到包含“项目”的项目" in status.inner_text()
    finally:
        server.shutdown()

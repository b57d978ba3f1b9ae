"""``site-builder serve``: live reload, build errors in the browser, output-only serving."""

from __future__ import annotations

import http.client
import re
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import REPO
from site_helpers import copy_fixture

PROJECT = "content/2023/100002/2023-100002-02.yaml"


@pytest.fixture
def preview(tmp_path: Path) -> Iterator[tuple[Path, str]]:
    site = copy_fixture(tmp_path / "site")
    (site / "secret.txt").write_text("not for the web", encoding="utf-8")
    proc = subprocess.Popen([sys.executable, "-m", "site_builder", "serve", "--project",
                             str(site), "--port", "0"], cwd=REPO, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, encoding="utf-8")
    try:
        url = ""
        assert proc.stdout is not None
        for line in proc.stdout:
            if found := re.search(r"serving (http://127\.0\.0\.1:\d+/)", line):
                url = found.group(1)
                break
        assert url, "serve did not start"
        yield site, url
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode("utf-8")


def raw_get(url: str, path: str) -> int:
    """GET ``path`` exactly as written (no client-side normalisation of '..')."""
    host, port = url.removeprefix("http://").strip("/").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=30)
    connection.request("GET", path)
    response = connection.getresponse()
    body = response.read()
    assert b"not for the web" not in body
    return response.status


def wait_for(check: Any, seconds: float = 120) -> Any:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if result := check():
            return result
        time.sleep(0.3)
    raise AssertionError("timed out")


def test_serve_never_leaves_the_output_folder(preview: tuple[Path, str]) -> None:
    _, url = preview
    for path in ("/../secret.txt", "/%2e%2e/secret.txt", "/..%2fsecret.txt", "//secret.txt",
                 "/static/../../secret.txt"):
        assert raw_get(url, path) == 404, path
    status, body = fetch(url + "no-such-page.html")
    assert status == 404 and "找不到这个页面" in body


def test_serve_rebuilds_shows_errors_and_recovers(preview: tuple[Path, str]) -> None:
    site, url = preview
    status, body = fetch(url + "projects/2023-100002-02.html")
    assert status == 200 and "/__site_builder/livereload.js" in body
    project = site / PROJECT
    good = project.read_text(encoding="utf-8")
    project.write_text(good.replace("镇村道路养护经费", "镇村道路养护专项经费"), encoding="utf-8")
    wait_for(lambda: "镇村道路养护专项经费" in fetch(url + "projects/2023-100002-02.html")[1])
    project.write_text(good + "indicators: [\n", encoding="utf-8")
    status, body = wait_for(lambda: (r := fetch(url + "index.html"))[0] == 500 and r)
    assert re.search(r"content/2023/100002/2023-100002-02\.yaml:\d+:\d+: error", body)
    project.write_text(good, encoding="utf-8")
    wait_for(lambda: fetch(url + "index.html")[0] == 200)


def test_open_page_reloads_after_a_change(preview: tuple[Path, str], page: Any) -> None:
    site, url = preview
    page.goto(url + "projects/2023-100002-02.html")
    assert page.locator("h1").inner_text() == "镇村道路养护经费"
    project = site / PROJECT
    project.write_text(project.read_text(encoding="utf-8").replace("镇村道路养护经费", "道路养护"),
                       encoding="utf-8")
    page.wait_for_function("document.querySelector('h1').textContent === '道路养护'",
                           timeout=120_000)

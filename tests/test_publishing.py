"""Publishing: the nginx configuration of docs/publishing.md, run as documented by Debian's
nginx on 127.0.0.1 under a sub-path, and the site checked through it in Chromium; the IIS
web.config is well-formed and sends the same headers."""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pytest
from conftest import REPO, run_cli

DOCS = REPO / "docs"
NGINX_CONF = DOCS / "hosting" / "nginx.conf"
WEB_CONFIG = DOCS / "hosting" / "web.config"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
"""Debian's nginx (scripts/test.sh installs nginx-light; /usr/sbin is not on every PATH)."""
PREFIX = "/xxzf/yusuan/"
CSP = "default-src 'self'"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def nginx_conf(documented: str, folder: Path, www: Path, port: int) -> str:
    """A whole nginx.conf around the documented file, which is changed only where the docs
    say to put one's own values: the address to listen on and the folder of the files."""
    site = documented.replace("listen 80;", f"listen 127.0.0.1:{port};")
    site = site.replace("root /srv/www;", f"root {www};")
    assert site.count(str(www)) == 1 and f"127.0.0.1:{port}" in site
    user = f"user {pwd.getpwuid(os.getuid()).pw_name};\n" if os.getuid() == 0 else ""
    temps = "\n".join(f"    {name}_temp_path {folder / name};"
                      for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    return (f"{user}worker_processes 1;\npid {folder / 'nginx.pid'};\n"
            f"error_log {folder / 'error.log'};\nevents {{ worker_connections 64; }}\n"
            f"http {{\n    include /etc/nginx/mime.types;\n"
            f"    default_type application/octet-stream;\n"
            f"    access_log {folder / 'access.log'};\n{temps}\n{site}\n}}\n")


@pytest.fixture(scope="module")
def nginx_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The shipped site built for its address under the sub-path, copied into the web root
    as docs/publishing.md says, served by nginx with the documented configuration."""
    folder = tmp_path_factory.mktemp("nginx")
    port = free_port()
    base = f"http://127.0.0.1:{port}{PREFIX}"
    site = folder / "site"
    for name in ("content", "schema"):
        shutil.copytree(REPO / name, site / name)
    shutil.copy2(REPO / "site.yaml", site / "site.yaml")
    run_cli("build", "--project", site, "--base-url", base, check=True)
    www = folder / "www"
    shutil.copytree(site / "output", www / PREFIX.strip("/"))
    (www / PREFIX.strip("/") / ".hidden-by-the-host").write_text("x", encoding="utf-8")
    conf = folder / "nginx.conf"
    conf.write_text(nginx_conf(NGINX_CONF.read_text(encoding="utf-8"), folder, www, port),
                    encoding="utf-8")
    test = subprocess.run([NGINX, "-t", "-p", f"{folder}/", "-c", conf, "-e",
                           folder / "error.log"], capture_output=True, text=True)
    assert test.returncode == 0, test.stderr
    server = subprocess.Popen([NGINX, "-p", f"{folder}/", "-c", conf, "-e",
                               folder / "error.log", "-g", "daemon off;"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert server.poll() is None, server.stderr.read() if server.stderr else ""
                assert time.monotonic() < deadline, "nginx did not start"
                time.sleep(0.1)
        yield base
    finally:
        server.terminate()  # nginx stops its worker and exits
        server.wait(timeout=30)


def fetch(url: str) -> tuple[int, dict[str, str], bytes]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, dict(response.headers.items()), response.read()
    except urllib.error.HTTPError as failed:
        return failed.code, dict(failed.headers.items()), failed.read()


@pytest.mark.parametrize(("path", "content_type", "cache"), [
    ("", "text/html; charset=utf-8", "no-cache"),
    ("projects/2023-002001-01.html", "text/html; charset=utf-8", "no-cache"),
    ("static/site.css", "text/css; charset=utf-8", "public, max-age=3600"),
    ("search/search.js", "application/javascript; charset=utf-8", "no-cache"),
    ("data/projects.json", "application/json; charset=utf-8", "no-cache"),
    ("data/indicators.csv", "text/csv; charset=utf-8", "no-cache"),
    ("feed.xml", "text/xml; charset=utf-8", "no-cache"),
])
def test_nginx_sends_types_policy_and_cache_headers(nginx_site: str, path: str,
                                                    content_type: str, cache: str) -> None:
    status, headers, body = fetch(nginx_site + path)
    assert status == 200 and body
    assert headers["Content-Type"] == content_type
    assert headers["Content-Security-Policy"] == CSP
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Cache-Control"] == cache


def test_nginx_answers_unknown_and_hidden_paths_with_the_site_404(nginx_site: str) -> None:
    for path in ("no-such-page.html", "projects/9999-000000-00.html", ".hidden-by-the-host"):
        status, headers, body = fetch(nginx_site + path)
        assert status == 404, path
        assert "找不到这个页面" in body.decode("utf-8")
        assert headers["Content-Security-Policy"] == CSP


def test_pages_and_search_work_through_nginx(nginx_site: str, page: Any) -> None:
    """No CSP violation (each would be a console error, which fails the page fixture)."""
    violations: list[str] = []
    page.on("console", lambda m: violations.append(m.text)
            if "Content Security Policy" in m.text else None)
    page.route("**/favicon.ico", lambda route: route.fulfill(status=204))
    page.set_default_timeout(120_000)
    page.goto(nginx_site)
    assert page.locator("h1").count() == 1
    page.goto(nginx_site + "projects/2023-002001-01.html")
    assert page.locator("h1").inner_text() == "乡级人大代表活动经费"
    sheets = page.evaluate("[...document.styleSheets].filter(s => s.cssRules.length).length")
    assert sheets >= 1  # the stylesheet loaded under the policy
    page.goto(nginx_site + "search.html?q=医保")
    page.wait_for_function("document.querySelector('#search-results li') !== null")
    names = page.locator("#search-results .search-result-title").all_inner_texts()
    assert names[:2] == ["城乡医保经费", "社区医保经费"]
    page.locator("#search-results li a").first.click()
    page.wait_for_url(f"**{PREFIX}projects/2021-703001-06.html")
    assert violations == []


def test_the_404_page_links_back_into_the_site(nginx_site: str, browser: Any) -> None:
    context = browser.new_context()  # the 404 status itself is logged as a console error
    try:
        page = context.new_page()
        page.goto(nginx_site + "projects/no-such/page.html")
        assert page.locator("h1").inner_text() == "找不到这个页面"
        links = page.locator("main a")
        assert links.count() >= 1
        for href in links.evaluate_all("links => links.map(a => a.href)"):
            assert href.startswith(nginx_site), href
            assert fetch(href)[0] == 200, href
    finally:
        context.close()


def test_publishing_docs_show_the_tested_configuration() -> None:
    text = (DOCS / "publishing.md").read_text(encoding="utf-8")
    assert NGINX_CONF.read_text(encoding="utf-8") in text
    assert WEB_CONFIG.read_text(encoding="utf-8") in text


def test_the_iis_web_config_sends_the_same_headers() -> None:
    root = ElementTree.parse(WEB_CONFIG).getroot()
    server = root.find("system.webServer")
    assert server is not None
    headers = {h.get("name"): h.get("value")
               for h in server.iterfind("httpProtocol/customHeaders/add")}
    assert headers["Content-Security-Policy"] == CSP
    assert headers["X-Content-Type-Options"] == "nosniff"
    types = {m.get("fileExtension"): m.get("mimeType")
             for m in server.iterfind("staticContent/mimeMap")}
    assert types[".json"] == "application/json; charset=utf-8"
    assert types[".csv"] == "text/csv; charset=utf-8"
    assert types[".svg"] == "image/svg+xml"
    assert types[".xlsx"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    errors = server.find("httpErrors/error")
    assert errors is not None and errors.get("path") == f"{PREFIX}404.html"
    built = {p.suffix for p in (REPO / "tests/site/golden").rglob("*") if p.is_file()}
    known = {".html", ".js", ".css"} | set(types)
    assert built - known - {"", ".txt", ".xml"} == set(), built - known

"""Shared fixtures: the real CLI in a subprocess, a built site, HTTP servers, Chromium."""

from __future__ import annotations

import functools
import http.server
import json
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

# The tests speak English to the tool (the messages they match are the code's English ones);
# tests/test_i18n_cli.py runs every command in the default Chinese and in English, and a test
# that reads a Chinese message passes env={"SITE_BUILDER_LANG": "zh_CN"}.
os.environ["SITE_BUILDER_LANG"] = "en"

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO.parent / "shared" / "seeds"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


def run_cli(*args: str | Path, cwd: Path | None = None, check: bool = False,
            env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run ``python -m site_builder ARGS`` as a real subprocess."""
    full_env = {**os.environ, "PYTHONIOENCODING": "utf-8", **(env or {})}
    proc = subprocess.run([sys.executable, "-m", "site_builder", *map(str, args)],
                          cwd=cwd or REPO, capture_output=True, text=True, encoding="utf-8",
                          env=full_env, timeout=600)
    if check and proc.returncode != 0:
        raise AssertionError(f"exit {proc.returncode}\n{proc.stdout}\n{proc.stderr}")
    return proc


def run_json(*args: str | Path, cwd: Path | None = None) -> Any:
    proc = run_cli(*args, cwd=cwd)
    assert proc.stdout, proc.stderr
    return json.loads(proc.stdout)


@pytest.fixture(scope="session")
def seeds() -> list[Path]:
    files = sorted(SEEDS.glob("*.txt"))
    assert len(files) == 2, f"the seed tables must be at {SEEDS}"
    return files


@pytest.fixture
def shipped_site(tmp_path: Path) -> Path:
    """A copy of the repository's site (site.yaml, content/, templates/) to modify freely."""
    target = tmp_path / "site"
    target.mkdir()
    for name in ("site.yaml",):
        shutil.copy2(REPO / name, target / name)
    for name in ("content", "templates", "schema"):
        if (REPO / name).exists():
            shutil.copytree(REPO / name, target / name)
    return target


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped content built once per test session; do not modify."""
    out = tmp_path_factory.mktemp("built") / "output"
    run_cli("build", "--out", out, cwd=REPO, check=True)
    return out


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass


def serve_dir(directory: Path, prefix: str = "") -> tuple[http.server.ThreadingHTTPServer, str]:
    """Serve ``directory`` on 127.0.0.1 (under ``/prefix/`` when given); returns (server, url)."""
    root = directory
    if prefix:
        root = directory.parent / f"{directory.name}-root"
        mount = root / prefix.strip("/")
        mount.parent.mkdir(parents=True, exist_ok=True)
        if not mount.exists():
            mount.symlink_to(directory, target_is_directory=True)
    handler = functools.partial(_QuietHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    path = f"/{prefix.strip('/')}/" if prefix else "/"
    return server, f"http://127.0.0.1:{server.server_address[1]}{path}"


@pytest.fixture(scope="session")
def site_url(built_site: Path) -> Iterator[str]:
    """The built shipped site served at the root of a real HTTP server."""
    server, url = serve_dir(built_site)
    yield url
    server.shutdown()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Debian's Chromium driven by Playwright (never a downloaded browser)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                              args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A fresh page; fails the test on console errors or uncaught page errors."""
    context = browser.new_context()
    new_page = context.new_page()
    errors: list[str] = []
    new_page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    new_page.on("pageerror", lambda e: errors.append(str(e)))
    new_page.console_errors = errors
    yield new_page
    context.close()
    assert not errors, f"console errors: {errors}"

"""The preview server under abuse, on 127.0.0.1 only: malformed requests get 400 (never a
traceback), a flood or silent connections keep no other client waiting, silent connections
are closed, a port in use is said in Chinese and names ``--port``."""

from __future__ import annotations

import http.client
import re
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import REPO, run_cli
from site_helpers import copy_fixture

from site_builder.build.serve import CONNECTION_TIMEOUT


@dataclass
class Preview:
    """A running ``site-builder serve``."""

    process: subprocess.Popen[str]
    port: int
    site: Path

    def finish(self) -> str:
        """Stop it; everything it printed."""
        self.process.terminate()
        out, _ = self.process.communicate(timeout=60)
        return out


@pytest.fixture
def preview(tmp_path: Path) -> Iterator[Preview]:
    site = copy_fixture(tmp_path / "site")
    proc = subprocess.Popen([sys.executable, "-m", "site_builder", "serve", "--project",
                             str(site), "--port", "0"], cwd=REPO, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, encoding="utf-8")
    assert proc.stdout is not None
    port = 0
    for line in proc.stdout:
        if found := re.search(r"serving http://127\.0\.0\.1:(\d+)/", line):
            port = int(found.group(1))
            break
    running = Preview(proc, port, site)
    try:
        assert port, "serve did not start"
        yield running
    finally:
        if proc.poll() is None:
            running.finish()


def raw(port: int, request: bytes, timeout: float = 30) -> bytes:
    """Send ``request`` as it is; the answer until the server closes."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as connection:
        connection.sendall(request)
        answer = b""
        while chunk := connection.recv(65536):
            answer += chunk
    return answer


def get(port: int, path: str = "/index.html", timeout: float = 30) -> int:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


MALFORMED: list[tuple[bytes, int | None]] = [
    (b"GET /%00 HTTP/1.1\r\nHost: x\r\n\r\n", 400),
    (b"GET /index.html%00.txt HTTP/1.1\r\nHost: x\r\n\r\n", 400),
    (b"GET /%0d%0aSet-Cookie:x HTTP/1.1\r\nHost: x\r\n\r\n", 400),
    (b"GET /" + b"a" * 300 + b".html HTTP/1.1\r\nHost: x\r\n\r\n", 400),  # name too long
    (b"GET /" + b"x/" * 3000 + b" HTTP/1.1\r\nHost: x\r\n\r\n", 400),
    (b"GET /%ff%fe.html HTTP/1.1\r\nHost: x\r\n\r\n", 404),
    (b"GET /__site_builder/events?since=" + b"9" * 5000 + b" HTTP/1.1\r\n\r\n", None),
    (b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03" + bytes(range(32)) + b"\r\n\r\n", 400),
    (b"GET\r\n\r\n", 400),
    (b"GET / HTTP/9.9\r\n\r\n", 505),
    (b"BREW /index.html HTTP/1.1\r\n\r\n", 501),
]
"""Requests no browser sends, and the status each gets (None: an event stream, which stays
open; its first line is enough)."""


def test_malformed_requests_get_an_error_status_not_a_traceback(preview: Preview) -> None:
    for request, status in MALFORMED:
        if status is None:
            answer = _first_line(preview.port, request)
        else:
            answer = raw(preview.port, request)
        assert answer.startswith(b"HTTP/1."), (request[:60], answer[:200])
        if status is not None:
            assert answer.split(b" ", 2)[1] == str(status).encode(), (request[:60], answer[:200])
        assert get(preview.port) == 200  # still serving
    assert "Traceback" not in preview.finish()


def _first_line(port: int, request: bytes) -> bytes:
    """The start of an answer that does not end by itself (an event stream)."""
    with socket.create_connection(("127.0.0.1", port), timeout=30) as connection:
        connection.sendall(request)
        return connection.recv(200)


def test_a_flood_keeps_no_other_client_waiting(preview: Preview) -> None:
    """One client sends 2,000 requests over 8 connections at a time; another, meanwhile,
    gets each of its pages in a few seconds at most."""
    statuses: list[int] = []
    lock = threading.Lock()

    def flood(count: int) -> None:
        for _ in range(count):
            status = get(preview.port, "/search.html")
            with lock:
                statuses.append(status)

    threads = [threading.Thread(target=flood, args=(250,)) for _ in range(8)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    waits = []
    while any(thread.is_alive() for thread in threads) and time.monotonic() - started < 180:
        asked = time.monotonic()
        assert get(preview.port, "/projects/2023-100002-02.html", timeout=10) == 200
        waits.append(time.monotonic() - asked)
        time.sleep(0.1)
    for thread in threads:
        thread.join(timeout=60)
    assert statuses == [200] * 2000
    assert len(waits) >= 3 and max(waits) < 5, waits
    assert "Traceback" not in preview.finish()


def test_silent_connections_keep_no_one_waiting_and_are_closed(preview: Preview) -> None:
    silent = []
    for number in range(8):
        connection = socket.create_connection(("127.0.0.1", preview.port), timeout=30)
        if number % 2:
            connection.sendall(b"GET /index.html HTTP/1.1\r\nHost: 127.0.0.1\r\n")  # unfinished
        silent.append(connection)
    opened = time.monotonic()
    for _ in range(5):
        asked = time.monotonic()
        assert get(preview.port, timeout=10) == 200
        assert time.monotonic() - asked < 3
    for connection in silent:  # each is closed by the server, not left open for good
        connection.settimeout(30)
        assert connection.recv(1024) == b""
        connection.close()
    assert time.monotonic() - opened < CONNECTION_TIMEOUT + 15
    assert "Traceback" not in preview.finish()


def test_a_port_in_use_is_said_and_nothing_is_built(tmp_path: Path) -> None:
    site = copy_fixture(tmp_path / "site")
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        started = time.monotonic()
        proc = run_cli("serve", "--project", site, "--port", str(port),
                       env={"SITE_BUILDER_LANG": "zh_CN"})
    assert proc.returncode == 2, proc.stderr
    assert f"端口 {port} 已被占用" in proc.stderr and "--port" in proc.stderr, proc.stderr
    assert "Traceback" not in proc.stderr
    assert time.monotonic() - started < 30
    assert not (site / "output").exists() and not (site / ".output.lock").exists()

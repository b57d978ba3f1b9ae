"""A static HTTP server on 127.0.0.1 that behaves like a typical static host or CDN.

* responses are gzip-compressed when the browser accepts it and it saves at least 5% (so
  already-compressed files such as Pagefind's ``.pf_*`` go out as they are);
* ``Cache-Control: max-age=3600``, so a visitor's later queries reuse what the first fetched;
* ``/__bench__.html`` is an empty page on the site's origin from which the harness imports
  the search clients; it is not part of either site.
"""

from __future__ import annotations

import gzip
import http.server
import mimetypes
import threading
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

BENCH_PAGE = "/__bench__.html"
_EMPTY_PAGE = (b'<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">'
               b"<title>bench</title></head><body></body></html>")
mimetypes.add_type("application/wasm", ".wasm")
mimetypes.add_type("text/javascript", ".mjs")


class _Handler(http.server.BaseHTTPRequestHandler):
    root: Path
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    """Headers and body go out in two writes; with Nagle's algorithm on, the body then waits
    for the client's delayed ACK (40 ms on Linux) on every keep-alive response, which no real
    static host does."""

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass

    def do_GET(self) -> None:  # noqa: N802
        path = unquote(urlsplit(self.path).path)
        if path == BENCH_PAGE:
            self._send(_EMPTY_PAGE, "text/html; charset=utf-8")
            return
        target = (self.root / path.lstrip("/")).resolve()
        if target.is_dir():
            target = target / "index.html"
        if not target.is_relative_to(self.root) or not target.is_file():
            self._send(b"not found", "text/plain", status=404)
            return
        kind = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        if kind.startswith("text/") or kind.endswith(("javascript", "json", "xml")):
            kind += "; charset=utf-8"
        self._send(target.read_bytes(), kind)

    def _send(self, body: bytes, kind: str, status: int = 200) -> None:
        encoding = ""
        if "gzip" in self.headers.get("Accept-Encoding", "") and len(body) > 256:
            packed = gzip.compress(body, compresslevel=6, mtime=0)
            if len(packed) < 0.95 * len(body):
                body, encoding = packed, "gzip"
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "max-age=3600")
        if encoding:
            self.send_header("Content-Encoding", encoding)
        self.end_headers()
        self.wfile.write(body)


class StaticServer:
    """``with StaticServer(folder) as url:`` serves ``folder`` at ``url`` until the block ends."""

    def __init__(self, root: Path) -> None:
        handler = type("Handler", (_Handler,), {"root": root.resolve()})
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.server.daemon_threads = True

    def __enter__(self) -> str:
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()

"""``site-builder serve``: preview server with live reload.

Watches ``site.yaml``, ``content/``, ``templates/`` and ``static/`` (:mod:`.watch`); rebuilds
when they change and tells open pages to reload.  An edit of project files is rebuilt quickly
from what the last build kept in memory (:mod:`.live`: a second or less at 10,000 projects);
anything else takes a full build (incremental, through the render cache).  A failed build keeps
the previous output and shows its diagnostics (``file:line``) in the browser instead.  Only
files inside the output folder are ever served.

The preview holds the output folder's lock (:mod:`.outlock`) while it runs: a ``build`` into
the same folder meanwhile is refused, so the folder served is always the preview's own.  The
server answers each connection in a thread of its own, with a timeout: a client flooding it or
holding connections open without sending keeps no other client waiting; a malformed request
gets 400.
"""

from __future__ import annotations

import errno
import html
import http.server
import mimetypes
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from site_builder.build.jinja_env import PACKAGE_DIR
from site_builder.build.live import LiveBuild
from site_builder.build.outfolder import check_output
from site_builder.build.outlock import Refused, hold_output
from site_builder.build.pipeline import default_jobs
from site_builder.build.watch import Watcher
from site_builder.diagnostics import Diagnostic, Position, SiteBuilderError, error
from site_builder.i18n import Language, _

CONNECTION_TIMEOUT = 10.0
"""Seconds a connection may stay silent (while sending its request, or not reading the answer)
before the server closes it."""
MAX_EVENT_STREAMS = 64
"""Open pages listening for reloads at once; more get 503 (each holds a thread)."""
MAX_PATH = 2048
"""Longest request path, in characters, after decoding; longer ones get 400."""
WINDOWS_ADDRESS_IN_USE = 10048
"""WSAEADDRINUSE."""
PREFIX = "/__site_builder/"
"""URL prefix of the preview's own endpoints (never files of the site)."""
TYPES = {".js": "text/javascript", ".mjs": "text/javascript", ".css": "text/css",
         ".svg": "image/svg+xml", ".json": "application/json", ".xml": "application/xml",
         ".csv": "text/csv", ".html": "text/html", ".txt": "text/plain"}


@dataclass
class PreviewState:
    """The preview's shared state: which build is current and whether it failed."""

    root: Path
    """The site."""
    out: Path
    """Output folder served."""
    base_url: str | None = None
    """--base-url passed to builds."""
    generation: int = 0
    """Increases after every build, successful or not."""
    errors: list[Diagnostic] = field(default_factory=list)
    """Diagnostics of the last build when it failed, else empty."""
    changed: threading.Condition = field(default_factory=threading.Condition)
    """Notified after every build."""
    live: LiveBuild | None = None
    """Builds the site, quickly when only projects changed (made on first use)."""

    def rebuild(self, files: set[Path] | None = None) -> None:
        """Build after changes to the content ``files`` (None: anything may have changed) and
        tell the open pages."""
        if self.live is None:
            self.live = LiveBuild(self.root, self.out, default_jobs(), self.base_url)
        started = time.perf_counter()
        try:
            quick = files is not None and self.live.ready
            report = self.live.rebuild(files)
            quick = quick and self.live.ready
            errors: list[Diagnostic] = []
            text = (_("rebuilt {pages} pages ({rendered} rendered, {files} files changed) in "
                      "{seconds} s (quick)") if quick else
                    _("rebuilt {pages} pages ({rendered} rendered, {files} files written) in "
                      "{seconds} s"))
            print(text.format(pages=report.pages, rendered=report.rendered, files=report.files,
                              seconds=f"{report.seconds:.2f}"), flush=True)
        except SiteBuilderError as exc:
            errors = exc.diagnostics
        except Exception as exc:  # keep serving; show what happened
            errors = [Diagnostic(Position("<build>"), "error", f"{type(exc).__name__}: {exc}")]
        for diagnostic in errors:
            print(diagnostic.format(), file=sys.stderr, flush=True)
        if errors:
            print(_("build failed after {seconds} s; still serving the previous output").format(
                seconds=f"{time.perf_counter() - started:.2f}"), file=sys.stderr, flush=True)
        with self.changed:
            self.errors = errors
            self.generation += 1
            self.changed.notify_all()

    def prepare(self) -> None:
        """Make what quick rebuilds need, after a full build (while the pages reload)."""
        if self.live is not None and not self.live.ready and not self.errors:
            seconds = self.live.prime()
            if self.live.ready:
                print(_("ready for quick rebuilds ({seconds} s)").format(seconds=f"{seconds:.2f}"),
                      flush=True)


def watch(state: PreviewState, watcher: Watcher, stop: threading.Event) -> None:
    """Rebuild whenever ``watcher`` (started) sees a change, until ``stop`` is set."""
    try:
        state.prepare()
        while not stop.is_set():
            changes = watcher.wait(stop)
            if changes is None:
                continue
            state.rebuild(None if changes.anything else changes.files)
            if changes.anything:
                watcher.start()  # watched folders may have come or gone
            state.prepare()
    finally:
        watcher.stop()


def error_page(errors: list[Diagnostic], generation: int) -> bytes:
    """The page shown instead of the site while the last build failed, in the language in use
    (its diagnostics as the terminal shows them)."""
    items = "\n".join(f"<li><code>{html.escape(d.format())}</code></li>" for d in errors)
    language = "en" if Language.code == "en" else "zh-CN"
    heading = html.escape(_("Build failed"))
    text = html.escape(_("Correct the problems below and the page reloads by itself (the "
                         "output of the last successful build is kept meanwhile):"))
    return (f'<!DOCTYPE html>\n<html lang="{language}"><head><meta charset="utf-8">'
            f"<title>{heading} - site-builder</title></head><body><main><h1>{heading}</h1>"
            f"<p>{text}</p><ul>{items}</ul>"
            f"</main>{_reload_tag(generation)}</body></html>").encode()


def _reload_tag(generation: int) -> str:
    return f'<script src="{PREFIX}livereload.js?g={generation}"></script>'


class PreviewHandler(http.server.BaseHTTPRequestHandler):
    """Serves the output folder, the reload script and the reload events."""

    state: PreviewState
    timeout = CONNECTION_TIMEOUT
    default_request_version = "HTTP/1.0"  # a malformed request's answer starts with a status
    events = threading.BoundedSemaphore(MAX_EVENT_STREAMS)
    """Open reload-event streams (each holds its thread until the next build)."""

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass

    def do_GET(self) -> None:  # noqa: N802
        url = urlsplit(self.path)
        path = unquote(url.path)
        if len(path) > MAX_PATH or any(ord(c) < 32 or c == "\x7f" for c in path):
            self._send(400, _("bad request").encode(), ".txt")
        elif url.path == PREFIX + "livereload.js":
            self._send(200, (PACKAGE_DIR / "assets" / "livereload.js").read_bytes(), ".js")
        elif url.path == PREFIX + "events":
            since = parse_qs(url.query).get("since", ["0"])[0]
            self._events(int(since) if since.isdigit() and len(since) < 20 else 0)
        else:
            self._file(path)

    def _file(self, path: str) -> None:
        state = self.state
        out = state.out.resolve()
        try:
            target = (out / path.lstrip("/")).resolve()
            if target.is_dir():
                target = target / "index.html"
        except (OSError, ValueError):  # a name the file system cannot hold
            self._send(400, _("bad request").encode(), ".txt")
            return
        inside = target.is_relative_to(out)
        if state.errors and (not inside or target.suffix == ".html"):
            self._send(500, error_page(state.errors, state.generation), ".html")
            return
        status = 200
        if not inside or not target.is_file():
            status, target = 404, out / "404.html"
            if not target.is_file():
                self._send(404, _("not found").encode(), ".txt")
                return
        try:
            data = target.read_bytes()
        except OSError:  # gone meanwhile, or not readable
            self._send(404, _("not found").encode(), ".txt")
            return
        if target.suffix == ".html":
            data = data.replace(b"</body>", _reload_tag(state.generation).encode() + b"</body>",
                                1)
        self._send(status, data, target.suffix)

    def _events(self, since: int) -> None:
        if not self.events.acquire(blocking=False):
            self._send(503, _("too many open pages").encode(), ".txt")
            return
        try:
            self._stream_events(since)
        finally:
            self.events.release()

    def _stream_events(self, since: int) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        state = self.state
        try:
            self.wfile.write(b"retry: 1000\n\n")
            self.wfile.flush()
            with state.changed:
                while state.generation <= since:
                    if not state.changed.wait(timeout=15):
                        self.wfile.write(b": keep-alive\n\n")
                        self.wfile.flush()
            self.wfile.write(b"event: reload\ndata: reload\n\n")
            self.wfile.flush()
        except OSError:
            pass  # the page went away

    def _send(self, status: int, data: bytes, suffix: str) -> None:
        kind = (TYPES.get(suffix) or mimetypes.guess_type("x" + suffix)[0]
                or "application/octet-stream")
        if kind.startswith("text/") or kind in ("application/json", "application/xml",
                                                "image/svg+xml", "text/javascript"):
            kind += "; charset=utf-8"
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(data)


class PreviewServer(http.server.ThreadingHTTPServer):
    """A thread per connection (the handler's timeout ends idle ones), a long queue of
    connections waiting to be accepted, and no traceback for a client that went away."""

    daemon_threads = True
    request_queue_size = 128
    allow_reuse_address = sys.platform != "win32"  # on Windows it would share a port in use

    def handle_error(self, request: Any, client_address: Any) -> None:
        kind, exc = sys.exc_info()[:2]
        if kind is not None and not issubclass(kind, OSError):
            print(_("preview: {error}: {detail}").format(error=kind.__name__, detail=exc),
                  file=sys.stderr, flush=True)


def listen(host: str, port: int, handler: type[PreviewHandler]) -> PreviewServer:
    """The server bound to ``host:port``; :class:`Refused` (naming ``--port`` or ``--host``)
    when the port is taken or the address is not this computer's."""
    place = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
    try:
        return PreviewServer((host, port), handler)
    except OSError as exc:
        if exc.errno in (errno.EADDRINUSE, WINDOWS_ADDRESS_IN_USE) or getattr(
                exc, "winerror", None) == WINDOWS_ADDRESS_IN_USE:
            raise Refused([error(
                place, _("port {port} is already in use ({place}); the preview server cannot "
                         "start").format(port=port, place=place),
                _("choose another port with --port, e.g. --port {other}; --port 0 picks a "
                  "free one").format(other=_another(port)), code="port-in-use")]) from exc
        if exc.errno in (errno.EACCES, errno.EPERM):
            raise Refused([error(
                place, _("no permission to use port {port} ({place})").format(port=port,
                                                                              place=place),
                _("choose a port above 1024 with --port, e.g. --port 8000"),
                code="port-in-use")]) from exc
        raise Refused([error(
            place, _("cannot start the preview server on {place}: {reason}").format(
                place=place, reason=exc.strerror or exc),
            _("check --host (default 127.0.0.1, this computer only) and --port"),
            code="bad-address")]) from exc


def _another(port: int) -> int:
    return port + 1 if 0 < port < 65535 else 8001


def serve(root: Path, out: Path, host: str, port: int, base_url: str | None = None) -> None:
    """Build, then serve ``out`` on ``host:port`` and rebuild on changes until interrupted;
    :class:`Refused` before anything is built when ``out`` may not be replaced, another build
    is writing it, or the port is taken."""
    check_output(out, root)
    out.resolve().parent.mkdir(parents=True, exist_ok=True)
    with hold_output(out, "site-builder serve"):
        state = PreviewState(root, out, base_url)
        handler = type("Handler", (PreviewHandler,), {"state": state})
        server = listen(host, port, handler)  # before the build: a taken port is said at once
        try:
            _run(server, state, host)
        finally:
            server.server_close()


def _run(server: PreviewServer, state: PreviewState, host: str) -> None:
    watcher = Watcher(state.root)
    watcher.start()  # before the first build reads anything: no edit goes unseen
    state.rebuild()
    stop = threading.Event()
    threading.Thread(target=watch, args=(state, watcher, stop), daemon=True).start()
    shown_host = f"[{host}]" if ":" in host else host
    print(_("serving {address} (Ctrl+C to stop)").format(
        address=f"http://{shown_host}:{server.server_address[1]}/"), flush=True)
    try:
        server.serve_forever()
    finally:
        stop.set()

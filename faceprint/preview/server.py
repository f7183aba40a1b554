"""The preview's HTTP server: the page, the renders, server-sent events, and nothing else.

Bound to 127.0.0.1 only: records hold individual numbers, and the page has no authentication.
Requests naming another host (DNS rebinding) are refused, and so is every file path outside the
layout's folder and the records' folder, however it is spelled (``..``, encoded, absolute, symlinked).

Routes: ``/`` the page; ``/static/NAME`` its script and style; ``/api/state`` the state as JSON;
``/events`` the same state pushed as server-sent events after every change; ``/render/HASH/FACE.bmp``
a rendered face (content-addressed, so cacheable); ``POST /api/select`` picks a record;
``/files/layout/PATH`` and ``/files/records/PATH`` the source files, for the page's links;
``POST /api/edit``, ``/api/undo`` and ``/api/redo`` change the layout's files (see ``edit.py``).

Writes need the token the server put into the page (``X-Faceprint-Token``): a page on another site
can neither read it nor send the header without a CORS preflight this server never grants.
"""

from __future__ import annotations

import hmac
import json
import secrets
import sys
import threading
import time
import traceback
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from ..limits import MAX_REQUEST_BODY_BYTES, MAX_REQUEST_BODY_SECONDS
from .edit import EditRefused, FileWrite, LayoutEditor, Target, content_hash
from .lintworker import LintClient
from .session import PreviewSession

HOST = "127.0.0.1"
POLL_SECONDS = 0.02  # stat() of a handful of files: ~0.1 ms of work per poll, ≤ 20 ms added latency
LINT_DELAY_SECONDS = 0.15  # let the page fetch and decode a render before the lint worker takes a core
KEEPALIVE_SECONDS = 15.0
TOKEN_PLACEHOLDER = b"__FACEPRINT_TOKEN__"
WRITE_ROUTES = ("/api/edit", "/api/undo", "/api/redo")
STATIC_TYPES = {".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8"}
TEXT_TYPES = {
    ".yaml": "text/plain; charset=utf-8",
    ".yml": "text/plain; charset=utf-8",
    ".json": "application/json; charset=utf-8",
}


class PathRefused(Exception):
    """A request for a file outside the folders the preview may serve."""


def resolve_inside(root: Path, relative: str) -> Path:
    """``root/relative`` if it stays inside ``root`` after decoding and resolving links, else ``PathRefused``."""
    text = unquote(relative)
    if "\x00" in text or "\\" in text or text.startswith("/") or any(part == ".." for part in text.split("/")):
        raise PathRefused(relative)
    root = root.resolve()
    path = (root / text).resolve()
    if not path.is_relative_to(root):
        raise PathRefused(relative)
    return path


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        if isinstance(sys.exc_info()[1], ConnectionError):
            return  # a page closed or reloaded mid-response: nothing went wrong here
        super().handle_error(request, client_address)


class PreviewServer:
    """The HTTP server, the one thread that watches files and renders, and the lint worker process."""

    def __init__(self, session: PreviewSession, port: int = 0, *, lint: bool = True) -> None:
        self.session = session
        self.httpd = _HTTPServer((HOST, port), _Handler)
        self.httpd.preview = self  # type: ignore[attr-defined]
        self.port = int(self.httpd.server_address[1])
        self.changed = threading.Condition()
        self.stopping = threading.Event()
        self._state_json = b"{}"
        self._state_seq = -1
        self._threads: list[threading.Thread] = []
        self.lint = LintClient(self._on_lint) if lint else None
        self.token = secrets.token_urlsafe(24)  # put into the page; every write must carry it back
        self.editor = LayoutEditor(session.chain)

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}/"

    # -- lifecycle -------------------------------------------------------------------------------
    def start(self) -> None:
        self.session.refresh(force=True)
        self._publish()
        for target, name in ((self._serve, "preview-http"), (self._watch, "preview-watch")):
            thread = threading.Thread(target=target, name=name, daemon=True)
            thread.start()
            self._threads.append(thread)

    def _serve(self) -> None:
        self.httpd.serve_forever(poll_interval=0.05)  # stop() waits for one poll: keep it short

    def stop(self) -> None:
        self.stopping.set()
        with self.changed:
            self.changed.notify_all()
        self.httpd.shutdown()
        self.httpd.server_close()
        for thread in self._threads:
            thread.join(timeout=5)
        if self.lint is not None:
            self.lint.stop()

    def serve_until_interrupted(self) -> None:
        self.start()
        try:
            while not self.stopping.wait(0.5):
                pass
        except KeyboardInterrupt:
            pass
        finally:
            self.stop()

    # -- the watching thread ---------------------------------------------------------------------
    def _watch(self) -> None:
        """Poll, render on change, and hand the lint to the worker once the page has had its images."""
        lint_at: float | None = time.monotonic() + LINT_DELAY_SECONDS  # the first render is linted too
        while not self.stopping.is_set():
            try:
                if self.session.refresh():
                    self._publish()
                    lint_at = time.monotonic() + LINT_DELAY_SECONDS
                    continue
                if lint_at is not None and time.monotonic() >= lint_at:
                    lint_at = None
                    job = self.session.lint_job()
                    if job is not None and self.lint is not None:
                        self.lint.submit(job)
            except Exception:  # the server must outlive any bug in one render
                traceback.print_exc(file=sys.stderr)
            self.stopping.wait(POLL_SECONDS)

    def _on_lint(self, result: dict[str, Any]) -> None:
        if self.session.apply_lint(result):
            self._publish()

    def _publish(self) -> None:
        """Send the state to the pages (called by the watcher and the lint reader: newest wins)."""
        state = self.session.state()
        data = json.dumps(state, ensure_ascii=False).encode("utf-8")
        with self.changed:
            if state["seq"] <= self._state_seq:
                return
            self._state_json, self._state_seq = data, state["seq"]
            self.changed.notify_all()

    def wait_for_change(self, seen: int, timeout: float) -> None:
        """Block until the state moves past ``seen`` (or the server stops, or ``timeout`` passes)."""
        with self.changed:
            self.changed.wait_for(lambda: self.stopping.is_set() or self._state_seq != seen, timeout=timeout)

    def state_json(self) -> tuple[int, bytes]:
        with self.changed:
            return self._state_seq, self._state_json


class _Handler(BaseHTTPRequestHandler):
    server_version = "faceprint-preview"
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body go out as separate writes: no 40 ms delayed-ACK stalls
    timeout = 300  # an idle keep-alive connection's thread ends after this many seconds

    @property
    def preview(self) -> PreviewServer:
        return self.server.preview  # type: ignore[attr-defined,no-any-return]

    def log_message(self, format: str, *args: Any) -> None:
        pass  # a request log would drown the terminal while the page streams renders

    # -- helpers ---------------------------------------------------------------------------------
    def _send(self, status: HTTPStatus, body: bytes, content_type: str, *, cache: str = "no-store") -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", cache)
        self.send_header("X-Content-Type-Options", "nosniff")
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _text(self, status: HTTPStatus, message: str) -> None:
        self._send(status, (message + "\n").encode("utf-8"), "text/plain; charset=utf-8")

    def _read_body(self) -> bytes | None:
        """The request body, or ``None`` after answering 400/411/413 at once.

        Every endpoint that takes a body reads it here: ``Content-Length`` must be a plain decimal
        within ``MAX_REQUEST_BODY_BYTES``, and a client that sends less than it announced is cut
        off after ``MAX_REQUEST_BODY_SECONDS`` instead of holding the thread for ever.
        """
        declared = self.headers.get_all("Content-Length") or []
        if not declared:
            if self.headers.get("Transfer-Encoding"):
                self._refuse(HTTPStatus.LENGTH_REQUIRED, "a body needs a Content-Length")
                return None
            return b""
        text = declared[0].strip()
        if len(set(declared)) > 1 or not text.isascii() or not text.isdigit():
            self._refuse(HTTPStatus.BAD_REQUEST, "Content-Length must be a single non-negative whole number")
            return None
        if len(text) > 12 or int(text) > MAX_REQUEST_BODY_BYTES:
            self._refuse(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, f"a body may hold at most {MAX_REQUEST_BODY_BYTES} bytes")
            return None
        length = int(text)
        self.connection.settimeout(MAX_REQUEST_BODY_SECONDS)
        try:
            body = self.rfile.read(length)
        except TimeoutError:
            body = b""
        finally:
            self.connection.settimeout(self.timeout)
        if len(body) < length:
            self._refuse(HTTPStatus.BAD_REQUEST, "the body is shorter than its Content-Length")
            return None
        return body

    def _refuse(self, status: HTTPStatus, message: str) -> None:
        """Answer an unreadable request and close the connection (whatever is left of its body is not read)."""
        self.close_connection = True
        self._text(status, message)

    def _host_ok(self) -> bool:
        """Only this machine's own names for the server: a page elsewhere cannot rebind a name to us."""
        host = (self.headers.get("Host") or "").strip().lower()
        port = self.preview.port
        return host in (f"127.0.0.1:{port}", f"localhost:{port}")

    # -- methods ---------------------------------------------------------------------------------
    def do_HEAD(self) -> None:
        self.do_GET()

    def do_GET(self) -> None:
        if not self._host_ok():
            self._text(HTTPStatus.FORBIDDEN, "refused: unexpected Host header")
            return
        path = urlsplit(self.path).path
        if path in ("/", "/index.html"):
            self._static("index.html")
        elif path.startswith("/static/"):
            self._static(path.removeprefix("/static/"))
        elif path == "/api/state":
            self._send(HTTPStatus.OK, self.preview.state_json()[1], "application/json; charset=utf-8")
        elif path == "/events":
            self._events()
        elif path.startswith("/render/"):
            self._render(path.removeprefix("/render/"))
        elif path.startswith("/files/"):
            self._file(path.removeprefix("/files/"))
        elif path == "/favicon.ico":
            self._send(HTTPStatus.NO_CONTENT, b"", "image/x-icon", cache="max-age=86400")
        else:
            self._text(HTTPStatus.NOT_FOUND, "not found")

    def do_POST(self) -> None:
        origin = self.headers.get("Origin")
        if not self._host_ok() or (origin is not None and origin.removeprefix("http://") != self.headers.get("Host")):
            self._text(HTTPStatus.FORBIDDEN, "refused: another site's page cannot drive the preview")
            return
        raw = self._read_body()
        if raw is None:
            return
        body = raw.decode("utf-8", "replace")
        path = urlsplit(self.path).path
        if path == "/api/select":
            self._select(body)
        elif path in WRITE_ROUTES:
            if not hmac.compare_digest(self.headers.get("X-Faceprint-Token") or "", self.preview.token):
                self._text(HTTPStatus.FORBIDDEN, "refused: writes need the token of the page this server gave out")
                return
            self._write(path, body)
        else:
            self._text(HTTPStatus.NOT_FOUND, "not found")

    def _select(self, body: str) -> None:
        try:
            name = json.loads(body).get("record") if body.strip().startswith("{") else parse_qs(body).get("record", [""])[0]
            self.preview.session.select(str(name))
        except (ValueError, AttributeError) as exc:
            self._text(HTTPStatus.BAD_REQUEST, str(exc))
            return
        self._send(HTTPStatus.OK, b'{"ok": true}', "application/json")

    def _write(self, route: str, body: str) -> None:
        """An edit, an undo or a redo: the file written, or why not (409 a newer file on disk, 422 refused)."""
        preview = self.preview
        write: FileWrite | None
        try:
            request = json.loads(body or "{}")
            if not isinstance(request, dict):
                raise ValueError("expected a JSON object")
            if route == "/api/edit":
                element_id = str(request["id"])
                values = [float(v) for v in request["delta"]]
                if len(values) != 4:
                    raise ValueError("delta is [dx, dy, dw, dh] in mm")
                delta = (values[0], values[1], values[2], values[3])
                target: Target = "parent" if request.get("target") == "parent" else "child"
                known = {str(k): str(v) for k, v in dict(request.get("files") or {}).items()}
                refusal = preview.session.keep_out_refusal(element_id, delta)
                if refusal is not None:
                    raise EditRefused(refusal)
                write = preview.editor.edit(element_id, delta, known, target=target)
            else:
                write = preview.editor.undo() if route == "/api/undo" else preview.editor.redo()
        except (ValueError, KeyError, TypeError) as exc:
            self._json(HTTPStatus.BAD_REQUEST, {"ok": False, "message": f"bad request: {exc}"})
            return
        except EditRefused as exc:
            status = HTTPStatus.CONFLICT if exc.conflict else HTTPStatus.UNPROCESSABLE_ENTITY
            self._json(status, {"ok": False, "conflict": exc.conflict, "message": str(exc)})
            return
        done, undone = preview.editor.history()
        answer: dict[str, Any] = {"ok": True, "undo": done, "redo": undone, "written": None}
        if write is not None:
            after = write.path.read_bytes()
            answer["written"] = {"path": str(write.path), "sha": content_hash(after), "element": write.element_id}
        self._json(HTTPStatus.OK, answer)

    def _json(self, status: HTTPStatus, data: dict[str, Any]) -> None:
        self._send(status, json.dumps(data, ensure_ascii=False).encode("utf-8"), "application/json; charset=utf-8")

    # -- routes ----------------------------------------------------------------------------------
    def _static(self, name: str) -> None:
        suffix = Path(name).suffix
        if "/" in name or name.startswith(".") or suffix not in STATIC_TYPES:
            self._text(HTTPStatus.NOT_FOUND, "not found")
            return
        try:
            body = resources.files("faceprint.preview").joinpath("static", name).read_bytes()
        except (FileNotFoundError, IsADirectoryError):
            self._text(HTTPStatus.NOT_FOUND, "not found")
            return
        if name == "index.html":
            body = body.replace(TOKEN_PLACEHOLDER, self.preview.token.encode("ascii"))
        self._send(HTTPStatus.OK, body, STATIC_TYPES[suffix], cache="no-cache")

    def _render(self, rest: str) -> None:
        digest, _, face = rest.partition("/")
        body = self.preview.session.image(digest)
        if body is None or face not in ("front.bmp", "back.bmp"):
            self._text(HTTPStatus.NOT_FOUND, "no such render (the layout changed since)")
            return
        self._send(HTTPStatus.OK, body, "image/bmp", cache="public, max-age=31536000, immutable")

    def _file(self, rest: str) -> None:
        root_name, _, relative = rest.partition("/")
        session = self.preview.session
        root = {"layout": session.layout_dir, "records": session.records_dir}.get(root_name)
        if root is None:
            self._text(HTTPStatus.FORBIDDEN, "refused: only the layout's and the records' folders are served")
            return
        try:
            path = resolve_inside(root, relative)
        except PathRefused:
            self._text(HTTPStatus.FORBIDDEN, "refused: outside the layout's and the records' folders")
            return
        if not path.is_file():
            self._text(HTTPStatus.NOT_FOUND, "not found")
            return
        content_type = TEXT_TYPES.get(path.suffix.lower(), "text/plain; charset=utf-8")
        self._send(HTTPStatus.OK, path.read_bytes(), content_type)

    def _events(self) -> None:
        """Server-sent events: the whole state after every change (it is small), keep-alives between."""
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self.send_header("Cache-Control", "no-store")
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True
        preview = self.preview
        sent = -1
        try:
            while not preview.stopping.is_set():
                preview.wait_for_change(sent, KEEPALIVE_SECONDS)
                if preview.stopping.is_set():
                    break
                seq, data = preview.state_json()
                if seq == sent:
                    self.wfile.write(b": keep-alive\n\n")
                else:
                    self.wfile.write(b"event: state\ndata: " + data + b"\n\n")
                    sent = seq
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            pass

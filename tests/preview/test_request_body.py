"""Request bodies the preview cannot use are answered at once (400/411/413), never with a traceback or a hung thread."""

from __future__ import annotations

import socket

import pytest

from faceprint.limits import MAX_REQUEST_BODY_BYTES
from faceprint.preview import server as server_module
from faceprint.preview.server import PreviewServer


def _raw_post(srv: PreviewServer, headers: list[str], body: bytes = b"") -> tuple[int, bytes]:
    """Send a hand-made POST and return the status and whole response (the server closes the connection)."""
    head = ["POST /api/select HTTP/1.1", f"Host: 127.0.0.1:{srv.port}", *headers, "", ""]
    with socket.create_connection(("127.0.0.1", srv.port), timeout=10) as sock:
        sock.sendall("\r\n".join(head).encode("latin-1") + body)
        chunks = []
        while True:
            try:
                chunk = sock.recv(65536)
            except TimeoutError:
                break
            if not chunk:
                break
            chunks.append(chunk)
    response = b"".join(chunks)
    return int(response.split(b" ", 2)[1]), response


@pytest.mark.parametrize(
    ("length", "status"),
    [
        ("abc", 400),
        ("-1", 400),
        ("1e9", 400),
        (" 12 34", 400),
        ("1\u00b2", 400),  # a superscript two: str.isdigit() alone would take it
        ("1000000000", 413),
        (str(MAX_REQUEST_BODY_BYTES + 1), 413),
        ("9" * 400, 413),
    ],
)
def test_a_bad_content_length_is_answered_at_once(
    server: PreviewServer, capfd: pytest.CaptureFixture[str], length: str, status: int
) -> None:
    code, response = _raw_post(server, [f"Content-Length: {length}"])
    assert code == status
    assert b"Connection: close" in response
    assert "Traceback" not in capfd.readouterr().err


def test_a_body_shorter_than_announced_is_cut_off(
    server: PreviewServer, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(server_module, "MAX_REQUEST_BODY_SECONDS", 0.3)
    code, response = _raw_post(server, ["Content-Length: 100"], b'{"record": ')
    assert code == 400 and b"shorter than its Content-Length" in response
    assert "Traceback" not in capfd.readouterr().err


def test_a_chunked_body_needs_a_length(server: PreviewServer) -> None:
    code, _ = _raw_post(server, ["Transfer-Encoding: chunked"], b"0\r\n\r\n")
    assert code == 411


def test_a_good_body_still_selects_a_record(server: PreviewServer) -> None:
    body = b'{"record": "04-former-surname.json"}'
    code, response = _raw_post(server, [f"Content-Length: {len(body)}", "Connection: close"], body)
    assert code == 200 and b'"ok": true' in response

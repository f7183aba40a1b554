"""The preview server over plain HTTP: where it listens, what it refuses, how it follows saves."""

from __future__ import annotations

import http.client
import json
import socket
import time
from pathlib import Path

import pytest

from faceprint.preview.lintworker import run_lint
from faceprint.preview.server import PathRefused, PreviewServer, resolve_inside
from faceprint.preview.session import PatternCache, PreviewSession, TreeCache, extends_chain
from faceprint.templating import Templates

from .conftest import Workspace, save


def _get(srv: PreviewServer, path: str, host: str | None = None) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", srv.port, timeout=5)
    conn.putrequest("GET", path, skip_host=True)
    conn.putheader("Host", host or f"127.0.0.1:{srv.port}")
    conn.endheaders()
    resp = conn.getresponse()
    body = resp.read()
    conn.close()
    return resp.status, body


def _state(srv: PreviewServer) -> dict[str, object]:
    status, body = _get(srv, "/api/state")
    assert status == 200
    return json.loads(body)  # type: ignore[no-any-return]


def _wait(srv: PreviewServer, test: object, timeout: float = 5.0) -> dict[str, object]:
    deadline = time.monotonic() + timeout
    while True:
        state = _state(srv)
        if test(state):  # type: ignore[operator]
            return state
        assert time.monotonic() < deadline, f"timed out; last state: {json.dumps(state)[:400]}"
        time.sleep(0.02)


def test_listens_on_loopback_only(server: PreviewServer) -> None:
    assert server.httpd.server_address[0] == "127.0.0.1"
    # Another address of this machine must not reach the server.
    probe = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        probe.connect(("192.0.2.1", 9))  # TEST-NET-1: no packet is sent, it only picks the outgoing interface
        other = probe.getsockname()[0]
    except OSError:
        other = ""
    finally:
        probe.close()
    if other and not other.startswith("127."):
        with pytest.raises(OSError), socket.create_connection((other, server.port), timeout=1):
            pass


OUTSIDE = (
    "/files/layout/../next-gen/card.yaml",
    "/files/layout/%2e%2e/next-gen/card.yaml",
    "/files/layout/..%2fnext-gen%2fcard.yaml",
    "/files/layout/%2fetc%2fpasswd",
    "/files/records/../../layouts/next-gen/card.yaml",
    "/files/records/..%5c..%5cetc%5cpasswd",
    "/files/other/etc/passwd",
    "/files//etc/passwd",
)


def test_paths_outside_the_two_folders_are_refused(server: PreviewServer) -> None:
    for path in OUTSIDE:
        status, body = _get(server, path)
        assert status == 403, (path, body)


def test_a_symlink_out_of_the_folder_is_refused(server: PreviewServer, workspace: Workspace) -> None:
    (workspace.records / "escape.json").symlink_to(workspace.parent)
    assert _get(server, "/files/records/escape.json")[0] == 403
    with pytest.raises(PathRefused):
        resolve_inside(workspace.records, "escape.json")


def test_files_inside_are_served(server: PreviewServer, workspace: Workspace) -> None:
    status, body = _get(server, "/files/layout/card.yaml")
    assert status == 200 and body == workspace.layout.read_bytes()
    assert _get(server, f"/files/records/{workspace.record.name}")[0] == 200


def test_other_hosts_are_refused(server: PreviewServer) -> None:
    assert _get(server, "/api/state", host=f"attacker.example:{server.port}")[0] == 403
    assert _get(server, "/", host=f"localhost:{server.port}")[0] == 200


def test_page_and_renders(server: PreviewServer) -> None:
    status, page = _get(server, "/")
    assert status == 200 and b"/static/app.js" in page
    assert _get(server, "/static/app.js")[0] == 200
    assert _get(server, "/static/../session.py")[0] == 404
    state = _state(server)
    assert state["error"] is None
    faces = state["faces"]
    assert [f["name"] for f in faces] == ["front", "back"]  # type: ignore[index]
    for face in faces:  # type: ignore[attr-defined]
        status, png = _get(server, face["image"])
        assert status == 200 and png.startswith(b"BM")
        assert face["boxes"] and face["margin"] >= face["bleed"]
    back = faces[1]  # type: ignore[index]
    assert {z["id"] for z in back["keep_out"]} == {"chip", "stripe"}


def test_follows_the_layout_the_parent_and_the_record(server: PreviewServer, workspace: Workspace) -> None:
    first = _state(server)
    save(workspace.layout, workspace.layout.read_text(encoding="utf-8").replace('"rev. 0"', '"rev. 1"'))
    second = _wait(server, lambda s: s["version"] != first["version"])
    assert second["faces"][1]["hash"] != first["faces"][1]["hash"]  # type: ignore[index]
    assert second["changed"] == ["card.yaml"]
    save(workspace.parent, workspace.parent.read_text(encoding="utf-8").replace("#1d3a5f", "#c0392b"))
    third = _wait(server, lambda s: s["version"] != second["version"])
    assert third["faces"][0]["hash"] != second["faces"][0]["hash"]  # type: ignore[index]
    assert third["changed"] == ["base.yaml"]
    record = json.loads(workspace.record.read_text(encoding="utf-8"))
    record["address"] = "北海道札幌市見本区二条二丁目２番２号"
    save(workspace.record, json.dumps(record, ensure_ascii=False))
    fourth = _wait(server, lambda s: s["version"] != third["version"])
    assert fourth["faces"][0]["hash"] != third["faces"][0]["hash"]  # type: ignore[index]
    assert fourth["changed"] == ["../../samples/records/01-short-name.json"]


def test_errors_show_and_clear(server: PreviewServer, workspace: Workspace) -> None:
    good = workspace.layout.read_text(encoding="utf-8")
    save(workspace.layout, good.replace('"rev. 0"}', '"rev. 0}'))  # YAML syntax: an unclosed quote
    state = _wait(server, lambda s: s["error"] is not None)
    error = state["error"]
    assert error["kind"] == "layout" and error["file"] == str(workspace.layout)  # type: ignore[index]
    assert "YAML" in error["message"] and error["line"] is not None  # type: ignore[index,operator]
    assert state["faces"], "the last good render stays on the page"
    save(workspace.layout, good)
    _wait(server, lambda s: s["error"] is None)
    base = workspace.parent.read_text(encoding="utf-8")
    save(workspace.parent, base.replace("bleed: 2mm", "bleed: big"))  # a bad value, in the extended file
    state = _wait(server, lambda s: s["error"] is not None)
    error = state["error"]
    assert error["file"] == str(workspace.parent) and error["line"] == 3 and "big" in error["message"]  # type: ignore[index,operator]
    save(workspace.parent, base)
    _wait(server, lambda s: s["error"] is None)
    record_text = workspace.record.read_text(encoding="utf-8")
    save(workspace.record, record_text.replace('"id": "S01",', '"id": "S01"'))
    state = _wait(server, lambda s: s["error"] is not None)
    assert state["error"]["kind"] == "data" and state["error"]["file"] == str(workspace.record)  # type: ignore[index]
    assert state["error"]["line"] == 3  # type: ignore[index]
    save(workspace.record, record_text)
    _wait(server, lambda s: s["error"] is None)


def test_record_picker(server: PreviewServer) -> None:
    state = _state(server)
    assert state["records"] == ["01-short-name.json", "04-former-surname.json"]
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
    conn.request(
        "POST", "/api/select", body=json.dumps({"record": "../../../etc/passwd"}), headers={"Content-Type": "application/json"}
    )
    assert conn.getresponse().status == 400
    conn.close()
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
    body = json.dumps({"record": "04-former-surname.json"})
    conn.request("POST", "/api/select", body=body, headers={"Origin": "http://attacker.example"})
    assert conn.getresponse().status == 403  # another site's page cannot drive the preview
    conn.close()
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
    conn.request("POST", "/api/select", body=body, headers={"Origin": f"http://127.0.0.1:{server.port}"})
    assert conn.getresponse().status == 200
    conn.close()
    _wait(server, lambda s: s["record"] == "04-former-surname.json" and s["version"] != state["version"])


@pytest.mark.lint_worker
def test_lint_findings_arrive(server: PreviewServer, workspace: Workspace) -> None:
    text = workspace.layout.read_text(encoding="utf-8")
    save(
        workspace.layout,
        text + "  - {id: pale, type: text, box: [30mm, 20mm, 30mm, 4mm], font: gothic, size: 8pt, value: x, color: '#eeeeee'}\n",
    )
    state = _wait(server, lambda s: s["lint"]["state"] == "done" and s["version"] > 1, timeout=15)
    findings = state["lint"]["findings"]  # type: ignore[index]
    assert any(f["code"] == "contrast" and f["element_id"] == "pale" and f["severity"] == "error" for f in findings)
    hit = next(f for f in findings if f["element_id"] == "pale")
    assert hit["href"] == "/files/layout/card.yaml" and hit["line"] == len(text.splitlines()) + 1


def test_events_stream_the_state(server: PreviewServer, workspace: Workspace) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
    conn.request("GET", "/events")
    resp = conn.getresponse()
    assert resp.status == 200 and resp.getheader("Content-Type", "").startswith("text/event-stream")
    assert resp.readline() == b"event: state\n"
    first = json.loads(resp.readline().removeprefix(b"data: "))
    assert resp.readline() == b"\n"
    save(workspace.layout, workspace.layout.read_text(encoding="utf-8").replace('"rev. 0"', '"rev. 2"'))
    while True:  # lint progress may come first; wait for the render
        assert resp.readline() == b"event: state\n"
        state = json.loads(resp.readline().removeprefix(b"data: "))
        resp.readline()
        if state["version"] != first["version"]:
            break
    conn.close()


def test_extends_chain_survives_a_broken_file(workspace: Workspace) -> None:
    save(workspace.parent, "front: [unclosed\n")
    assert extends_chain(workspace.layout) == [workspace.layout, workspace.parent]


def test_specimen_without_records(workspace: Workspace) -> None:
    session = PreviewSession(workspace.parent, None, dpi=100)
    assert session.refresh(force=True)
    state = session.state()
    assert state["error"] is None and state["record_label"] == "specimen (built in)" and state["records"] == []
    assert not session.refresh()
    job = session.lint_job()
    assert job is not None and job["records"] is None  # None: the worker lints the specimen
    caches = {"trees": TreeCache(), "patterns": PatternCache(), "templates": Templates()}
    for result in run_lint(job, **caches, cancelled=lambda: False):  # type: ignore[arg-type]
        assert session.apply_lint(result)
    assert session.state()["lint"]["state"] == "done"
    assert not session.apply_lint({"gen": job["gen"] - 1, "done": 1, "of": 1, "findings": []})  # a stale result


def test_resolve_inside(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    assert resolve_inside(tmp_path, "a/b.yaml") == (tmp_path / "a" / "b.yaml").resolve()
    for bad in ("../x", "a/../../x", "/etc/passwd", "a\\..\\..\\x", "a/%2e%2e/%2e%2e/x", "x\x00y"):
        with pytest.raises(PathRefused):
            resolve_inside(tmp_path, bad)

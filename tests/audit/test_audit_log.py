"""The audit log (issue #16): the key, the lines each command writes, the hash chain and ``audit verify``
against every kind of tampering, ``audit find``, concurrent writers, a batch killed and resumed, and no
personal data in the clear."""

from __future__ import annotations

import hashlib
import hmac
import io
import json
import os
import signal
import stat
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from faceprint.audit.key import load_key
from faceprint.audit.log import append_lines, head_path
from faceprint.audit.verify import verify
from faceprint.cli import main

ROOT = Path(__file__).resolve().parents[2]
LAYOUT = ROOT / "layouts" / "next-gen" / "card.yaml"
SAMPLES = ROOT / "samples"


@pytest.fixture(autouse=True)
def _no_audit_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("FACEPRINT_AUDIT_LOG", raising=False)
    monkeypatch.delenv("FACEPRINT_AUDIT_KEY", raising=False)


def cli(*argv: object) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    old = sys.stdout
    sys.stdout = out
    try:
        code = main([str(a) for a in argv], stderr=err)
    finally:
        sys.stdout = old
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def key(tmp_path: Path) -> Path:
    path = tmp_path / "office.key"
    assert cli("audit", "keygen", path)[0] == 0
    return path


def sample_rows() -> list[dict[str, Any]]:
    rows = []
    for line in (SAMPLES / "batch.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        row["photo"] = str((SAMPLES / str(row["photo"])).resolve())
        rows.append(row)
    return rows


def write_jsonl(path: Path, rows: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path


def record_file(tmp_path: Path, row: dict[str, Any]) -> Path:
    path = tmp_path / "records" / f"{row['id']}.json"
    path.parent.mkdir(exist_ok=True)
    path.write_text(json.dumps(row, ensure_ascii=False), encoding="utf-8")
    return path


def lines_of(log: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# -- the key -----------------------------------------------------------------------------------------
def test_keygen_writes_an_owner_only_key_and_never_overwrites_one(tmp_path: Path, key: Path) -> None:
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    before = key.read_bytes()
    code, _, err = cli("audit", "keygen", key)
    assert code == 2 and "exists" in err and key.read_bytes() == before
    assert len(load_key(key).secret) == 32
    key.chmod(0o644)
    code, _, err = cli("render", LAYOUT, SAMPLES / "records" / "01-short-name.json", "--out", tmp_path / "o", "--audit-log",
                       tmp_path / "a.log", "--audit-key", key)  # fmt: skip
    assert code == 2 and "readable by others (mode 644); chmod 600 it" in err and not (tmp_path / "o").exists()


def test_logging_without_a_key_is_a_usage_error_and_writes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    rec = SAMPLES / "records" / "01-short-name.json"
    code, _, err = cli("render", LAYOUT, rec, "--out", tmp_path / "o", "--audit-log", tmp_path / "a.log")
    assert code == 2 and "needs the office's key (--audit-key or $FACEPRINT_AUDIT_KEY)" in err
    monkeypatch.setenv("FACEPRINT_AUDIT_LOG", str(tmp_path / "a.log"))  # on through the environment: the same
    code, _, err = cli("render", LAYOUT, rec, "--out", tmp_path / "o")
    assert code == 2 and "needs the office's key" in err
    assert not (tmp_path / "o").exists() and not (tmp_path / "a.log").exists()


# -- what a command writes ---------------------------------------------------------------------------
def test_render_logs_one_chained_line_per_card(tmp_path: Path, key: Path) -> None:
    rows = sample_rows()[:2]
    recs = [record_file(tmp_path, row) for row in rows]
    log, out = tmp_path / "audit.log", tmp_path / "out"
    code, _, err = cli("render", LAYOUT, *recs, "--out", out, "--format", "pdf", "--audit-log", log, "--audit-key", key,
                       "--operator", "clerk7")  # fmt: skip
    assert code == 0, err
    assert stat.S_IMODE(log.stat().st_mode) == 0o600
    lines = lines_of(log)
    secret = load_key(key).secret
    assert [line["record"] for line in lines] == [row["id"] for row in rows]
    for line, row in zip(lines, rows, strict=True):
        assert list(line) == ["prev", "v", "time", "operator", "command", "layout_sha256", "record", "number_hmac", "key_id",
                              "outputs", "outcome"]  # fmt: skip
        assert (line["operator"], line["command"], line["outcome"]) == ("clerk7", "render", "written")
        assert line["time"].endswith("Z") and line["layout_sha256"] == sha256(LAYOUT)
        assert line["number_hmac"] == hmac.new(secret, row["my_number"].encode(), hashlib.sha256).hexdigest()
        assert line["outputs"] == {f"{row['id']}.pdf": sha256(out / f"{row['id']}.pdf")}
    raw = log.read_bytes().splitlines()
    assert lines[0]["prev"] == "0" * 64 and lines[1]["prev"] == hashlib.sha256(raw[0]).hexdigest()
    code, text, _ = cli("audit", "verify", log)
    assert (code, text.strip()) == (0, f"{log}: 2 lines, chain intact")


def test_impose_logs_every_card_with_the_sheet_file(tmp_path: Path, key: Path) -> None:
    src = write_jsonl(tmp_path / "in.jsonl", sample_rows()[:3])
    log = tmp_path / "audit.log"
    code, _, err = cli("impose", LAYOUT, src, "--out", tmp_path / "o", "--sheet", "A4", "--audit-log", log, "--audit-key", key)
    assert code == 0, err
    lines = lines_of(log)
    sheet = sha256(tmp_path / "o" / "sheets.pdf")
    assert [(x["command"], x["record"], x["outputs"], x["outcome"]) for x in lines] == [
        ("impose", rid, {"sheets.pdf": sheet}, "written") for rid in ("S01", "S02", "S03")
    ]


# -- verify against tampering ------------------------------------------------------------------------
def _synthetic_log(tmp_path: Path, n: int = 5) -> Path:
    log = tmp_path / "t.log"
    for i in range(n):
        fields = {"v": 1, "time": "2026-12-04T10:00:00Z", "operator": "t", "command": "render", "layout_sha256": "0" * 64,
                  "record": f"R{i}", "number_hmac": None, "key_id": "k", "outputs": {}, "outcome": "written"}  # fmt: skip
        append_lines(log, [fields])
    assert verify(log).ok
    return log


def _edit(line: bytes) -> bytes:
    return line.replace(b'"outcome":"written"', b'"outcome":"failed"')


TAMPERING: dict[str, tuple[Callable[[list[bytes]], list[bytes]], str]] = {
    "edited": (lambda ls: [ls[0], _edit(ls[1]), *ls[2:]], "line 3: 'prev' does not match line 2: line 2 was edited"),
    "not JSON": (lambda ls: [ls[0], ls[1][:-3] + b"}}}", *ls[2:]], "line 2: not valid JSON"),
    "removed": (lambda ls: [ls[0], ls[1], *ls[3:]], "line 3: 'prev' does not match line 2"),
    "reordered": (lambda ls: [ls[0], ls[2], ls[1], *ls[3:]], "line 2: 'prev' does not match line 1"),
    "first removed": (lambda ls: ls[1:], "line 1: the first line's 'prev' is not the start of a chain"),
    "last removed": (lambda ls: ls[:-1], "the log ends after line 4 but had 5 lines: lines were removed from the end"),
    "last edited": (lambda ls: [*ls[:-1], _edit(ls[-1])], "line 5: the last line differs from the one written (edited)"),
    "field added": (lambda ls: [ls[0], ls[1][:-1] + b',"x":1}', *ls[2:]], "line 2: not an audit line"),
}


@pytest.mark.parametrize("how", sorted(TAMPERING))
def test_verify_reports_the_first_tampered_line(tmp_path: Path, how: str) -> None:
    log = _synthetic_log(tmp_path)
    change, message = TAMPERING[how]
    log.write_bytes(b"\n".join(change(log.read_bytes().splitlines())) + b"\n")
    code, text, _ = cli("audit", "verify", log)
    assert code == 1 and message in text, text


def test_verify_reports_a_log_cut_mid_line_and_a_missing_head(tmp_path: Path) -> None:
    log = _synthetic_log(tmp_path)
    whole = log.read_bytes()
    log.write_bytes(whole[:-40])
    code, text, _ = cli("audit", "verify", log)
    assert code == 1 and "line 5: cut short (no end of line)" in text
    log.write_bytes(whole)
    head_path(log).unlink()
    code, text, _ = cli("audit", "verify", log)
    assert code == 1 and "no head file" in text


@pytest.mark.parametrize(("cut", "intact"), [("after prev", True), ("inside prev", True), ("wrong prev", False)])
def test_a_line_cut_by_a_killed_writer_is_closed_and_the_chain_goes_on(tmp_path: Path, cut: str, intact: bool) -> None:
    log = _synthetic_log(tmp_path, 3)
    prev = hashlib.sha256(log.read_bytes().splitlines()[-1]).hexdigest().encode()
    fragment = {
        "after prev": b'{"prev":"' + prev + b'","v":1,"ti',
        "inside prev": b'{"prev":"' + prev[:20],
        "wrong prev": b'{"prev":"' + b"f" * 64 + b'","v":1,"ti',
    }[cut]
    log.write_bytes(log.read_bytes() + fragment)
    _synthetic = {"v": 1, "time": "2026-12-04T10:00:01Z", "operator": "t", "command": "batch", "layout_sha256": None,
                  "record": "R9", "number_hmac": None, "key_id": "k", "outputs": {}, "outcome": "written"}  # fmt: skip
    append_lines(log, [_synthetic])
    outcomes = [line.split(b'"outcome":"')[-1][:9] for line in log.read_bytes().splitlines()]
    assert outcomes[4].startswith(b"recovered") and outcomes[5].startswith(b"written")
    verdict = verify(log)
    if intact:
        assert verdict.ok and verdict.lines == 6 and "4 cut short by a killed run" in str(verdict.note)
    else:
        assert not verdict.ok and "line 4: 'prev' does not match line 3" in str(verdict.problem)


def test_two_writers_at_once_keep_one_chain(tmp_path: Path) -> None:
    log = tmp_path / "c.log"
    writer = """
import os, sys, time
from faceprint.audit.log import append_lines
while not os.path.exists(sys.argv[2]):
    time.sleep(0.001)
for i in range(60):
    append_lines(__import__("pathlib").Path(sys.argv[1]), [{"v": 1, "time": "t", "operator": sys.argv[3], "command": "batch",
        "layout_sha256": None, "record": f"{sys.argv[3]}{i}", "number_hmac": None, "key_id": "k", "outputs": {},
        "outcome": "written"}] * (1 + i % 3))
"""
    go = tmp_path / "go"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    procs = [subprocess.Popen([sys.executable, "-c", writer, str(log), str(go), name], env=env) for name in "AB"]
    time.sleep(0.3)  # not a timing assertion: both processes are ready before the start signal
    go.touch()
    assert [p.wait(120) for p in procs] == [0, 0]
    verdict = verify(log)
    assert verdict.ok and verdict.lines == 2 * sum(1 + i % 3 for i in range(60)), verdict.problem
    counts = Counter(line["record"] for line in lines_of(log))
    assert all(counts[f"{w}{i}"] == 1 + i % 3 for w in "AB" for i in range(60))


# -- find ----------------------------------------------------------------------------------------------
def test_find_lists_the_lines_of_one_card_only_with_the_right_key(tmp_path: Path, key: Path) -> None:
    rows = sample_rows()[:2]
    recs = [record_file(tmp_path, row) for row in rows]
    log = tmp_path / "audit.log"
    for _ in range(2):
        cli("render", LAYOUT, *recs, "--out", tmp_path / "o", "--format", "pdf", "--audit-log", log, "--audit-key", key)
    code, text, _ = cli("audit", "find", log, "--number", rows[1]["my_number"], "--audit-key", key)
    assert code == 0 and text.count(f" render {rows[1]['id']} written") == 2 and f" {rows[0]['id']} " not in text
    assert text.splitlines()[0].startswith("line 2: ") and "2 lines for this card" in text
    other = tmp_path / "other.key"
    cli("audit", "keygen", other)
    code, text, _ = cli("audit", "find", log, "--number", rows[1]["my_number"], "--audit-key", other)
    assert code == 0 and "0 lines for this card" in text and f"hashed with other keys ({load_key(key).key_id})" in text
    assert rows[1]["my_number"] not in text


# -- a batch killed and resumed ------------------------------------------------------------------------
def _wait_for(cond: Callable[[], bool], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not cond():
        if time.monotonic() > deadline:
            raise AssertionError("condition not reached")
        time.sleep(0.05)


def test_a_batch_killed_and_resumed_logs_every_card_exactly_once(tmp_path: Path, key: Path) -> None:
    n = 60
    base = sample_rows()
    rows = [{**base[i % len(base)], "id": f"R{i:04d}"} for i in range(n)]
    src = write_jsonl(tmp_path / "in.jsonl", rows)
    out, log = tmp_path / "out", tmp_path / "audit.log"
    args = ["batch", str(LAYOUT), str(src), "--out", str(out), "--format", "pdf", "--dpi", "150",
            "--audit-log", str(log), "--audit-key", str(key)]  # fmt: skip
    cmd = [sys.executable, "-m", "faceprint", *args, "--workers", "2"]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        _wait_for(lambda: out.is_dir() and len(list(out.glob("R*.pdf"))) >= 5, timeout=90)
        os.killpg(proc.pid, signal.SIGKILL)  # main process and workers, mid-run: some cards written but not logged
    finally:
        proc.wait(timeout=30)
    done_before = len(list(out.glob("R*.pdf")))
    assert 0 < done_before < n, "the kill should land mid-run"
    assert cli(*args, "--resume")[0] == 0
    code, text, _ = cli("audit", "verify", log)
    assert code == 0 and "chain intact" in text, text
    written = [line for line in lines_of(log) if line["outcome"] == "written"]
    assert sorted(line["record"] for line in written) == [f"R{i:04d}" for i in range(n)]  # each card exactly once
    for line in written:
        assert line["outputs"] == {f"{line['record']}.pdf": sha256(out / f"{line['record']}.pdf")}


# -- no personal data ----------------------------------------------------------------------------------
NOT_PERSONAL = {"id", "photo", "sex", "valid_until", "collation_number"}


def _personal_values(row: dict[str, Any], key: str = "") -> list[str]:
    if isinstance(row, dict):
        return [v for k, value in row.items() if k not in NOT_PERSONAL for v in _personal_values(value, k)]
    if isinstance(row, list):
        return [v for item in row for v in _personal_values(item, key)]
    if isinstance(row, str) and row.strip():
        values = [row, *row.split()]  # a name's parts, an address's words
        if key == "my_number":
            digits = "".join(ch for ch in row if ch.isdigit())
            groups = (digits[:4], digits[4:8], digits[8:])
            values += [digits, " ".join(groups), "-".join(groups)]
        if key in ("birth_date", "date"):
            values += [row.replace("-", ""), row.replace("-", "."), row.replace("-", "/")]
        return [v for v in values if len(v) >= 2]
    return []


def test_the_log_holds_no_name_address_birth_date_or_number(tmp_path: Path, key: Path) -> None:
    rows = sample_rows()
    src = write_jsonl(tmp_path / "in.jsonl", rows)
    log = tmp_path / "audit.log"
    audit = ["--audit-log", log, "--audit-key", key]
    assert cli("batch", LAYOUT, src, "--out", tmp_path / "b", "--format", "pdf", "--dpi", "100", *audit)[0] == 0
    rec = record_file(tmp_path, rows[0])
    code, _, err = cli("annotate", LAYOUT, rec, "--entry", "見本市見本町１", "--out", tmp_path / "j", *audit)
    assert code == 0, err
    assert cli("annotate", "confirm", tmp_path / "j", *audit)[0] == 0
    text = log.read_text(encoding="utf-8")
    assert len(text.splitlines()) == len(rows) + 2
    for row in rows:
        for value in _personal_values(row):
            assert value not in text, (row["id"], value)


def test_resume_logs_only_the_cards_whose_lines_are_missing(tmp_path: Path, key: Path) -> None:
    src = write_jsonl(tmp_path / "in.jsonl", sample_rows()[:3])
    log, out = tmp_path / "audit.log", tmp_path / "out"
    args = ["batch", LAYOUT, src, "--out", out, "--format", "pdf", "--dpi", "100", "--audit-log", log, "--audit-key", key]
    assert cli(*args)[0] == 0
    assert cli(*args, "--resume")[0] == 0  # every card complete and logged: nothing to add
    assert [line["record"] for line in lines_of(log)] == ["S01", "S02", "S03"]
    (out / "S02.pdf").write_bytes(b"%PDF- a different file under the same name")  # not the file the log names
    assert cli(*args, "--resume")[0] == 0
    assert [line["record"] for line in lines_of(log)] == ["S01", "S02", "S03", "S02"]
    assert verify(log).ok


def test_the_counter_cycle_is_logged_and_a_moved_record_stops_confirm_before_the_state_changes(tmp_path: Path, key: Path) -> None:
    rec = record_file(tmp_path, sample_rows()[0])
    log = tmp_path / "audit.log"
    audit = ["--audit-log", log, "--audit-key", key, "--operator", "clerk1"]

    def annotate(out: Path) -> None:
        code, _, err = cli("annotate", LAYOUT, rec, "--entry", "見本市見本町１", "--date", "2025-06-20", "--out", out, *audit)
        assert code == 0, err

    annotate(tmp_path / "j1")
    assert cli("annotate", "void", tmp_path / "j1", "--not-printed", *audit)[0] == 0
    annotate(tmp_path / "j2")
    assert cli("annotate", "confirm", tmp_path / "j2", *audit)[0] == 0
    assert cli("annotate", "void", tmp_path / "j2", "--printed", *audit)[0] == 0
    lines = lines_of(log)
    assert [(x["command"], x["outcome"]) for x in lines] == [
        ("annotate", "pending"),
        ("annotate void", "void-not-printed"),
        ("annotate", "pending"),
        ("annotate confirm", "printed"),
        ("annotate void", "void-printed"),
    ]
    job = tmp_path / "j2"
    assert lines[3]["outputs"] == {name: sha256(job / name) for name in ("S01-entry1.pdf", "S01-entry1.png")}
    assert {x["operator"] for x in lines} == {"clerk1"} and len({x["number_hmac"] for x in lines}) == 1
    assert {x["layout_sha256"] for x in lines} == {sha256(LAYOUT)}

    annotate(tmp_path / "j3")
    state_before = rec.with_name("S01.annotations.json").read_bytes()
    rec.rename(tmp_path / "moved.json")
    code, _, err = cli("annotate", "confirm", tmp_path / "j3", *audit)
    assert code in (1, 2) and "S01.json" in err
    assert rec.with_name("S01.annotations.json").read_bytes() == state_before  # still pending
    assert verify(log).ok and len(lines_of(log)) == 6

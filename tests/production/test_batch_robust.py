"""One bad record never stops a batch (issue 14 §2), and output files and folders (§4): whatever fails in
one record lands in errors.jsonl, masked; folders faceprint makes are 0700; stale temporaries go."""

from __future__ import annotations

import csv
import json
import os
import socket
import stat
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from faceprint.cli import main
from faceprint.outputs import OutputSpec
from faceprint.production.batch import BatchJob, run_batch
from faceprint.render import CardRenderer

from .conftest import LAYOUT, ROOT, SAMPLES, many_rows, write_jsonl

PDF_ONLY = OutputSpec(formats=("pdf",))


def _report(out: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in (out / "errors.jsonl").read_text(encoding="utf-8").splitlines()]


def test_a_too_long_photo_path_in_one_record_of_20_fails_that_record_only(tmp_path: Path) -> None:
    rows = many_rows(20)
    rows[7]["photo"] = "/tmp/" + "a" * 300 + ".jpg"
    src = write_jsonl(tmp_path / "in.jsonl", rows)
    out = tmp_path / "out"
    status = main(["batch", str(LAYOUT), str(src), "--out", str(out), "--format", "pdf", "--workers", "2"])
    assert status == 1
    assert sorted(p.stem for p in out.glob("*.pdf")) == [f"R{i:04d}" for i in range(20) if i != 7]
    report = _report(out)
    assert len(report) == 1
    assert report[0]["record"] == "R0007" and report[0]["line"] == 8 and report[0]["field"] == "photo"
    assert "NAME_MAX" in report[0]["reason"] and "aaaa" not in report[0]["reason"]


def test_an_unexpected_exception_is_that_records_internal_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real_scene = CardRenderer.scene

    def scene(self: CardRenderer, record: Any, **kwargs: Any) -> Any:
        if record.id == "R0003":
            raise OSError(36, "File name too long", "/x/1111.1111.1118.jpg")
        if record.id == "R0005":
            raise RuntimeError("a bug near 111111111118")
        return real_scene(self, record, **kwargs)

    monkeypatch.setattr(CardRenderer, "scene", scene)
    src = write_jsonl(tmp_path / "in.jsonl", many_rows(8))
    out = tmp_path / "out"
    result = run_batch(BatchJob(LAYOUT, src, out, PDF_ONLY, workers=1))  # in this process, so the patch applies
    assert (result.total, result.written, result.failed) == (8, 6, 2)
    assert sorted(p.stem for p in out.glob("*.pdf")) == [f"R{i:04d}" for i in (0, 1, 2, 4, 6, 7)]
    report = _report(out)
    assert [(e["record"], e["field"]) for e in report] == [("R0003", "(internal)"), ("R0005", "(internal)")]
    assert report[0]["reason"].startswith("internal error OSError:") and "please report it" in report[0]["reason"]
    assert report[1]["reason"].startswith("internal error RuntimeError:")
    text = (out / "errors.jsonl").read_text(encoding="utf-8")
    assert "1111" not in text and "1118" not in text  # neither the path nor the number in the message


def test_hostile_lines_are_reported_by_line_and_the_run_goes_on(tmp_path: Path) -> None:
    rows = many_rows(3)
    lines = [
        json.dumps(rows[0]),
        '{"id": "D", "name": ' + "[" * 50_000 + "]" * 50_000 + "}",
        '{"id": "N", "sex": ' + "9" * 100_000 + "}",
        json.dumps(dict(rows[1], id="x\udc80y")),  # a lone surrogate in the id
        json.dumps(dict(rows[1], id="1111-1111-1118")),
        json.dumps(rows[2]),
    ]
    src = tmp_path / "in.jsonl"
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    result = run_batch(BatchJob(LAYOUT, src, out, PDF_ONLY, workers=1))
    assert (result.written, result.failed) == (2, 4)
    report = _report(out)  # valid UTF-8 JSON, one entry per problem
    by_line = {e["line"]: e for e in report}
    assert by_line[2]["field"] == "name" and "MAX_JSON_DEPTH" in by_line[2]["reason"]
    assert by_line[3]["field"] == "sex" and "MAX_NUMBER_DIGITS" in by_line[3]["reason"]
    assert by_line[4]["record"] == "line 4" and "lone surrogate" in by_line[4]["reason"]
    assert by_line[5]["record"] == "line 5" and by_line[5]["field"] == "id"
    assert "1118" not in (out / "errors.jsonl").read_text(encoding="utf-8")


# -- files --------------------------------------------------------------------------------------------------


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def _temporaries(out: Path) -> dict[str, Path]:
    host = socket.gethostname()
    names = {
        "dead here": f".R0000.pdf.{host}.{_dead_pid()}.0badf00d.tmp",
        "alive here": f".R0001.pdf.{host}.{os.getpid()}.1badf00d.tmp",  # a concurrent writer: this process
        "fresh elsewhere": ".R0002.pdf.other-host.example.4242.2badf00d.tmp",
        "old elsewhere": ".R0003.pdf.other-host.example.4242.3badf00d.tmp",
        "not ours": ".someone-elses.tmp",
    }
    paths = {key: out / name for key, name in names.items()}
    for path in paths.values():
        path.write_bytes(b"half a card")
    hour_ago = time.time() - 3600
    os.utime(paths["old elsewhere"], (hour_ago, hour_ago))
    return paths


@pytest.mark.parametrize("command", ["render", "batch"])
def test_the_next_run_removes_stale_temporaries_of_its_own_naming_only(command: str, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    temps = _temporaries(out)
    row = many_rows(1)[0]
    if command == "render":
        record = tmp_path / "r.json"
        record.write_text(json.dumps(row, ensure_ascii=False), encoding="utf-8")
        assert main(["render", str(LAYOUT), str(record), "--out", str(out), "--format", "pdf"]) == 0
    else:
        src = write_jsonl(tmp_path / "in.jsonl", [row])
        assert main(["batch", str(LAYOUT), str(src), "--out", str(out), "--format", "pdf"]) == 0
    left = {key for key, path in temps.items() if path.exists()}
    assert left == {"alive here", "fresh elsewhere", "not ours"}
    assert (out / "R0000.pdf").is_file()


def test_a_render_killed_mid_write_leaves_nothing_for_good(tmp_path: Path) -> None:
    """A real render, SIGKILLed while its temporary exists; the next render clears it."""
    out = tmp_path / "out"
    record = tmp_path / "r.json"
    record.write_text(json.dumps(many_rows(1)[0], ensure_ascii=False), encoding="utf-8")
    code = (
        "import os, sys\n"
        "import faceprint.atomic as o\n"
        "real = o.os.replace\n"
        "def replace(src, dst):\n"
        "    if os.path.basename(src).startswith('.R0000.pdf.'):\n"
        "        os.kill(os.getpid(), 9)\n"  # killed between the complete temporary and its rename
        "    real(src, dst)\n"
        "o.os.replace = replace\n"
        "from faceprint.cli import main\n"
        f"main(['render', {str(LAYOUT)!r}, {str(record)!r}, '--out', {str(out)!r}, '--format', 'pdf'])\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    killed = subprocess.run([sys.executable, "-c", code], env=env, timeout=300, capture_output=True)
    assert killed.returncode == -9
    assert [p.name.startswith(".R0000.pdf.") for p in out.iterdir()] == [True]  # the torn write, hidden
    assert main(["render", str(LAYOUT), str(record), "--out", str(out), "--format", "pdf"]) == 0
    assert sorted(p.name for p in out.iterdir()) == ["R0000.pdf"]


def test_folders_faceprint_creates_are_owner_only(tmp_path: Path) -> None:
    parent = tmp_path / "shared"
    parent.mkdir(mode=0o755)
    os.chmod(parent, 0o755)
    out = parent / "run" / "cards"
    record = tmp_path / "r.json"
    record.write_text(json.dumps(many_rows(1)[0], ensure_ascii=False), encoding="utf-8")
    assert main(["render", str(LAYOUT), str(record), "--out", str(out), "--format", "pdf"]) == 0
    assert stat.S_IMODE(out.stat().st_mode) == 0o700 and stat.S_IMODE(out.parent.stat().st_mode) == 0o700
    assert stat.S_IMODE(parent.stat().st_mode) == 0o755  # a folder that existed keeps its mode
    batch_out = parent / "batch"
    src = write_jsonl(tmp_path / "in.jsonl", many_rows(1))
    assert main(["batch", str(LAYOUT), str(src), "--out", str(batch_out), "--format", "pdf"]) == 0
    assert stat.S_IMODE(batch_out.stat().st_mode) == 0o700


def test_an_oversized_csv_cell_or_jsonl_line_fails_its_record_only(tmp_path: Path) -> None:
    with (SAMPLES / "batch.csv").open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        header, rows = list(reader.fieldnames or []), list(reader)[:3]
    for row in rows:
        row["photo"] = str((SAMPLES / row["photo"]).resolve())
    rows[1]["address"] = "長" * 200_000  # over the CSV parser's field limit
    src = tmp_path / "in.csv"
    with src.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, header)
        writer.writeheader()
        writer.writerows(rows)
    out = tmp_path / "csv-out"
    result = run_batch(BatchJob(LAYOUT, src, out, PDF_ONLY, workers=1))
    assert (result.total, result.written, result.failed) == (3, 2, 1)
    assert [(e["line"], e["field"]) for e in _report(out)] == [(3, "(line)")]

    lines = [json.dumps(r, ensure_ascii=False) for r in many_rows(3)]
    lines[1] = json.dumps(dict(many_rows(2)[1], address="長" * 1_100_000), ensure_ascii=False)  # over MAX_RECORD_BYTES
    jsonl = tmp_path / "in.jsonl"
    jsonl.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "jsonl-out"
    result = run_batch(BatchJob(LAYOUT, jsonl, out, PDF_ONLY, workers=1))
    assert (result.total, result.written, result.failed) == (3, 2, 1)
    report = _report(out)
    assert [(e["record"], e["field"]) for e in report] == [("line 2", "(line)")] and "MAX_RECORD_BYTES" in report[0]["reason"]


def test_a_named_pipe_as_the_records_file_is_refused_not_waited_on(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pipe = tmp_path / "in.jsonl"
    os.mkfifo(pipe)
    assert main(["batch", str(LAYOUT), str(pipe), "--out", str(tmp_path / "out")]) == 2
    assert f"records file {pipe}: not a regular file (a named pipe)" in capsys.readouterr().err


def test_a_record_that_kills_its_worker_process_fails_alone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The worker processes are forked after the patch, so the record R0003 really ends its process."""
    real_scene = CardRenderer.scene

    def scene(self: CardRenderer, record: Any, **kwargs: Any) -> Any:
        if record.id == "R0003":  # dies mid-write, as under the out-of-memory killer: no exception, no cleanup
            (out / f".R0003.pdf.{socket.gethostname()}.{os.getpid()}.0badf00d.tmp").write_bytes(b"half a card")
            os._exit(9)
        return real_scene(self, record, **kwargs)

    out = tmp_path / "out"
    monkeypatch.setattr(CardRenderer, "scene", scene)
    src = write_jsonl(tmp_path / "in.jsonl", many_rows(10))
    result = run_batch(BatchJob(LAYOUT, src, out, PDF_ONLY, workers=2))
    assert (result.total, result.written, result.failed) == (10, 9, 1)
    assert sorted(p.stem for p in out.glob("*.pdf")) == [f"R{i:04d}" for i in range(10) if i != 3]
    report = _report(out)
    assert [(e["record"], e["line"], e["field"]) for e in report] == [("R0003", 4, "(internal)")]
    assert "worker process rendering this record died" in report[0]["reason"]
    assert not [p.name for p in out.iterdir() if p.name.startswith(".")]  # its temporary went with it


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="zombies are read from /proc (Linux)")
def test_a_dead_writer_awaiting_its_reaping_owns_no_temporary(tmp_path: Path) -> None:
    """A killed batch's worker can stay a zombie for a while (its parent died with it); its
    half-written temporary is stale all the same, or a resume would leave it lying there."""
    from faceprint.atomic import remove_stale_temporaries

    pid = os.fork()
    if pid == 0:
        os._exit(0)
    try:
        for _ in range(200):  # until it has exited (a zombie: not reaped yet)
            with open(f"/proc/{pid}/stat", "rb") as fh:
                if fh.read().rsplit(b")", 1)[1].split()[0] == b"Z":
                    break
            time.sleep(0.01)
        tmp = tmp_path / f".R0001.pdf.{socket.gethostname()}.{pid}.0123abcd.tmp"
        tmp.write_bytes(b"%PDF-half")
        live = tmp_path / f".R0002.pdf.{socket.gethostname()}.{os.getpid()}.0123abcd.tmp"
        live.write_bytes(b"%PDF-half")
        assert remove_stale_temporaries(tmp_path) == 1
        assert not tmp.exists() and live.exists()
    finally:
        os.waitpid(pid, 0)

"""``faceprint batch --dask`` on a LocalCluster of two worker processes: the input cut into partitions
exactly as the local reader reads it, the same bytes as the local batch, the same error report and
exit status, ``--resume``, and a worker killed with SIGKILL mid-run without losing or repeating a card.

No ``__init__.py`` here on purpose: as a package this folder would be imported as ``dask`` and hide
the real one.
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import json
import os
import signal
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("distributed", reason="the Dask batch needs the extra: pip install 'faceprint[dask]'")

from distributed import Client

from faceprint.cli import main
from faceprint.errors import UsageError
from faceprint.outputs import OutputSpec
from faceprint.production.batch import BatchJob, count_lines, run_batch
from faceprint.production.dask_batch import (
    _probe_workers,
    connect,
    parse_address,
    plan_input,
    read_partition,
    run_dask_batch,
)
from faceprint.production.reader import read_records

ROOT = Path(__file__).resolve().parents[2]
LAYOUT = ROOT / "layouts" / "next-gen" / "card.yaml"
SAMPLES = ROOT / "samples"
PDF_ONLY = OutputSpec(formats=("pdf",))


def _rows(n: int | None = None) -> list[dict[str, Any]]:
    """The sample records with absolute photo paths; with ``n``, that many with ids R0000….

    (The production tests' conftest has the same helpers; a folder without ``__init__.py`` cannot
    import it, see the module docstring.)
    """
    base = []
    for line in (SAMPLES / "batch.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        row["photo"] = str((SAMPLES / row["photo"]).resolve())
        base.append(row)
    if n is None:
        return base
    return [dict(base[i % len(base)], id=f"R{i:04d}") for i in range(n)]


def _jsonl(path: Path, lines: list[str]) -> Path:
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return path


def _dump(row: dict[str, Any]) -> str:
    return json.dumps(row, ensure_ascii=False)


@pytest.fixture(scope="module")
def client() -> Iterator[Client]:
    """The issue's cluster: LocalCluster, two worker processes of one thread, via ``--dask local:2``'s path."""
    with connect(parse_address("local:2")) as c:
        c.wait_for_workers(2)
        yield c


# -- partitions: cut where the local reader would, never inside a record -------------------------------
def _as_read(records: Any) -> list[tuple[int, Any, str | None]]:
    return [(r.line, r.data, None if r.error is None else str(r.error)) for r in records]


@pytest.mark.parametrize("size", [1, 40, 97, 1 << 20])
def test_jsonl_partitions_read_as_the_whole_file(tmp_path: Path, size: int) -> None:
    rows = _rows()[:4]
    text = "\r\n".join([_dump(rows[0]), "", "{not json", _dump(rows[1]), "[1, 2]", _dump(rows[2]), _dump(rows[3])])
    src = tmp_path / "in.jsonl"
    src.write_bytes(codecs.BOM_UTF8 + text.encode("utf-8"))  # BOM, CRLF, no final newline
    plan = plan_input(src, None, size)
    assert plan.encoding == "utf-8-sig" and plan.records == count_lines(src)
    parts = plan.partitions
    assert parts[0].start == 0 and parts[-1].end == src.stat().st_size
    assert all(a.end == b.start for a, b in itertools.pairwise(parts))
    got = [r for p in parts for r in read_partition(plan, p)]
    assert _as_read(got) == _as_read(read_records(src))
    if size == 1:
        assert len(parts) == text.count("\n") + 1  # one line each


@pytest.mark.parametrize("size", [1, 64, 1 << 20])
def test_csv_partitions_carry_the_header_and_never_split_a_quoted_cell(tmp_path: Path, size: int) -> None:
    with (SAMPLES / "batch.csv").open(encoding="utf-8", newline="") as fh:
        rows = [r for r in csv.DictReader(fh) if all(_cp932(v) for v in r.values())][:4]
    rows[1]["address"] = '東京都\n見本区 "一丁目"\n１番'  # newlines and quotes inside one cell
    rows[2]["sex"] = "X,Y"
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    src = tmp_path / "in.csv"
    src.write_bytes(buf.getvalue().encode("cp932"))
    plan = plan_input(src, None, size)
    assert plan.encoding == "cp932" and plan.header.startswith(b"id,")
    assert plan.records == count_lines(src)
    got = [r for p in plan.partitions for r in read_partition(plan, p)]
    expected = _as_read(read_records(src))
    assert _as_read(got) == expected and len(expected) == 4
    assert got[1].data is not None and got[1].data["address"] == rows[1]["address"]


def _cp932(text: str) -> bool:
    try:
        text.encode("cp932")
    except UnicodeEncodeError:
        return False
    return True


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    src = _jsonl(tmp_path / "in.jsonl", [_dump(r) for r in _rows()[:1]])
    base = ["batch", str(LAYOUT), str(src), "--out", str(tmp_path / "o")]
    assert main([*base, "--dask", "local:2", "--combine", "pdf"]) == 2
    assert main([*base, "--dask", "local:2", "--workers", "2"]) == 2
    assert main([*base, "--dask", "nonsense"]) == 2
    assert main([*base, "--partition-kb", "4"]) == 2  # only with --dask


def test_without_the_extra_dask_says_how_to_install_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import importlib.util

    src = _jsonl(tmp_path / "in.jsonl", [_dump(r) for r in _rows()[:1]])
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "distributed" else real(name, *a))
    assert main(["batch", str(LAYOUT), str(src), "--out", str(tmp_path / "o"), "--dask", "local:2"]) == 2
    assert "pip install 'faceprint[dask]'" in capsys.readouterr().err


def test_a_worker_that_cannot_see_the_output_folder_stops_the_run(tmp_path: Path) -> None:
    src = _jsonl(tmp_path / "in.jsonl", [_dump(r) for r in _rows()[:1]])

    class OneBlindWorker:  # what client.run returns when a worker's mount is missing
        def run(self, *args: Any) -> dict[str, Any]:
            return {"tcp://10.0.0.9:4000": (None, src.stat().st_size, True)}

    with pytest.raises(UsageError, match="cannot see the output folder"):
        _probe_workers(OneBlindWorker(), BatchJob(LAYOUT, src, tmp_path))  # type: ignore[arg-type]
    assert not list(tmp_path.glob(".faceprint-probe-*"))


# -- on the cluster ---------------------------------------------------------------------------------
def test_same_files_report_and_status_as_the_local_batch_then_resume(
    client: Client, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = _rows()
    bad_number = dict(rows[1], id="BAD1", my_number="123456789010")  # wrong check digit
    lines = [_dump(r) for r in rows[:8]] + [_dump(bad_number), "{not json"] + [_dump(r) for r in rows[8:]] + [_dump(rows[0])]
    src = _jsonl(tmp_path / "in.jsonl", lines)  # the last line repeats S01, several partitions later
    spec = OutputSpec(formats=("pdf", "png"), dpi=72)
    local, remote = tmp_path / "local", tmp_path / "dask"
    expected = run_batch(BatchJob(LAYOUT, src, local, spec))
    got = run_dask_batch(BatchJob(LAYOUT, src, remote, spec), client, partition_bytes=2048)
    assert got.partitions >= 3  # S01 and its repeat in different partitions
    assert (got.total, got.written, got.skipped, got.failed) == (expected.total, expected.written, 0, 3) == (15, 12, 0, 3)
    assert got.exit_code == expected.exit_code == 1
    names = sorted(p.name for p in local.iterdir())
    assert sorted(p.name for p in remote.iterdir()) == names and len(names) == 12 * 3 + 1
    for name in names:
        if name != "errors.jsonl":
            assert (remote / name).read_bytes() == (local / name).read_bytes(), name  # byte-identical
            assert (remote / name).stat().st_mode & 0o777 == 0o600
    report = sorted((remote / "errors.jsonl").read_text(encoding="utf-8").splitlines())
    assert report == sorted((local / "errors.jsonl").read_text(encoding="utf-8").splitlines())
    entries = [json.loads(line) for line in report]
    assert {(e["record"], e["line"], e["reason"]) for e in entries if e["field"] == "id"} == {
        ("S01", 15, "duplicate id: first on line 1")
    }

    # --resume through the command line, on the same cluster by its scheduler address (tcp://)
    (remote / "S05.pdf").unlink()
    before = {p.name: p.stat().st_mtime_ns for p in remote.glob("S*") if not p.name.startswith("S05")}
    argv = ["batch", str(LAYOUT), str(src), "--out", str(remote), "--format", "pdf,png", "--dpi", "72", "--resume"]
    capsys.readouterr()
    assert main([*argv, "--dask", client.scheduler.address, "--partition-kb", "2"]) == 1  # the 3 bad ones again
    assert "15 records: 1 rendered, 11 already complete, 3 failed" in capsys.readouterr().out
    assert (remote / "S05.pdf").read_bytes() == (local / "S05.pdf").read_bytes()
    assert all(remote.joinpath(n).stat().st_mtime_ns == t for n, t in before.items())


def test_worker_killed_mid_run_loses_and_repeats_nothing(client: Client, tmp_path: Path) -> None:
    n = 40
    src = _jsonl(tmp_path / "in.jsonl", [_dump(r) for r in _rows(n)])
    out = tmp_path / "out"
    pids = client.run(os.getpid)
    seen_at_kill: dict[str, int] = {}

    def kill_one_busy_worker() -> None:
        deadline = time.monotonic() + 120
        while len(list(out.glob("R*.pdf"))) < 6:
            if time.monotonic() > deadline:
                return
            time.sleep(0.02)
        busy = [w for w, keys in client.processing().items() if any("render" in str(k) for k in keys)]
        os.kill(pids[busy[0] if busy else next(iter(pids))], signal.SIGKILL)  # a real kill, mid-partition
        seen_at_kill.update({p.name: p.stat().st_mtime_ns for p in out.glob("R*.pdf")})

    killer = threading.Thread(target=kill_one_busy_worker)
    killer.start()
    try:
        result = run_dask_batch(BatchJob(LAYOUT, src, out, PDF_ONLY), client, partition_bytes=4096)
    finally:
        killer.join()
    assert 6 <= len(seen_at_kill) < n, "the kill should land mid-run"
    assert (result.total, result.written, result.failed) == (n, n, 0) and result.exit_code == 0
    assert sorted(p.name for p in out.iterdir()) == sorted([f"R{i:04d}.pdf" for i in range(n)] + ["errors.jsonl"])
    assert (out / "errors.jsonl").read_text() == ""  # and no temporary left behind (listed above)
    # every card finished before the kill was kept, not rendered again by the retried partition
    assert all((out / name).stat().st_mtime_ns == mtime for name, mtime in seen_at_kill.items())
    assert set(client.run(os.getpid).values()) != set(pids.values())  # the nanny replaced the killed process


def test_a_too_long_photo_path_in_one_record_of_20_fails_that_record_only(client: Client, tmp_path: Path) -> None:
    """Issue 14 §2 on Dask: the bad record lands in errors.jsonl, the 19 others are rendered."""
    rows = _rows(20)
    rows[7]["photo"] = "/tmp/" + "a" * 300 + ".jpg"
    src = _jsonl(tmp_path / "in.jsonl", [_dump(r) for r in rows])
    out = tmp_path / "out"
    result = run_dask_batch(BatchJob(LAYOUT, src, out, PDF_ONLY), client, partition_bytes=4096)
    assert (result.total, result.written, result.failed) == (20, 19, 1) and result.exit_code == 1
    assert sorted(p.stem for p in out.glob("*.pdf")) == [f"R{i:04d}" for i in range(20) if i != 7]
    report = [json.loads(line) for line in (out / "errors.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [(e["record"], e["line"], e["field"]) for e in report] == [("R0007", 8, "photo")]
    assert "NAME_MAX" in report[0]["reason"]


def test_partition_size_spreads_a_small_file_and_caps_a_large_one() -> None:
    from faceprint.production.dask_batch import PARTITION_BYTES, PARTITION_BYTES_MIN, auto_partition_bytes

    assert auto_partition_bytes(160_000, 2) == 20_000  # 4 tasks per worker thread
    assert auto_partition_bytes(10**10, 200) == PARTITION_BYTES
    assert auto_partition_bytes(1_000, 2) == PARTITION_BYTES_MIN


def test_the_audit_log_has_every_card_once_after_a_worker_is_killed_and_a_resume(client: Client, tmp_path: Path) -> None:
    import hashlib

    from faceprint.audit import Auditor, keygen, verify

    n = 30
    rows = _rows(n)
    rows[3] = dict(rows[3], my_number="123456789010")  # a failed card: logged as failed, with no file
    src = _jsonl(tmp_path / "in.jsonl", [_dump(r) for r in rows])
    out, log = tmp_path / "out", tmp_path / "audit.log"
    key = keygen(tmp_path / "k.key")
    pids = client.run(os.getpid)

    def kill_one_worker() -> None:
        deadline = time.monotonic() + 120
        while len(list(out.glob("R*.pdf"))) < 5 and time.monotonic() < deadline:
            time.sleep(0.02)
        os.kill(next(iter(pids.values())), signal.SIGKILL)

    killer = threading.Thread(target=kill_one_worker)
    killer.start()
    try:
        run_dask_batch(
            BatchJob(LAYOUT, src, out, PDF_ONLY), client, partition_bytes=4096, auditor=Auditor(log, key, "t", "batch", LAYOUT)
        )
    finally:
        killer.join()
    resumed = BatchJob(LAYOUT, src, out, PDF_ONLY, resume=True)
    run_dask_batch(resumed, client, partition_bytes=4096, auditor=Auditor(log, key, "t", "batch", LAYOUT))
    assert verify(log).ok
    lines = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    written = sorted(line["record"] for line in lines if line["outcome"] == "written")
    assert written == [f"R{i:04d}" for i in range(n) if i != 3]  # each card exactly once, over both runs
    assert [line["record"] for line in lines if line["outcome"] == "failed"] == ["R0003", "R0003"]  # once per run
    for line in lines:
        if line["outcome"] == "written":
            rid = line["record"]
            assert line["outputs"] == {f"{rid}.pdf": hashlib.sha256((out / f"{rid}.pdf").read_bytes()).hexdigest()}
            assert line["number_hmac"] == key.number_mac(rows[int(rid[1:])]["my_number"])

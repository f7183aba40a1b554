"""The batch: streaming input (JSON Lines, CSV in UTF-8 or CP932), the error report, atomic
owner-only outputs, exit codes, and a run killed with SIGKILL then resumed."""

from __future__ import annotations

import csv
import io
import json
import os
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pikepdf

from faceprint.cli import main
from faceprint.outputs import OutputSpec
from faceprint.production.batch import BatchJob, run_batch
from faceprint.production.reader import detect_encoding, read_records

from .conftest import LAYOUT, ROOT, SAMPLES, many_rows, sample_rows, write_jsonl

PDF_ONLY = OutputSpec(formats=("pdf",))


def _files(out: Path) -> list[str]:
    return sorted(p.name for p in out.iterdir())


def test_jsonl_batch_writes_every_card_owner_only(records_jsonl: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = run_batch(BatchJob(LAYOUT, records_jsonl, out, PDF_ONLY, workers=2))
    assert (result.total, result.written, result.failed) == (12, 12, 0) and result.exit_code == 0
    pdfs = sorted(out.glob("*.pdf"))
    assert [p.stem for p in pdfs] == [f"S{i:02d}" for i in range(1, 13)]
    for p in pdfs:
        assert stat.S_IMODE(p.stat().st_mode) == 0o600
        with pikepdf.Pdf.open(p) as doc:
            assert len(doc.pages) == 2
    assert not list(out.glob(".*"))  # no temporary file left behind
    assert (out / "errors.jsonl").read_text() == ""


def test_bad_records_go_to_the_report_and_the_rest_render(tmp_path: Path) -> None:
    rows = sample_rows()[:4]
    bad_number = dict(rows[1], id="BAD1", my_number="123456789010")  # wrong check digit
    missing = dict(rows[2], id="BAD2")
    del missing["address"]
    lines = [
        json.dumps(rows[0], ensure_ascii=False),
        json.dumps(bad_number, ensure_ascii=False),
        "{not json",
        json.dumps(missing, ensure_ascii=False),
        json.dumps(rows[3], ensure_ascii=False),
        json.dumps(rows[0], ensure_ascii=False),
    ]
    src = tmp_path / "in.jsonl"
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    status = main(["batch", str(LAYOUT), str(src), "--out", str(out), "--format", "pdf"])
    assert status == 1
    assert sorted(p.name for p in out.glob("*.pdf")) == [f"{rows[0]['id']}.pdf", f"{rows[3]['id']}.pdf"]
    report = [json.loads(line) for line in (out / "errors.jsonl").read_text(encoding="utf-8").splitlines()]
    by_record = {(e["record"], e["field"]) for e in report}
    assert ("BAD1", "my_number") in by_record
    assert ("BAD2", "address") in by_record
    assert any(e["record"] == "line 3" for e in report)  # unreadable line: named by its line
    assert any(e["field"] == "id" and "duplicate" in e["reason"] for e in report)
    text = (out / "errors.jsonl").read_text(encoding="utf-8")
    assert "12345678901" not in text  # the individual number never appears, not even in part
    for row in rows:
        assert str(row["name"]["kanji"]) not in text and str(row["address"]) not in text  # type: ignore[index]


def test_layout_error_exits_2(tmp_path: Path, records_jsonl: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("front:\n  - {id: x, type: text}\n", encoding="utf-8")
    assert main(["batch", str(bad), str(records_jsonl), "--out", str(tmp_path / "o")]) == 2


def _cp932_rows() -> list[dict[str, str]]:
    with (SAMPLES / "batch.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    ok = []
    for row in rows:
        try:
            "".join(row.values()).encode("cp932")
        except UnicodeEncodeError:
            continue  # 𠮷 and variation selectors are outside CP932
        row["photo"] = str((SAMPLES / row["photo"]).resolve())
        ok.append(row)
    return ok


def test_cp932_csv_is_detected_and_read(tmp_path: Path) -> None:
    rows = _cp932_rows()
    assert len(rows) >= 8
    src = tmp_path / "records.csv"
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    src.write_bytes(buf.getvalue().encode("cp932"))
    assert detect_encoding(src) == "cp932"
    records = list(read_records(src))
    assert all(r.error is None for r in records)
    assert records[0].data["name"]["kanji"] == rows[0]["name.kanji"]  # type: ignore[index]
    out = tmp_path / "out"
    result = run_batch(BatchJob(LAYOUT, src, out, PDF_ONLY))
    assert result.failed == 0 and result.written == len(rows)


def test_combined_pdf_keeps_input_order(tmp_path: Path) -> None:
    src = write_jsonl(tmp_path / "in.jsonl", many_rows(7))
    out = tmp_path / "out"
    result = run_batch(BatchJob(LAYOUT, src, out, PDF_ONLY, workers=2, combine="pdf", per_file=4))
    assert [p.name for p in result.combined] == ["cards-00001.pdf", "cards-00002.pdf"]
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(out / "cards-00001.pdf"))
    assert len(doc) == 8
    fronts = [doc[i].get_textpage().get_text_range() for i in range(0, 8, 2)]
    rows = many_rows(4)
    for text, row in zip(fronts, rows, strict=True):
        assert str(row["collation_number"])[:3] in text  # type: ignore[index]


def _wait_for(predicate, timeout: float) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.02)
    raise AssertionError("timed out")


def test_sigkill_then_resume_produces_every_record_exactly_once(tmp_path: Path) -> None:
    n = 60
    src = write_jsonl(tmp_path / "in.jsonl", many_rows(n))
    out = tmp_path / "out"
    cmd = [
        sys.executable,
        "-m",
        "faceprint",
        "batch",
        str(LAYOUT),
        str(src),
        "--out",
        str(out),
        "--format",
        "pdf,png",
        "--dpi",
        "150",
        "--workers",
        "2",
    ]
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        _wait_for(lambda: out.is_dir() and len(list(out.glob("R*.pdf"))) >= 5, timeout=60)
        os.killpg(proc.pid, signal.SIGKILL)  # the whole run: main process and workers, mid-write
    finally:
        proc.wait(timeout=30)
    done_before = len(list(out.glob("R*.pdf")))
    assert 0 < done_before < n, "the kill should land mid-run"
    status = main(["batch", str(LAYOUT), str(src), "--out", str(out), "--format", "pdf,png", "--dpi", "150", "--resume"])
    assert status == 0
    expected = sorted(
        [f"R{i:04d}.pdf" for i in range(n)]
        + [f"R{i:04d}-{f}.png" for i in range(n) for f in ("front", "back")]
        + ["errors.jsonl"]
    )
    assert _files(out) == expected  # each record once, nothing half-written, no temporary files
    for pdf in out.glob("R*.pdf"):
        with pikepdf.Pdf.open(pdf) as doc:
            assert len(doc.pages) == 2


def test_resume_skips_complete_records(records_jsonl: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    run_batch(BatchJob(LAYOUT, records_jsonl, out, PDF_ONLY))
    (out / "S05.pdf").unlink()
    before = {p.name: p.stat().st_mtime_ns for p in out.glob("*.pdf")}
    result = run_batch(BatchJob(LAYOUT, records_jsonl, out, PDF_ONLY, resume=True))
    assert (result.skipped, result.written) == (11, 1)
    after = {p.name: p.stat().st_mtime_ns for p in out.glob("*.pdf")}
    assert all(after[name] == mtime for name, mtime in before.items())
    assert "S05.pdf" in after


def test_ids_that_are_paths_are_refused_and_numbers_stay_masked(tmp_path: Path) -> None:
    rows = sample_rows()[:3]
    escaping = dict(rows[0], id="../escaped")
    numeric = dict(rows[1], id="111111111118", my_number="123")  # an id typed as a number, and a bad number
    src = write_jsonl(tmp_path / "in.jsonl", [escaping, numeric, rows[2]])
    out = tmp_path / "out" / "sub"
    assert main(["batch", str(LAYOUT), str(src), "--out", str(out), "--format", "pdf"]) == 1
    assert not list((tmp_path / "out").glob("*.pdf"))  # nothing written outside --out
    text = (out / "errors.jsonl").read_text(encoding="utf-8")
    assert "111111111118" not in text and "1118" not in text  # an id that is a number is never shown
    assert '"record": "line 2", "line": 2, "field": "id"' in text and "check digit" in text
    assert '"record": "../escaped"' in text and "underscores" in text
    assert stat.S_IMODE((out / "errors.jsonl").stat().st_mode) == 0o600


def test_a_missing_records_file_is_a_usage_error(tmp_path: Path) -> None:
    assert main(["batch", str(LAYOUT), str(tmp_path / "nope.jsonl"), "--out", str(tmp_path / "o")]) == 2

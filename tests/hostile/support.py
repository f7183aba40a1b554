"""Running the command line in-process on hostile input: exit status, messages, what was written."""

from __future__ import annotations

import contextlib
import io
import shutil
from dataclasses import dataclass
from pathlib import Path

from faceprint.cli import EXIT_INTERNAL, main

ROOT = Path(__file__).resolve().parents[2]
SAMPLE_RECORD = ROOT / "samples" / "records" / "01-short-name.json"
SAMPLE_PORTRAIT = ROOT / "samples" / "portraits" / "p01.jpg"


@dataclass(frozen=True)
class Outcome:
    code: int
    out: str
    err: str


def run_cli(argv: list[str]) -> Outcome:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):  # render prints per-record errors itself
        code = main(argv, stderr=err)
    return Outcome(code, out.getvalue(), err.getvalue())


def assert_clean_failure(outcome: Outcome, allowed: set[int]) -> None:
    """No traceback, never the internal-error status, and one of the statuses the cause allows."""
    assert "Traceback" not in outcome.err and "Traceback" not in outcome.out, outcome.err
    assert outcome.code != EXIT_INTERNAL, outcome.err
    assert outcome.code in allowed, (outcome.code, outcome.err[-2000:])


def place_sample_record(folder: Path) -> Path:
    """The first sample record with its portrait, laid out as in samples/ (records/ and portraits/ side by side)."""
    (folder / "records").mkdir(parents=True, exist_ok=True)
    (folder / "portraits").mkdir(exist_ok=True)
    shutil.copy(SAMPLE_PORTRAIT, folder / "portraits" / SAMPLE_PORTRAIT.name)
    record = folder / "records" / SAMPLE_RECORD.name
    shutil.copy(SAMPLE_RECORD, record)
    return record


def written_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.exists() else []

"""A batch run: records streamed in, cards rendered over worker processes, nothing lost.

In: a layout, a records file (JSON Lines or CSV), an output folder and an ``OutputSpec``. Out:
each card's files (atomic, 0600), ``errors.jsonl`` for the records that failed, and a summary.
One bad record never stops the others. The records are read one at a time and at most a few per
worker are in flight, so memory does not grow with the size of the run. ``--resume`` skips
records whose files are all in place; since every file is renamed into place only when complete,
a run killed at any moment (even SIGKILL) and resumed produces every record exactly once.

With an audit log (``faceprint.audit``), this process, not the workers, appends one line per card as
its result comes back, in blocks; on ``--resume`` a complete card whose line the killed run never
wrote is logged then, so the log too has every card exactly once as "written".
"""

from __future__ import annotations

import multiprocessing
import os
import stat
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from ..atomic import ensure_output_dir, remove_stale_temporaries
from ..errors import DataError, UsageError
from ..layout_file.loader import load_layout
from ..outputs import OutputSpec, write_outputs
from ..scene import Scene
from .reader import RawRecord, check_records_file, read_records, record_label
from .report import ErrorReport, Progress, internal_problem, problems_of
from .workers import SurvivingPool

if TYPE_CHECKING:
    from ..audit import Auditor
    from ..render import CardRenderer

CHUNK = 4  # records per task sent to a worker: one round trip for several cards
IN_FLIGHT_PER_WORKER = 3 * CHUNK  # a chunk rendering, two waiting: every worker busy, memory flat


@dataclass(frozen=True)
class BatchJob:
    layout: Path
    records: Path
    out_dir: Path
    spec: OutputSpec = field(default_factory=OutputSpec)
    workers: int = 1
    resume: bool = False
    encoding: str | None = None
    prepare_photo: bool = False
    derive_romaji: bool = False  # --derive-romaji: romaji from the kana where the record has none (proofs)
    combine: Literal["none", "pdf", "impose"] = "none"
    sheet: str = "SRA3"
    per_file: int = 250


@dataclass
class BatchResult:
    total: int = 0
    written: int = 0
    skipped: int = 0
    failed: int = 0
    seconds: float = 0.0
    combined: list[Path] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        return 1 if self.failed else 0

    def summary(self, out_dir: Path) -> str:
        rate = self.written / self.seconds if self.seconds > 0 else 0.0
        text = (
            f"{self.total} records: {self.written} rendered, {self.skipped} already complete, "
            f"{self.failed} failed; {rate:.1f} cards/s"
        )
        if self.failed:
            text += f"; see {out_dir / 'errors.jsonl'}"
        return text


# -- worker side ------------------------------------------------------------------------------------
_state: dict[str, Any] = {}


def _init_worker(
    layout: str, spec: OutputSpec, out_dir: str, base_dir: str, prepare_photo: bool, keep_scenes: bool, derive_romaji: bool
) -> None:
    from ..render import CardRenderer

    _state.update(
        renderer=CardRenderer(layout, derive_romaji=derive_romaji),
        spec=spec,
        out=Path(out_dir),
        base=Path(base_dir),
        prepare=prepare_photo,
        keep=keep_scenes,
    )


def _work(seq: int, line: int, data: dict[str, Any]) -> tuple[int, str | None, list[tuple[str, str]], Scene | None]:
    """Render one record; returns (seq, error-free id or None, problems, scene when combining)."""
    s = _state
    return (seq, *render_record(s["renderer"], data, line, s["base"], s["spec"], s["out"], s["prepare"], keep_scene=s["keep"]))


# -- shared with the Dask batch (``dask_batch``): one record's fate, decided the same way everywhere ---
def render_record(
    renderer: CardRenderer,
    data: dict[str, Any],
    line: int,
    base_dir: Path,
    spec: OutputSpec,
    out_dir: Path,
    prepare_photo: bool,
    *,
    keep_scene: bool = False,
) -> tuple[str | None, list[tuple[str, str]], Scene | None]:
    """Validate and render one record: (its id or None when it failed, problems, scene if kept).

    A ``DataError`` is the record's own fault and becomes its problems. Any other exception (a path
    the file system refuses, a bug) is recorded as an internal error of this record, with its type
    and masked message, and the run goes on: one record never stops a batch (issue 14 §2).
    """
    from ..record_checks import validate_record

    label = record_label(data, line)
    try:
        record = validate_record(data, base_dir=base_dir)
        scene = renderer.scene(record, prepare_photo=prepare_photo)
        if not keep_scene:
            write_outputs(scene, out_dir, spec)
            return record.id, [], None
        return record.id, [], scene
    except DataError as exc:
        return None, problems_of(exc.with_record(label)), None
    except Exception as exc:  # the batch's boundary: whatever went wrong, only this record failed
        return None, internal_problem(exc), None


def unreadable(raw: RawRecord) -> list[tuple[str, str]] | None:
    """The problems of a record the reader could not parse, or None when it parsed."""
    if raw.error is not None or raw.data is None:
        return problems_of(raw.error or DataError("unreadable"))
    return None


def duplicate(first_line: int) -> list[tuple[str, str]]:
    """The problem reported for a later record repeating an id: the first one wins, as in the input."""
    return [("id", f"duplicate id: first on line {first_line}")]


def outputs_mtime(spec: OutputSpec, out_dir: Path, record_id: str) -> int | None:
    """The oldest modification time (ns) of a record's expected files, or None if one is missing.

    Files are only ever renamed into place whole, so "all present" means the record is complete;
    the time lets the Dask batch tell files written by this run (a retried partition skips them)
    from files left by an earlier one (rendered again unless ``--resume``).
    """
    oldest: int | None = None
    for path in spec.expected(record_id, out_dir):
        try:
            st = path.stat()
        except (OSError, ValueError):  # as Path.is_file: missing, unreadable or unnameable counts as not there
            return None
        if not stat.S_ISREG(st.st_mode):
            return None
        oldest = st.st_mtime_ns if oldest is None else min(oldest, st.st_mtime_ns)
    return oldest


def start_run(job: BatchJob) -> None:
    """The checks and set-up before any record: a layout error stops the run here (exit 2)."""
    load_layout(job.layout)
    check_records_file(job.records)
    if job.resume and job.combine != "none":
        raise UsageError("--resume works on one file per card; rerun a combined output whole")
    if job.workers < 1:
        raise UsageError("--workers must be at least 1")
    ensure_output_dir(job.out_dir)  # 0700 when created here; stale temporaries of a killed run removed


# -- main side --------------------------------------------------------------------------------------
def count_lines(path: Path) -> int:
    """Records in the file, for the progress bar's ETA (a byte scan: nothing is parsed or kept)."""
    n = 0
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            n += chunk.count(b"\n")
    return max(n - (1 if path.suffix.lower() in (".csv", ".tsv") else 0), 0)


def clean_temporaries(out_dir: Path) -> int:
    """Remove files a killed run left half-written (never a finished file: those were renamed).

    Only stale ones: a concurrent run's workers may be writing into the same folder.
    """
    return remove_stale_temporaries(out_dir)


def _complete(job: BatchJob, record_id: str) -> bool:
    return outputs_mtime(job.spec, job.out_dir, record_id) is not None


def run_batch(job: BatchJob, progress: Progress | None = None, auditor: Auditor | None = None) -> BatchResult:
    start_run(job)
    result = BatchResult()
    progress = progress or Progress(count_lines(job.records))
    keep = job.combine != "none"
    audit = _BatchAudit(job, auditor) if auditor is not None else None
    combiner = _Combiner(job, audit.combined if audit is not None else None) if keep else None
    seen: dict[str, int] = {}
    start = time.perf_counter()
    with ErrorReport(job.out_dir / "errors.jsonl") as report:

        def finish(
            seq: int, ok_id: str | None, problems: list[tuple[str, str]], scene: Scene | None, label: str, line: int
        ) -> None:
            if ok_id is None:
                result.failed += 1
                report.add(label, line, problems)
            else:
                result.written += 1
            if audit is not None:
                audit.finished(seq, ok_id, label)
            if combiner is not None:
                combiner.add(seq, scene if ok_id is not None else None)
            progress.advance()

        def reject(seq: int, label: str, line: int, problems: list[tuple[str, str]] | None) -> bool:
            if problems is None:
                result.skipped += 1
            else:
                result.failed += 1
                report.add(label, line, problems)
            if combiner is not None:
                combiner.add(seq, None)
            progress.advance()
            return False

        def admit(seq: int, raw: RawRecord) -> bool:
            """Decide in the main process what need not reach a worker."""
            result.total += 1
            if (problems := unreadable(raw)) is not None or raw.data is None:
                return reject(seq, raw.label, raw.line, problems)
            rid = raw.data.get("id")
            if isinstance(rid, str) and rid:
                if rid in seen:
                    return reject(seq, raw.label, raw.line, duplicate(seen[rid]))
                seen[rid] = raw.line
                if job.resume and _complete(job, rid):
                    if audit is not None:
                        audit.resumed(rid, raw.data.get("my_number"))
                    return reject(seq, raw.label, raw.line, None)
            if audit is not None:
                audit.started(seq, raw.data.get("my_number"))
            return True

        records: Iterator[RawRecord] = read_records(job.records, job.encoding)
        base = str(job.records.resolve().parent)
        init = (str(job.layout), job.spec, str(job.out_dir), base, job.prepare_photo, keep, job.derive_romaji)
        labels: dict[int, tuple[str, int]] = {}
        if job.workers == 1:
            _init_worker(*init)
            for seq, raw in enumerate(records):
                if admit(seq, raw):
                    assert raw.data is not None
                    finish(*_work(seq, raw.line, raw.data), raw.label, raw.line)
        else:
            ctx = multiprocessing.get_context("fork" if os.name == "posix" else "spawn")
            window = job.workers * IN_FLIGHT_PER_WORKER
            pool = SurvivingPool(job.workers, ctx, _init_worker, init, _work)

            def drain(block_until: int) -> None:
                while len(pool) > block_until:
                    for seq, ok_id, problems, scene in pool.collect():
                        label, line = labels.pop(seq)
                        finish(seq, ok_id, problems, scene, label, line)

            try:
                chunk: list[tuple[int, int, dict[str, Any]]] = []
                for seq, raw in enumerate(records):
                    if not admit(seq, raw):
                        continue
                    assert raw.data is not None
                    labels[seq] = (raw.label, raw.line)
                    chunk.append((seq, raw.line, raw.data))
                    if len(chunk) == CHUNK:
                        pool.submit(chunk)
                        chunk = []
                        drain(window - CHUNK)
                if chunk:
                    pool.submit(chunk)
                drain(0)
            finally:
                pool.shutdown()
            if pool.restarts:  # a worker died, maybe mid-write: its temporary is stale now (its pid is gone)
                remove_stale_temporaries(job.out_dir)
        if combiner is not None:
            result.combined = combiner.close()
        if auditor is not None:
            auditor.flush()
    result.seconds = time.perf_counter() - start
    progress.close()
    return result


class _BatchAudit:
    """The batch's audit hooks: the number of each record in flight, and its line once it is done."""

    def __init__(self, job: BatchJob, auditor: Auditor) -> None:
        self.job, self.auditor = job, auditor
        self.numbers: dict[int, object] = {}  # seq → raw number, only while the record is in flight
        self.waiting: dict[str, object] = {}  # combined output: id → raw number until its file is written

    def started(self, seq: int, number: object) -> None:
        self.numbers[seq] = number

    def finished(self, seq: int, ok_id: str | None, label: str) -> None:
        from ..rules.mynumber import redact

        number = self.numbers.pop(seq, None)
        if ok_id is None:
            self.auditor.card(redact(label), number, [], "failed")
        elif self.job.combine != "none":
            self.waiting[ok_id] = number
        else:
            self.auditor.card(ok_id, number, self.job.spec.expected(ok_id, self.job.out_dir), "written")

    def resumed(self, record_id: str, number: object) -> None:
        """A card complete from an earlier run: logged now unless that run logged it."""
        files = self.job.spec.expected(record_id, self.job.out_dir)
        if not self.auditor.written_before(record_id, files):
            self.auditor.card(record_id, number, files, "written")

    def combined(self, record_ids: list[str], path: Path) -> None:
        for rid in record_ids:
            self.auditor.card(rid, self.waiting.pop(rid, None), [path], "written")


class _Combiner:
    """Writes rendered cards in input order as multi-card PDFs or imposed sheets, a chunk at a time.

    Workers finish out of order; cards wait here only until the ones before them have arrived, so
    at most a window's worth of scenes is held, not the run. ``on_file`` hears of each file written,
    with the ids of its cards (the audit log).
    """

    def __init__(self, job: BatchJob, on_file: Callable[[list[str], Path], None] | None = None) -> None:
        self.job = job
        self.on_file = on_file
        self.waiting: dict[int, Scene | None] = {}
        self.next_seq = 0
        self.chunk: list[Scene] = []
        self.files: list[Path] = []

    def add(self, seq: int, scene: Scene | None) -> None:
        """``scene`` None: the record failed or was skipped, and only moves the order along."""
        self.waiting[seq] = scene
        while self.next_seq in self.waiting:
            ready = self.waiting.pop(self.next_seq)
            self.next_seq += 1
            if ready is not None:
                self.chunk.append(ready)
                if len(self.chunk) >= self.job.per_file:
                    self._flush()

    def _flush(self) -> None:
        from ..atomic import write_atomic

        if not self.chunk:
            return
        index = len(self.files) + 1
        if self.job.combine == "pdf":
            from ..backends.pdf import render_pdf_many

            path = self.job.out_dir / f"cards-{index:05d}.pdf"
            write_atomic(path, render_pdf_many(self.chunk, self.job.spec.pdf_options()))
        else:
            from .impose import impose_pdf, parse_sheet

            path = self.job.out_dir / f"sheets-{index:05d}.pdf"
            data, _ = impose_pdf(self.chunk, parse_sheet(self.job.sheet), print_options=self.job.spec.pdf_options())
            write_atomic(path, data)
        self.files.append(path)
        if self.on_file is not None:
            self.on_file([scene.record_id for scene in self.chunk], path)
        self.chunk = []

    def close(self) -> list[Path]:
        self._flush()
        return self.files

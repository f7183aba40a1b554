"""``faceprint batch --dask``: the same batch as tasks on a Dask cluster, for runs beyond one machine.

A national run (tens of millions of cards) outgrows one machine, and a home-made distributed engine
would have to re-solve scheduling, worker loss and retries; Dask (``dask.distributed``) already
does, in pure Python, with a local cluster for tests and the same code on a real one.

How a run goes, and why:

- **Partitions, not records, are the tasks.** The client only scans the input for byte offsets
  (a byte scan, like ``count_lines``; nothing is parsed or kept) and cuts it at line starts every
  ``partition_bytes``. A CSV keeps its header, handed to every task, and is only cut at a newline
  outside quotes. Each task reads its own byte range, so the input is never loaded on the client
  nor shipped through the scheduler: the records file (and the photos) must be on a path every
  worker can reach, as must the output folder.
- **The same record logic as the local batch**: ``render_record``, ``unreadable``, ``duplicate``
  and ``outputs_mtime`` come from ``batch``; the errors land in one ``errors.jsonl`` written by
  the client with the same ``ErrorReport``; exit status and summary are the local batch's.
- **Duplicate ids are decided in input order**, as in the local batch, although partitions finish
  in any order: a cheap first task per partition returns its ids, the client merges them in
  partition order, and a partition is rendered only once every earlier partition's ids are in,
  with the lines that repeat an earlier id handed to it as rejects.
- **A killed worker loses nothing.** Dask reschedules the task of a worker that died
  (``distributed.scheduler.allowed-failures``). The retried partition skips every record whose
  files are all in place and newer than the run's start, which is taken from the shared file
  system itself (a probe file's mtime, so worker and file-server clocks do not matter). Without
  ``--resume`` older files are rendered again, as in the local batch; with it they count as
  already complete. Files are renamed into place whole (``write_atomic``), so "present" means
  "complete"; the temporaries a killed worker leaves behind are removed at the end of the run.
- **Layout and fonts load once per worker thread** (a cache keyed by layout path and mtime), not
  once per task.
- **The audit log is written by the client**, as by the local batch's main process: each task
  returns, per card, its id, line and its files' SHA-256 (hashed on the worker, where the files
  are); the client reads the partition's numbers itself (never sent over the network) and logs.
  A card found complete (``--resume``, a retried task) is logged unless the log has it already.
- **Progress on the client**: tasks report the records they have processed (at most once a
  second) as Dask events; the client shows records done, rate and ETA with the local ``Progress``.
"""

from __future__ import annotations

import codecs
import contextlib
import importlib.util
import io
import os
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, Protocol, cast

from ..errors import UsageError
from ..outputs import OutputSpec
from .batch import (
    BatchJob,
    BatchResult,
    clean_temporaries,
    duplicate,
    outputs_mtime,
    render_record,
    start_run,
    unreadable,
)
from .reader import RawRecord, _csv, _jsonl, detect_encoding, input_format
from .report import ErrorReport, Progress

if TYPE_CHECKING:
    from distributed import Client

    from ..audit import Auditor
    from ..render import CardRenderer

PARTITION_BYTES = 256 * 1024  # the most per task: ~500 records of ~500 bytes, tens of seconds of work
PARTITION_BYTES_MIN = 4 * 1024  # the least: below, the per-task overhead (~10 ms, two tasks) shows
PARTITIONS_PER_THREAD = 4  # for a small input: enough tasks that no worker idles at the end
SCAN_CHUNK = 1 << 20
RENDER_PER_THREAD = 2  # partitions in flight per worker thread: one running, one queued behind it
PROGRESS_EVERY_S = 1.0  # events per task at most this often, so the scheduler is not flooded
FIRST_WORKER_TIMEOUT_S = 120.0
PROBE_NAME = ".faceprint-probe-{}.tmp"  # ends like a temporary, so a crashed client's probe is cleaned up
Problems = list[tuple[str, str]]


class _Future(Protocol):
    """The part of ``distributed.Future`` used here (most of Dask's API is untyped for mypy)."""

    def result(self) -> Any: ...
    def cancel(self) -> None: ...


class _Client(Protocol):
    """The part of ``distributed.Client`` used here, typed."""

    def submit(self, func: Callable[..., Any], *args: Any, key: str, priority: int = 0) -> _Future: ...
    def run(self, function: Callable[..., Any], *args: Any) -> dict[str, Any]: ...
    def nthreads(self) -> dict[str, int]: ...
    def wait_for_workers(self, n_workers: int, timeout: float | None = None) -> None: ...
    def subscribe_topic(self, topic: str, handler: Callable[[tuple[float, Any]], None]) -> None: ...
    def unsubscribe_topic(self, topic: str) -> None: ...


# -- the input, cut into partitions (client side) ----------------------------------------------------
@dataclass(frozen=True)
class Partition:
    """A byte range of the records file that starts at a line start; ``first_line`` is its line number."""

    index: int
    start: int
    end: int
    first_line: int


@dataclass(frozen=True)
class InputPlan:
    """What the client learnt from its scan: how to read the file, where to cut it, how many lines."""

    path: Path
    encoding: str
    kind: str  # "jsonl" or "csv"
    delimiter: str
    header: bytes  # CSV: the header line (with any BOM), given to every partition; JSON Lines: b""
    partitions: tuple[Partition, ...]
    records: int  # lines after the header, as ``count_lines``: the progress bar's total


def _check_splittable(encoding: str) -> str:
    """The encoding, if cutting its bytes at b"\\n" can never split a character or a shift state."""
    try:
        info = codecs.lookup(encoding)
    except LookupError:
        raise UsageError(f"unknown encoding {encoding!r}") from None
    stateful = "2022" in info.name or info.name in ("utf-7", "hz")
    try:
        ascii_newline = b'\n"'.decode(info.name) == '\n"'  # UTF-16/32: these bytes are not a newline
    except UnicodeDecodeError:
        ascii_newline = False
    if stateful or not ascii_newline:
        raise UsageError(f"--dask cuts the input at newlines, which the encoding {encoding!r} does not allow; use UTF-8 or CP932")
    return encoding


def plan_input(path: Path, encoding: str | None, partition_bytes: int) -> InputPlan:
    """Scan ``path`` once for cut points about every ``partition_bytes``; only the cut points are kept.

    A CSV with a stray quote inside an unquoted cell (``5" disk``, which ``csv`` accepts) throws the
    quote count off, so a later multi-line quoted cell could be cut; write such cells quoted.
    """
    if not path.is_file():
        raise UsageError(f"records file not found: {path}")
    if partition_bytes < 1:
        raise UsageError("--partition-kb must be at least 1")
    enc = _check_splittable(encoding or detect_encoding(path))
    kind = input_format(path)
    quoted = kind == "csv"
    size = path.stat().st_size
    with path.open("rb") as fh:
        cuts = list(_cuts(fh, partition_bytes, quoted=quoted, header=quoted))
    lines = cuts.pop()[1] - 1  # the last "cut" is the end of the file, after all its newlines
    header = b""
    if quoted:
        header_end = cuts.pop(0)[0] if cuts else size  # a header without a newline: no records
        with path.open("rb") as fh:
            header = fh.read(header_end)
        lines = max(lines - 1, 0)
        starts = [(header_end, 2), *cuts]
    else:
        starts = [(0, 1), *cuts]
    ends = [offset for offset, _ in starts[1:]] + [size]
    ranges = [(start, end, first) for (start, first), end in zip(starts, ends, strict=True) if end > start]
    partitions = tuple(Partition(i, start, end, first) for i, (start, end, first) in enumerate(ranges))
    return InputPlan(path, enc, kind, "\t" if path.suffix.lower() == ".tsv" else ",", header, partitions, lines)


def _cuts(fh: BinaryIO, target: int, *, quoted: bool, header: bool) -> Iterator[tuple[int, int]]:
    """(offset, line number) of each cut, then (file size, newlines + 1) at the end.

    A cut is just after a newline, the first one at least ``target`` bytes after the previous cut
    (with ``header``, the first cut is after the first line instead). With ``quoted`` (CSV), a
    newline inside a quoted cell is no cut: quotes are counted, a cell's ``""`` leaves the count
    even, and neither byte can be part of a UTF-8 or CP932 character.
    """
    pos = 0  # file offset of chunk[0]
    lines = 0  # newlines before chunk[k]
    odd = False  # inside quotes at chunk[k]
    next_cut = 0 if header else target
    while chunk := fh.read(SCAN_CHUNK):
        k = 0
        while True:
            i = max(next_cut - pos, k)
            j = chunk.find(b"\n", i) if i < len(chunk) else -1
            if j < 0:
                break
            lines += chunk.count(b"\n", k, j + 1)
            if quoted:
                odd ^= chunk.count(b'"', k, j + 1) % 2 == 1
            k = j + 1
            if not odd:
                yield pos + k, lines + 1
                next_cut = pos + k + target
        lines += chunk.count(b"\n", k)
        if quoted:
            odd ^= chunk.count(b'"', k) % 2 == 1
        pos += len(chunk)
    yield pos, lines + 1


# -- a partition, read and rendered (worker side) -----------------------------------------------------
@dataclass(frozen=True)
class RunSpec:
    """Everything a task needs besides its partition; sent with every task (it is small)."""

    layout: str
    plan: InputPlan  # its partition list is dropped before sending: see ``run_dask_batch``
    out_dir: str
    spec: OutputSpec
    base_dir: str
    prepare_photo: bool
    resume: bool
    derive_romaji: bool  # --derive-romaji (proofs): romaji from the kana where the record has none
    since_ns: int  # files newer than this were written by this run
    topic: str  # Dask event topic for progress
    audit: bool = False  # return each card's file hashes for the audit log


@dataclass
class PartitionResult:
    """What a partition sends back: counts, and failures as (label, line, problems) for the report."""

    index: int
    total: int = 0
    written: int = 0
    skipped: int = 0
    recovered: int = 0  # of ``written``: found complete from an earlier attempt of this run
    failures: list[tuple[str, int, Problems]] = field(default_factory=list)
    # audit: (id, line, file name → SHA-256, "written" or "complete" when found done from before)
    cards: list[tuple[str, int, dict[str, str], str]] = field(default_factory=list)
    seconds: float = 0.0
    load_seconds: float = 0.0


class _Slice(io.RawIOBase):
    """``prefix`` (a CSV header), then bytes ``start``..``end`` of a file: a partition as a stream."""

    def __init__(self, path: Path, prefix: bytes, start: int, end: int) -> None:
        super().__init__()
        self._fh = path.open("rb")
        self._fh.seek(start)
        self._prefix = prefix
        self._left = end - start

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        view = memoryview(buffer).cast("B")
        if self._prefix:
            n = min(len(view), len(self._prefix))
            view[:n] = self._prefix[:n]
            self._prefix = self._prefix[n:]
            return n
        if self._left <= 0:
            return 0
        n = self._fh.readinto(view[: min(len(view), self._left)])
        self._left -= n
        return n

    def close(self) -> None:
        if hasattr(self, "_fh"):
            self._fh.close()
        super().close()


def read_partition(plan: InputPlan, part: Partition) -> Iterator[RawRecord]:
    """The partition's records, read by the local batch's own parsers, with file line numbers."""
    raw = _Slice(plan.path, plan.header, part.start, part.end)
    with io.TextIOWrapper(io.BufferedReader(raw), encoding=plan.encoding, errors="strict", newline="") as text:
        if plan.kind == "jsonl":
            shift, records = part.first_line - 1, _jsonl(text)
        else:
            shift, records = part.first_line - 2, _csv(text, delimiter=plan.delimiter)  # the header is line 1
        for record in records:
            yield replace(record, line=record.line + shift)


def partition_ids(plan: InputPlan, part: Partition) -> list[tuple[str, int]]:
    """(id, line) of each parsed record with an id, for the client's duplicate check."""
    ids: list[tuple[str, int]] = []
    for raw in read_partition(plan, part):
        rid = raw.data.get("id") if raw.data is not None and raw.error is None else None
        if isinstance(rid, str) and rid:
            ids.append((rid, raw.line))
    return ids


_cache = threading.local()


def _renderer(layout: str, derive_romaji: bool = False) -> tuple[CardRenderer, float]:
    """This thread's renderer for ``layout`` and the seconds it took to load now (0 when cached).

    Fonts, templates and artwork load once per worker thread, not per task; the mtime in the key
    lets a long-lived worker pick up an edited layout in a later run. One per thread because a
    renderer keeps caches that were never meant to be shared between threads.
    """
    path = Path(layout).resolve()
    key = (str(path), path.stat().st_mtime_ns, derive_romaji)
    if getattr(_cache, "key", None) == key:
        renderer: CardRenderer = _cache.renderer
        return renderer, 0.0
    from ..render import CardRenderer

    t0 = time.perf_counter()
    _cache.renderer, _cache.key = CardRenderer(path, derive_romaji=derive_romaji), key
    return _cache.renderer, time.perf_counter() - t0


def _progress_sender(topic: str) -> Callable[[int, int], None] | None:
    """A function logging (partition, records processed) as a Dask event, or None off a worker."""
    try:
        from distributed import get_worker

        worker = get_worker()
    except (ImportError, ValueError):
        return None
    return lambda index, done: worker.log_event(topic, [index, done])


def render_partition(run: RunSpec, part: Partition, rejects: dict[int, Problems]) -> PartitionResult:
    """Render one partition's records, skipping those this run already finished (a retried task).

    ``rejects`` maps the lines that repeat an earlier id to their problem. Returns counts and the
    failures; the files are written straight into the shared output folder.
    """
    t0 = time.perf_counter()
    renderer, loaded = _renderer(run.layout, run.derive_romaji)
    out, base = Path(run.out_dir), Path(run.base_dir)
    result = PartitionResult(part.index, load_seconds=loaded)
    send = _progress_sender(run.topic)
    last_sent = time.monotonic()
    for raw in read_partition(run.plan, part):
        result.total += 1
        problems = rejects.get(raw.line) or unreadable(raw)
        if problems is not None or raw.data is None:
            result.failures.append((raw.label, raw.line, problems or []))
        elif (mtime := _done_mtime(run, out, raw.data.get("id"))) is not None and mtime > run.since_ns:
            result.written += 1  # an earlier attempt of this partition, killed later, wrote it
            result.recovered += 1
            _audit_card(run, result, raw.data["id"], raw.line, "complete")
        elif mtime is not None and run.resume:
            result.skipped += 1
            _audit_card(run, result, raw.data["id"], raw.line, "complete")
        else:
            ok_id, problems, _ = render_record(renderer, raw.data, raw.line, base, run.spec, out, run.prepare_photo)
            if ok_id is None:
                result.failures.append((raw.label, raw.line, problems))
            else:
                result.written += 1
                _audit_card(run, result, ok_id, raw.line, "written")
        if send is not None and time.monotonic() - last_sent >= PROGRESS_EVERY_S:
            last_sent = time.monotonic()
            send(part.index, result.total)
    result.seconds = time.perf_counter() - t0
    return result


def _audit_card(run: RunSpec, result: PartitionResult, rid: str, line: int, how: str) -> None:
    if run.audit:
        from ..audit.recorder import hashes_of

        result.cards.append((rid, line, hashes_of(run.spec.expected(rid, Path(run.out_dir))), how))


def _done_mtime(run: RunSpec, out: Path, rid: Any) -> int | None:
    return outputs_mtime(run.spec, out, rid) if isinstance(rid, str) and rid else None


def probe(out_probe: str, records: str, layout: str) -> tuple[int | None, int | None, bool]:
    """Run on every worker: (probe file mtime, records file size, layout found) as that worker sees them."""

    def stat(path: str) -> os.stat_result | None:
        try:
            return os.stat(path)
        except OSError:
            return None

    p, r = stat(out_probe), stat(records)
    return (p.st_mtime_ns if p else None, r.st_size if r else None, stat(layout) is not None)


# -- the client ----------------------------------------------------------------------------------------
@dataclass
class DaskBatchResult(BatchResult):
    """The local batch's result (summary, exit code), plus where the time went on the cluster."""

    partitions: int = 0
    recovered: int = 0
    connect_seconds: float = 0.0
    scan_seconds: float = 0.0
    busy_seconds: float = 0.0  # sum over tasks of their time on a worker
    load_seconds: float = 0.0  # of which: layout and fonts loading
    threads: int = 0


def parse_address(text: str) -> str | int:
    """``local`` or ``local:N`` → N local worker processes (0: one per core); else a scheduler address."""
    if text == "local" or text.startswith("local:"):
        count = text.partition(":")[2] or "0"
        if not count.isdigit():
            raise UsageError(f"--dask {text}: expected local or local:N with N a number of workers")
        return int(count)
    if "://" not in text and ":" not in text:
        raise UsageError(f"--dask {text}: expected a scheduler address such as tcp://HOST:8786, or local[:N]")
    return text


@contextlib.contextmanager
def connect(address: str | int) -> Iterator[Client]:
    """A client for a scheduler address, or for a new local cluster of N single-threaded processes."""
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise UsageError("--dask needs Dask: pip install 'faceprint[dask]'") from None
    if isinstance(address, str):
        try:
            client = Client(address)  # type: ignore[no-untyped-call]
        except OSError as exc:  # refused, unknown host, or no answer within Dask's connect timeout
            raise UsageError(f"--dask {address}: cannot reach the scheduler ({exc})") from None
        with client:
            yield client
        return
    n = address or os.cpu_count() or 1
    # One thread per process: rendering holds the GIL, so processes are what scale.
    with (
        LocalCluster(n_workers=n, threads_per_worker=1, processes=True, dashboard_address=None) as cluster,  # type: ignore[no-untyped-call]
        Client(cluster) as client,  # type: ignore[no-untyped-call]
    ):
        yield client


def auto_partition_bytes(input_bytes: int, threads: int) -> int:
    """Bytes per task: ``PARTITIONS_PER_THREAD`` tasks per worker thread, within the bounds above.

    A national run gets the largest partitions (fewest tasks for the scheduler); a small file is
    still spread over every worker instead of landing whole on one.
    """
    share = input_bytes // max(1, PARTITIONS_PER_THREAD * threads)
    return max(PARTITION_BYTES_MIN, min(PARTITION_BYTES, share))


def run_dask_batch(
    job: BatchJob,
    cluster: str | Client,
    *,
    partition_bytes: int | None = None,
    progress: Progress | None = None,
    auditor: Auditor | None = None,
) -> DaskBatchResult:
    """``run_batch`` on a Dask cluster: ``cluster`` is ``local[:N]``, a scheduler address or a ``Client``.

    ``partition_bytes`` None: ``auto_partition_bytes`` for the cluster's threads when the run starts.
    """
    if isinstance(cluster, str) and importlib.util.find_spec("distributed") is None:
        raise UsageError("--dask needs Dask: pip install 'faceprint[dask]'")
    if job.combine != "none":
        raise UsageError("--combine needs every card in input order on one machine; run it without --dask")
    start_run(job)  # layout errors exit 2 before anything reaches the cluster
    if not job.records.is_file():
        raise UsageError(f"records file not found: {job.records}")
    result = DaskBatchResult()
    started = time.perf_counter()
    with contextlib.ExitStack() as stack:
        dask_client = cluster if not isinstance(cluster, str) else stack.enter_context(connect(parse_address(cluster)))
        client = cast(_Client, dask_client)
        try:
            client.wait_for_workers(1, timeout=FIRST_WORKER_TIMEOUT_S)
        except TimeoutError:
            raise UsageError(f"no Dask worker joined within {FIRST_WORKER_TIMEOUT_S:.0f} s") from None
        result.connect_seconds = time.perf_counter() - started
        t0 = time.perf_counter()
        if partition_bytes is None:
            partition_bytes = auto_partition_bytes(job.records.stat().st_size, sum(client.nthreads().values()))
        plan = plan_input(job.records, job.encoding, partition_bytes)
        result.scan_seconds = time.perf_counter() - t0
        result.partitions = len(plan.partitions)
        since_ns = _probe_workers(client, job)
        run = RunSpec(
            layout=str(job.layout.resolve()),
            plan=replace(plan, path=plan.path.resolve(), partitions=()),
            out_dir=str(job.out_dir.resolve()),
            spec=job.spec,
            base_dir=str(job.records.resolve().parent),
            prepare_photo=job.prepare_photo,
            derive_romaji=job.derive_romaji,
            resume=job.resume,
            since_ns=since_ns,
            topic=f"faceprint-progress-{uuid.uuid4().hex}",
            audit=auditor is not None,
        )
        progress = progress or Progress(plan.records)
        stack.callback(progress.close)
        with ErrorReport(job.out_dir / "errors.jsonl") as report:
            _Driver(client, run, plan.partitions, result, report, progress, auditor).run()
        if auditor is not None:
            auditor.flush()
        clean_temporaries(job.out_dir)  # what killed workers left half-written; finished files were renamed
        result.seconds = time.perf_counter() - started
    return result


def _probe_workers(client: _Client, job: BatchJob) -> int:
    """Check that every worker sees the output folder, the records and the layout; return the run's start.

    The start is the probe file's mtime as the shared file system recorded it: files this run writes
    are newer, whatever the clocks of the client and the workers say.
    """
    probe_path = job.out_dir.resolve() / PROBE_NAME.format(uuid.uuid4().hex)
    fd = os.open(probe_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    os.close(fd)
    try:
        seen = client.run(probe, str(probe_path), str(job.records.resolve()), str(job.layout.resolve()))
    finally:
        probe_path.unlink(missing_ok=True)
    size = job.records.stat().st_size
    for worker, (mtime, records_size, layout_found) in seen.items():
        if mtime is None:
            raise UsageError(f"Dask worker {worker} cannot see the output folder {job.out_dir.resolve()}: it must be shared")
        if records_size != size:
            raise UsageError(f"Dask worker {worker} does not see the records file {job.records.resolve()} as the client does")
        if not layout_found:
            raise UsageError(f"Dask worker {worker} cannot see the layout {job.layout.resolve()}")
    return min(int(mtime) for mtime, _, _ in seen.values())


class _Driver:
    """Feeds partitions to the cluster in order, a bounded number at a time, and merges what returns."""

    def __init__(
        self,
        client: _Client,
        run: RunSpec,
        partitions: tuple[Partition, ...],
        result: DaskBatchResult,
        report: ErrorReport,
        progress: Progress,
        auditor: Auditor | None = None,
    ) -> None:
        self.client, self.run_spec, self.parts, self.auditor = client, run, partitions, auditor
        self.result, self.report, self.progress = result, report, progress
        self.first_line: dict[str, int] = {}  # every id seen, as the local batch's ``seen``
        self.id_results: dict[int, list[tuple[str, int]]] = {}  # scanned, waiting for earlier ones
        self.rejects: dict[int, dict[int, Problems]] = {}
        self.merged = 0  # partitions before this one have their ids merged: ready to render
        self.next_ids = 0
        self.next_render = 0
        self.id_tasks: dict[_Future, int] = {}
        self.render_tasks: dict[_Future, int] = {}
        self.finished = 0  # records in finished partitions
        self.partial: dict[int, int] = {}  # partition → records processed so far, from events
        self.running: set[int] = set()  # partitions being rendered (read by the event thread)
        self.lock = threading.Lock()

    def run(self) -> None:
        from distributed import as_completed

        self.client.subscribe_topic(self.run_spec.topic, self._on_event)
        tasks: Any = as_completed()  # type: ignore[no-untyped-call]
        try:
            while True:
                for fut in self._submit():
                    tasks.add(fut)
                if not (self.id_tasks or self.render_tasks):
                    break
                self._done(next(tasks))
        except BaseException:
            for fut in [*self.id_tasks, *self.render_tasks]:
                fut.cancel()
            raise
        finally:
            self.client.unsubscribe_topic(self.run_spec.topic)

    def _submit(self) -> list[_Future]:
        threads = sum(self.client.nthreads().values())  # asked each time: workers may come and go
        self.result.threads = max(self.result.threads, threads)
        window = max(2, RENDER_PER_THREAD * threads)
        new: list[_Future] = []
        n = len(self.parts)
        # ids run ahead of rendering, but not without bound: their results wait here until merged
        while self.next_ids < n and len(self.id_tasks) < max(1, threads) and self.next_ids < self.next_render + 2 * window:
            part = self.parts[self.next_ids]
            fut = self.client.submit(partition_ids, self.run_spec.plan, part, key=self._key("ids", part), priority=1)
            self.id_tasks[fut] = part.index
            self.next_ids += 1
            new.append(fut)
        while self.next_render < self.merged and len(self.render_tasks) < window:
            part = self.parts[self.next_render]
            rejects = self.rejects.pop(part.index, {})
            fut = self.client.submit(render_partition, self.run_spec, part, rejects, key=self._key("render", part))
            self.render_tasks[fut] = part.index
            with self.lock:
                self.running.add(part.index)
            self.next_render += 1
            new.append(fut)
        return new

    def _key(self, what: str, part: Partition) -> str:
        return f"faceprint-{what}-{self.run_spec.topic[-32:]}-{part.index}"

    def _done(self, fut: _Future) -> None:
        if fut in self.id_tasks:
            self.id_results[self.id_tasks.pop(fut)] = fut.result()
            while self.merged in self.id_results:
                self._merge_ids(self.merged, self.id_results.pop(self.merged))
                self.merged += 1
            return
        index = self.render_tasks.pop(fut)
        try:
            res: PartitionResult = fut.result()
        except Exception as exc:
            part = self.parts[index]
            exc.add_note(f"faceprint: partition {index} from line {part.first_line}; finished cards stay: rerun with --resume")
            raise
        r = self.result
        r.total += res.total
        r.written += res.written
        r.skipped += res.skipped
        r.failed += len(res.failures)
        r.recovered += res.recovered
        r.busy_seconds += res.seconds
        r.load_seconds += res.load_seconds
        for label, line, problems in sorted(res.failures, key=lambda f: f[1]):
            self.report.add(label, line, problems)
        if self.auditor is not None:
            self._audit(self.auditor, self.parts[index], res)
        with self.lock:
            self.running.discard(index)
            self.partial.pop(index, None)
            self.finished += res.total
            self._show()

    def _audit(self, auditor: Auditor, part: Partition, res: PartitionResult) -> None:
        """The partition's lines, in input order; the numbers read here, on the client."""
        from ..rules.mynumber import redact

        numbers = {raw.line: raw.data.get("my_number") for raw in read_partition(self.run_spec.plan, part) if raw.data}
        failed: list[tuple[int, str, str, dict[str, str]]] = [(ln, redact(label), "failed", {}) for label, ln, _ in res.failures]
        done = [(line, rid, how, hashes) for rid, line, hashes, how in res.cards]
        for line, rid, how, hashes in sorted(failed + done, key=lambda c: c[0]):
            if how != "complete" or not auditor.logged_before(rid, hashes):
                auditor.card_hashed(rid, numbers.get(line), hashes, "failed" if how == "failed" else "written")

    def _merge_ids(self, index: int, ids: list[tuple[str, int]]) -> None:
        """Partitions merge in input order, so the first occurrence of an id is the first in the file."""
        rejects: dict[int, Problems] = {}
        for rid, line in ids:
            first = self.first_line.setdefault(rid, line)
            if first != line:
                rejects[line] = duplicate(first)
        if rejects:
            self.rejects[index] = rejects

    def _on_event(self, event: tuple[float, Any]) -> None:
        """A task's progress (runs on the client's event-loop thread): the latest count per partition."""
        index, done = event[1]
        with self.lock:
            if index in self.running and done > self.partial.get(index, 0):
                self.partial[index] = done
                self._show()

    def _show(self) -> None:
        shown = self.finished + sum(self.partial.values())
        if shown > self.progress.done:
            self.progress.advance(shown - self.progress.done)

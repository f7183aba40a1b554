"""What runs on a Dask worker: a partition's ids (for the duplicate check) and its rendering.

The same record logic as the local batch (``render_record``, ``unreadable``, ``outputs_mtime``),
plus what a retried task needs: records this run already finished are skipped, the layout loads
once per worker thread, and progress goes back to the client as Dask events.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ...outputs import OutputSpec
from ..batch import outputs_mtime, render_record, unreadable
from .input_plan import InputPlan, Partition
from .partition_reader import read_partition

if TYPE_CHECKING:
    from ...render import CardRenderer


PROGRESS_EVERY_S = 1.0  # events per task at most this often, so the scheduler is not flooded

Problems = list[tuple[str, str]]


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


def partition_ids(plan: InputPlan, part: Partition) -> list[tuple[str, int]]:
    """(id, line) of each parsed record with an id, for the client's duplicate check."""
    ids: list[tuple[str, int]] = []
    for raw in read_partition(plan, part):
        rid = raw.data.get("id") if raw.data is not None and raw.error is None else None
        if isinstance(rid, str) and rid:
            ids.append((rid, raw.line))
    return ids


_cache = threading.local()


def thread_renderer(layout: str, derive_romaji: bool = False) -> tuple[CardRenderer, float]:
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
    from ...render import CardRenderer

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
    renderer, loaded = thread_renderer(run.layout, run.derive_romaji)
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
        from ...audit.recorder import hashes_of

        result.cards.append((rid, line, hashes_of(run.spec.expected(rid, Path(run.out_dir))), how))


def _done_mtime(run: RunSpec, out: Path, rid: Any) -> int | None:
    return outputs_mtime(run.spec, out, rid) if isinstance(rid, str) and rid else None

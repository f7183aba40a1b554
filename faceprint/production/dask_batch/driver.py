"""The client's loop: partitions fed to the cluster in order, a bounded number at a time, results merged.

Duplicate ids are decided in input order although partitions finish in any order (ids first, merged
in partition order, then rendering), and failures, the audit log and progress are collected here on
the client, as the local batch's main process does.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..batch import BatchResult, duplicate
from ..report import ErrorReport, Progress
from .cluster import DaskClient, DaskFuture
from .input_plan import Partition
from .partition_reader import read_partition
from .worker_tasks import PartitionResult, Problems, RunSpec, partition_ids, render_partition

if TYPE_CHECKING:
    from ...audit import Auditor


RENDER_PER_THREAD = 2  # partitions in flight per worker thread: one running, one queued behind it


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


class PartitionDriver:
    """Feeds partitions to the cluster in order, a bounded number at a time, and merges what returns."""

    def __init__(
        self,
        client: DaskClient,
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
        self.id_tasks: dict[DaskFuture, int] = {}
        self.render_tasks: dict[DaskFuture, int] = {}
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

    def _submit(self) -> list[DaskFuture]:
        threads = sum(self.client.nthreads().values())  # asked each time: workers may come and go
        self.result.threads = max(self.result.threads, threads)
        window = max(2, RENDER_PER_THREAD * threads)
        new: list[DaskFuture] = []
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

    def _done(self, fut: DaskFuture) -> None:
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
        from ...rules.mynumber import redact

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

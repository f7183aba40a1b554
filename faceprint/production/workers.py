"""Worker processes for the local batch that outlive a worker's death.

A record can kill the process rendering it (the kernel's out-of-memory killer, a crash in a native
library); ``ProcessPoolExecutor`` then fails every record in flight and refuses new ones. One bad
record must never stop a batch (issue 14 §2), so when the pool breaks, the records that were in
flight are rendered again one at a time in a fresh pool: the one that kills its worker alone is
reported as that record's internal error, the others are rendered, and the run goes on.

Records travel in chunks (``submit`` takes several): one task, one pickled message each way and
one wake-up of the parent per chunk rather than per record, so the parent's bookkeeping stays off
the cores the workers render on. A chunk whose pool broke is retried record by record like any other.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from multiprocessing.context import BaseContext
from typing import Any

Result = tuple[int, str | None, list[tuple[str, str]], Any]  # (seq, id or None, problems, scene)
Job = tuple[int, int, dict[str, Any]]  # (seq, line, record data)
DIED = "internal error: the worker process rendering this record died (killed, out of memory or crashed); please report it"


class SurvivingPool:
    """``submit`` records, ``collect`` results; a broken pool is replaced and its records retried alone."""

    def __init__(
        self,
        workers: int,
        context: BaseContext,
        initializer: Callable[..., None],
        initargs: tuple[Any, ...],
        work: Callable[..., Result],
    ) -> None:
        self._workers, self._context, self._initializer, self._initargs = workers, context, initializer, initargs
        self._work = work
        self._pool = self._make()
        self._inflight: dict[Future[list[Result]], list[Job]] = {}
        self.restarts = 0

    def _make(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(
            self._workers, mp_context=self._context, initializer=self._initializer, initargs=self._initargs
        )

    def __len__(self) -> int:
        """Records in flight."""
        return sum(len(jobs) for jobs in self._inflight.values())

    def submit(self, jobs: list[Job]) -> None:
        """Records to render in one task, in order, by one worker."""
        self._inflight[self._pool.submit(_run_chunk, self._work, jobs)] = jobs

    def collect(self) -> list[Result]:
        """Wait for at least one record to finish; every record leaves here with a result."""
        done, _ = wait(self._inflight, return_when=FIRST_COMPLETED)
        results: list[Result] = []
        broken = False
        retry: list[Job] = []
        for fut in done:
            jobs = self._inflight.pop(fut)
            try:
                results += fut.result()
            except BrokenProcessPool:
                broken = True
                retry += jobs  # suspects, retried below with the others in flight
            except Exception:  # a result could not come back (e.g. not picklable): find whose, one by one
                retry += jobs
        if broken:
            for jobs in self._inflight.values():
                retry += jobs
            self._inflight.clear()
            self._replace()
        results += [self._alone(*job) for job in sorted(retry, key=lambda job: job[0])]
        return results

    def _replace(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
        self._pool = self._make()
        self.restarts += 1

    def _alone(self, seq: int, line: int, data: dict[str, Any]) -> Result:
        """One record in a pool of its own making: if the pool breaks now, this record broke it."""
        try:
            return self._pool.submit(self._work, seq, line, data).result()
        except BrokenProcessPool:
            self._replace()
            return seq, None, [("(internal)", DIED)], None
        except Exception as exc:
            return seq, None, [("(internal)", f"internal error {type(exc).__name__}; please report it")], None

    def shutdown(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)


def _run_chunk(work: Callable[..., Result], jobs: list[Job]) -> list[Result]:
    """A worker's task: the chunk's records rendered in order (``work`` never raises for a record)."""
    return [work(*job) for job in jobs]

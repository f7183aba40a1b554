"""The client's side of the cluster: connecting (a scheduler address or a local cluster) and checking
that every worker sees the shared files.

Dask's API is mostly untyped for mypy, so the few calls faceprint makes are typed here as protocols,
and the run's start is taken from the shared file system (a probe file's mtime), not a clock.
"""

from __future__ import annotations

import contextlib
import os
import uuid
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any, Protocol

from ...errors import UsageError
from ..batch import BatchJob

if TYPE_CHECKING:
    from distributed import Client


FIRST_WORKER_TIMEOUT_S = 120.0

PROBE_NAME = ".faceprint-probe-{}.tmp"  # ends like a temporary, so a crashed client's probe is cleaned up


class DaskFuture(Protocol):
    """The part of ``distributed.Future`` used here (most of Dask's API is untyped for mypy)."""

    def result(self) -> Any: ...
    def cancel(self) -> None: ...


class DaskClient(Protocol):
    """The part of ``distributed.Client`` used here, typed."""

    def submit(self, func: Callable[..., Any], *args: Any, key: str, priority: int = 0) -> DaskFuture: ...
    def run(self, function: Callable[..., Any], *args: Any) -> dict[str, Any]: ...
    def nthreads(self) -> dict[str, int]: ...
    def wait_for_workers(self, n_workers: int, timeout: float | None = None) -> None: ...
    def subscribe_topic(self, topic: str, handler: Callable[[tuple[float, Any]], None]) -> None: ...
    def unsubscribe_topic(self, topic: str) -> None: ...


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


def probe(out_probe: str, records: str, layout: str) -> tuple[int | None, int | None, bool]:
    """Run on every worker: (probe file mtime, records file size, layout found) as that worker sees them."""

    def stat(path: str) -> os.stat_result | None:
        try:
            return os.stat(path)
        except OSError:
            return None

    p, r = stat(out_probe), stat(records)
    return (p.st_mtime_ns if p else None, r.st_size if r else None, stat(layout) is not None)


def probe_workers(client: DaskClient, job: BatchJob) -> int:
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

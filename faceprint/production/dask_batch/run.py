"""``run_dask_batch``: one batch on a Dask cluster, from the local batch's checks to the error report.

It ties the stages together (connect, plan the input, probe the workers, drive the partitions,
clean up), so each stage's module stays about one thing.
"""

from __future__ import annotations

import contextlib
import importlib.util
import time
import uuid
from dataclasses import replace
from typing import TYPE_CHECKING, cast

from ...errors import UsageError
from ..batch import BatchJob, clean_temporaries, start_run
from ..report import ErrorReport, Progress
from .cluster import FIRST_WORKER_TIMEOUT_S, DaskClient, connect, parse_address, probe_workers
from .driver import DaskBatchResult, PartitionDriver
from .input_plan import auto_partition_bytes, plan_input
from .worker_tasks import RunSpec

if TYPE_CHECKING:
    from distributed import Client

    from ...audit import Auditor


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
        client = cast(DaskClient, dask_client)
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
        since_ns = probe_workers(client, job)
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
            PartitionDriver(client, run, plan.partitions, result, report, progress, auditor).run()
        if auditor is not None:
            auditor.flush()
        clean_temporaries(job.out_dir)  # what killed workers left half-written; finished files were renamed
        result.seconds = time.perf_counter() - started
    return result

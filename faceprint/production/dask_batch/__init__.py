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

The stages, one module each: ``cluster`` (connecting, checking what workers see), ``input_plan``
(cut points, on the client), ``partition_reader`` (a byte range read back as records),
``worker_tasks`` (what runs on a worker), ``driver`` (the client's loop and what it collects) and
``run`` (``run_dask_batch``, tying them together). This module only names the entry points.
"""

from .cluster import connect, parse_address, probe
from .cluster import probe_workers as _probe_workers
from .driver import DaskBatchResult
from .input_plan import PARTITION_BYTES, PARTITION_BYTES_MIN, InputPlan, Partition, auto_partition_bytes, plan_input
from .partition_reader import read_partition
from .run import run_dask_batch
from .worker_tasks import PartitionResult, RunSpec, partition_ids, render_partition

__all__ = [
    "PARTITION_BYTES",
    "PARTITION_BYTES_MIN",
    "DaskBatchResult",
    "InputPlan",
    "Partition",
    "PartitionResult",
    "RunSpec",
    "_probe_workers",
    "auto_partition_bytes",
    "connect",
    "parse_address",
    "partition_ids",
    "plan_input",
    "probe",
    "read_partition",
    "render_partition",
    "run_dask_batch",
]

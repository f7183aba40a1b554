"""The input cut into partitions, on the client: one byte scan for cut points, nothing parsed or kept.

Partitions, not records, are the tasks, so the records file is never loaded on the client nor sent
through the scheduler; each task reads its own byte range (``partition_reader``). A CSV keeps its
header for every partition and is only cut at a newline outside quotes.
"""

from __future__ import annotations

import codecs
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from ...errors import UsageError
from ..reader import detect_encoding, input_format

PARTITION_BYTES = 256 * 1024  # the most per task: ~500 records of ~500 bytes, tens of seconds of work

PARTITION_BYTES_MIN = 4 * 1024  # the least: below, the per-task overhead (~10 ms, two tasks) shows

PARTITIONS_PER_THREAD = 4  # for a small input: enough tasks that no worker idles at the end

SCAN_CHUNK = 1 << 20


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


def auto_partition_bytes(input_bytes: int, threads: int) -> int:
    """Bytes per task: ``PARTITIONS_PER_THREAD`` tasks per worker thread, within the bounds above.

    A national run gets the largest partitions (fewest tasks for the scheduler); a small file is
    still spread over every worker instead of landing whole on one.
    """
    share = input_bytes // max(1, PARTITIONS_PER_THREAD * threads)
    return max(PARTITION_BYTES_MIN, min(PARTITION_BYTES, share))

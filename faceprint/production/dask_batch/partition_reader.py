"""One partition read back as records, by the local batch's own parsers, with the file's line numbers.

Workers read their partitions from the shared file system, and the client reads one again for the
audit log's individual numbers (never sent over the network), so both read the same way, here.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

from ..reader import RawRecord, _csv, _jsonl
from .input_plan import InputPlan, Partition


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

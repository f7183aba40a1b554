"""The audit log: one JSON line per card per command that produced card output, hash-chained.

Each line (UTF-8 JSON, keys in this order, no spaces)::

    {"prev":"<sha256 of the previous line>","v":1,"time":"2026-12-04T10:20:00Z","operator":"clerk1",
     "command":"annotate","layout_sha256":"…","record":"S02","number_hmac":"…","key_id":"…",
     "outputs":{"S02-entry1.pdf":"<sha256>",…},"outcome":"pending"}

``prev`` of the first line is 64 zeros; of any other line, the SHA-256 of the previous line's bytes
(without its newline). Editing, removing or reordering a line breaks the next line's ``prev``. The
end of the log is anchored by ``<log>.head`` (``{"lines": N, "last_sha256": "…"}``, rewritten
atomically after each append), so lines cut off the end, or an edited last line, are found too.
Output files are named by their file name only (the folder could name a person); nothing in a line is
personal data but the record id, which issue #14 keeps free of numbers.

Writing: the log is opened append-only (``O_APPEND``), lines are buffered per block and written with
one ``write`` and one ``fsync`` under the log's lock (``faceprint.locking``), so concurrent writers
(two clerks, two batch runs) never interleave or fork the chain. A log whose last line was cut short
(SIGKILL can stop a ``write`` between two pages) is closed with a newline and followed by a
``recovered`` line whose ``prev`` is the hash of the cut line: the chain goes on, ``verify`` accepts a
cut line only in that form, and ``prev`` comes first in a line so that even a cut line still shows
what it chained to. The cards of a cut line are logged again by ``--resume``.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..atomic import write_atomic
from ..errors import DataError, UsageError
from ..locking import exclusive

LINE_VERSION = 1
GENESIS = "0" * 64  # ``prev`` of the first line
LOG_MODE = 0o600
KEYS = (
    "prev", "v", "time", "operator", "command", "layout_sha256", "record", "number_hmac", "key_id", "outputs", "outcome",
)  # fmt: skip
RECOVERED = "recovered"  # the line after one cut short by a killed writer
OUTCOMES = ("written", "failed", "pending", "printed", "void-printed", "void-not-printed", RECOVERED)
TAIL_CHUNK = 1 << 16  # bytes read from the end to find the last line (a line is well under 4 KiB)
HASH_CHUNK = 1 << 20


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(HASH_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def head_path(log: Path) -> Path:
    return log.with_name(f"{log.name}.head")


@dataclass(frozen=True)
class Head:
    lines: int
    last_sha256: str

    def to_bytes(self) -> bytes:
        return (json.dumps({"lines": self.lines, "last_sha256": self.last_sha256}) + "\n").encode("ascii")


def read_head(log: Path) -> Head | None:
    """The head file, or None when there is none; a ``DataError`` when it is not a head file."""
    path = head_path(log)
    try:
        raw = json.loads(path.read_bytes())
        head = Head(int(raw["lines"]), str(raw["last_sha256"]))
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise DataError(f"audit log head {path}: unreadable ({exc})") from None
    return head


def encode_line(fields: dict[str, Any], prev: str) -> bytes:
    """One line's bytes (no newline), keys in the documented order."""
    line = {"prev": prev} | {key: fields[key] for key in KEYS if key != "prev"}
    return json.dumps(line, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _tail(fd: int, size: int) -> tuple[bytes, bool]:
    """The last line of the file (without its newline; b"" when empty), and whether it was cut short."""
    if size == 0:
        return b"", False
    start = max(0, size - TAIL_CHUNK)
    data = os.pread(fd, size - start, start)
    torn = not data.endswith(b"\n")
    body = data if torn else data[:-1]
    cut = body.rfind(b"\n")
    if cut < 0 and start > 0:
        raise DataError(f"the last line is longer than {TAIL_CHUNK} bytes: not a faceprint audit log")
    return body[cut + 1 :], torn


def _recovery(first: dict[str, Any]) -> dict[str, Any]:
    """The line that closes a cut-short one: who found it, when; no card."""
    none = dict.fromkeys(("layout_sha256", "record", "number_hmac"))
    return {**first, **none, "outputs": {}, "outcome": RECOVERED}


def _count_lines(fd: int, size: int) -> int:
    n, offset = 0, 0
    while offset < size:
        chunk = os.pread(fd, min(HASH_CHUNK, size - offset), offset)
        n += chunk.count(b"\n")
        offset += len(chunk)
    return n


def append_lines(log: Path, lines: list[dict[str, Any]]) -> None:
    """Append ``lines`` to the chain: one locked write, one fsync, then the head file."""
    if not lines:
        return
    with exclusive(log, what=f"audit log {log}"):
        try:
            fd = os.open(log, os.O_RDWR | os.O_APPEND | os.O_CREAT, LOG_MODE)
        except OSError as exc:
            raise UsageError(f"audit log {log}: cannot open for appending: {exc.strerror or exc}") from None
        try:
            size = os.fstat(fd).st_size
            try:
                last, torn = _tail(fd, size)
            except DataError as exc:
                raise DataError(f"audit log {log}: {exc}") from None
            head = read_head(log)
            count = head.lines if head is not None and last and head.last_sha256 == sha256_hex(last) else None
            if count is None:
                count = _count_lines(fd, size)  # no head yet, or one left behind by a run killed after its fsync
            prev = sha256_hex(last) if last else GENESIS
            out = bytearray()
            if torn:
                out += b"\n"
                count += 1  # the cut line, now ended
                lines = [_recovery(lines[0]), *lines]
            for fields in lines:
                encoded = encode_line(fields, prev)
                out += encoded + b"\n"
                prev = sha256_hex(encoded)
            written = 0
            while written < len(out):
                written += os.write(fd, bytes(out[written:]))
            os.fsync(fd)
        finally:
            os.close(fd)
        write_atomic(head_path(log), Head(count + len(lines), prev).to_bytes(), mode=LOG_MODE)


def iter_lines(log: Path) -> Iterator[tuple[int, bytes]]:
    """(1-based number, bytes with their newline) of each line; the last one may lack its newline."""
    with log.open("rb") as fh:
        yield from enumerate(fh, 1)


def parsed_lines(log: Path) -> Iterable[dict[str, Any]]:
    """Every well-formed line, for lookups (``verify`` is the check of form and chain)."""
    with contextlib.suppress(FileNotFoundError):
        for _, raw in iter_lines(log):
            try:
                data = json.loads(raw)
            except ValueError:
                continue
            if isinstance(data, dict):
                yield data

"""Checking an audit log's chain, and finding one card's lines in it.

``verify`` walks the log once and stops at the first line that is not what the chain says it must be:
a line that is not a complete audit line (edited by hand, cut short), a line whose ``prev`` is not the
SHA-256 of the line before it (that line was edited, or lines were removed or reordered here), or an
end that does not match the head file (lines removed from the end, the last line edited).
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import DataError, UsageError
from .key import AuditKey
from .log import GENESIS, KEYS, OUTCOMES, RECOVERED, head_path, iter_lines, read_head, sha256_hex


@dataclass(frozen=True)
class Verdict:
    lines: int  # lines checked and found good
    problem: str | None  # the first fault, naming its line; None: intact
    note: str | None = None

    @property
    def ok(self) -> bool:
        return self.problem is None

    def message(self, log: Path) -> str:
        if self.problem is not None:
            return f"{log}: {self.problem}"
        text = f"{log}: {self.lines} line{'s' if self.lines != 1 else ''}, chain intact"
        return text + (f"\nnote: {self.note}" if self.note else "")


def _form(n: int, data: object) -> str | None:
    """What is wrong with line ``n``'s fields, or None."""
    if not isinstance(data, dict) or list(data) != list(KEYS):
        return f"line {n}: not an audit line (its fields were changed)"
    if data["v"] != 1:
        return f"line {n}: unknown line version {data['v']!r}"
    if data["outcome"] not in OUTCOMES:
        return f"line {n}: unknown outcome {data['outcome']!r}"
    if not isinstance(data["prev"], str) or len(data["prev"]) != 64:
        return f"line {n}: 'prev' is not a SHA-256"
    return None


def _chain_fault(n: int, found: object, prev: str) -> str | None:
    if found == prev:
        return None
    if n == 1:
        return "line 1: the first line's 'prev' is not the start of a chain: lines were removed before it"
    return f"line {n}: 'prev' does not match line {n - 1}: line {n - 1} was edited, or lines were removed or reordered here"


def _walk(log: Path) -> tuple[int, bytes, str | None, list[int]]:
    """(good lines, the last good line, the first fault or None, lines cut short and closed by a recovery line)."""
    prev, good, last = GENESIS, 0, b""
    cut: int | None = None  # a line cut short by a killed writer, waiting for its recovery line
    cuts: list[int] = []
    for n, raw in iter_lines(log):
        if not raw.endswith(b"\n"):
            return good, last, f"line {n}: cut short (no end of line): the log was truncated or a write was interrupted", cuts
        body = raw[:-1]
        try:
            data = json.loads(body)
        except ValueError:
            if cut is not None:
                break
            whole_prev = body.startswith(b'{"prev":"') and len(body) >= 73  # cut after its chain hash: check it
            if whole_prev and (fault := _chain_fault(n, body[9:73].decode("ascii", "replace"), prev)):
                return good, last, fault, cuts
            cut, prev = n, sha256_hex(body)  # accepted only if a recovery line follows
            continue
        if (fault := _form(n, data)) is not None:
            return good, last, fault, cuts
        if cut is not None:
            if data["outcome"] != RECOVERED:
                break
            cuts.append(cut)
            cut = None
        if (fault := _chain_fault(n, data["prev"], prev)) is not None:
            return good, last, fault, cuts
        prev, last, good = sha256_hex(body), body, n
    if cut is not None:
        return good, last, f"line {cut}: not valid JSON (edited, or a line was cut)", cuts
    return good, last, None, cuts


def verify(log: Path) -> Verdict:
    """The first fault of ``log``, or how many lines it has when the chain is intact."""
    if not log.is_file():
        raise UsageError(f"audit log {log}: no such file")
    good, last, fault, cuts = _walk(log)
    if fault is not None:
        return Verdict(good, fault)
    note = f"line(s) {', '.join(map(str, cuts))} cut short by a killed run, each closed by a recovery line" if cuts else None
    head = read_head(log)
    if head is None:
        if good == 0:
            return Verdict(0, None, "empty log")
        return Verdict(good, f"no head file {head_path(log)}: cannot tell whether lines were removed from the end")
    if good < head.lines:
        return Verdict(good, f"the log ends after line {good} but had {head.lines} lines: lines were removed from the end")
    if good == head.lines and sha256_hex(last) != head.last_sha256:
        return Verdict(good, f"line {good}: the last line differs from the one written (edited)")
    if good > head.lines:
        # the head is written after each block's fsync: a run killed in between leaves it behind
        anchor = _line(log, head.lines)
        if head.lines and (anchor is None or sha256_hex(anchor) != head.last_sha256):
            return Verdict(good, f"line {head.lines}: differs from the one the head file anchors (edited)")
        behind = f"the head file anchors line {head.lines}: a run was stopped before updating it"
        return Verdict(good, None, "; ".join(filter(None, (note, behind))))
    return Verdict(good, None, note)


def _line(log: Path, number: int) -> bytes | None:
    for n, raw in iter_lines(log):
        if n == number:
            return raw.rstrip(b"\n")
    return None


def search_form(number: str) -> str:
    """A typed search number folded to ASCII (NFKC): a counter IME types ０１２… and 　; records never hold them."""
    return unicodedata.normalize("NFKC", number)


def find(log: Path, key: AuditKey, number: str) -> Iterator[tuple[int, dict[str, Any]]]:
    """(line number, fields) of each line about the card with this individual number."""
    try:
        target = key.number_mac(search_form(number))
    except ValueError as exc:
        raise DataError(f"--number: {exc}") from None
    if not log.is_file():
        raise UsageError(f"audit log {log}: no such file")
    for n, raw in iter_lines(log):
        try:
            data = json.loads(raw)
        except ValueError:
            continue
        if isinstance(data, dict) and data.get("number_hmac") == target:
            yield n, data


def other_keys(log: Path, key: AuditKey) -> set[str]:
    """Key ids in the log other than ``key``'s: lines hashed with another key cannot be found with this one."""
    ids: set[str] = set()
    for _, raw in iter_lines(log):
        try:
            data = json.loads(raw)
        except ValueError:
            continue
        if isinstance(data, dict) and isinstance(data.get("key_id"), str) and data["key_id"] != key.key_id:
            ids.add(data["key_id"])
    return ids

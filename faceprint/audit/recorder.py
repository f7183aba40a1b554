"""What a command hooks into: ``Auditor`` collects one line per card and appends them in blocks.

The commands (render, batch, impose, annotate, confirm, void) build an ``Auditor`` from their options
(``faceprint.audit.cli.auditor_from_args``: None when the log is off) and call ``card`` once per card,
then ``flush`` (every ``BLOCK_CARDS`` cards and at the end). Only the process that runs the command
writes; batch workers return their results to it. Output files are hashed from disk after they were
renamed into place: the hash is of the file the printer gets.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from .key import AuditKey, mac_or_none
from .log import append_lines, file_sha256, parsed_lines

BLOCK_CARDS = 64  # project choice: lines per write+fsync in a batch; a kill loses at most these (resume re-logs them)


def hashes_of(outputs: Iterable[Path]) -> dict[str, str]:
    """File name → SHA-256 of each output (names only: a folder could name a person)."""
    return {path.name: file_sha256(path) for path in outputs}


def utc_stamp() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _card_digest(record_id: str, outputs: dict[str, str]) -> bytes:
    """What makes a card's "written" line the same card: its id and its exact output files."""
    text = record_id + "\0" + "\0".join(f"{name}={sha}" for name, sha in sorted(outputs.items()))
    return hashlib.sha256(text.encode("utf-8")).digest()


class Auditor:
    def __init__(self, log: Path, key: AuditKey, operator: str, command: str, layout: Path | None) -> None:
        self.log = log
        self.key = key
        self.operator = operator
        self.command = command
        self.layout_sha256 = file_sha256(layout) if layout is not None else None
        self.buffer: list[dict[str, Any]] = []
        self._logged: set[bytes] | None = None

    def card(self, record_id: str, number: object, outputs: Iterable[Path], outcome: str) -> None:
        """One card's line; ``number`` is the record's raw individual number (None or invalid: null)."""
        self.card_hashed(record_id, number, hashes_of(outputs), outcome)

    def card_hashed(self, record_id: str, number: object, hashes: dict[str, str], outcome: str) -> None:
        """``card`` with the files already hashed (by a Dask worker, where the files were written)."""
        self.buffer.append(
            {
                "v": 1,
                "time": utc_stamp(),
                "operator": self.operator,
                "command": self.command,
                "layout_sha256": self.layout_sha256,
                "record": record_id,
                "number_hmac": mac_or_none(self.key, number),
                "key_id": self.key.key_id,
                "outputs": hashes,
                "outcome": outcome,
            }
        )
        if self._logged is not None and outcome == "written":
            self._logged.add(_card_digest(record_id, hashes))
        if len(self.buffer) >= BLOCK_CARDS:
            self.flush()

    def flush(self) -> None:
        lines, self.buffer = self.buffer, []
        append_lines(self.log, lines)

    def written_before(self, record_id: str, outputs: Iterable[Path]) -> bool:
        """Whether the log already has this card, with exactly these files, as "written".

        A batch killed after renaming a card's files into place but before its line was fsynced left
        a complete card with no line: ``--resume`` skips rendering it, and logs it unless it is here.
        """
        return self.logged_before(record_id, hashes_of(outputs))

    def logged_before(self, record_id: str, hashes: dict[str, str]) -> bool:
        if self._logged is None:
            self._logged = {
                _card_digest(str(d.get("record")), d["outputs"])
                for d in parsed_lines(self.log)
                if d.get("outcome") == "written" and isinstance(d.get("outputs"), dict)
            }
        return _card_digest(record_id, hashes) in self._logged

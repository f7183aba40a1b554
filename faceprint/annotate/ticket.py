"""The job ticket: the small file in a print job's folder that ``confirm`` and ``void`` start from.

``faceprint annotate`` writes ``<id>-entry<N>.job.json`` beside the job's PDF and PNG. It names the
card state (absolute path), the record file (for the audit log's keyed number), the layout, the job's
id (the same id is on the entry in the state, so a ticket can never confirm another entry) and the
SHA-256 of each job file. No personal data: paths and hashes only (0600 all the same).

Format (version 1)::

    {"format": "faceprint-annotate-job", "version": 1, "job": "3f9c…", "record": "S02", "entry": 2,
     "state": "/office/cards/S02.annotations.json", "record_file": "/office/cards/S02.json",
     "layout": "/office/layouts/next-gen/card.yaml", "files": ["S02-entry2.pdf", "S02-entry2.png"],
     "created": "2026-12-04T10:20:00Z"}
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from pathlib import Path

from ..atomic import write_atomic
from ..errors import DataError, UsageError

FORMAT = "faceprint-annotate-job"
VERSION = 1
SUFFIX = ".job.json"


def new_job_id() -> str:
    return secrets.token_hex(8)


@dataclass(frozen=True)
class Ticket:
    job: str
    record: str
    entry: int
    state: Path
    record_file: Path
    layout: Path
    files: tuple[str, ...]
    created: str
    path: Path  # where the ticket is (its folder holds the job files)

    @property
    def job_files(self) -> list[Path]:
        return [self.path.parent / name for name in self.files]

    def to_bytes(self) -> bytes:
        data = {
            "format": FORMAT,
            "version": VERSION,
            "job": self.job,
            "record": self.record,
            "entry": self.entry,
            "state": str(self.state),
            "record_file": str(self.record_file),
            "layout": str(self.layout),
            "files": list(self.files),
            "created": self.created,
        }
        return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def ticket_name(record_id: str, number: int) -> str:
    return f"{record_id}-entry{number}{SUFFIX}"


def write_ticket(ticket: Ticket) -> None:
    write_atomic(ticket.path, ticket.to_bytes())


def read_ticket(path: Path) -> Ticket:
    try:
        raw = json.loads(path.read_bytes())
    except FileNotFoundError:
        raise UsageError(f"job ticket {path}: no such file") from None
    except (OSError, ValueError) as exc:
        raise DataError(f"job ticket {path}: unreadable ({exc})") from None
    if not isinstance(raw, dict) or raw.get("format") != FORMAT or raw.get("version") != VERSION:
        raise DataError(f"job ticket {path}: not a faceprint job ticket (version {VERSION})")
    try:
        return Ticket(
            job=str(raw["job"]),
            record=str(raw["record"]),
            entry=int(raw["entry"]),
            state=Path(raw["state"]),
            record_file=Path(raw["record_file"]),
            layout=Path(raw["layout"]),
            files=tuple(str(f) for f in raw["files"]),
            created=str(raw["created"]),
            path=path,
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise DataError(f"job ticket {path}: missing or malformed field {exc}") from None


def tickets_in(job: Path) -> list[Path]:
    """JOB as given: a ticket file, or a job folder holding tickets."""
    if job.is_file():
        return [job]
    if job.is_dir():
        found = sorted(job.glob(f"*{SUFFIX}"))
        if found:
            return found
        raise UsageError(f"{job}: no job ticket (*{SUFFIX}) in this folder; give the --out folder of the annotate run")
    raise UsageError(f"{job}: no such job folder or ticket")

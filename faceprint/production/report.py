"""The per-record error report (``errors.jsonl``) and progress display of a batch.

The report names the record (its id, or its line when the id itself is unreadable), the field and
the reason — and no personal data: quoted values, paths and long digit runs in reasons are
replaced by "…", so a bad birth date or a name character never lands in the report; code points
(U+XXXX) stay, because they are what a font problem is fixed by.
"""

from __future__ import annotations

import json
import os
import re
import sys
import time
from pathlib import Path
from types import TracebackType
from typing import IO, Any

from ..errors import DataError
from ..rules.mynumber import redact

_QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"|“[^”]*”|「[^」]*」")
_VALUE_AFTER_COLON = re.compile(r":\s+(?![A-Za-z ,()]*$)[^;]*$")
_DIGITS = re.compile(r"(?<![U+\d])\d{4,}")
_PATH = re.compile(r"(?:/|[A-Za-z]:\\)[^\s;,)]+")


def public_reason(reason: str) -> str:
    """A reason with every value that could be personal data taken out."""
    text = _QUOTED.sub("'…'", reason)
    text = _PATH.sub("…", text)
    text = _DIGITS.sub("…", text)
    return _VALUE_AFTER_COLON.sub(": …", text) if re.search(r":\s+\S*\d", text) else text


def internal_problem(exc: BaseException) -> list[tuple[str, str]]:
    """The report entry of an unexpected exception: its type and masked message, under "(internal)".

    The message may quote a path or a value, so it goes through ``public_reason`` like any reason
    (when the report is written) and ``user_message`` here.
    """
    from ..errors import user_message

    return [("(internal)", f"internal error {type(exc).__name__}: {user_message(exc)}; please report it")]


def problems_of(exc: DataError) -> list[tuple[str, str]]:
    """(field, reason) pairs of an error; an element's error is reported under its field."""
    pairs = getattr(exc, "problems", None)
    if pairs:
        return [(str(f) or "-", str(r)) for f, r in pairs]
    field = exc.field or (f"element {exc.element_id}" if exc.element_id else "-")
    return [(field, exc.reason)]


def _clean(text: str) -> str:
    """Text that is sure to encode as UTF-8: a lone surrogate from the input becomes an escape."""
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


class ErrorReport:
    """``errors.jsonl``: one JSON object per problem, flushed as it happens, created owner-only."""

    def __init__(self, path: Path) -> None:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0), 0o600)
        os.fchmod(fd, 0o600)  # a report left by an earlier run keeps its old mode through O_TRUNC
        self.path = path
        self._fh: IO[str] = os.fdopen(fd, "w", encoding="utf-8")
        self.records = 0

    def add(self, label: str, line: int, problems: list[tuple[str, str]]) -> None:
        self.records += 1
        for field, reason in problems:
            entry: dict[str, Any] = {
                "record": _clean(redact(label)),
                "line": line,
                "field": _clean(redact(field)),
                "reason": _clean(public_reason(reason)),
            }
            self._fh.write(json.dumps(entry, ensure_ascii=False) + "\n")
        self._fh.flush()

    def close(self) -> None:
        self._fh.close()

    def __enter__(self) -> ErrorReport:
        return self

    def __exit__(self, et: type[BaseException] | None, ev: BaseException | None, tb: TracebackType | None) -> None:
        self.close()


class Progress:
    """A rich progress bar (count, rate, ETA) on a terminal; plain lines every few seconds otherwise."""

    PLAIN_INTERVAL_S = 5.0

    def __init__(self, total: int | None, stream: IO[str] | None = None) -> None:
        self.total = total
        self.stream = stream or sys.stderr
        self.done = 0
        self.start = time.perf_counter()
        self._last = self.start
        self._bar: Any = None
        self._task: Any = None
        if self.stream.isatty():
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeRemainingColumn
            from rich.progress import Progress as RichProgress

            self._bar = RichProgress(
                TextColumn("[bold]cards"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("{task.fields[rate]:.1f}/s"),
                TimeRemainingColumn(),
                transient=False,
                console=Console(file=self.stream),  # where the plain lines go (stderr), never into stdout's output
            )
            self._bar.start()
            self._task = self._bar.add_task("cards", total=total, rate=0.0)

    @property
    def rate(self) -> float:
        elapsed = time.perf_counter() - self.start
        return self.done / elapsed if elapsed > 0 else 0.0

    def advance(self, n: int = 1) -> None:
        self.done += n
        if self._bar is not None:
            self._bar.update(self._task, completed=self.done, rate=self.rate)
            return
        now = time.perf_counter()
        if now - self._last >= self.PLAIN_INTERVAL_S:
            self._last = now
            self.stream.write(self.line() + "\n")
            self.stream.flush()

    def line(self) -> str:
        of = f"/{self.total}" if self.total is not None else ""
        eta = ""
        if self.total and self.rate > 0:
            eta = f", ETA {max(self.total - self.done, 0) / self.rate:.0f} s"
        return f"{self.done}{of} records, {self.rate:.1f}/s{eta}"

    def close(self) -> None:
        if self._bar is not None:
            self._bar.stop()

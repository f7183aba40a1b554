"""The preview's lint, in a process of its own, so that it never delays a render.

Linting a folder renders every record (with contrast paints): on next-gen that is ~250 ms of CPU a
record. In the preview's own process it would hold the interpreter while a save waits; in a
separate process it uses the other core and a save is drawn at once. The protocol is JSON lines:

- in, one job a line: ``{"gen": N, "layout": PATH, "records": [PATH, …] | null, "dpi": D}``
  (``records`` null: the built-in specimen). A newer job cancels the one running, between records.
- out, after each record: ``{"gen": N, "done": K, "of": M, "findings": [...]}``; or, when the layout
  itself does not load, ``{"gen": N, "blocked": MESSAGE}``.

Run as ``python -m faceprint.preview.lintworker`` (what ``LintClient`` does).
"""

from __future__ import annotations

import json
import os
import select
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any

from ..errors import DataError, FaceprintError
from ..lint import Finding, RecordLinter, combine_findings, lint_layout, merge_findings, specimen_record
from ..records import Record, load_record
from ..templating import Templates
from ..text.fonts import default_database
from .session import PatternCache, TreeCache

Job = dict[str, Any]


def run_lint(
    job: Job, *, trees: TreeCache, patterns: PatternCache, templates: Templates, cancelled: Callable[[], bool]
) -> Iterator[Job]:
    """The results of one job, one after each record (the first record first: it is the one on screen)."""
    gen = job["gen"]
    try:
        loaded = trees.load(Path(job["layout"]))
    except Exception as exc:  # a LayoutError, or a loader bug: either way nothing to lint
        yield {"gen": gen, "blocked": str(exc) if isinstance(exc, FaceprintError) else f"{type(exc).__name__}: {exc}"}
        return
    static = lint_layout(loaded)
    linter = RecordLinter(
        loaded, fonts=default_database(), templates=templates, contrast_dpi=float(job.get("dpi") or 150), patterns=patterns.paths
    )
    sources: list[str | None] = list(job.get("records") or []) or [None]
    rendered: list[Finding] = []
    for done, source in enumerate(sources, start=1):
        if cancelled():
            return
        try:
            record: Record = specimen_record() if source is None else load_record(source)
            rendered.extend(linter.lint(record))
        except DataError as exc:
            rendered.append(Finding("error", "record", "-", "-", str(exc), str(source), None))
        except FaceprintError as exc:  # e.g. a font the layout names cannot be found
            yield {"gen": gen, "blocked": str(exc)}
            return
        findings = combine_findings(static, merge_findings(rendered))
        yield {"gen": gen, "done": done, "of": len(sources), "findings": [f.to_json() for f in findings]}


class _Lines:
    """Lines from a file descriptor, with a non-blocking look for whether another one is waiting."""

    def __init__(self, fd: int) -> None:
        self.fd = fd
        self.buf = b""
        self.eof = False

    def _fill(self, timeout: float | None) -> None:
        if self.eof or not select.select([self.fd], [], [], timeout)[0]:
            return
        chunk = os.read(self.fd, 65536)
        self.eof = not chunk
        self.buf += chunk

    def waiting(self) -> bool:
        self._fill(0)
        return b"\n" in self.buf

    def latest(self) -> Job | None:
        """Block for a job; when several are queued, only the newest counts. None at end of input."""
        while b"\n" not in self.buf and not self.eof:
            self._fill(None)
        if b"\n" not in self.buf:
            return None
        *lines, self.buf = self.buf.split(b"\n")
        job: Job = json.loads(lines[-1])
        return job


def main() -> None:
    trees, patterns, templates = TreeCache(), PatternCache(), Templates()
    lines = _Lines(sys.stdin.fileno())
    out = sys.stdout
    while (job := lines.latest()) is not None:
        try:
            for result in run_lint(job, trees=trees, patterns=patterns, templates=templates, cancelled=lines.waiting):
                out.write(json.dumps(result, ensure_ascii=False) + "\n")
                out.flush()
        except Exception as exc:  # one bad job must not end the worker
            out.write(json.dumps({"gen": job.get("gen"), "blocked": f"lint failed: {type(exc).__name__}: {exc}"}) + "\n")
            out.flush()


class LintClient:
    """The preview's end of the worker: sends jobs, hands each result to ``on_result``."""

    def __init__(self, on_result: Callable[[Job], None]) -> None:
        self.on_result = on_result
        self._proc: subprocess.Popen[bytes] | None = None
        self._lock = threading.Lock()

    def _start(self) -> subprocess.Popen[bytes]:
        proc = subprocess.Popen(
            [sys.executable, "-m", "faceprint.preview.lintworker"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
        assert proc.stdout is not None
        threading.Thread(target=self._read, args=(proc.stdout,), name="preview-lint-results", daemon=True).start()
        return proc

    def _read(self, stream: IO[bytes]) -> None:
        for line in stream:
            try:
                result = json.loads(line)
            except ValueError:
                continue
            self.on_result(result)

    def submit(self, job: Job) -> None:
        """Queue a job (a newer one makes the worker drop the older); restart a worker that died."""
        data = (json.dumps(job, ensure_ascii=False) + "\n").encode("utf-8")
        with self._lock:
            for _ in range(2):
                if self._proc is None or self._proc.poll() is not None:
                    self._proc = self._start()
                try:
                    assert self._proc.stdin is not None
                    self._proc.stdin.write(data)
                    self._proc.stdin.flush()
                    return
                except (BrokenPipeError, OSError):
                    self._proc = None

    def stop(self) -> None:
        with self._lock:
            proc, self._proc = self._proc, None
        if proc is None:
            return
        if proc.stdin is not None:
            proc.stdin.close()  # end of input: the worker finishes its record and exits
        try:
            proc.wait(timeout=3)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


if __name__ == "__main__":
    main()

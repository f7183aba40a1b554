"""What lint reports: one finding (element, face, file and line, record, reason), and the lists of them.

Every check returns findings and the CLI and the preview only read them, so their shape and how the
same problem across many records collapses into one line are decided here alone.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, replace
from typing import Any, Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Finding:
    severity: Severity
    code: str
    element_id: str
    face: str
    message: str
    file: str
    line: int | None
    record: str | None = None  # the record whose render shows the problem (the first, when several do)

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.severity}: {self.face} '{self.element_id}': {self.message} [{self.code}]"

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def merge_findings(findings: Iterable[Finding]) -> list[Finding]:
    """One finding per problem: the same check on the same element in several records is listed once."""
    merged: dict[tuple[str, str, str, str], tuple[Finding, list[str]]] = {}
    out: list[Finding] = []
    for f in findings:
        if f.record is None or f.code in ("overflow", "missing-glyph", "data"):
            out.append(f)  # data problems differ per record: keep each
            continue
        key = (f.code, f.element_id, f.face, f.severity)
        if key in merged:
            merged[key][1].append(f.record)
        else:
            merged[key] = (f, [f.record])
            out.append(f)
    result: list[Finding] = []
    for f in out:
        key = (f.code, f.element_id, f.face, f.severity)
        if f.record is not None and key in merged and merged[key][0] is f and len(merged[key][1]) > 1:
            others = len(merged[key][1]) - 1
            f = replace(f, message=f"{f.message} (record '{f.record}' and {others} more)")
        elif f.record is not None:
            f = replace(f, message=f"{f.message} (record '{f.record}')")
        result.append(f)
    return result


def combine_findings(static: Sequence[Finding], rendered: Sequence[Finding]) -> list[Finding]:
    """The layout's and the records' findings as one list, errors first.

    A declared-box overlap warning is dropped where a record shows the same element's ink colliding:
    the error says more.
    """
    inked = {(f.face, f.element_id) for f in rendered if f.code == "overlap"}
    kept = [f for f in static if not (f.code == "overlap" and (f.face, f.element_id) in inked)]
    return sorted([*kept, *rendered], key=lambda f: f.severity != "error")

"""Card state: which lines of a card's annotation area are printed, and with what, as a small JSON file.

In: the file's bytes (or its absence). Out: ``CardState``, checked completely: a file cut short by a
crash or a bad copy, or edited by hand into something impossible (overlapping lines, a line beyond
the area), is a ``DataError`` naming the file and the entry, never a silent guess, because the next
entry's position on a physical card depends on it. Written whole under a temporary name and renamed
(``faceprint.atomic.write_atomic``), owner-only: it holds personal data (addresses), never the
individual number.

Format (version 2)::

    {"format": "faceprint-annotations", "version": 2, "record": "S02", "layout": "next-gen",
     "area": {"element": "annotations", "face": "front", "lines": 3},
     "entries": [{"date": "2025-06-20", "kind": "住所変更", "text": "…", "printed": "2025.06.20　住所変更　…",
                  "line": 1, "span": 1, "half": null, "size_pt": 6.5, "hscale": 1.0, "source": "annotate",
                  "status": "pending", "job": "3f9c…", "created": "2026-12-04T10:20:00Z", "changed": null}],
     "released": [ …entries voided as never printed, same shape, kept for the record… ]}

``line`` is the entry's first line (1 = top), ``span`` how many lines it takes, ``half`` ``"upper"`` or
``"lower"`` for a compact half-height entry (comment 58) and null otherwise; ``printed`` is the text as
printed, with ``size_pt`` and ``hscale`` (condensing), so a preview redraws old entries exactly as they
are on the card even after the date setting changes. ``source`` says whether the entry came from the
record when the card was issued or was printed by ``faceprint annotate``.

``status`` (version 2, issue #16): ``pending`` from the moment ``faceprint annotate`` wrote the print
job (its lines are reserved), ``printed`` once the clerk confirmed the card came out right, ``void`` for
a spoiled print (its lines stay used: there is ink on them). A print that never happened is moved to
``released``: its lines are free again, and may leave a gap above a later entry. ``job`` ties an entry
to the job ticket in the print job's folder; ``created`` and ``changed`` are UTC times (null for
entries printed at issue and for entries migrated from version 1).

Version 1 (before issue #16) had no status: every entry counted as printed once its job was written,
so ``parse_state`` reads it as version 2 with every entry ``printed``; the next write stores version 2.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Literal, cast

from ..atomic import write_atomic
from ..errors import DataError, UsageError
from ..rules import dates

FORMAT = "faceprint-annotations"
VERSION = 2
READABLE_VERSIONS = (1, 2)  # 1: before print states (issue #16), migrated on read
Half = Literal["upper", "lower"] | None
Source = Literal["record", "annotate"]
Status = Literal["pending", "printed", "void"]
STATUSES: tuple[Status, ...] = ("pending", "printed", "void")
_TOP_KEYS_V1 = ("format", "version", "record", "layout", "area", "entries")
_TOP_KEYS = (*_TOP_KEYS_V1, "released")
_AREA_KEYS = ("element", "face", "lines")
_ENTRY_KEYS_V1 = ("date", "kind", "text", "printed", "line", "span", "half", "size_pt", "hscale", "source")
_ENTRY_KEYS = (*_ENTRY_KEYS_V1, "status", "job", "created", "changed")


@dataclass(frozen=True, slots=True)
class Entry:
    date: dt.date
    kind: str
    text: str
    printed: str
    line: int
    span: int
    half: Half
    size_pt: float
    hscale: float
    source: Source
    status: Status = "printed"
    job: str | None = None  # the job ticket's id (``faceprint annotate``); None for entries printed at issue
    created: dt.datetime | None = None  # UTC: when the print job was written
    changed: dt.datetime | None = None  # UTC: when it was confirmed or voided

    @property
    def last_line(self) -> int:
        return self.line + self.span - 1

    @property
    def lines_taken(self) -> range:
        return range(self.line, self.last_line + 1)

    def as_json(self) -> dict[str, Any]:
        return {
            "date": self.date.isoformat(),
            "kind": self.kind,
            "text": self.text,
            "printed": self.printed,
            "line": self.line,
            "span": self.span,
            "half": self.half,
            "size_pt": round(self.size_pt, 4),
            "hscale": round(self.hscale, 4),
            "source": self.source,
            "status": self.status,
            "job": self.job,
            "created": _time_text(self.created),
            "changed": _time_text(self.changed),
        }


@dataclass(frozen=True, slots=True)
class CardState:
    record_id: str
    layout: str
    element: str
    face: str
    lines: int
    entries: tuple[Entry, ...] = ()
    released: tuple[Entry, ...] = ()  # voided as never printed: their lines are free again

    @property
    def used_lines(self) -> int:
        return max((e.last_line for e in self.entries), default=0)

    @property
    def free_lines(self) -> int:
        return self.lines - self.used_lines

    @property
    def open_half(self) -> Entry | None:
        """The last entry when it is a compact upper half whose lower half is still free."""
        last = self.entries[-1] if self.entries else None
        return last if last is not None and last.half == "upper" else None

    def with_entry(self, entry: Entry) -> CardState:
        return replace(self, entries=(*self.entries, entry))

    def find_job(self, job: str) -> tuple[int, Entry] | None:
        """The 1-based number and entry of the print job ``job``, or None (also when it was released)."""
        for i, entry in enumerate(self.entries, 1):
            if entry.job == job:
                return i, entry
        return None

    def to_bytes(self) -> bytes:
        data = {
            "format": FORMAT,
            "version": VERSION,
            "record": self.record_id,
            "layout": self.layout,
            "area": {"element": self.element, "face": self.face, "lines": self.lines},
            "entries": [e.as_json() for e in self.entries],
            "released": [e.as_json() for e in self.released],
        }
        return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def default_state_path(record_path: Path) -> Path:
    """``<record>.annotations.json`` beside the record (``S02.json`` → ``S02.annotations.json``)."""
    return record_path.with_name(f"{record_path.stem if record_path.suffix == '.json' else record_path.name}.annotations.json")


def _time_text(value: dt.datetime | None) -> str | None:
    return None if value is None else value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def utc_now() -> dt.datetime:
    """Now, in UTC, to the second (the state's and the audit log's clock)."""
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


class _Bad(ValueError):
    """One problem in the file: where (a JSON path such as ``entries[2].line``) and what."""

    def __init__(self, where: str, reason: str) -> None:
        super().__init__(f"{where}: {reason}" if where else reason)


def _type_name(value: object) -> str:
    names = {dict: "an object", list: "an array", str: "text", bool: "true/false", int: "a number", float: "a number"}
    return "null" if value is None else names.get(type(value), type(value).__name__)


def _object(value: object, where: str, keys: tuple[str, ...]) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise _Bad(where, f"must be an object, got {_type_name(value)}")
    for key in value:
        if key not in keys:
            raise _Bad(where, f"unknown key '{key}' (known: {', '.join(keys)})")
    for key in keys:
        if key not in value:
            raise _Bad(where, f"'{key}' is missing")
    return value


def _text(value: object, where: str, *, empty: bool = False) -> str:
    if not isinstance(value, str) or (not empty and not value.strip()):
        raise _Bad(where, f"must be {'text' if empty else 'non-empty text'}, got {_type_name(value)}")
    return value


def _int(value: object, where: str, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise _Bad(where, f"must be a whole number from {low} to {high}, got {value!r}")
    return value


def _float(value: object, where: str, low: float, high: float) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not low < value <= high:
        raise _Bad(where, f"must be a number above {low:g} and at most {high:g}, got {value!r}")
    return float(value)


def _time(value: object, where: str) -> dt.datetime | None:
    if value is None:
        return None
    if not isinstance(value, str) or not value.endswith("Z"):
        raise _Bad(where, f"must be null or a UTC time such as 2026-12-04T10:20:00Z, got {value!r}")
    try:
        return dt.datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.UTC)
    except ValueError:
        raise _Bad(where, f"must be null or a UTC time such as 2026-12-04T10:20:00Z, got {value!r}") from None


def _entry(value: object, where: str, lines: int, version: int) -> Entry:
    raw = _object(value, where, _ENTRY_KEYS if version >= 2 else _ENTRY_KEYS_V1)
    if version < 2:  # migration: version 1 counted an entry as printed once its job was written
        raw = {**raw, "status": "printed", "job": None, "created": None, "changed": None}
    status = raw["status"]
    if status not in STATUSES:
        raise _Bad(f"{where}.status", f"must be one of {', '.join(STATUSES)}, got {status!r}")
    job = raw["job"]
    if job is not None:
        _text(job, f"{where}.job")
    try:
        day = dates.parse_iso_date(raw["date"])
    except ValueError as exc:
        raise _Bad(f"{where}.date", str(exc)) from None
    half = raw["half"]
    if half not in (None, "upper", "lower"):
        raise _Bad(f"{where}.half", f'must be null, "upper" or "lower", got {half!r}')
    source = raw["source"]
    if source not in ("record", "annotate"):
        raise _Bad(f"{where}.source", f'must be "record" or "annotate", got {source!r}')
    line = _int(raw["line"], f"{where}.line", 1, lines)
    span = _int(raw["span"], f"{where}.span", 1, lines - line + 1)
    if half is not None and span != 1:
        raise _Bad(f"{where}.span", "a compact (half-line) entry takes exactly one line")
    return Entry(
        date=day,
        kind=_text(raw["kind"], f"{where}.kind", empty=True),
        text=_text(raw["text"], f"{where}.text"),
        printed=_text(raw["printed"], f"{where}.printed"),
        line=line,
        span=span,
        half=cast(Half, half),
        size_pt=_float(raw["size_pt"], f"{where}.size_pt", 0.0, 72.0),
        hscale=_float(raw["hscale"], f"{where}.hscale", 0.0, 1.0),
        source=cast(Source, source),
        status=cast(Status, status),
        job=job,
        created=_time(raw["created"], f"{where}.created"),
        changed=_time(raw["changed"], f"{where}.changed"),
    )


def _check_order(entries: list[Entry], released: list[Entry]) -> None:
    """Entries fill the area from the top, in order, without overlaps; a lower half follows its upper.

    A gap is allowed only where a released entry was (a print that never happened above a later one).
    """
    freed = {n for e in released for n in e.lines_taken}
    expected = 1
    for i, e in enumerate(entries):
        where = f"entries[{i}]"
        if e.half == "lower":
            before = entries[i - 1] if i else None
            if before is None or before.half != "upper" or before.line != e.line:
                raise _Bad(f"{where}.half", f"a lower half-line must follow the upper half of line {e.line}")
            continue
        if e.line != expected and not (e.line > expected and freed.issuperset(range(expected, e.line))):
            raise _Bad(f"{where}.line", f"expected line {expected} (entries fill the area in order), got {e.line}")
        expected = e.last_line + 1


def parse_state(data: bytes, source: str) -> CardState:
    """A checked ``CardState`` from a file's bytes; ``DataError`` naming ``source`` and the place otherwise."""

    def bad(reason: str) -> DataError:
        return DataError(f"annotation state {source}: {reason}")

    if not data.strip():
        raise bad("the file is empty (cut short?); restore it from a backup; printing without it could overprint an entry")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise bad(f"not UTF-8 text (bad byte at offset {exc.start})") from None
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as exc:
        ends_early = exc.pos >= len(text.rstrip()) or exc.msg.startswith("Unterminated string")
        cut = " (the file ends too early: cut short?)" if ends_early else ""
        raise bad(f"not valid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}{cut}") from None
    try:
        if not isinstance(raw, dict):
            raise _Bad("", f"must be an object, got {_type_name(raw)}")
        if raw.get("format") != FORMAT:
            raise _Bad("format", f"expected {FORMAT!r}, got {raw.get('format')!r}")
        version = raw.get("version")
        if isinstance(version, bool) or version not in READABLE_VERSIONS:
            shown = ", ".join(map(str, READABLE_VERSIONS))
            raise _Bad("version", f"this faceprint reads versions {shown}, got {version!r}")
        top = _object(raw, "", _TOP_KEYS_V1 if version == 1 else _TOP_KEYS)
        area = _object(top["area"], "area", _AREA_KEYS)
        if area["face"] not in ("front", "back"):
            raise _Bad("area.face", f'must be "front" or "back", got {area["face"]!r}')
        lines = _int(area["lines"], "area.lines", 1, 100)
        if not isinstance(top["entries"], list):
            raise _Bad("entries", f"must be an array, got {_type_name(top['entries'])}")
        entries = [_entry(item, f"entries[{i}]", lines, version) for i, item in enumerate(top["entries"])]
        released_raw = top.get("released", [])
        if not isinstance(released_raw, list):
            raise _Bad("released", f"must be an array, got {_type_name(released_raw)}")
        released = [_entry(item, f"released[{i}]", lines, version) for i, item in enumerate(released_raw)]
        _check_order(entries, released)
        return CardState(
            record_id=_text(top["record"], "record"),
            layout=_text(top["layout"], "layout"),
            element=_text(area["element"], "area.element"),
            face=area["face"],
            lines=lines,
            entries=tuple(entries),
            released=tuple(released),
        )
    except _Bad as exc:
        raise bad(str(exc)) from None


def read_state(path: Path) -> CardState | None:
    """The state in ``path``, or None when there is no such file yet (the caller seeds it from the record)."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise DataError(f"annotation state {path}: cannot read: {exc.strerror or exc}") from None
    return parse_state(data, str(path))


def check_state(state: CardState, *, record_id: str, layout: str, element: str, face: str, lines: int, source: str) -> None:
    """The state must be this card's: the same record and the same annotation area."""
    if state.record_id != record_id:
        raise UsageError(f"annotation state {source} belongs to record '{state.record_id}', not '{record_id}'")
    if (state.layout, state.element, state.face, state.lines) != (layout, element, face, lines):
        raise UsageError(
            f"annotation state {source} was written for layout '{state.layout}' (area '{state.element}' on the "
            f"{state.face}, {state.lines} lines), but layout '{layout}' has area '{element}' on the {face} with {lines} lines"
        )


def write_state(path: Path, state: CardState) -> None:
    write_atomic(path, state.to_bytes())

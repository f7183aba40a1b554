"""Streaming record input: JSON Lines or CSV, one record at a time, never the whole file.

The encoding is UTF-8 (with or without a BOM) or Shift_JIS/CP932, which municipal systems still
export: detected from the first 64 KiB unless given. A line that cannot be read becomes an error
for that line only; the next line is read as usual.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import DataError, UsageError
from ..records import unflatten
from ..records_limits import MAX_RECORD_BYTES, LimitError, limit, loads, regular_file_problem
from ..rules.mynumber import spells_a_number

SNIFF_BYTES = 65536
MAX_LABEL_CHARS = 64  # as long as a valid id (records._ID_PATTERN); a longer one is named by its line


@dataclass(frozen=True)
class RawRecord:
    """One input record before validation: where it came from, and its fields or why it failed."""

    line: int
    data: dict[str, Any] | None
    error: DataError | None = None

    @property
    def label(self) -> str:
        return record_label(self.data or {}, self.line)


def record_label(data: dict[str, Any], line: int) -> str:
    """How messages name a record: its id, or its line when the id is missing or could leak a number."""
    rid = data.get("id")
    text = str(rid) if isinstance(rid, (str, int)) and not isinstance(rid, bool) else ""
    if not text or len(text) > MAX_LABEL_CHARS or not text.isprintable() or spells_a_number(text):
        return f"line {line}"
    return text


def check_records_file(path: Path) -> None:
    """``UsageError`` unless ``path`` is a regular file: a named pipe or a device would block or never end."""
    problem = regular_file_problem(path)
    if problem == "file not found":
        raise UsageError(f"records file not found: {path}")
    if problem is not None:
        raise UsageError(f"records file {path}: {problem}")


def detect_encoding(path: Path) -> str:
    with path.open("rb") as fh:
        head = fh.read(SNIFF_BYTES)
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
    except UnicodeDecodeError:
        try:
            codecs.getincrementaldecoder("cp932")().decode(head, final=False)
        except UnicodeDecodeError:
            raise UsageError(f"{path}: neither UTF-8 nor Shift_JIS/CP932; name the encoding with --encoding") from None
        return "cp932"
    return "utf-8"


def input_format(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix in (".jsonl", ".ndjson", ".json"):
        return "jsonl"
    if suffix in (".csv", ".tsv"):
        return "csv"
    raise UsageError(f"{path}: unknown record format {suffix!r}; use .jsonl or .csv")


def read_records(path: Path, encoding: str | None = None) -> Iterator[RawRecord]:
    """Records in file order; bad lines come through as ``RawRecord`` errors, not exceptions."""
    check_records_file(path)
    enc = encoding or detect_encoding(path)
    try:
        codecs.lookup(enc)
    except LookupError:
        raise UsageError(f"unknown encoding {enc!r}") from None
    kind = input_format(path)
    with path.open("rb") as raw:
        text = io.TextIOWrapper(raw, encoding=enc, errors="strict", newline="")
        if kind == "jsonl":
            yield from _jsonl(text)
        else:
            yield from _csv(text, delimiter="\t" if path.suffix.lower() == ".tsv" else ",")


def _jsonl(text: io.TextIOWrapper) -> Iterator[RawRecord]:
    line_no = 0
    while True:
        try:
            line = text.readline(MAX_RECORD_BYTES + 1)
        except UnicodeDecodeError as exc:
            line_no += 1
            yield RawRecord(line_no, None, DataError(f"not valid text in this encoding ({exc.reason})", field="(line)"))
            continue
        if not line:
            return
        line_no += 1
        if len(line) > MAX_RECORD_BYTES and not line.endswith("\n"):
            _skip_rest_of_line(text)
            reason = f"longer than a record can be {limit('MAX_RECORD_BYTES', MAX_RECORD_BYTES)}"
            yield RawRecord(line_no, None, DataError(reason, field="(line)"))
            continue
        if not line.strip():
            continue
        try:
            data = loads(line)
        except json.JSONDecodeError as exc:
            yield RawRecord(line_no, None, DataError(f"not JSON: {exc.msg} at column {exc.colno}", field="(line)"))
            continue
        except LimitError as exc:
            yield RawRecord(line_no, None, DataError(str(exc), field=exc.field or "(line)"))
            continue
        if not isinstance(data, dict):
            yield RawRecord(line_no, None, DataError("a record must be a JSON object", field="(line)"))
            continue
        yield RawRecord(line_no, data)


def _skip_rest_of_line(text: io.TextIOWrapper) -> None:
    """Read past the end of an over-long line a chunk at a time, never holding it whole."""
    while True:
        try:
            chunk = text.readline(MAX_RECORD_BYTES)
        except UnicodeDecodeError:
            continue
        if not chunk or chunk.endswith("\n"):
            return


def _csv(text: io.TextIOWrapper, delimiter: str) -> Iterator[RawRecord]:
    """Rows as records; a row the CSV parser refuses (a cell over its field limit) fails alone."""
    reader = csv.DictReader(text, delimiter=delimiter)
    try:
        _ = reader.fieldnames  # the header: a problem here is the whole file's, not one record's
    except UnicodeDecodeError as exc:
        raise UsageError(f"CSV is not valid text in its encoding ({exc.reason}); name it with --encoding") from None
    except csv.Error as exc:
        raise UsageError(f"CSV syntax in the header: {exc}") from None
    while True:
        before = reader.reader.line_num  # DictReader's own line_num moves only on rows it returns
        try:
            row = next(reader)
        except StopIteration:
            return
        except UnicodeDecodeError as exc:
            raise UsageError(f"CSV is not valid text in its encoding ({exc.reason}); name it with --encoding") from None
        except csv.Error as exc:
            if reader.reader.line_num == before:  # the parser cannot move on: the rest of the file is unreadable
                raise UsageError(f"CSV syntax after line {before}: {exc}") from None
            yield RawRecord(reader.reader.line_num, None, DataError(f"CSV syntax: {exc}", field="(line)"))
            continue
        line_no = reader.line_num
        if None in row:
            yield RawRecord(line_no, None, DataError("more cells than columns", field="(line)"))
            continue
        try:
            yield RawRecord(line_no, unflatten(row))
        except DataError as exc:
            yield RawRecord(line_no, None, exc)

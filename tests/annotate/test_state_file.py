"""The card state file: round trip, and a clear refusal (nothing written) when it is cut short, malformed,
impossible, or belongs to another card."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from faceprint.annotate.state import CardState, Entry, default_state_path, parse_state
from faceprint.errors import DataError

from .conftest import annotate, annotate_argv, run

ENTRY = Entry(
    dt.date(2025, 6, 20), "新住所", "見本市見本町１", "2025.06.20　新住所　見本市見本町１", 1, 1, None, 6.5, 0.87, "annotate"
)


def _state(*entries: Entry) -> CardState:
    return CardState("S01", "next-gen", "annotations", "front", 3, entries)


def _raw(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(_state(ENTRY).to_bytes())
    for key, value in changes.items():
        if key.startswith("entry_"):
            data["entries"][0][key.removeprefix("entry_")] = value
        else:
            data[key] = value
    return data


def test_a_state_round_trips() -> None:
    lower = Entry(dt.date(2025, 7, 1), "", "転入", "2025.07.01　転入", 2, 1, "lower", 3.25, 1.0, "annotate")
    upper = Entry(dt.date(2025, 6, 30), "", "転出", "2025.06.30　転出", 2, 1, "upper", 3.25, 1.0, "record")
    state = _state(ENTRY, upper, lower)
    assert parse_state(state.to_bytes(), "s.json") == state
    assert (state.used_lines, state.free_lines, state.open_half) == (2, 1, None)


def test_the_state_file_sits_beside_the_record_by_default() -> None:
    assert default_state_path(Path("/office/cards/S02.json")) == Path("/office/cards/S02.annotations.json")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "the file is empty (cut short?)"),
        (b"   \n", "the file is empty (cut short?)"),
        (b"\xff\xfe{", "not UTF-8"),
        (b"[1, 2]", "must be an object, got an array"),
        (json.dumps(_raw(format="other")).encode(), "format: expected 'faceprint-annotations'"),
        (json.dumps(_raw(version=3)).encode(), "version: this faceprint reads versions 1, 2, got 3"),
        (json.dumps(_raw(extra=1)).encode(), "unknown key 'extra'"),
        (json.dumps(_raw(entry_line=4)).encode(), "entries[0].line: must be a whole number from 1 to 3, got 4"),
        (json.dumps(_raw(entry_line="1")).encode(), "entries[0].line: must be a whole number from 1 to 3, got '1'"),
        (json.dumps(_raw(entry_span=4)).encode(), "entries[0].span: must be a whole number from 1 to 3, got 4"),
        (json.dumps(_raw(entry_line=2)).encode(), "entries[0].line: expected line 1"),
        (json.dumps(_raw(entry_date="2025-02-30")).encode(), "entries[0].date: no such calendar day"),
        (json.dumps(_raw(entry_half="left")).encode(), "entries[0].half: must be null"),
        (json.dumps(_raw(entry_half="lower")).encode(), "a lower half-line must follow the upper half of line 1"),
        (json.dumps(_raw(entry_hscale=1.5)).encode(), "entries[0].hscale: must be a number above 0 and at most 1"),
        (json.dumps(_raw(entry_text="")).encode(), "entries[0].text: must be non-empty text"),
        (json.dumps(_raw(entries={})).encode(), "entries: must be an array, got an object"),
    ],
)
def test_a_malformed_state_is_a_data_error_naming_file_and_place(data: bytes, message: str) -> None:
    with pytest.raises(DataError) as info:
        parse_state(data, "cards/S01.annotations.json")
    assert "annotation state cards/S01.annotations.json" in str(info.value)
    assert message in str(info.value)


def test_overlapping_entries_are_refused() -> None:
    second = Entry(dt.date(2025, 7, 1), "", "転入", "2025.07.01　転入", 1, 1, None, 6.5, 1.0, "annotate")
    with pytest.raises(DataError, match=r"entries\[1\]\.line: expected line 2 .*got 1"):
        parse_state(_state(ENTRY, second).to_bytes(), "s.json")


def _two_entries(record: Path, out: Path) -> Path:
    for i in range(2):
        annotate(record, out, f"見本町{i}")
    return record.with_name(f"{record.stem}.annotations.json")


def test_a_state_file_cut_short_stops_the_run_and_writes_nothing(
    record: Callable[..., Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rec = record()
    state = _two_entries(rec, tmp_path / "out")
    cut = state.read_bytes()[: len(state.read_bytes()) // 2]
    state.write_bytes(cut)
    result = run(annotate_argv("next-gen", rec, tmp_path / "out2", "見本町", "--date", "2025-06-21"), capsys)
    assert result.code == 1
    assert f"record 'S01': annotation state {state}: not valid JSON" in result.err and "cut short" in result.err
    assert state.read_bytes() == cut and not (tmp_path / "out2").exists()


def test_a_hand_edited_impossible_state_stops_the_run(
    record: Callable[..., Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rec = record()
    state = _two_entries(rec, tmp_path / "out")
    data = json.loads(state.read_text(encoding="utf-8"))
    data["entries"][1]["line"] = 1  # says the second entry overprints the first
    state.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    result = run(annotate_argv("next-gen", rec, tmp_path / "out2", "見本町", "--date", "2025-06-21"), capsys)
    assert result.code == 1 and "entries[1].line: expected line 2" in result.err
    assert not (tmp_path / "out2").exists()


def test_a_state_of_another_card_or_layout_is_a_usage_error(
    record: Callable[..., Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rec = record()
    state = _two_entries(rec, tmp_path / "out")
    other = record("04-former-surname")
    result = run(annotate_argv("next-gen", other, tmp_path / "out2", "見本町", "--state", state), capsys)
    assert result.code == 2 and "belongs to record 'S01', not 'S04'" in result.err
    result = run(annotate_argv("next-gen-2024", rec, tmp_path / "out2", "見本町"), capsys)
    assert result.code == 2 and "was written for layout 'next-gen'" in result.err
    assert not (tmp_path / "out2").exists()

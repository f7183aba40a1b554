"""The record tells one story: printed fields at issue, annotations later (property-based)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from faceprint.record_checks import validate_record
from faceprint.records import RecordError

PHOTO = Path(__file__).resolve().parents[1] / "samples" / "portraits" / "p01.jpg"
BIRTH = dt.date(1980, 5, 17)
VALID = dt.date(2034, 5, 17)


def _raw(issued_on: dt.date | None, entries: list[dt.date]) -> dict[str, Any]:
    raw: dict[str, Any] = {
        "id": "P1",
        "name": {"kanji": "山田 花子", "kana": "やまだ はなこ"},
        "birth_date": BIRTH.isoformat(),
        "sex": "F",
        "address": "東京都千代田区見本町一丁目１番１号",
        "photo": str(PHOTO),
        "my_number": "123456789018",
        "valid_until": VALID.isoformat(),
        "collation_number": "123456",
        "annotations": [{"date": day.isoformat(), "text": f"新住所　見本町{i}"} for i, day in enumerate(entries)],
    }
    if issued_on is not None:
        raw["issued_on"] = issued_on.isoformat()
    return raw


_days = st.dates(min_value=dt.date(1975, 1, 1), max_value=dt.date(2040, 12, 31))


@given(st.one_of(st.none(), _days), st.lists(_days, max_size=4))
def test_accepted_exactly_when_the_dates_tell_one_story(issued_on: dt.date | None, entries: list[dt.date]) -> None:
    consistent = (issued_on is None and not entries) or (
        issued_on is not None
        and BIRTH <= issued_on < VALID
        and all(day >= issued_on for day in entries)
        and entries == sorted(entries)
    )
    try:
        record = validate_record(_raw(issued_on, entries))
    except RecordError as exc:
        assert not consistent, str(exc)
        fields = {name for name, _ in exc.problems}
        assert fields <= {"issued_on", "valid_until"} | {f"annotations.{i}.date" for i in range(len(entries))}
        return
    assert consistent
    assert record.issued_on == issued_on
    assert [entry.date for entry in record.annotations] == entries

"""Person records: loading, CSV unflattening, complete validation and the template context."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import date
from pathlib import Path
from typing import Any

import jinja2
import pytest

from faceprint.errors import DataError
from faceprint.record_checks import validate_record
from faceprint.records import (
    Record,
    RecordError,
    load_record,
    load_record_file,
    unflatten,
)
from faceprint.rules.filters import TEMPLATE_FILTERS

NUMBER = "123456789018"  # valid: card-standards §8 worked example


def _raw(**changes: Any) -> dict[str, Any]:
    raw: dict[str, Any] = {
        "id": "A-001",
        "name": {"kanji": "山田 花子", "kana": "ヤマダ ハナコ"},
        "birth_date": "1989-01-07",
        "sex": "F",
        "address": "東京都千代田区霞が関1-1-1",
        "photo": "photos/a001.jpg",
        "my_number": NUMBER,
        "valid_until": "2035-01-07",
        "collation_number": "012345",
    }
    for key, value in changes.items():
        if value is None:
            raw.pop(key, None)
        else:
            raw[key] = value
    return raw


@pytest.fixture
def base(tmp_path: Path) -> Path:
    (tmp_path / "photos").mkdir()
    (tmp_path / "photos" / "a001.jpg").write_bytes(b"\xff\xd8\xff")
    return tmp_path


def test_valid_record(base: Path) -> None:
    record = validate_record(
        _raw(
            alias={"kanji": "王 小明", "kana": "ワン シャオミン"},
            former_surname="佐藤",
            issuer="千代田区長",
            issued_on="2025-03-03",
            annotations=[{"date": "2025-04-01", "text": "転入"}],
        ),
        base_dir=base,
    )
    assert isinstance(record, Record)
    assert record.name_romaji == ""  # no explicit spelling: no romaji, never one guessed from the kana
    assert record.card_romaji(derive=True) == "YAMADA HANAKO"
    assert record.photo == (base / "photos" / "a001.jpg").resolve()
    assert record.issuer == "千代田区長"
    assert record.issued_on == date(2025, 3, 3)
    assert NUMBER not in repr(record)
    assert "012345" not in repr(record)

    context = record.template_context()
    assert context["birth_date"] == date(1989, 1, 7)
    assert context["valid_until"] == date(2035, 1, 7)
    assert context["name"] == {"kanji": "山田 花子", "kana": "ヤマダ ハナコ", "romaji": None}
    assert context["name_romaji"] == ""
    assert record.template_context(derive_romaji=True)["name_romaji"] == "YAMADA HANAKO"
    assert context["issuer"] == "千代田区長"
    assert context["issued_on"] == date(2025, 3, 3)
    assert context["alias"] == {"kanji": "王 小明", "kana": "ワン シャオミン"}
    assert context["my_number"] == NUMBER
    assert context["photo"] == str((base / "photos" / "a001.jpg").resolve())
    assert context["annotations"] == [{"date": date(2025, 4, 1), "text": "転入"}]
    assert "organ_donation" not in context
    assert context["sex_kanji"] == "女"


def test_optional_fields_default(base: Path) -> None:
    context = validate_record(_raw(), base_dir=base).template_context()
    assert context["alias"] is None
    assert context["former_surname"] is None
    assert context["annotations"] == []
    assert "issuer" not in context  # absent, so a layout printing it fails naming the field (not "None")
    assert context["issued_on"] is None
    assert "organ_donation" not in context


def test_explicit_romaji_wins(base: Path) -> None:
    record = validate_record(_raw(name={"kanji": "井上 太郎", "kana": "いのうえ たろう", "romaji": "inoue taroh"}), base_dir=base)
    assert record.name_romaji == "INOUE TAROH"
    assert record.template_context()["name"]["romaji"] == "INOUE TAROH"


def test_context_renders_with_filters(base: Path) -> None:
    env = jinja2.Environment(undefined=jinja2.StrictUndefined, autoescape=False)
    env.filters.update(TEMPLATE_FILTERS)
    template = env.from_string(
        "{{ name | passport_romaji }}|{{ name | passport_romaji(long_vowel='oh') }}|"
        "{{ birth_date | western_date }}|{{ birth_date | western_date('DD MON YYYY') }}|"
        "{{ birth_date | era_date }}|{{ birth_date | era_date('ENN.MM.DD') }}|"
        "{{ my_number | mynumber_groups }}|{{ my_number | mynumber_mask }}|"
        "{{ collation_number | collation(' ') }}|{{ 'やまだ' | passport_romaji }}"
    )
    context = validate_record(_raw(), base_dir=base).template_context()
    assert template.render(context).split("|") == [
        "YAMADA HANAKO",
        "YAMADA HANAKO",
        "1989年1月7日",
        "07 JAN 1989",
        "昭和64年1月7日",
        "S64.01.07",
        "1234 5678 9018",
        "**** **** 9018",
        "012 345",
        "YAMADA",
    ]
    with pytest.raises(ValueError, match="explicitly"):  # the filter derives, but never a guess
        env.from_string("{{ 'オオノ' | passport_romaji }}").render(context)
    with pytest.raises(ValueError, match="check digit") as info:
        env.from_string("{{ n | mynumber_groups }}").render(n="123456789017")
    assert "123456789017" not in str(info.value)
    with pytest.raises(ValueError, match="missing"):
        env.from_string("{{ n | western_date }}").render(n=None)


def _errors(raw: dict[str, Any], base: Path) -> RecordError:
    with pytest.raises(RecordError) as info:
        validate_record(raw, base_dir=base)
    return info.value


@pytest.mark.parametrize(
    ("changes", "field", "reason"),
    [
        ({"name": None}, "name", "missing"),
        ({"name": {"kanji": "大野"}}, "name.kana", "missing"),
        ({"name": {"kanji": "大野", "kana": "Ono"}}, "name.kana", "not kana"),
        ({"name": {"kanji": "大野", "kana": "おおの", "romaji": "ŌNO"}}, "name.romaji", "U\\+014C"),
        ({"name": {"kanji": "大野", "kana": "おおの", "nick": "x"}}, "name.nick", "unknown field"),
        ({"alias": {"kana": "ワン"}}, "alias.kanji", "missing"),
        ({"birth_date": "1989/01/07"}, "birth_date", "not an ISO date"),
        ({"birth_date": "1989-02-30"}, "birth_date", "no such calendar day"),
        ({"sex": "X"}, "sex", "M or F"),
        ({"address": "  "}, "address", "missing"),
        ({"photo": "photos/missing.jpg"}, "photo", "file not found"),
        ({"my_number": "12345678901"}, "my_number", "must be 12 digits, got 11"),
        ({"valid_until": "1980-01-01"}, "valid_until", "after birth_date"),
        ({"collation_number": "12345"}, "collation_number", "6 digits"),
        ({"collation_number": None}, "collation_number", "missing"),
        ({"issued_on": "2024-04-01", "annotations": [{"date": "2024-04-01"}]}, "annotations.0.text", "missing"),
        ({"annotations": "転入"}, "annotations", "must be a list"),
        ({"organ_donation": {"choice": 3}}, "organ_donation", "printed blank"),
        ({"issuer": 7}, "issuer", "must be text"),
        ({"issued_on": "2025/04/01"}, "issued_on", "not an ISO date"),
        ({"birthday": "1989-01-07"}, "birthday", "unknown field"),
    ],
)
def test_each_bad_field_is_named(base: Path, changes: dict[str, Any], field: str, reason: str) -> None:
    error = _errors(_raw(**changes), base)
    assert isinstance(error, DataError)
    assert error.record_id == "A-001"
    assert [name for name, _ in error.problems] == [field]
    assert error.field == field
    assert str(error).startswith(f"record 'A-001': field '{field}': ")
    assert re.search(reason, str(error))


def test_all_problems_reported_together(base: Path) -> None:
    error = _errors(_raw(sex="?", my_number="123456789017", photo="nope.jpg", birth_date="yesterday"), base)
    fields = [name for name, _ in error.problems]
    assert fields == ["birth_date", "sex", "photo", "my_number"]
    message = str(error)
    assert message.startswith("record 'A-001': 4 problems: ")
    assert "check digit is wrong (**** **** 9017)" in message
    assert "123456789017" not in message
    assert "12345678" not in message


def test_number_never_leaks_from_any_field(base: Path) -> None:
    error = _errors(_raw(my_number="1234 5678 901", birth_date="123456789018", id="123456789018"), base)
    message = str(error)
    for leaked in ("123456789018", "12345678", "1234 5678 901"):
        assert leaked not in message
    assert "*** **** 8901" in message  # the 11-digit number, masked
    assert error.with_record("row 7").problems == error.problems
    assert error.record_id is None  # an id that spells a number is refused, never shown
    assert dict(error.problems)["id"].startswith("holds 12 digits that pass the individual number's check digit")
    assert str(error.with_record("row 7")).startswith("record 'row 7': 3 problems")


def test_missing_id_and_non_object(base: Path) -> None:
    error = _errors(_raw(id=None), base)
    assert error.record_id is None
    assert str(error) == "record: field 'id': missing"
    with pytest.raises(DataError, match="must be an object"):
        validate_record(["not", "a", "record"], base_dir=base)  # type: ignore[arg-type]


def test_numeric_id_and_json_number_for_my_number(base: Path) -> None:
    error = _errors(_raw(id=7, my_number=int(NUMBER)), base)
    assert error.record_id == "7"
    assert "must be a string, got int (**** **** 9018)" in str(error)


def test_load_record_file(base: Path) -> None:
    path = base / "a001.json"
    path.write_text(json.dumps(_raw(), ensure_ascii=False), encoding="utf-8")
    assert load_record_file(path)["id"] == "A-001"
    record = load_record(path)
    assert record.photo == (base / "photos" / "a001.jpg").resolve()


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b'{"id": "A-001",}', "invalid JSON at line 1, column 16"),
        (b'{"id": "A", "id": "B"}', "duplicate key 'id'"),
        (b"[1, 2]", "expected one JSON object .* got array"),
        (b'{"id": "\xff"}', "not UTF-8"),
    ],
)
def test_load_record_file_errors(base: Path, content: bytes, reason: str) -> None:
    path = base / "bad.json"
    path.write_bytes(content)
    with pytest.raises(DataError, match=reason) as info:
        load_record_file(path)
    assert str(path) in str(info.value)


def test_load_missing_file(base: Path) -> None:
    with pytest.raises(DataError, match="cannot read"):
        load_record_file(base / "absent.json")


def test_unflatten_csv_row(base: Path) -> None:
    sheet = (
        "id,name.kanji,name.kana,name.romaji,birth_date,sex,address,photo,my_number,valid_until,"
        "collation_number,annotations.0.date,annotations.0.text,annotations.1.date,annotations.1.text,"
        "annotations.2.date,annotations.2.text,issued_on\n"
        "A-001,大野 洋子,オオノ ヨウコ,,1989-01-07,F,東京都,photos/a001.jpg,1234 5678 9018,2035-01-07,"
        "012345,,,2024-04-01,転入,2025-01-01,転居,2024-02-01\n"
    )
    row = next(csv.DictReader(io.StringIO(sheet)))
    raw = unflatten(row)
    assert raw["name"] == {"kanji": "大野 洋子", "kana": "オオノ ヨウコ"}  # the sheet's own name
    assert raw["annotations"] == [
        {"date": "2024-04-01", "text": "転入"},
        {"date": "2025-01-01", "text": "転居"},
    ]
    assert raw["issued_on"] == "2024-02-01"
    record = validate_record(raw, base_dir=base)
    assert record.name.romaji is None
    assert [entry.text for entry in record.annotations] == ["転入", "転居"]
    assert record.my_number == NUMBER


@pytest.mark.parametrize(
    ("row", "field", "reason"),
    [
        ({"name": "大野", "name.kanji": "大野"}, "name.kanji", "conflicts"),
        ({"name.kanji": "大野", "name": "大野"}, "name", "conflicts"),
        ({"annotations.0.date": "2024-04-01", "annotations.x": "?"}, "annotations", "mix"),
        ({"name..kanji": "大野"}, "name..kanji", "empty segment"),
    ],
)
def test_unflatten_errors(row: dict[str, str], field: str, reason: str) -> None:
    with pytest.raises(DataError, match=reason) as info:
        unflatten(row)
    assert info.value.field == field


def test_unflatten_surplus_cells() -> None:
    row = next(csv.DictReader(io.StringIO("id\nA,extra\n")))
    with pytest.raises(DataError, match="more cells"):
        unflatten(row)

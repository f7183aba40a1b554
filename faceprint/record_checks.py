"""Checking a raw record (a JSON object or an unflattened CSV row) field by field into a ``Record``.

Every problem of a record is collected into one ``RecordError`` (a batch reports them all at once);
quoted values pass through ``mynumber.redact``. The model and the reading of record files are in
``records.py``; the limits on hostile input in ``records_limits.py``.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any, TypeVar

from faceprint import records_limits as limits
from faceprint.errors import DataError
from faceprint.records import (
    FIELDS,
    ORGAN_DONATION,
    Alias,
    Annotation,
    Name,
    Record,
    RecordError,
    Sex,
    json_type_name,
)
from faceprint.rules import collation, dates, mynumber, romaji

_SEXES: dict[str, Sex] = {"m": "M", "male": "M", "男": "M", "f": "F", "female": "F", "女": "F"}
_NAME_KEYS = ("kanji", "kana", "romaji")
_ALIAS_KEYS = ("kanji", "kana")
_ANNOTATION_KEYS = ("date", "text")

_T = TypeVar("_T")


class _Problems:
    """Collects (field, reason) pairs so one pass reports everything wrong with a record."""

    def __init__(self) -> None:
        self.items: list[tuple[str, str]] = []

    def add(self, name: str, reason: str) -> None:
        self.items.append((name, reason))

    def check(self, name: str, rule: Callable[[], _T]) -> _T | None:
        """Run a rule; its ``ValueError`` becomes a problem of ``name``."""
        try:
            return rule()
        except ValueError as exc:
            self.add(name, str(exc))
            return None


def _absent(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _text(value: Any, name: str, problems: _Problems, *, required: bool = True, is_path: bool = False) -> str | None:
    if _absent(value):
        if required:
            problems.add(name, "missing")
        return None
    if not isinstance(value, str):
        problems.add(name, f"must be text, got {json_type_name(value)}")
        return None
    text = value.strip()
    if not is_path and (too_long := limits.text_length_problem(text)) is not None:  # paths: file-system limits
        problems.add(name, too_long)
        return None
    for ch in text:
        if unicodedata.category(ch) == "Cc" and ch != "\n":
            problems.add(name, f"contains control character U+{ord(ch):04X}")
            return None
    return text


def _mapping(value: Any, name: str, keys: Sequence[str], problems: _Problems) -> Mapping[str, Any] | None:
    if not isinstance(value, Mapping):
        problems.add(name, f"must be an object with {', '.join(keys)}, got {json_type_name(value)}")
        return None
    for key in value:
        if key not in keys:
            problems.add(f"{name}.{key}", f"unknown field (known: {', '.join(keys)})")
    return value


def _kana(value: Any, name: str, problems: _Problems, *, required: bool = True) -> str | None:
    text = _text(value, name, problems, required=required)
    if text is None:
        return None
    for ch in unicodedata.normalize("NFKC", text):
        code = ord(ch)
        is_kana = 0x3041 <= code <= 0x3096 or 0x309D <= code <= 0x309E or 0x30A1 <= code <= 0x30FE
        if not (is_kana or ch.isspace()):
            problems.add(name, f"{ch!r} (U+{code:04X}) is not kana; furigana is printed as given")
            return None
    return text


def _date(value: Any, name: str, problems: _Problems, *, required: bool = True) -> dt.date | None:
    if _absent(value):
        if required:
            problems.add(name, "missing")
        return None
    day = problems.check(name, lambda: dates.parse_iso_date(value))
    if day is not None and (outside := limits.date_range_problem(day)) is not None:
        problems.add(name, outside)
        return None
    return day


def _name(value: Any, problems: _Problems) -> Name | None:
    if _absent(value):
        problems.add("name", "missing")
        return None
    raw = _mapping(value, "name", _NAME_KEYS, problems)
    if raw is None:
        return None
    kanji = _text(raw.get("kanji"), "name.kanji", problems)
    kana = _kana(raw.get("kana"), "name.kana", problems)
    explicit: str | None = None
    if not _absent(raw.get("romaji")):
        explicit = problems.check("name.romaji", lambda: romaji.validate_romaji(raw["romaji"]))
        if explicit is None:
            return None
    if kanji is None or kana is None:
        return None
    return Name(kanji, kana, explicit)


def _alias(value: Any, problems: _Problems) -> Alias | None:
    raw = _mapping(value, "alias", _ALIAS_KEYS, problems)
    if raw is None:
        return None
    kanji = _text(raw.get("kanji"), "alias.kanji", problems)
    kana = _kana(raw.get("kana"), "alias.kana", problems, required=False)
    return None if kanji is None else Alias(kanji, kana)


def _sex(value: Any, problems: _Problems) -> Sex | None:
    text = _text(value, "sex", problems)
    if text is None:
        return None
    sex = _SEXES.get(text.lower())
    if sex is None:
        problems.add("sex", "must be M or F (also male/female, 男/女)")
    return sex


def _photo(value: Any, base_dir: Path | None, problems: _Problems) -> Path | None:
    text = _text(value, "photo", problems, is_path=True)
    if text is None:
        return None
    if (too_long := limits.path_length_problem(text)) is not None:
        problems.add("photo", too_long)
        return None
    try:
        path = Path(text).expanduser()
        if not path.is_absolute():
            path = (base_dir if base_dir is not None else Path.cwd()) / path
        path = path.resolve()
    except (OSError, RuntimeError) as exc:  # e.g. a symlink loop, or ~user of no such user
        problems.add("photo", f"cannot resolve the path ({type(exc).__name__})")
        return None
    if (problem := limits.path_length_problem(str(path)) or limits.regular_file_problem(path)) is not None:
        problems.add("photo", f"{problem}: {path}")
        return None
    try:
        limits.photo_size(path)
    except limits.LimitError as exc:
        problems.add("photo", f"{exc}: {path}")
        return None
    return path


def _required(key: str, raw: Mapping[str, Any], problems: _Problems, rule: Callable[[Any], _T]) -> _T | None:
    value = raw.get(key)
    if _absent(value):
        problems.add(key, "missing")
        return None
    return problems.check(key, lambda: rule(value))


def _my_number(value: Any, problems: _Problems) -> str | None:
    if _absent(value):
        problems.add("my_number", "missing")
        return None
    try:
        return mynumber.validate(value)
    except ValueError as exc:
        shown = mynumber.mask(value)
        problems.add("my_number", f"{exc} ({shown})" if shown else str(exc))
        return None


def _annotations(value: Any, problems: _Problems) -> tuple[Annotation, ...]:
    if _absent(value):
        return ()
    if not isinstance(value, list):
        problems.add("annotations", f"must be a list of {{date, text}}, got {json_type_name(value)}")
        return ()
    entries: list[Annotation] = []
    for index, item in enumerate(value):
        name = f"annotations.{index}"
        raw = _mapping(item, name, _ANNOTATION_KEYS, problems)
        if raw is None:
            continue
        day = _date(raw.get("date"), f"{name}.date", problems)
        text = _text(raw.get("text"), f"{name}.text", problems)
        if day is not None and text is not None:
            entries.append(Annotation(day, text))
    return tuple(entries)


def _refuse_organ_donation(raw: Mapping[str, Any], problems: _Problems) -> None:
    """Organ data has no place in an issuance record: the box is printed blank for the holder's own hand."""
    if raw.get(ORGAN_DONATION) is not None:
        problems.add(
            ORGAN_DONATION,
            "issuance records do not carry organ-donation data: the box (臓器提供意思表示欄) is the holder's "
            "own hand-written declaration and is printed blank; remove the field",
        )


def _issue_time(
    issued_on: dt.date | None,
    birth_date: dt.date | None,
    valid_until: dt.date | None,
    annotations: Sequence[Annotation],
    problems: _Problems,
) -> None:
    """Printed fields are issue-time values, annotations later entries: the dates must tell that story."""
    if issued_on is None:
        if annotations:
            problems.add(
                "issued_on", "missing: annotations are entries made after issue, so the record must say when the card was issued"
            )
        return
    if birth_date is not None and issued_on < birth_date:
        problems.add("issued_on", "must not be before birth_date")
    if valid_until is not None and valid_until <= issued_on:
        problems.add("valid_until", "must be after issued_on")
    previous: dt.date | None = None
    for index, entry in enumerate(annotations):
        if entry.date < issued_on:
            problems.add(
                f"annotations.{index}.date",
                f"{entry.date.isoformat()} is before issued_on {issued_on.isoformat()}; an annotation is a later entry",
            )
        elif previous is not None and entry.date < previous:
            problems.add(f"annotations.{index}.date", "entries must be listed oldest first, as they are printed")
        previous = entry.date


# The id names the card's output files: letters, digits, '_', '.', '-' only, never a path.
_ID_PATTERN = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}")


def _record_id(value: Any, problems: _Problems) -> str | None:
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    text = _text(value, "id", problems)
    if text is not None and mynumber.spells_a_number(text):
        problems.add("id", "holds 12 digits that pass the individual number's check digit; an id names files and titles")
        return None
    if text is not None and not _ID_PATTERN.fullmatch(text):
        problems.add("id", "must be 1–64 letters, digits, underscores, dots or hyphens, not starting with a dot or hyphen")
        return None
    return text


def validate_record(raw: Mapping[str, Any], *, base_dir: Path | None = None) -> Record:
    """A ``Record`` from parsed JSON or an unflattened CSV row, or ``RecordError`` listing every problem.

    ``photo`` is resolved against ``base_dir`` (the record file's folder; the working directory if None)
    and must exist.
    """
    if not isinstance(raw, Mapping):
        raise DataError(f"a record must be an object, got {json_type_name(raw)}")
    problems = _Problems()
    for where in limits.lone_surrogates(raw):
        problems.add(where, "holds a lone surrogate (not valid Unicode text)")
    if problems.items:  # nothing else can be checked, or even printed, safely
        raise RecordError(problems.items)
    for key in raw:
        if key not in FIELDS and key != ORGAN_DONATION:
            problems.add(str(key), "unknown field")
    _refuse_organ_donation(raw, problems)
    record_id = _record_id(raw.get("id"), problems)
    name = _name(raw.get("name"), problems)
    alias = None if _absent(raw.get("alias")) else _alias(raw.get("alias"), problems)
    former_surname = _text(raw.get("former_surname"), "former_surname", problems, required=False)
    birth_date = _date(raw.get("birth_date"), "birth_date", problems)
    sex = _sex(raw.get("sex"), problems)
    address = _text(raw.get("address"), "address", problems)
    photo = _photo(raw.get("photo"), base_dir, problems)
    my_number = _my_number(raw.get("my_number"), problems)
    valid_until = _date(raw.get("valid_until"), "valid_until", problems)
    if birth_date is not None and valid_until is not None and valid_until <= birth_date:
        problems.add("valid_until", "must be after birth_date")
    collation_number = _required("collation_number", raw, problems, collation.validate)
    annotations = _annotations(raw.get("annotations"), problems)
    issuer = _text(raw.get("issuer"), "issuer", problems, required=False)
    issued_on = _date(raw.get("issued_on"), "issued_on", problems, required=False)
    _issue_time(issued_on, birth_date, valid_until, annotations, problems)

    if problems.items:
        shown_id = None if record_id is None else mynumber.redact(record_id)
        raise RecordError(problems.items, record_id=shown_id)
    assert record_id is not None and name is not None and birth_date is not None and sex is not None
    assert address is not None and photo is not None and my_number is not None
    assert valid_until is not None and collation_number is not None
    return Record(
        id=record_id,
        name=name,
        birth_date=birth_date,
        sex=sex,
        address=address,
        photo=photo,
        my_number=my_number,
        valid_until=valid_until,
        collation_number=collation_number,
        alias=alias,
        former_surname=former_surname,
        annotations=annotations,
        issuer=issuer,
        issued_on=issued_on,
    )



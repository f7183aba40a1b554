"""The person record: the data one card is personalised with, checked completely before layout.

A batch must report every bad value of a record at once and lose no other record (product brief, "What
bad input gets"), so ``validate_record`` collects all problems into one ``RecordError``. The individual
number is specified personal information: it appears in messages only masked, and every quoted value
passes through ``mynumber.redact`` in case a number was typed into the wrong field.

Sources: field list from the next-card decisions in the product brief (name with furigana and romaji,
通称, 旧氏, Western birth date, address, photo, validity, collation number, annotations, individual
number on the back); sex is kept because today's card layout still prints it, and ``issuer`` (the
issuing mayor, 「千代田区長」) because today's card prints it.

Issue time and later entries: every printed field holds its value at issue (``issued_on``); a later
change (a move, a renewed period of stay, a 旧氏 added) is an ``annotations`` entry dated on or after
issue, never an edit of the printed field. The organ-donation box is the holder's own hand-written
declaration (seed comment 64): it is printed blank, and a record carrying ``organ_donation`` is refused.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, TypeVar, cast

from faceprint import records_limits as limits
from faceprint.errors import DataError
from faceprint.rules import collation, dates, mynumber, romaji

Sex = Literal["M", "F"]

_SEXES: dict[str, Sex] = {"m": "M", "male": "M", "男": "M", "f": "F", "female": "F", "女": "F"}

FIELDS = (
    "id", "name", "alias", "former_surname", "birth_date", "sex", "address", "photo", "my_number",
    "issuer", "issued_on", "valid_until", "collation_number", "annotations",
)  # fmt: skip
# Refused, not unknown: the organ box is printed blank (module docstring), so say why.
ORGAN_DONATION = "organ_donation"
_NAME_KEYS = ("kanji", "kana", "romaji")
_ALIAS_KEYS = ("kanji", "kana")
_ANNOTATION_KEYS = ("date", "text")

_T = TypeVar("_T")


class RecordError(DataError):
    """Every problem of one record, as ``(field, reason)`` pairs; ``str()`` lists them all."""

    def __init__(self, problems: Sequence[tuple[str, str]], *, record_id: str | None = None) -> None:
        self.problems: tuple[tuple[str, str], ...] = tuple(
            (mynumber.redact(name), mynumber.redact(reason)) for name, reason in problems
        )
        if len(self.problems) == 1:
            only_field, reason = self.problems[0]
            super().__init__(reason, record_id=record_id, field=only_field or None)
        else:
            listed = "; ".join(f"field '{name}': {reason}" for name, reason in self.problems)
            super().__init__(f"{len(self.problems)} problems: {listed}", record_id=record_id)

    def with_record(self, record_id: str) -> RecordError:
        """The same problems, attributed to a record once the caller knows which one."""
        return RecordError(self.problems, record_id=record_id)


@dataclass(frozen=True, slots=True)
class Name:
    """氏名 with its furigana (printed from the start) and an optional explicit romaji spelling."""

    kanji: str
    kana: str
    romaji: str | None = None

    def as_dict(self) -> dict[str, str | None]:
        return {"kanji": self.kanji, "kana": self.kana, "romaji": self.romaji}


@dataclass(frozen=True, slots=True)
class Alias:
    """通称 of a foreign resident, printed whenever the resident record holds one."""

    kanji: str
    kana: str | None = None


@dataclass(frozen=True, slots=True)
class Annotation:
    """One dated entry of the annotation area (追記欄)."""

    date: dt.date
    text: str


@dataclass(frozen=True, slots=True)
class Record:
    """A validated person record; ``repr`` leaves out the individual and collation numbers.

    The printed fields are the issue-time values; ``annotations`` are the later entries, each dated on
    or after ``issued_on`` (checked by ``validate_record``).
    """

    id: str
    name: Name
    birth_date: dt.date
    sex: Sex
    address: str
    photo: Path
    my_number: str = field(repr=False)
    valid_until: dt.date
    collation_number: str = field(repr=False)
    alias: Alias | None = None
    former_surname: str | None = None
    annotations: tuple[Annotation, ...] = ()
    issuer: str | None = None
    issued_on: dt.date | None = None

    @property
    def name_romaji(self) -> str:
        """The romaji to print: the record's explicit (passport) spelling, or "" when it has none."""
        return self.name.romaji or ""

    def card_romaji(self, *, derive: bool = False) -> str:
        """``name_romaji``, or with ``derive`` (the proof/data-preparation opt-in) the kana's passport
        Hepburn; a reading whose spelling needs a morpheme boundary is a ``RecordError`` on ``name.romaji``.
        """
        try:
            return romaji.name_romaji(self.name.as_dict(), derive=derive)
        except ValueError as exc:
            raise RecordError([("name.romaji", f"needs an explicit spelling: {exc}")], record_id=self.id) from None

    def template_context(self, *, derive_romaji: bool = False) -> dict[str, Any]:
        """Plain values for jinja2 templates (dates stay ``datetime.date`` for the date filters).

        ``issuer`` is left out when the record has none, so a layout that prints it fails with a data
        error naming the field (strict undefined) instead of printing "None".
        """
        context: dict[str, Any] = {
            "id": self.id,
            "name": self.name.as_dict(),
            "name_romaji": self.card_romaji(derive=derive_romaji),
            "alias": None if self.alias is None else {"kanji": self.alias.kanji, "kana": self.alias.kana},
            "former_surname": self.former_surname,
            "birth_date": self.birth_date,
            "sex": self.sex,
            "sex_kanji": "男" if self.sex == "M" else "女",
            "address": self.address,
            "photo": str(self.photo),
            "my_number": self.my_number,
            "valid_until": self.valid_until,
            "collation_number": self.collation_number,
            "issued_on": self.issued_on,
            "annotations": [{"date": entry.date, "text": entry.text} for entry in self.annotations],
        }
        if self.issuer is not None:
            context["issuer"] = self.issuer
        return context


# Context names ``template_context`` leaves out when the record has no value: a layout naming one is
# not mistaken, the record lacks the field (a data error naming it).
OPTIONAL_CONTEXT_FIELDS = frozenset({"issuer"})


# --------------------------------------------------------------------------------------------- input


class _DuplicateKeyError(ValueError):
    pass


def _reject_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise _DuplicateKeyError(key)
        result[key] = value
    return result


def load_record_file(path: str | os.PathLike[str]) -> dict[str, Any]:
    """One record from a JSON file holding a single object; ``DataError`` naming the file otherwise.

    Duplicate keys are refused: JSON would silently keep the last one. The file must be a regular
    file within the size, nesting and number limits of ``records_limits``.
    """
    file = Path(path)
    try:
        text = limits.read_record_bytes(file).decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DataError(f"{file}: not UTF-8 text (bad byte at offset {exc.start})") from None
    try:
        data = limits.loads(text, object_pairs_hook=_reject_duplicates)
    except _DuplicateKeyError as exc:
        raise DataError(f"{file}: duplicate key {mynumber.redact(ascii(exc.args[0]))}") from None
    except json.JSONDecodeError as exc:
        raise DataError(f"{file}: invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}") from None
    except limits.LimitError as exc:
        raise DataError(f"{file}: {exc}", field=exc.field) from None
    if not isinstance(data, dict):
        raise DataError(f"{file}: expected one JSON object (a record), got {_json_type(data)}")
    return data


def load_record(path: str | os.PathLike[str]) -> Record:
    """``load_record_file`` then ``validate_record`` with the photo relative to the file's folder."""
    file = Path(path)
    return validate_record(load_record_file(file), base_dir=file.parent)


def unflatten(row: Mapping[str, str | None]) -> dict[str, Any]:
    """A nested record from a CSV row with dotted column names.

    ``name.kanji`` → ``{"name": {"kanji": ...}}``; numeric segments make lists (``annotations.0.date``),
    kept in index order with gaps closed so a sheet can have fixed columns with some left empty. Empty
    cells are absent.
    """
    tree: dict[str, Any] = {}
    for key, value in row.items():
        if not isinstance(key, str):  # csv.DictReader puts surplus cells under the key None
            raise DataError("the row has more cells than the header has columns")
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        parts = [part.strip() for part in key.strip().split(".")]
        if any(not part for part in parts):
            raise DataError("column name has an empty segment", field=key)
        node = tree
        for depth, part in enumerate(parts[:-1]):
            child = node.setdefault(part, {})
            if not isinstance(child, dict):
                raise DataError(f"column conflicts with column '{'.'.join(parts[: depth + 1])}'", field=key)
            node = child
        if parts[-1] in node:
            raise DataError("column conflicts with another column of the same path", field=key)
        node[parts[-1]] = value
    return cast(dict[str, Any], _lists_from_indices(tree, ""))


def _lists_from_indices(node: Any, path: str) -> Any:
    if not isinstance(node, dict):
        return node
    converted = {key: _lists_from_indices(value, f"{path}.{key}" if path else key) for key, value in node.items()}
    numeric = [key.isascii() and key.isdigit() for key in converted]
    if converted and all(numeric):
        return [converted[key] for key in sorted(converted, key=int)]
    if any(numeric):
        raise DataError("columns mix list indices and names", field=path or None)
    return converted


# ---------------------------------------------------------------------------------------- validation


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
        problems.add(name, f"must be text, got {_json_type(value)}")
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
        problems.add(name, f"must be an object with {', '.join(keys)}, got {_json_type(value)}")
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
        problems.add("annotations", f"must be a list of {{date, text}}, got {_json_type(value)}")
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
        raise DataError(f"a record must be an object, got {_json_type(raw)}")
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


def _json_type(value: Any) -> str:
    names = {dict: "object", list: "array", str: "string", bool: "boolean", int: "number", float: "number"}
    return "null" if value is None else names.get(type(value), type(value).__name__)

"""The person record: the data one card is personalised with, checked completely before layout.

A batch must report every bad value of a record at once and lose no other record (product brief, "What
bad input gets"), so ``validate_record`` collects all problems into one ``RecordError``. The individual
number is specified personal information: it appears in messages only masked, and every quoted value
passes through ``mynumber.redact`` in case a number was typed into the wrong field.

Sources: field list from the next-card decisions in the product brief (name with furigana and romaji,
通称, 旧氏, Western birth date, address, photo, validity, collation number, annotations, organ box on the
back, individual number on the back); sex is kept because today's card layout still prints it.
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
Organ = Literal["heart", "lungs", "liver", "kidneys", "pancreas", "small_intestine", "eyes"]
DonationChoice = Literal[1, 2, 3]

# The organs listed in the organ-donation box of today's card (臓器提供意思表示欄, card-standards §10a
# lists the box; the organ list follows the donor card under the Organ Transplant Act 臓器移植法, which
# card-standards.md does not reproduce — verify against the final next-card design).
ORGANS: dict[str, Organ] = {
    "heart": "heart", "心臓": "heart",
    "lungs": "lungs", "lung": "lungs", "肺": "lungs",
    "liver": "liver", "肝臓": "liver",
    "kidneys": "kidneys", "kidney": "kidneys", "腎臓": "kidneys",
    "pancreas": "pancreas", "膵臓": "pancreas",
    "small_intestine": "small_intestine", "小腸": "small_intestine",
    "eyes": "eyes", "eye": "eyes", "眼球": "eyes",
}  # fmt: skip
_SEXES: dict[str, Sex] = {"m": "M", "male": "M", "男": "M", "f": "F", "female": "F", "女": "F"}
_ORGAN_SPLIT = str.maketrans({",": " ", "、": " ", ";": " ", "・": " ", "，": " "})

FIELDS = (
    "id", "name", "alias", "former_surname", "birth_date", "sex", "address", "photo", "my_number",
    "valid_until", "collation_number", "annotations", "organ_donation",
)  # fmt: skip
_NAME_KEYS = ("kanji", "kana", "romaji")
_ALIAS_KEYS = ("kanji", "kana")
_ANNOTATION_KEYS = ("date", "text")
_DONATION_KEYS = ("choice", "excluded_organs", "note", "signature", "family_signature", "date")

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
class OrganDonation:
    """The organ-donation intention box (臓器提供意思表示欄), printed on the next card's back.

    ``choice`` 1 = after brain death or cardiac death, 2 = after cardiac death only, 3 = no donation,
    None = left blank; ``excluded_organs`` are the organs crossed out (only with 1 or 2); ``note`` is the
    特記欄; ``signed_on`` the 署名年月日. Signatures are normally hand-written and present for proofs only.
    """

    choice: DonationChoice | None = None
    excluded_organs: tuple[Organ, ...] = ()
    note: str | None = None
    signature: str | None = None
    family_signature: str | None = None
    signed_on: dt.date | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "choice": self.choice,
            "excluded_organs": list(self.excluded_organs),
            "note": self.note,
            "signature": self.signature,
            "family_signature": self.family_signature,
            "date": self.signed_on,
        }


@dataclass(frozen=True, slots=True)
class Record:
    """A validated person record; ``repr`` leaves out the individual and collation numbers."""

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
    organ_donation: OrganDonation | None = None

    @property
    def name_romaji(self) -> str:
        """The romaji to print: the explicit spelling, else passport Hepburn of the kana."""
        return romaji.name_romaji(self.name.as_dict())

    def template_context(self) -> dict[str, Any]:
        """Plain values for jinja2 templates (dates stay ``datetime.date`` for the date filters)."""
        return {
            "id": self.id,
            "name": self.name.as_dict(),
            "name_romaji": self.name_romaji,
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
            "annotations": [{"date": entry.date, "text": entry.text} for entry in self.annotations],
            "organ_donation": None if self.organ_donation is None else self.organ_donation.as_dict(),
        }


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
    elif kana is not None:
        try:
            romaji.passport_romaji(kana)
        except ValueError as exc:
            problems.add("name.kana", f"{exc}; or give name.romaji")
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


def _organs(value: Any, problems: _Problems) -> tuple[Organ, ...]:
    name = "organ_donation.excluded_organs"
    if _absent(value):
        return ()
    items: list[Any] = value.translate(_ORGAN_SPLIT).split() if isinstance(value, str) else value
    if not isinstance(items, list):
        problems.add(name, f"must be a list of organs, got {_json_type(value)}")
        return ()
    organs: list[Organ] = []
    for index, item in enumerate(items):
        organ = ORGANS.get(item.strip().lower()) if isinstance(item, str) else None
        if organ is None:
            known = ", ".join(sorted(set(ORGANS.values())))
            problems.add(f"{name}.{index}", f"unknown organ (known: {known}, or the kanji on the card)")
        elif organ not in organs:
            organs.append(organ)
    return tuple(organs)


def _organ_donation(value: Any, problems: _Problems) -> OrganDonation | None:
    raw = _mapping(value, "organ_donation", _DONATION_KEYS, problems)
    if raw is None:
        return None
    choice: DonationChoice | None = None
    raw_choice = raw.get("choice")
    if not _absent(raw_choice):
        text = str(raw_choice).strip() if isinstance(raw_choice, (int, str)) else ""
        if text not in ("1", "2", "3") or isinstance(raw_choice, bool):
            problems.add("organ_donation.choice", "must be 1, 2 or 3")
        else:
            choice = cast(DonationChoice, int(text))
    organs = _organs(raw.get("excluded_organs"), problems)
    if organs and choice not in (1, 2):
        problems.add("organ_donation.excluded_organs", "organs can be crossed out only with choice 1 or 2")
    return OrganDonation(
        choice=choice,
        excluded_organs=organs,
        note=_text(raw.get("note"), "organ_donation.note", problems, required=False),
        signature=_text(raw.get("signature"), "organ_donation.signature", problems, required=False),
        family_signature=_text(raw.get("family_signature"), "organ_donation.family_signature", problems, required=False),
        signed_on=_date(raw.get("date"), "organ_donation.date", problems, required=False),
    )


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
        if key not in FIELDS:
            problems.add(str(key), "unknown field")
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
    organ_donation = None if _absent(raw.get("organ_donation")) else _organ_donation(raw.get("organ_donation"), problems)

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
        organ_donation=organ_donation,
    )


def _json_type(value: Any) -> str:
    names = {dict: "object", list: "array", str: "string", bool: "boolean", int: "number", float: "number"}
    return "null" if value is None else names.get(type(value), type(value).__name__)

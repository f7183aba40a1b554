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
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, cast

from faceprint import records_limits as limits
from faceprint.errors import DataError
from faceprint.rules import mynumber, romaji

Sex = Literal["M", "F"]

FIELDS = (
    "id", "name", "alias", "former_surname", "birth_date", "sex", "address", "photo", "my_number",
    "issuer", "issued_on", "valid_until", "collation_number", "annotations",
)  # fmt: skip
# Refused, not unknown: the organ box is printed blank (module docstring), so say why.
ORGAN_DONATION = "organ_donation"


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
        raise DataError(f"{file}: expected one JSON object (a record), got {json_type_name(data)}")
    return data


def load_record(path: str | os.PathLike[str]) -> Record:
    """``load_record_file`` then ``validate_record`` with the photo relative to the file's folder."""
    from .record_checks import validate_record  # the checks build Records: imported when used

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


def json_type_name(value: Any) -> str:
    names = {dict: "object", list: "array", str: "string", bool: "boolean", int: "number", float: "number"}
    return "null" if value is None else names.get(type(value), type(value).__name__)

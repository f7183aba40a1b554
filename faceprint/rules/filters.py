"""The card-data rules as jinja2 filters, so layout templates format values the same way as the code.

Register with ``env.filters.update(TEMPLATE_FILTERS)``. Every filter raises ``ValueError`` with a reason
on bad input (never an unmasked individual number); the templating layer attaches record and element.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

from faceprint.rules import collation as _collation
from faceprint.rules import dates, mynumber, romaji


def passport_romaji_filter(value: Mapping[str, object] | str, long_vowel: romaji.LongVowel = "omit") -> str:
    """``{{ name | passport_romaji }}``: explicit romaji if the mapping has one, else derived from the kana.

    A layout that writes this filter opts in to derivation (proofs, data preparation), so it goes
    through ``romaji.derive_romaji``: a reading whose spelling depends on a morpheme boundary (イノウエ)
    is an error asking for the explicit spelling, never a silent guess.
    """
    if isinstance(value, str):
        return romaji.derive_romaji(value, long_vowel=long_vowel)
    if isinstance(value, Mapping):
        return romaji.name_romaji(value, derive=True, long_vowel=long_vowel)
    raise ValueError(f"passport_romaji needs a name mapping or a kana string, got {type(value).__name__}")


def western_date_filter(value: date | str | None, pattern: str = dates.WESTERN_JA) -> str:
    """``{{ birth_date | western_date('DD MON YYYY') }}``."""
    if value is None:
        raise _missing("western_date")
    return dates.western_date(value, pattern)


def era_date_filter(value: date | str | None, pattern: str = dates.ERA_KANJI, gannen: bool = True) -> str:
    """``{{ birth_date | era_date }}`` or ``era_date('ENN.MM.DD')``."""
    if value is None:
        raise _missing("era_date")
    return dates.era_date(value, pattern, gannen=gannen)


def mynumber_groups_filter(value: str | None) -> str:
    """``{{ my_number | mynumber_groups }}`` → "1234 5678 9018" (validated first)."""
    if value is None:
        raise _missing("mynumber_groups")
    return mynumber.groups(value)


def mynumber_mask_filter(value: object) -> str:
    """``{{ my_number | mynumber_mask }}`` → "**** **** 9018" (never fails, for previews and proofs)."""
    return mynumber.mask("" if value is None else value)


def collation_filter(value: str | None, sep: str = "") -> str:
    """``{{ collation_number | collation(' ') }}`` → "123 456"."""
    if value is None:
        raise _missing("collation")
    return _collation.format_collation(value, sep)


def latin_script_filter(value: object) -> bool:
    """``{% if name.kanji | latin_script %}``: a name written in Latin letters (a foreign resident's).

    Such a name is its own reading: layouts set it on up to two lines without furigana and show the
    katakana reading on the romaji line instead.
    """
    if not isinstance(value, str) or not value.strip():
        return False
    return all(ch.isascii() or unicodedata.name(ch, "").startswith("LATIN") for ch in value if not ch.isspace())


def _missing(name: str) -> ValueError:
    return ValueError(f"{name}: the value is missing")


TEMPLATE_FILTERS: dict[str, Callable[..., Any]] = {
    "passport_romaji": passport_romaji_filter,
    "western_date": western_date_filter,
    "era_date": era_date_filter,
    "mynumber_groups": mynumber_groups_filter,
    "mynumber_mask": mynumber_mask_filter,
    "collation": collation_filter,
    "latin_script": latin_script_filter,
}

"""Card dates in the Western calendar or a Japanese era, with a small pattern language.

The next card prints the birth date in the Western calendar and keeps the era form as a layout option
(product brief; card-standards §10b), and annotation dates may be either (comment 47). ``strftime`` is
not used: ``%-m`` does not exist on Windows and month names follow the locale, so patterns are
expanded here, identically on every platform.

Pattern tokens (longest match first; anything in ``[brackets]`` is literal, other non-letters are
literal as written, and any other ASCII letter is an error so that typos do not print silently):

======  ====================================================  ===============
token   meaning                                               1989-01-08
======  ====================================================  ===============
YYYY    Western year, 4 digits                                1989
YY      Western year, last 2 digits                           89
MM / M  month, 2 digits / no padding                          01 / 1
DD / D  day, 2 digits / no padding                            08 / 8
MON     English month abbreviation, capitals                  JAN
EE      era name in kanji                                     平成
E       era letter of JIS X 0301                              H
NN      era year, 2 digits (never 元)                          01
N       era year, 元 for year 1 unless ``gannen=False``         元
======  ====================================================  ===============
"""

from __future__ import annotations

import functools
import re
from datetime import date, datetime
from typing import NamedTuple

WESTERN_JA = "YYYY年M月D日"
WESTERN_DOTTED = "YYYY.MM.DD"
WESTERN_BILINGUAL = "DD MON YYYY"  # "01 APR 1990"
ERA_KANJI = "EEN年M月D日"  # "平成元年1月8日"
ERA_JIS_X_0301 = "ENN.MM.DD"  # "H01.01.08", JIS X 0301 letter form (card-standards §9)

# English month abbreviations in capitals, as in "01 APR 1990" on bilingual faces (brief's example;
# the form follows ICAO Doc 9303 visual-zone practice, which card-standards.md does not reproduce).
_MONTHS = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")

_TOKEN_RE = re.compile(r"\[[^\]]*\]|\[|YYYY|YY|MON|MM|M|DD|D|EE|E|NN|N|[A-Za-z]")
_ERA_TOKENS = frozenset({"EE", "E", "NN", "N"})
_ISO_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


class Era(NamedTuple):
    """An era: first Gregorian day this engine maps to it, first Gregorian year, kanji, JIS letter."""

    start: date
    first_year: int
    name: str
    letter: str


class EraDate(NamedTuple):
    """A date's era and era year (1 = 元年)."""

    era: Era
    year: int


# Era start dates, card-standards §9 (Taisho and Showa began on the day the emperor died, so that day
# is already the new era; Heisei and Reiwa began the next day). Meiji is counted from 1873-01-01, the
# day Japan adopted the Gregorian calendar (明治5年12月3日 = 明治6年1月1日, §9): before that a Gregorian
# date and its Japanese calendar date differ by weeks, so earlier dates are refused rather than guessed.
ERAS: tuple[Era, ...] = (
    Era(date(2019, 5, 1), 2019, "令和", "R"),
    Era(date(1989, 1, 8), 1989, "平成", "H"),
    Era(date(1926, 12, 25), 1926, "昭和", "S"),
    Era(date(1912, 7, 30), 1912, "大正", "T"),
    Era(date(1873, 1, 1), 1868, "明治", "M"),
)
FIRST_SUPPORTED = ERAS[-1].start


def parse_iso_date(value: date | str) -> date:
    """A ``datetime.date`` from an ISO 8601 calendar date ``YYYY-MM-DD`` (a ``date`` passes through).

    Only the extended calendar form is accepted: ``date.fromisoformat`` would also take ``19900401``
    and week dates, which are more likely mistakes than intent in a card record.
    """
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        raise ValueError(f"expected an ISO date string YYYY-MM-DD, got {type(value).__name__}")
    text = value.strip()
    if not _ISO_RE.fullmatch(text):
        raise ValueError(f"not an ISO date YYYY-MM-DD: {_preview(text)}")
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"no such calendar day: {text}") from None


def to_era(value: date | str) -> EraDate:
    """The Japanese era and era year of a date; ``ValueError`` before 1873-01-01."""
    day = parse_iso_date(value)
    for era in ERAS:
        if day >= era.start:
            return EraDate(era, day.year - era.first_year + 1)
    raise ValueError(
        f"{day.isoformat()} is before {FIRST_SUPPORTED.isoformat()}, when Japan adopted the Gregorian "
        "calendar; era dates are not supported that early"
    )


def western_date(value: date | str, pattern: str = WESTERN_JA) -> str:
    """A date in the Western calendar, e.g. ``1990年4月1日``, ``1990.04.01``, ``01 APR 1990``."""
    tokens = _compile(pattern)
    era_tokens = sorted({token for token in tokens if token in _ERA_TOKENS})
    if era_tokens:
        raise ValueError(f"era token(s) {', '.join(era_tokens)} in a Western date pattern; use era_date")
    return _render(parse_iso_date(value), tokens, None, gannen=True)


def era_date(value: date | str, pattern: str = ERA_KANJI, *, gannen: bool = True) -> str:
    """A date in its Japanese era, e.g. ``昭和64年1月7日``, ``平成元年1月8日`` or ``S64.01.07``.

    ``gannen`` writes the first year as 元 (card-standards §9: "元年, not 1年") for the ``N`` token.
    """
    day = parse_iso_date(value)
    tokens = _compile(pattern)
    return _render(day, tokens, to_era(day), gannen=gannen)


def is_era_pattern(pattern: str) -> bool:
    """Whether a pattern writes an era date (has EE, E, NN or N), so a setting can pick the filter."""
    return any(token in _ERA_TOKENS for token in _compile(pattern))


def _compile(pattern: str) -> tuple[str, ...]:
    if not isinstance(pattern, str):
        raise ValueError(f"date pattern must be a string, got {type(pattern).__name__}")
    return _compile_cached(pattern)


@functools.lru_cache(maxsize=64)
def _compile_cached(pattern: str) -> tuple[str, ...]:
    tokens: list[str] = []
    position = 0
    for match in _TOKEN_RE.finditer(pattern):
        if match.start() > position:
            tokens.append("\0" + pattern[position : match.start()])
        text = match.group()
        if text == "[":
            raise ValueError(f"unclosed '[' at position {match.start()} in date pattern {pattern!r}")
        if text.startswith("["):
            tokens.append("\0" + text[1:-1])
        elif len(text) == 1 and text not in ("M", "D", "E", "N"):
            raise ValueError(
                f"unknown token {text!r} at position {match.start()} in date pattern {pattern!r}; "
                "known tokens: YYYY YY MM M DD D MON EE E NN N; put literal letters in [brackets]"
            )
        else:
            tokens.append(text)
        position = match.end()
    if position < len(pattern):
        tokens.append("\0" + pattern[position:])
    return tuple(tokens)


def _render(day: date, tokens: tuple[str, ...], era: EraDate | None, *, gannen: bool) -> str:
    out: list[str] = []
    for token in tokens:
        if token.startswith("\0"):
            out.append(token[1:])
        elif token == "YYYY":
            out.append(f"{day.year:04d}")
        elif token == "YY":
            out.append(f"{day.year % 100:02d}")
        elif token == "MON":
            out.append(_MONTHS[day.month - 1])
        elif token == "MM":
            out.append(f"{day.month:02d}")
        elif token == "M":
            out.append(str(day.month))
        elif token == "DD":
            out.append(f"{day.day:02d}")
        elif token == "D":
            out.append(str(day.day))
        else:
            if era is None:  # pragma: no cover - western_date rejects era tokens before rendering
                raise ValueError(f"era token {token} needs era_date")
            if token == "EE":
                out.append(era.era.name)
            elif token == "E":
                out.append(era.era.letter)
            elif token == "NN":
                out.append(f"{era.year:02d}")
            else:  # "N"
                out.append("元" if era.year == 1 and gannen else str(era.year))
    return "".join(out)


def _preview(text: str) -> str:
    """Quote a bad value, shortened so an error line stays readable."""
    return repr(text if len(text) <= 40 else text[:37] + "...")

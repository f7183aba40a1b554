"""Western and era dates: exact era boundaries of card-standards §9 and the pattern language."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from faceprint.rules.dates import (
    ERA_JIS_X_0301,
    WESTERN_BILINGUAL,
    WESTERN_DOTTED,
    era_date,
    parse_iso_date,
    to_era,
    western_date,
)


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        ("YYYY年M月D日", "1990年4月1日"),
        ("YYYY.MM.DD", "1990.04.01"),
        (WESTERN_DOTTED, "1990.04.01"),
        (WESTERN_BILINGUAL, "01 APR 1990"),
        ("D MON YY", "1 APR 90"),
        ("YYYYMMDD", "19900401"),
        ("[Born] YYYY/MM/DD", "Born 1990/04/01"),
        ("YYYY [DOB]", "1990 DOB"),
    ],
)
def test_western_patterns(pattern: str, expected: str) -> None:
    assert western_date(date(1990, 4, 1), pattern) == expected


def test_western_default_and_iso_string() -> None:
    assert western_date("1990-04-01") == "1990年4月1日"
    assert western_date("2000-12-31") == "2000年12月31日"


@pytest.mark.parametrize(
    ("pattern", "reason"),
    [
        ("YYYY年Y月", "unknown token 'Y'"),
        ("Born YYYY", "unknown token 'B'"),
        ("[YYYY", "unclosed"),
        ("EEN年", "era token"),
    ],
)
def test_bad_western_patterns(pattern: str, reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        western_date(date(1990, 4, 1), pattern)


@pytest.mark.parametrize(
    ("day", "kanji", "letters"),
    [
        ("1989-01-07", "昭和64年1月7日", "S64.01.07"),
        ("1989-01-08", "平成元年1月8日", "H01.01.08"),
        ("2019-04-30", "平成31年4月30日", "H31.04.30"),
        ("2019-05-01", "令和元年5月1日", "R01.05.01"),
        ("2020-01-01", "令和2年1月1日", "R02.01.01"),
        ("1926-12-24", "大正15年12月24日", "T15.12.24"),
        ("1926-12-25", "昭和元年12月25日", "S01.12.25"),
        ("1912-07-29", "明治45年7月29日", "M45.07.29"),
        ("1912-07-30", "大正元年7月30日", "T01.07.30"),
        ("1873-01-01", "明治6年1月1日", "M06.01.01"),
    ],
)
def test_era_boundaries(day: str, kanji: str, letters: str) -> None:
    assert era_date(day) == kanji
    assert era_date(day, ERA_JIS_X_0301) == letters


def test_era_options() -> None:
    assert era_date("2019-05-01", gannen=False) == "令和1年5月1日"
    assert era_date("1990-04-01", "EEN年（YYYY年）M月D日") == "平成2年（1990年）4月1日"
    assert era_date("1990-04-01", "E.N.M.D") == "H.2.4.1"
    assert to_era("1989-01-08").era.name == "平成"
    assert to_era("1989-01-08").year == 1


def test_before_supported_range() -> None:
    with pytest.raises(ValueError, match="1873-01-01"):
        era_date("1872-12-31")
    # The Western form has no such limit.
    assert western_date("1872-12-31", "YYYY.MM.DD") == "1872.12.31"


def test_parse_iso_date() -> None:
    assert parse_iso_date("1990-04-01") == date(1990, 4, 1)
    assert parse_iso_date(" 1990-04-01 ") == date(1990, 4, 1)
    assert parse_iso_date(date(1990, 4, 1)) == date(1990, 4, 1)
    assert parse_iso_date(datetime(1990, 4, 1, 12, 0)) == date(1990, 4, 1)


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("19900401", "not an ISO date"),
        ("1990-4-1", "not an ISO date"),
        ("1990-02-30", "no such calendar day"),
        ("H02.04.01", "not an ISO date"),
        (19900401, "got int"),
        ("", "not an ISO date"),
    ],
)
def test_parse_iso_date_rejects(value: object, reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        parse_iso_date(value)  # type: ignore[arg-type]


@given(st.dates(min_value=date(1873, 1, 1), max_value=date(2099, 12, 31)))
def test_era_year_round_trips(day: date) -> None:
    era = to_era(day)
    assert era.year >= 1
    assert day.year == era.era.first_year + era.year - 1
    assert era_date(day, "EENN.MM.DD").endswith(day.strftime("%m.%d"))

"""Individual number: ordinance check digit (card-standards §8), grouping, and never leaking it."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st
from stdnum.jp import in_ as stdnum_in

from faceprint.rules.mynumber import calc_check_digit, groups, is_valid, mask, redact, validate


@pytest.mark.parametrize(
    ("first11", "check"),
    [("62149832025", "7"), ("12345678901", "8"), ("10000000003", "0")],  # §8 worked examples
)
def test_worked_examples(first11: str, check: str) -> None:
    assert calc_check_digit(first11) == check
    assert validate(first11 + check) == first11 + check


def test_accepts_single_separators() -> None:
    assert validate("1234 5678 9018") == "123456789018"
    assert validate("1234-5678-9018") == "123456789018"
    assert groups("123456789018") == "1234 5678 9018"
    assert groups("6214-9832-0257") == "6214 9832 0257"


@pytest.mark.parametrize(
    ("number", "reason"),
    [
        ("12345678901", "must be 12 digits, got 11"),
        ("1234567890188", "must be 12 digits, got 13"),
        ("", "must be 12 digits, got 0"),
        ("1234567890I8", "digit position 11 holds U\\+0049"),
        ("1234.5678.9018", "digit position 5 holds U\\+002E"),
        ("123456789017", "check digit is wrong"),
        ("621498320250", "check digit is wrong"),
    ],
)
def test_invalid_numbers(number: str, reason: str) -> None:
    with pytest.raises(ValueError, match=reason) as info:
        validate(number)
    digits = re.sub(r"\D", "", number)
    if len(digits) >= 4:
        assert digits not in str(info.value)
        assert digits[:8] not in str(info.value)
    assert not is_valid(number)


def test_non_string_is_refused() -> None:
    with pytest.raises(ValueError, match="must be a string, got int") as info:
        validate(123456789018)  # type: ignore[arg-type]
    assert "123456789018" not in str(info.value)


def test_calc_check_digit_input() -> None:
    with pytest.raises(ValueError, match="11 ASCII digits") as info:
        calc_check_digit("1234567890")
    assert "1234567890" not in str(info.value)


def test_mask() -> None:
    assert mask("123456789018") == "**** **** 9018"
    assert mask("1234 5678 9018") == "**** **** 9018"
    assert mask("12345678901") == "*** **** 8901"
    assert mask("12345678") == "**** 5678"
    assert mask("1234567") == "*** ****"
    assert mask("") == ""
    assert mask(123456789018) == "**** **** 9018"
    assert mask("abc") == ""


def test_redact() -> None:
    assert redact("bad value '123456789018' here") == "bad value '**** **** 9018' here"
    assert redact("1234-5678-9018") == "**** **** 9018"
    assert redact("born 1990-04-01, line 12") == "born 1990-04-01, line 12"


def _valid_numbers() -> st.SearchStrategy[str]:
    first = st.text(alphabet="0123456789", min_size=11, max_size=11).filter(lambda digits: digits != "0" * 11)
    return first.map(lambda digits: digits + calc_check_digit(digits))


@given(_valid_numbers())
def test_groups_validate_round_trip(number: str) -> None:
    grouped = groups(number)
    assert re.fullmatch(r"\d{4} \d{4} \d{4}", grouped)
    assert validate(grouped) == number
    assert stdnum_in.is_valid(number)


@given(st.text(alphabet="0123456789", min_size=11, max_size=11))
def test_agrees_with_python_stdnum(first11: str) -> None:
    assert calc_check_digit(first11) == stdnum_in.calc_check_digit(first11)


@given(st.text(alphabet=st.sampled_from("0123456789０１２ -abc"), max_size=30))
def test_mask_reveals_at_most_four_digits(text: str) -> None:
    masked = mask(text)
    shown = [ch for ch in masked if ch.isdigit()]
    assert len(shown) <= 4
    assert set(masked) <= set("0123456789* ")
    if sum(ch.isdigit() for ch in text) < 8:
        assert not shown


@given(_valid_numbers(), st.integers(min_value=0, max_value=11))
def test_wrong_numbers_never_leak(number: str, position: int) -> None:
    wrong = number[:position] + str((int(number[position]) + 1) % 10) + number[position + 1 :]
    for candidate in (wrong, wrong[:-1], wrong + "5"):
        try:
            validate(candidate)
        except ValueError as exc:
            assert candidate not in str(exc)
            assert candidate[:8] not in str(exc)

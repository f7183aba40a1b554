"""Collation number: exactly 6 ASCII digits, never echoed in messages."""

from __future__ import annotations

import pytest

from faceprint.rules.collation import format_collation, validate


def test_valid() -> None:
    assert validate("012345") == "012345"
    assert validate(" 012345\n") == "012345"
    assert format_collation("012345") == "012345"
    assert format_collation("012345", " ") == "012 345"
    assert format_collation("012345", "-") == "012-345"


@pytest.mark.parametrize(
    ("code", "reason"),
    [
        ("12345", "got 5 characters"),
        ("1234567", "got 7 characters"),
        ("12345a", "ASCII digits"),
        ("１２３４５６", "ASCII digits"),
        ("123 45", "ASCII digits"),
        (123456, "must be a string"),
    ],
)
def test_invalid(code: object, reason: str) -> None:
    with pytest.raises(ValueError, match=reason) as info:
        validate(code)  # type: ignore[arg-type]
    assert str(code).strip() not in str(info.value)

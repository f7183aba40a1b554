"""The 6-digit collation number (照合番号) printed on the next card's front.

It unlocks the card-face application of the chip (product brief; comment 82), so it is treated as a
secret: messages give its length, never its digits. The 6-digit figure comes from the product brief;
card-standards §10b marks it UNCONFIRMED in public sources.
"""

from __future__ import annotations

LENGTH = 6


def validate(code: str) -> str:
    """The code if it is exactly 6 ASCII digits (surrounding whitespace ignored)."""
    if not isinstance(code, str):
        # An int (e.g. from JSON) would already have lost a leading zero.
        raise ValueError(f"collation number must be a string, got {type(code).__name__}")
    text = code.strip()
    if len(text) != LENGTH:
        raise ValueError(f"collation number must be {LENGTH} digits, got {len(text)} characters")
    if not all("0" <= ch <= "9" for ch in text):
        raise ValueError(f"collation number must be {LENGTH} ASCII digits 0-9")
    return text


def format_collation(code: str, sep: str = "") -> str:
    """The validated code, split 3-3 by ``sep`` when given ("123 456").

    The 3-3 split is this engine's readability choice for the "easy-to-read" number (comment 82), not
    a published format.
    """
    digits = validate(code)
    return digits if not sep else f"{digits[:3]}{sep}{digits[3:]}"

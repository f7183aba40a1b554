"""The individual number (個人番号): validation, the 4-4-4 grouping printed on the back, and masking.

The number is specified personal information (product brief, "Personal data"), so no message raised
here ever contains it: reasons give counts and positions only, and ``mask``/``redact`` are what every
other module uses to mention it.
"""

from __future__ import annotations

import re
import unicodedata

LENGTH = 12
_SEPARATORS = re.compile(r"[ \-]")
# 10+ digits: anything near the number's 12 digits, but not an ISO date (8 digits) quoted in a message.
_DIGIT_RUN = re.compile(r"[0-9０-９](?:[ \-]?[0-9０-９]){9,}")

# Check-digit weights for the 11 leading digits read from the right: Q_n = n+1 (n ≤ 6), n−5 (n ≥ 7),
# 総務省令第85号 (平成26年) 第5条, card-standards §8.
_WEIGHTS_FROM_RIGHT = (2, 3, 4, 5, 6, 7, 2, 3, 4, 5, 6)


def compact(number: str) -> str:
    """The number without spaces and hyphens (full-width forms folded), not yet validated."""
    if not isinstance(number, str):
        # A JSON number would already have lost any leading zero.
        raise ValueError(f"individual number must be a string, got {type(number).__name__}")
    return _SEPARATORS.sub("", unicodedata.normalize("NFKC", number).strip())


def calc_check_digit(first11: str) -> str:
    """The ordinance check digit for the 11 leading digits (card-standards §8)."""
    if not isinstance(first11, str) or len(first11) != LENGTH - 1 or not _ascii_digits(first11):
        raise ValueError("check digit needs exactly 11 ASCII digits")
    pairs = zip(reversed(first11), _WEIGHTS_FROM_RIGHT, strict=True)
    total = sum(int(digit) * weight for digit, weight in pairs)
    remainder = total % 11
    # 11 − r, except 0 when r ≤ 1 (card-standards §8).
    return "0" if remainder <= 1 else str(11 - remainder)


def validate(number: str) -> str:
    """The 12 digits of a valid individual number; ``ValueError`` naming the reason, never the number."""
    digits = compact(number)
    for position, ch in enumerate(digits, start=1):
        if not "0" <= ch <= "9":
            raise ValueError(f"must hold only digits, spaces and hyphens; digit position {position} holds U+{ord(ch):04X}")
    if len(digits) != LENGTH:
        raise ValueError(f"must be {LENGTH} digits, got {len(digits)}")
    if calc_check_digit(digits[:-1]) != digits[-1]:
        raise ValueError("check digit is wrong")
    return digits


def is_valid(number: str) -> bool:
    """Whether ``validate`` accepts the number."""
    try:
        validate(number)
    except ValueError:
        return False
    return True


def groups(number: str) -> str:
    """The validated number in the 4-4-4 groups printed on the card ("1234 5678 9018", §8)."""
    digits = validate(number)
    return f"{digits[0:4]} {digits[4:8]} {digits[8:12]}"


def mask(number: object) -> str:
    """The digits of anything as ``*`` except the last 4, grouped by 4 from the right.

    Works on invalid input too, so an error message can point at the value: "**** **** 9018". With fewer
    than 8 digits the last 4 would be half the value, so every digit is masked.
    """
    text = unicodedata.normalize("NFKC", number if isinstance(number, str) else str(number))
    digits = [ch for ch in text if "0" <= ch <= "9"]
    shown = 4 if len(digits) >= 8 else 0
    chars = ["*"] * (len(digits) - shown) + digits[len(digits) - shown :]
    grouped = ["".join(chars[max(0, end - 4) : end]) for end in range(len(chars), 0, -4)]
    return " ".join(reversed(grouped))


def redact(text: str) -> str:
    """``text`` with every run of 10 or more digits (spaces/hyphens allowed between) masked.

    Defence in depth for messages that quote user input: a number typed into the wrong field must
    not reach a log unmasked either.
    """
    return _DIGIT_RUN.sub(lambda match: mask(match.group()), text)


def _ascii_digits(text: str) -> bool:
    return all("0" <= ch <= "9" for ch in text)

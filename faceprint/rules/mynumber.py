"""The individual number (個人番号): validation, the 4-4-4 grouping printed on the back, and masking.

The number is specified personal information (product brief, "Personal data"), so no message raised
here ever contains it: reasons give counts and positions only, and ``mask``/``redact`` are what every
other module uses to mention it.
"""

from __future__ import annotations

import itertools
import re
import unicodedata

LENGTH = 12
_SEPARATORS = re.compile(r"[ \-]")
# The one written form a record may use: 12 ASCII digits, or groups of them joined by single spaces or
# hyphens ("1234 5678 9018", "1234-5678-9018"). Signs, doubled or leading separators and non-ASCII
# digits are refused: they are typing or conversion mistakes, and a number read through them may not
# be the one the register holds.
_WRITTEN_FORM = re.compile(r"[0-9]+(?:[ \-][0-9]+)*")
# A number spelled out inside other text: any decimal digits (\d is Unicode: full-width, Arabic-Indic,
# Devanagari …) joined by at most one separator each (space, hyphen and dash forms, dot, underscore,
# slash, colon, comma, 、・ and their full-width forms), as in "/x/1111.1111.1118.jpg" or "1111_1111_1118".
_SPELL_SEPARATORS = r"[ \u3000\-\u2010-\u2015\u2212\uff0d._\uff0e\uff3f/\uff0f:\uff1a,\uff0c\u3001\u30fb\uff65]"
_SPELLED_RUN = re.compile(rf"\d(?:{_SPELL_SEPARATORS}?\d)+")
# 10+ digits: anything near the number's 12 digits, but not an ISO date (8 digits) quoted in a message.
_DIGIT_RUN = re.compile(rf"\d(?:{_SPELL_SEPARATORS}?\d){{9,}}")

# 12 digits with a separator between each would be 23 characters; anything longer is not a number
# and is refused before any per-character work (a 100,000-character value must fail at once).
MAX_WRITTEN_CHARS = 32
# The most "*" a mask writes: 16 digits' worth (two more groups than the number has), so a masked
# value still looks like a number however long the input was.
MASK_MAX_STARS = 16
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
    if isinstance(number, str) and len(number) > MAX_WRITTEN_CHARS:
        raise ValueError(f"must be {LENGTH} digits, got {len(number)} characters (limit MAX_WRITTEN_CHARS = {MAX_WRITTEN_CHARS})")
    digits = compact(number)
    _check_written_form(number)
    for position, ch in enumerate(digits, start=1):
        if not "0" <= ch <= "9":
            raise ValueError(f"must hold only digits, spaces and hyphens; digit position {position} holds U+{ord(ch):04X}")
    if len(digits) != LENGTH:
        raise ValueError(f"must be {LENGTH} digits, got {len(digits)}")
    if calc_check_digit(digits[:-1]) != digits[-1]:
        raise ValueError("check digit is wrong")
    if digits == "0" * LENGTH:
        raise ValueError("all twelve digits are 0: a placeholder, not a number")
    return digits


def _check_written_form(number: str) -> None:
    """Refuse what ``compact`` would fold away but a register never holds: reasons name no digit."""
    text = number.strip()
    for position, ch in enumerate(text, start=1):
        if ch.isdigit() and not "0" <= ch <= "9":
            raise ValueError(f"must be written in ASCII digits 0-9; position {position} holds U+{ord(ch):04X}")
    if text[:1] in ("+", "-", "\u2212", "\uff0b", "\uff0d"):
        raise ValueError("must not carry a sign")
    if text and all(ch in "0123456789 -" for ch in text) and not _WRITTEN_FORM.fullmatch(text):
        raise ValueError("separators (a space or hyphen) only singly, between digits")


def spells_a_number(text: str) -> bool:
    """Whether ``text`` holds, anywhere, 12 consecutive digits that pass the check digit.

    Digits in any script count, and single separators between them do not break the run, so
    "1111.1111.1118", "１１１１１１１１１１１８" and "ID-1111_1111_1118" all do: an id, a file name or
    a title made from such text would publish the number.
    """
    for match in _SPELLED_RUN.finditer(text):
        digits = [unicodedata.decimal(ch, 0) for ch in match.group() if ch.isdecimal()]
        for start in range(len(digits) - LENGTH + 1):
            if _check_digit_of(digits[start : start + LENGTH - 1]) == digits[start + LENGTH - 1]:
                return True
    return False


def _check_digit_of(first11: list[int]) -> int:
    """``calc_check_digit`` on digit values, for scanning long text without building strings."""
    remainder = sum(d * w for d, w in zip(reversed(first11), _WEIGHTS_FROM_RIGHT, strict=True)) % 11
    return 0 if remainder <= 1 else 11 - remainder


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
    text = number if isinstance(number, str) else str(number)
    count = sum(1 for ch in text if ch.isdecimal())
    shown = 4 if count >= 8 else 0
    last = [str(unicodedata.decimal(ch)) for ch in itertools.islice((c for c in reversed(text) if c.isdecimal()), shown)]
    hidden = min(count - shown, MASK_MAX_STARS)  # a run of 100,000 digits must not make a 125 KB message
    chars = ["*"] * hidden + last[::-1]
    grouped = ["".join(chars[max(0, end - 4) : end]) for end in range(len(chars), 0, -4)]
    return " ".join(reversed(grouped))


def redact(text: str) -> str:
    """``text`` with every run of 10 or more digits (single separators allowed between) masked.

    The one masking function every message passes through at the error boundary: a number typed
    into the wrong field, used as a field name or inside a photo path (``/x/1111.1111.1118.jpg``)
    must not reach a log unmasked either. Digits of any script count.
    """
    return _DIGIT_RUN.sub(lambda match: mask(match.group()), text)


def _ascii_digits(text: str) -> bool:
    return all("0" <= ch <= "9" for ch in text)

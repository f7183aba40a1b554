"""The limits a record must stay within before faceprint spends time or memory on it.

Records come from municipal systems and from people's hands; a hostile or broken one (a JSON file
nested 100,000 deep, a 100,000-digit number, a photo whose header claims 30000 × 30000 pixels, a
named pipe given as the record file) must end in a data error naming the record and the field, fast,
never in a traceback, a hang or an exhausted memory. Every limit is a named constant with its reason,
and every message built here names the limit it hit (``limit NAME = value``), so an operator knows
which knob was hit and why.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import os
import re
import stat
import unicodedata
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from .errors import DataError
from .units import mm_to_px

# A record is a few hundred bytes; with every optional field and long annotations a few KiB. 1 MiB is
# far beyond any real record and small enough to read and parse in milliseconds. Project choice.
MAX_RECORD_BYTES = 1 << 20
# The record format nests at most 3 levels (record → annotations → entry); 32 leaves room for
# extensions and stays far below the interpreter's recursion limit that json.loads would hit
# (RecursionError at ~1000 levels). Project choice.
MAX_JSON_DEPTH = 32
# No record field is a number longer than a date or a choice; 20 digits admit any 64-bit integer.
# Python refuses to convert more than 4300 digits anyway (sys.int_info), with an exception that is
# not a data error; the conversion is also quadratic in the digits. Project choice.
MAX_NUMBER_DIGITS = 20
# The longest text a record field may hold: the longest printed field (an address) is ~100 characters
# and even it must fit a box of a few square centimetres; 1000 leaves room for annotations and notes,
# and refuses a 100,000-character value before text fitting spends a second proving it cannot fit.
# Project choice.
MAX_TEXT_CHARS = 1000
# File-system limits of Linux (NAME_MAX, PATH_MAX in <limits.h>), used when the platform does not say:
# a longer photo path cannot be opened at all (ENAMETOOLONG).
DEFAULT_NAME_MAX = 255
DEFAULT_PATH_MAX = 4096
# A portrait decoded at 64 megapixels is ~190 MB of RGB and over a second of decoding; no application
# camera needs more (the online application accepts at most 6000 px a side, profiles.py: 36 MP).
# Pillow's own bomb limit (~179 MP) would let a 30000 × 30000 header through a lazy open. Project choice.
MAX_PHOTO_PIXELS = 64_000_000
# Least resolution of the portrait across the layout's photo box: below it the printed portrait shows
# its pixels at reading distance, and a blurred edge (vignette) would cover the whole photo. 100 dpi is
# ~4 px/mm: 87 × 108 px for today's 22 × 27.5 mm box; the application rules ask for ≥ 480 px a side.
# Project choice, UNCONFIRMED by any published figure for the card itself.
MIN_PORTRAIT_DPI = 100
# Dates a record may hold: 1868-01-01 is the first day of Meiji (card-standards §9), before which no
# living person or register entry exists; 2200-12-31 bounds validity dates and annotations far beyond
# any card's lifetime, so a typo like 20355-01-01 or 0001-01-01 is caught. From the issue (#14 §3).
FIRST_RECORD_DATE = dt.date(1868, 1, 1)
LAST_RECORD_DATE = dt.date(2200, 12, 31)

# Strings (with a following colon when they are keys), brackets, and numbers too long to convert. A
# string token never backtracks (possessive quantifiers) and an unclosed one runs to the end of the
# text, so the scan is linear whatever the input: a text of 300,000 escaped quotes after an opening
# quote would otherwise be rescanned from every quote (quadratic).
_TOKENS = re.compile(rf'"(?:[^"\\]++|\\.)*+(?:"|\\?\Z)\s*:?|[\[\]{{}}]|-?\d{{{MAX_NUMBER_DIGITS + 1},}}', re.DOTALL)


class LimitError(ValueError):
    """A value beyond one of this module's limits; the message names the limit, ``field`` where it stands."""

    def __init__(self, reason: str, field: str | None = None) -> None:
        super().__init__(reason)
        self.field = field


def limit(name: str, value: object) -> str:
    """The tag every message of this module ends with, so it says which limit was hit."""
    return f"(limit {name} = {value})"


# --------------------------------------------------------------------------------------------- files


def regular_file_problem(path: Path) -> str | None:
    """Why ``path`` cannot be an input file (missing, a folder, a pipe, a device), or None.

    ``stat`` never blocks, unlike opening a named pipe, which waits for a writer forever.
    """
    try:
        st = path.stat()
    except FileNotFoundError:
        return "file not found"
    except OSError as exc:
        return exc.strerror or type(exc).__name__
    if not stat.S_ISREG(st.st_mode):
        return f"not a regular file ({_file_kind(st.st_mode)})"
    return None


def _file_kind(mode: int) -> str:
    kinds = ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a named pipe"), (stat.S_ISSOCK, "a socket"),
             (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"))  # fmt: skip
    return next((name for test, name in kinds if test(mode)), "not a plain file")


def read_record_bytes(path: Path) -> bytes:
    """The bytes of a record file: a regular file of at most ``MAX_RECORD_BYTES``, else ``DataError``."""
    problem = regular_file_problem(path)
    if problem is not None:
        raise DataError(f"{path}: cannot read: {problem}")
    try:
        with path.open("rb") as fh:
            data = fh.read(MAX_RECORD_BYTES + 1)
    except OSError as exc:
        raise DataError(f"{path}: cannot read: {exc.strerror or type(exc).__name__}") from None
    if len(data) > MAX_RECORD_BYTES:
        raise DataError(f"{path}: larger than a record can be {limit('MAX_RECORD_BYTES', MAX_RECORD_BYTES)}")
    return data


# ---------------------------------------------------------------------------------------------- JSON


def json_breach(text: str) -> tuple[str, str | None] | None:
    """(reason, top-level key it stands under) for the first place JSON text passes a limit, or None.

    Counted on the text without recursion or parsing: the standard parser would recurse once per
    level and convert every digit before any hook could refuse.
    """
    depth = 0
    key: str | None = None
    for match in _TOKENS.finditer(text):
        token = match.group()
        if token.startswith('"'):
            if depth == 1 and token.endswith(":"):
                key = _key_name(token)
        elif token in "[{":
            depth += 1
            if depth > MAX_JSON_DEPTH:
                return f"nested more than {MAX_JSON_DEPTH} levels deep {limit('MAX_JSON_DEPTH', MAX_JSON_DEPTH)}", key
        elif token in "]}":
            depth -= 1
        else:
            digits = len(token.lstrip("-"))
            return f"a number has {digits} digits {limit('MAX_NUMBER_DIGITS', MAX_NUMBER_DIGITS)}", key
    return None


def _key_name(token: str) -> str | None:
    try:
        name = json.loads(token.rstrip(": \t\r\n"))
    except ValueError:
        return None
    return name if isinstance(name, str) else None


def _int(text: str) -> int:
    if len(text.lstrip("-")) > MAX_NUMBER_DIGITS:
        raise LimitError(f"a number has {len(text.lstrip('-'))} digits {limit('MAX_NUMBER_DIGITS', MAX_NUMBER_DIGITS)}")
    return int(text)


def _float(text: str) -> float:
    """A JSON fraction: significant digits counted (leading zeros of 0.000123 are not), finite only."""
    mantissa = re.split("[eE]", text, maxsplit=1)[0]
    digits = len(mantissa.replace("-", "").replace(".", "").lstrip("0"))
    if digits > MAX_NUMBER_DIGITS:
        raise LimitError(f"a number has {digits} significant digits {limit('MAX_NUMBER_DIGITS', MAX_NUMBER_DIGITS)}")
    value = float(text)
    if not math.isfinite(value):
        raise LimitError("a number beyond the range of a double (its exponent is too large)")
    return value


def _constant(name: str) -> float:
    raise LimitError(f"{name} is not a JSON number")


def loads(text: str, **kwargs: Any) -> Any:
    """``json.loads`` within the limits: ``LimitError`` for deep nesting, huge or non-finite numbers.

    ``json.JSONDecodeError`` (a ``ValueError`` too) still reports bad syntax.
    """
    if (breach := json_breach(text)) is not None:
        raise LimitError(*breach)
    return json.loads(text, parse_int=_int, parse_float=_float, parse_constant=_constant, **kwargs)


# ----------------------------------------------------------------------------------------- the values


def lone_surrogates(raw: Any, prefix: str = "") -> Iterator[str]:
    """Field paths of every key or text value holding a lone surrogate (``"\\udc80"`` in JSON).

    Such a string is not Unicode text: it cannot be written to a file, a PDF or a terminal as UTF-8,
    so it would crash whatever touches it later. The recursion is bounded: ``loads`` limits the depth.
    """
    items: Iterator[tuple[str, Any]]
    if isinstance(raw, dict):
        items = ((str(key), value) for key, value in raw.items())
    elif isinstance(raw, list):
        items = ((str(index), value) for index, value in enumerate(raw))
    else:
        return
    for key, value in items:
        path = f"{prefix}.{key}" if prefix else key
        if _has_surrogate(key):
            yield _printable(path)
        elif isinstance(value, str) and _has_surrogate(value):
            yield path
        else:
            yield from lone_surrogates(value, path)


def _has_surrogate(text: str) -> bool:
    return any(unicodedata.category(ch) == "Cs" for ch in text)


def _printable(text: str) -> str:
    return text.encode("utf-8", "backslashreplace").decode("ascii", "replace")


def date_range_problem(day: dt.date) -> str | None:
    """Why a record date is implausible, or None."""
    if FIRST_RECORD_DATE <= day <= LAST_RECORD_DATE:
        return None
    return (
        f"outside {FIRST_RECORD_DATE.isoformat()} … {LAST_RECORD_DATE.isoformat()} "
        f"{limit('FIRST_RECORD_DATE … LAST_RECORD_DATE', 'the Meiji era … 2200')}"
    )


def text_length_problem(text: str) -> str | None:
    """Why a record's text value is too long to be a card field, or None."""
    if len(text) <= MAX_TEXT_CHARS:
        return None
    return f"text of {len(text)} characters {limit('MAX_TEXT_CHARS', MAX_TEXT_CHARS)}"


def path_length_problem(text: str) -> str | None:
    """Why a path cannot name a file on this system (too long as a whole or in a part), or None."""
    name_max, path_max = _fs_limits()
    encoded = os.fsencode(text)
    if len(encoded) >= path_max:
        return f"path is {len(encoded)} bytes long {limit('PATH_MAX', path_max)}"
    longest = max((len(part) for part in encoded.split(b"/")), default=0)
    if longest > name_max:
        return f"a path component is {longest} bytes long {limit('NAME_MAX', name_max)}"
    return None


def _fs_limits() -> tuple[int, int]:
    try:
        return os.pathconf("/", "PC_NAME_MAX"), os.pathconf("/", "PC_PATH_MAX")
    except (OSError, ValueError, AttributeError):  # Windows has no pathconf
        return DEFAULT_NAME_MAX, DEFAULT_PATH_MAX


# --------------------------------------------------------------------------------------------- photos


def photo_size(path: Path) -> tuple[int, int] | None:
    """Width and height from the image header (nothing decoded); ``LimitError`` beyond the pixel limit.

    A header claiming 30000 × 30000 is refused here in microseconds, before a decoder would allocate
    gigabytes for it. None when the file is no image Pillow knows: the image loader reports that
    with its reason when the card is drawn.
    """
    from PIL import Image, UnidentifiedImageError

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(path) as im:
                width, height = im.size
    except Image.DecompressionBombError as exc:
        numbers = re.findall(r"\d+", str(exc))
        claimed = f"{numbers[0]} pixels" if numbers else "too many pixels"
        raise LimitError(f"image claims {claimed} {limit('MAX_PHOTO_PIXELS', MAX_PHOTO_PIXELS)}") from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        return None
    if width * height > MAX_PHOTO_PIXELS:
        raise LimitError(f"image is {width} × {height} pixels {limit('MAX_PHOTO_PIXELS', MAX_PHOTO_PIXELS)}")
    return width, height


def minimum_pixels(box_w_mm: float, box_h_mm: float) -> tuple[int, int]:
    """The least width and height in pixels a portrait needs to fill a box at ``MIN_PORTRAIT_DPI``."""
    per_mm = mm_to_px(1.0, MIN_PORTRAIT_DPI)
    return max(1, round(box_w_mm * per_mm)), max(1, round(box_h_mm * per_mm))


def portrait_pixels_problem(size: tuple[int, int], box_w_mm: float, box_h_mm: float) -> str | None:
    """Why a portrait of ``size`` pixels is too small for the box, or None."""
    need_w, need_h = minimum_pixels(box_w_mm, box_h_mm)
    width, height = size
    if width >= need_w and height >= need_h:
        return None
    return (
        f"photo is {width} × {height} pixels; the layout's {box_w_mm:g} × {box_h_mm:g} mm photo box needs at "
        f"least {need_w} × {need_h} {limit('MIN_PORTRAIT_DPI', MIN_PORTRAIT_DPI)}"
    )


def portrait_problem(path: Path, box_w_mm: float, box_h_mm: float) -> str | None:
    """Why the portrait at ``path`` cannot fill its box (too many or too few pixels), or None.

    A missing or unreadable file is left to the image loader, which reports it with the same field.
    """
    if regular_file_problem(path) is not None:
        return None
    try:
        size = photo_size(path)
    except LimitError as exc:
        return str(exc)
    return None if size is None else portrait_pixels_problem(size, box_w_mm, box_h_mm)

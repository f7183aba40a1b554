"""Lengths with explicit units, converted to millimetres exactly once.

Layout files write lengths as ``12mm``, ``8pt``, ``120px`` (at the layout's stated ``px_dpi``) or
``120px@300dpi``; a bare number means millimetres. Every ratio derives from 25.4 mm per inch and
72 pt per inch (PostScript/PDF point), never from rounded constants.
"""

from __future__ import annotations

import math
import re

MM_PER_INCH = 25.4
PT_PER_INCH = 72.0
MM_PER_PT = MM_PER_INCH / PT_PER_INCH

_LENGTH_RE = re.compile(
    r"^\s*(?P<num>[+-]?(?:\d+(?:\.\d*)?|\.\d+))\s*(?P<unit>mm|cm|pt|in|px)?"
    r"(?:\s*@\s*(?P<dpi>\d+(?:\.\d*)?)\s*dpi)?\s*$"
)


class UnitError(ValueError):
    """A length or percentage that cannot be read; the message says what was expected."""


def pt_to_mm(pt: float) -> float:
    return pt * MM_PER_PT


def mm_to_pt(mm: float) -> float:
    return mm / MM_PER_PT


def mm_to_px(mm: float, dpi: float) -> float:
    return mm * dpi / MM_PER_INCH


def px_to_mm(px: float, dpi: float) -> float:
    return px * MM_PER_INCH / dpi


def _finite(value: float | int, written: object) -> float:
    """NaN and infinity are never a length: YAML reads ``.nan``/``.inf`` as floats, and they poison fitting."""
    try:
        value = float(value)
    except OverflowError:  # an integer of hundreds of digits
        raise UnitError("expected a finite number, got an integer too large for one") from None
    if not math.isfinite(value):
        raise UnitError(f"expected a finite number, got {written!r}")
    return value


def parse_length_mm(value: object, *, px_dpi: float | None = None) -> float:
    """Read a length as millimetres (finite: NaN and infinity are refused)."""
    return _finite(_parse_length_mm(value, px_dpi=px_dpi), value)


def _parse_length_mm(value: object, *, px_dpi: float | None = None) -> float:
    """Read a length as millimetres.

    ``px`` needs a resolution: either inline (``120px@300dpi``) or the layout's ``px_dpi``; a
    pixel length without one is an error rather than a silent guess.
    """
    if isinstance(value, bool):
        raise UnitError(f"expected a length such as '12mm' or '8pt', got {value!r}")
    if isinstance(value, int | float):
        return _finite(value, value)
    if not isinstance(value, str):
        raise UnitError(f"expected a length such as '12mm' or '8pt', got {value!r}")
    m = _LENGTH_RE.match(value)
    if not m:
        raise UnitError(f"expected a length such as '12mm', '8pt' or '120px@600dpi', got {value!r}")
    num = float(m["num"])
    unit = m["unit"] or "mm"
    if m["dpi"] and unit != "px":
        raise UnitError(f"'@dpi' only applies to px lengths, got {value!r}")
    if unit == "mm":
        return num
    if unit == "cm":
        return num * 10.0
    if unit == "pt":
        return pt_to_mm(num)
    if unit == "in":
        return num * MM_PER_INCH
    dpi = float(m["dpi"]) if m["dpi"] else px_dpi
    if not dpi or not math.isfinite(dpi):
        raise UnitError(f"pixel length {value!r} needs a resolution: write '{num:g}px@600dpi' or set px_dpi")
    return px_to_mm(num, dpi)


def parse_size_pt(value: object, *, px_dpi: float | None = None) -> float:
    """Read a type size as points; bare numbers are points here (type is specified in pt)."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _finite(value, value)
    if isinstance(value, str):
        m = _LENGTH_RE.match(value)
        if m and m["unit"] in (None, "pt") and not m["dpi"]:
            # Read points as written: the detour through mm made '12pt' 11.999999999999998, and a
            # quoted bare number ('9') must mean points here as an unquoted one does, not mm.
            return _finite(float(m["num"]), value)
    return _finite(mm_to_pt(parse_length_mm(value, px_dpi=px_dpi)), value)


def parse_fraction(value: object) -> float:
    """Read ``70%`` or ``0.7`` as a fraction."""
    if isinstance(value, bool):
        raise UnitError(f"expected a percentage such as '70%', got {value!r}")
    if isinstance(value, int | float):
        return _finite(value, value)
    if isinstance(value, str):
        s = value.strip()
        try:
            if s.endswith("%"):
                return _finite(float(s[:-1]) / 100.0, value)
            return _finite(float(s), value)
        except (ValueError, OverflowError):
            pass
    raise UnitError(f"expected a percentage such as '70%', got {value!r}")

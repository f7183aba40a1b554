"""Colours as layouts write them, kept in the colour space the designer chose.

A colour is RGB (``#1a2b3c``, ``rgb(…)``), greyscale (``gray(40%)``) or CMYK (``cmyk(0,0,0,100)``
in percent). The scene keeps the original space so a print backend can emit CMYK untouched; the
raster preview converts with the naive (uncalibrated) formula and says so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from .units import UnitError

Space = Literal["rgb", "gray", "cmyk"]

NAMED = {
    "black": "#000000",
    "white": "#ffffff",
    "none": "",
}

_FUNC_RE = re.compile(r"^\s*(rgb|gray|grey|cmyk)\s*\(([^)]*)\)\s*$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Color:
    """Components are fractions 0..1 in their own space."""

    space: Space
    components: tuple[float, ...]
    alpha: float = 1.0

    def to_rgb(self) -> tuple[float, float, float]:
        if self.space == "rgb":
            r, g, b = self.components
            return (r, g, b)
        if self.space == "gray":
            (v,) = self.components
            return (v, v, v)
        # Naive CMYK→RGB for screen previews only; print files keep the CMYK values.
        c, m, y, k = self.components
        return ((1 - c) * (1 - k), (1 - m) * (1 - k), (1 - y) * (1 - k))

    def to_rgb8(self) -> tuple[int, int, int]:
        r, g, b = self.to_rgb()
        return (round(r * 255), round(g * 255), round(b * 255))


BLACK = Color("gray", (0.0,))
WHITE = Color("gray", (1.0,))


def _num(text: str, *, percent_default: bool) -> float:
    t = text.strip()
    if t.endswith("%"):
        return float(t[:-1]) / 100.0
    v = float(t)
    return v / 100.0 if percent_default else v / 255.0


def parse_color(value: object) -> Color | None:
    """Parse a colour; ``none`` (or an empty string) means no paint."""
    if not isinstance(value, str):
        raise UnitError(f"expected a colour such as '#1a2b3c' or 'cmyk(0,0,0,100)', got {value!r}")
    s = NAMED.get(value.strip().lower(), value.strip())
    if s == "":
        return None
    if s.startswith("#"):
        h = s[1:]
        if len(h) == 3:
            h = "".join(c * 2 for c in h)
        if len(h) not in (6, 8) or any(c not in "0123456789abcdefABCDEF" for c in h):
            raise UnitError(f"expected '#rrggbb', got {value!r}")
        rgb = tuple(int(h[i : i + 2], 16) / 255.0 for i in (0, 2, 4))
        alpha = int(h[6:8], 16) / 255.0 if len(h) == 8 else 1.0
        return Color("rgb", rgb, alpha)
    m = _FUNC_RE.match(s)
    if not m:
        raise UnitError(f"expected a colour such as '#1a2b3c', 'gray(40%)' or 'cmyk(0,0,0,100)', got {value!r}")
    kind = m[1].lower()
    args = [a for a in m[2].split(",") if a.strip()]
    try:
        if kind == "rgb" and len(args) == 3:
            return _in_range(value, Color("rgb", tuple(_num(a, percent_default=False) for a in args)))
        if kind in ("gray", "grey") and len(args) == 1:
            # gray(40%) is 40 % ink coverage would be ambiguous; we follow CSS: 0 % black, 100 % white.
            return _in_range(value, Color("gray", (_num(args[0], percent_default=True),)))
        if kind == "cmyk" and len(args) == 4:
            _refuse_fractions(value, args)
            return _in_range(value, Color("cmyk", tuple(_num(a, percent_default=True) for a in args)))
    except ValueError as exc:
        raise UnitError(f"bad colour {value!r}: {exc}") from None
    raise UnitError(f"bad colour {value!r}: wrong number of components for {kind}()")


def _in_range(value: object, color: Color) -> Color:
    """Components beyond 0..1 (cmyk(150,…), rgb(300,…)) would reach a print file as invalid ink values."""
    if any(not 0.0 <= c <= 1.0 for c in color.components):
        raise UnitError(f"bad colour {value!r}: components must lie between 0 and 100 % (0 and 255 for rgb)")
    return color


def _refuse_fractions(value: object, args: list[str]) -> None:
    """``cmyk(0.1,0.2,0.3,0.4)`` reads as 0.1 % ink: almost surely meant as fractions, so it is refused."""
    if any(a.strip().endswith("%") for a in args):
        return
    numbers = [float(a) for a in args]
    if all(0.0 <= v <= 1.0 for v in numbers) and any(v != int(v) for v in numbers):
        percent = ",".join(f"{v * 100:g}" for v in numbers)
        raise UnitError(f"bad colour {value!r}: cmyk() takes percentages; for fractions write cmyk({percent})")


RenderingIntent = Literal["perceptual", "relative-colorimetric", "saturation", "absolute-colorimetric"]


@dataclass(frozen=True, slots=True)
class ColourManagement:
    """How a print file maps RGB into the output intent's CMYK (ICC.1:2022 §6.2 rendering intents).

    Relative colorimetric keeps in-gamut colours exact relative to the paper white; black-point
    compensation scales the source black to the press's darkest black instead of clipping shadows.
    """

    intent: RenderingIntent = "relative-colorimetric"
    black_point_compensation: bool = True

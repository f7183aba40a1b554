"""Printer profiles: how one card printer misplaces its print, as data, and the page transform that corrects it.

In: a TOML file (``layouts/printers/NAME.toml`` or any path). Out: ``PrinterProfile``, whose
``transform`` is the only place where calibration becomes geometry: both the PDF and the PNG of a
print job (and the calibration card) go through it. Card printers place the print a few tenths of
a millimetre off, differently per machine and per face, and users of card tools ask for exactly
this correction kept apart from the layout (docs/reference/peers.md, gaps §4.6 and §4.11).

The correction is applied in the face's own frame, then the face is turned the way the card lies
under the print head: ``page = flip(offset + centre + scale · R(rotation) · (p − centre))``, in mm
with y down, so a positive rotation turns the print clockwise as seen on the card.
"""

from __future__ import annotations

import math
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, cast

from ..errors import UsageError

Affine = tuple[float, float, float, float, float, float]  # x' = a·x + c·y + e, y' = b·x + d·y + f (PDF ``cm`` order)
Flip = Literal["none", "horizontal", "vertical", "both"]
FaceName = Literal["front", "back"]

FLIPS: tuple[Flip, ...] = ("none", "horizontal", "vertical", "both")
PRINTER_DIR = Path(__file__).resolve().parent.parent.parent / "layouts" / "printers"
# Direct-to-card printers are 300 dpi (card-standards §11: desktop dye-sub, 11.8 dots/mm).
DEFAULT_DPI = 300.0
MAX_OFFSET_MM = 10.0  # a larger correction is a typo or a card fed the wrong way, not a drift
MAX_ROTATION_DEG = 5.0
SCALE_RANGE = (0.9, 1.1)
KEYS = ("name", "face", "dpi", "offset_x", "offset_y", "rotation", "scale", "duplex_flip")


@dataclass(frozen=True, slots=True)
class PrinterProfile:
    name: str
    source: str  # the file it came from, for messages
    face: FaceName | None = None  # the face this printer prints; None: either
    dpi: float = DEFAULT_DPI
    offset_x: float = 0.0  # mm, positive moves the print right
    offset_y: float = 0.0  # mm, positive moves the print down
    rotation: float = 0.0  # degrees, clockwise on the card, about the card centre
    scale: float = 1.0  # about the card centre
    duplex_flip: Flip = "none"  # how the face lies under the print head after the card is turned

    def transform(self, width: float, height: float) -> Affine:
        """Card millimetres of a ``width`` × ``height`` face → page millimetres for this printer."""
        cx, cy = width / 2.0, height / 2.0
        theta = math.radians(self.rotation)
        cos, sin = math.cos(theta) * self.scale, math.sin(theta) * self.scale
        # centre + S·R·(p − centre) + offset; with y down, [[cos, −sin], [sin, cos]] turns clockwise
        calibrate: Affine = (
            cos,
            sin,
            -sin,
            cos,
            cx - cos * cx + sin * cy + self.offset_x,
            cy - sin * cx - cos * cy + self.offset_y,
        )
        mirror_x = self.duplex_flip in ("horizontal", "both")
        mirror_y = self.duplex_flip in ("vertical", "both")
        flip: Affine = (
            -1.0 if mirror_x else 1.0,
            0.0,
            0.0,
            -1.0 if mirror_y else 1.0,
            width if mirror_x else 0.0,
            height if mirror_y else 0.0,
        )
        return compose(flip, calibrate)

    def check_face(self, face: str) -> None:
        """A profile calibrated for one face must not silently print on the other (offsets differ per face)."""
        if self.face is not None and self.face != face:
            raise UsageError(
                f"printer profile {self.source} is for the {self.face} of the card, but this print goes on the {face}; "
                f'use (or calibrate) a profile with face = "{face}"'
            )

    def describe(self) -> str:
        return (
            f"offset x {self.offset_x:+.2f} mm, y {self.offset_y:+.2f} mm, rotation {self.rotation:+.2f}°, "
            f"scale {self.scale:.4f}, flip {self.duplex_flip}, {self.dpi:g} dpi"
        )


DEFAULT_PROFILE = PrinterProfile(name="no printer profile", source="(no --printer)")


def compose(outer: Affine, inner: Affine) -> Affine:
    """``outer ∘ inner``: apply ``inner`` first."""
    a1, b1, c1, d1, e1, f1 = outer
    a2, b2, c2, d2, e2, f2 = inner
    return (
        a1 * a2 + c1 * b2,
        b1 * a2 + d1 * b2,
        a1 * c2 + c1 * d2,
        b1 * c2 + d1 * d2,
        a1 * e2 + c1 * f2 + e1,
        b1 * e2 + d1 * f2 + f1,
    )


def apply(transform: Affine, x: float, y: float) -> tuple[float, float]:
    a, b, c, d, e, f = transform
    return (a * x + c * y + e, b * x + d * y + f)


def invert(transform: Affine) -> Affine:
    a, b, c, d, e, f = transform
    det = a * d - b * c
    ia, ib, ic, id_ = d / det, -b / det, -c / det, a / det
    return (ia, ib, ic, id_, -(ia * e + ic * f), -(ib * e + id_ * f))


def available_profiles() -> list[str]:
    return sorted(p.stem for p in PRINTER_DIR.glob("*.toml"))


def resolve_profile_path(ref: str) -> Path:
    """A path as given, else a profile name under ``layouts/printers/``."""
    path = Path(ref).expanduser()
    if path.is_file():
        return path
    named = PRINTER_DIR / f"{ref.removesuffix('.toml')}.toml"
    if named.is_file():
        return named
    known = ", ".join(available_profiles()) or "none"
    raise UsageError(f"printer profile {ref!r} not found: give a TOML file or one of the profiles in {PRINTER_DIR} ({known})")


def load_profile(ref: str | None) -> PrinterProfile:
    """The profile named or given by path; no reference gives the uncorrected default at 300 dpi."""
    if ref is None:
        return DEFAULT_PROFILE
    path = resolve_profile_path(ref)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise UsageError(f"{path}: cannot read the printer profile: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise UsageError(f"{path}: the printer profile is not UTF-8 text") from None
    except tomllib.TOMLDecodeError as exc:
        raise UsageError(f"{path}: not a valid TOML printer profile: {exc}") from None
    return parse_profile(data, str(path))


def _number(data: dict[str, Any], key: str, source: str, default: float, low: float, high: float, unit: str) -> float:
    value = data.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise UsageError(f"{source}: '{key}' must be a number ({unit}), got {value!r}")
    number = float(value)
    if not low <= number <= high:
        raise UsageError(f"{source}: '{key}' must lie between {low:g} and {high:g} {unit}, got {number:g}")
    return number


def parse_profile(data: dict[str, Any], source: str) -> PrinterProfile:
    unknown = [k for k in data if k not in KEYS]
    if unknown:
        raise UsageError(f"{source}: unknown key '{unknown[0]}' (known: {', '.join(KEYS)})")
    name = data.get("name", Path(source).stem)
    if not isinstance(name, str) or not name.strip():
        raise UsageError(f"{source}: 'name' must be text, got {name!r}")
    face = data.get("face")
    if face is not None and face not in ("front", "back"):
        raise UsageError(f'{source}: \'face\' must be "front" or "back", got {face!r}')
    flip = data.get("duplex_flip", "none")
    if flip not in FLIPS:
        raise UsageError(f"{source}: 'duplex_flip' must be one of {', '.join(FLIPS)}, got {flip!r}")
    return PrinterProfile(
        name=name.strip(),
        source=source,
        face=cast(FaceName | None, face),
        dpi=_number(data, "dpi", source, DEFAULT_DPI, 72, 2400, "dpi"),
        offset_x=_number(data, "offset_x", source, 0.0, -MAX_OFFSET_MM, MAX_OFFSET_MM, "mm"),
        offset_y=_number(data, "offset_y", source, 0.0, -MAX_OFFSET_MM, MAX_OFFSET_MM, "mm"),
        rotation=_number(data, "rotation", source, 0.0, -MAX_ROTATION_DEG, MAX_ROTATION_DEG, "degrees"),
        scale=_number(data, "scale", source, 1.0, *SCALE_RANGE, ""),
        duplex_flip=cast(Flip, flip),
    )

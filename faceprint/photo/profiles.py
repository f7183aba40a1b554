"""Thresholds of every photo check, per profile, in one table with the source of each figure.

A profile maps a check name to a ``Limit``; a check that a profile does not list is not applied
under it (ICAO, for example, has no millimetre geometry).  References are to
``docs/reference/card-standards.md`` (CS) and ``docs/reference/photo-quality.md`` (PQ).
A figure that those sheets mark UNCONFIRMED, or that is a choice of this project because no
standard gives a pass/fail value (OFIQ, ISO/IEC 29794-5, only gives 0–100 scores), is a named
constant below with a comment saying so.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

# --- Print geometry ------------------------------------------------------------------------
# 45 mm (H) × 35 mm (W): MOFA passport photo (CS §6b) and J-LIS My Number application photo (CS §6c).
PRINT_H_MM = 45.0
PRINT_W_MM = 35.0
# Crown to chin 34 ± 2 mm and 4 ± 2 mm above the crown: MOFA passport spec (CS §6b; fukuoka-passport.com,
# tomei-color.com).  J-LIS's own figure is UNCONFIRMED (CS §6c): the passport figures are applied to
# My Number too, as PQ §2.2 notes is common practice.
HEAD_MM = (32.0, 36.0)
TOP_MARGIN_MM = (2.0, 6.0)
NOMINAL_HEAD_MM = 34.0
NOMINAL_TOP_MARGIN_MM = 4.0
# "Face centre 17 ± 2 mm from the side" (CS §6b, tomei-color.com; secondary).  On a 35 mm print the
# centred line is at 17.5 mm; PQ §2.2 reads the rule as 17.5 ± 2 mm, which is what is checked.
CENTRE_MM = (15.5, 19.5)

# --- Project choices and UNCONFIRMED figures -------------------------------------------------
# Aspect tolerance around 45:35: no source gives one; 2 % is a project choice (a 45 × 35 print cut
# 0.5 mm off in one direction stays inside it).
ASPECT_TOLERANCE = 0.02
# ISO/IEC 19794-5 full frontal W:H between 1:1.25 and 1:1.34 — recalled, not read: UNCONFIRMED.
ICAO_ASPECT = (1.25, 1.34)
# Inter-eye distance ≥ 90 px: CS §6a marks it UNCONFIRMED; PQ §2.1 rates it "good" (photogov.app).
MIN_IED_PX = 90.0
# Eye line 50–70 % of the height above the bottom edge (INCITS 385 / ISO 19794-5 Annex A best practice
# via FaceOFFx, PQ §2.1 "medium"); CS §6a marks it UNCONFIRMED.
EYE_LINE = (0.50, 0.70)
# Face centre 45–55 % of the width (ISO/IEC 19794-5:2005 §8.3, recalled): UNCONFIRMED (CS §6a).
ICAO_CENTRE = (0.45, 0.55)
# Chin to crown 70–80 % of the image height: ICAO 9303 guidance via qastack.id (CS §6a, secondary).
ICAO_HEAD = (0.70, 0.80)
# Pose: yaw and pitch within ±5°, roll within ±8°, ISO/IEC 19794-5:2011 §7.2.2 as quoted by the
# VisionLabs LUNA SDK docs (CS §6a, PQ §2.1 "good").
MAX_YAW_DEG = 5.0
MAX_PITCH_DEG = 5.0
MAX_ROLL_DEG = 8.0
# Online application file: 480–6000 px per side, 20 KB–7 MB, JPEG (dime.jp and others, all secondary;
# CS §6c).  PNG is accepted as well because the tool also checks scans for print.
MIN_SIDE_PX = 480
MAX_SIDE_PX = 6000
FILE_KB = (20.0, 7000.0)
# Eyes open: smallest eyelid gap / eye width.  No standard value; PQ §5.1 prototype: compliant 0.30,
# squint 0.08, "threshold about 0.15".  Project choice, UNCONFIRMED.
MIN_EYE_OPENING = 0.15
# Eyes visible: grey spread inside the eyelid contour over that of the face (checks.eyes_visible).
# Project choice, UNCONFIRMED: covered eyes and dark lenses measure 0.00, a squint 0.22, open eyes
# 0.46 (blurred) to 1.5; PQ §5.2 explains why landmarks alone cannot tell.
MIN_EYE_CONTRAST = 0.30
# Mouth closed: inner-lip gap / eye-to-chin distance T (OFIQ MouthClosed raw value, PQ §1.4, whose
# score is 50 at 0.20).  Cut-off 0.05 is a project choice (a closed mouth measures ~0), UNCONFIRMED.
MAX_MOUTH_GAP = 0.05
# Background uniformity: OFIQ BackgroundUniformity's measure (mean Sobel magnitude over the background,
# PQ §1.4; OFIQ score 91 at 19, 76 at 50), here on sRGB-encoded grey (see checks.background_uniformity).
# Cut-off 10 is a project choice, UNCONFIRMED: plain backgrounds measure < 2, sensor noise ~4.
MAX_BACKGROUND_GRADIENT = 10.0
# Background brightness: "plain, light background" (ICAO via qastack.id; MOFA, CS §6b) has no number.
# 0.55 (mean sRGB luminance, 0–1) is a project choice, UNCONFIRMED; PQ §5.2 shows why it is needed.
MIN_BACKGROUND_LUMINANCE = 0.55
# Illumination uniformity: OFIQ raw value (histogram intersection of the two cheek zones, PQ §1.4).
# Cut-off 0.10 (OFIQ score 50) is a project choice, UNCONFIRMED.
MIN_ILLUMINATION_UNIFORMITY = 0.10
# Exposure on OFIQ's linear luminance (PQ §1.2, §1.4): fractions of face pixels ≤ 25 and ≥ 247.
# OFIQ gives scores only; 0.50 and 0.05 are project choices, UNCONFIRMED.
MAX_DARK_FRACTION = 0.50
MAX_BRIGHT_FRACTION = 0.05
# Dynamic range: entropy of the face luminance histogram in bits (OFIQ DynamicRange).  ISO 19794-5's
# "7 bits of intensity variation" is recalled, UNCONFIRMED (PQ §2.1), and OFIQ's entropy is not the same
# quantity; 5.5 bits (OFIQ score 69) is a project choice, UNCONFIRMED.
MIN_ENTROPY_BITS = 5.5
# Sharpness: contrast-normalised Laplacian energy at a fixed face scale (see checks.sharpness).  OFIQ uses
# a random forest on similar features (PQ §1.4); the cut-off is a project choice, UNCONFIRMED.
MIN_SHARPNESS = 0.06
# Compression: 8×8 JPEG blockiness ratio (see checks.compression); 1.0 means no block structure.
# Project choice, UNCONFIRMED (OFIQ uses a CNN, PQ §1.4).
MAX_BLOCKINESS = 1.35
# Greyscale suitability: 5–95 % luminance range of the face after conversion (PQ §6).  Project choice,
# UNCONFIRMED.
MIN_GREY_RANGE = 0.25


@dataclass(frozen=True)
class Limit:
    """An inclusive range for a measured value; ``None`` leaves that side open."""

    low: float | None
    high: float | None
    unit: str
    source: str
    confirmed: bool = True
    wording: str = ""  # shown instead of the range when the rule is not numeric

    def contains(self, value: float) -> bool:
        """True when ``value`` lies within the range (ends included)."""
        if self.low is not None and value < self.low:
            return False
        return not (self.high is not None and value > self.high)

    def text(self) -> str:
        """Human-readable form: ``32–36 mm``, ``≥ 90 px``, ``≤ 0.05``."""
        if self.wording:
            return self.wording
        unit = f" {self.unit}" if self.unit and self.unit != "°" else self.unit
        if self.low is not None and self.high is not None:
            if self.low == self.high:
                return f"= {_fmt(self.low)}{unit}"
            if self.low == -self.high:
                return f"±{_fmt(self.high)}{unit}"
            return f"{_fmt(self.low)}–{_fmt(self.high)}{unit}"
        if self.low is not None:
            return f"≥ {_fmt(self.low)}{unit}"
        if self.high is not None:
            return f"≤ {_fmt(self.high)}{unit}"
        return "any"


def _fmt(value: float) -> str:
    return f"{value:g}"


@dataclass(frozen=True)
class Profile:
    """A named set of limits plus the print size that mm figures refer to."""

    name: str
    description: str
    limits: Mapping[str, Limit]
    print_h_mm: float | None = None
    print_w_mm: float | None = None
    formats: frozenset[str] = field(default_factory=lambda: frozenset({"JPEG", "PNG"}))


_MOFA = "MOFA passport photo spec, CS §6b"
_JLIS_ONLINE = "J-LIS online application rules (secondary), CS §6c"
_ISO_POSE = "ISO/IEC 19794-5:2011 §7.2.2 via LUNA SDK docs, CS §6a"
_OFIQ_CUT = "OFIQ v1.0.3 (ISO/IEC 29794-5) raw value, PQ §1.4; cut-off: project choice"
_PROJECT = "project choice"
_PLAIN_FORMAT = "readable JPEG or PNG, RGB or greyscale"
_FORMAT_RULE = "JPEG/PNG, not CMYK"
_ISO_RECALLED = "ISO/IEC 19794-5 (recalled, UNCONFIRMED), PQ §2.1"


def _unconfirmed(low: float | None, high: float | None, unit: str, source: str) -> Limit:
    """A limit whose figure is UNCONFIRMED or a project choice (shown as such in the report)."""
    return Limit(low, high, unit, source, confirmed=False)


def _common() -> dict[str, Limit]:
    """Limits that every profile applies the same way."""
    return {
        "single_face": Limit(1, 1, "", "ICAO 9303 (applicant only), CS §6a–6c"),
        "eye_line": _unconfirmed(*EYE_LINE, "of H", "INCITS 385 / ISO 19794-5 (UNCONFIRMED), PQ §2.1"),
        "inter_eye_distance": _unconfirmed(MIN_IED_PX, None, "px", "ISO 19794-5 (UNCONFIRMED), PQ §2.1"),
        "pose_roll": Limit(-MAX_ROLL_DEG, MAX_ROLL_DEG, "°", _ISO_POSE),
        "pose_yaw": Limit(-MAX_YAW_DEG, MAX_YAW_DEG, "°", _ISO_POSE),
        "pose_pitch": Limit(-MAX_PITCH_DEG, MAX_PITCH_DEG, "°", _ISO_POSE),
        "eyes_open": _unconfirmed(MIN_EYE_OPENING, None, "", f"{_PROJECT} (PQ §5.1 prototype)"),
        "eyes_visible": _unconfirmed(MIN_EYE_CONTRAST, None, "", f"{_PROJECT} (PQ §5.2)"),
        "mouth_closed": _unconfirmed(None, MAX_MOUTH_GAP, "of T", _OFIQ_CUT),
        "background_uniformity": _unconfirmed(None, MAX_BACKGROUND_GRADIENT, "", _OFIQ_CUT),
        "background_brightness": _unconfirmed(MIN_BACKGROUND_LUMINANCE, None, "", f"{_PROJECT} (PQ §5.2)"),
        "illumination_uniformity": _unconfirmed(MIN_ILLUMINATION_UNIFORMITY, None, "", _OFIQ_CUT),
        "exposure_under": _unconfirmed(None, MAX_DARK_FRACTION, "of face", _OFIQ_CUT),
        "exposure_over": _unconfirmed(None, MAX_BRIGHT_FRACTION, "of face", _OFIQ_CUT),
        "dynamic_range": _unconfirmed(MIN_ENTROPY_BITS, None, "bits", _OFIQ_CUT),
        "sharpness": _unconfirmed(MIN_SHARPNESS, None, "", _PROJECT),
        "compression": _unconfirmed(None, MAX_BLOCKINESS, "", _PROJECT),
        "greyscale_contrast": _unconfirmed(MIN_GREY_RANGE, None, "", f"{_PROJECT} (PQ §6)"),
    }


def _print_geometry(h_mm: float, w_mm: float) -> dict[str, Limit]:
    """The MOFA mm rules, also expressed as fractions of the image (PQ §2.2 pixel table)."""
    aspect = h_mm / w_mm
    low, high = round(aspect * (1 - ASPECT_TOLERANCE), 3), round(aspect * (1 + ASPECT_TOLERANCE), 3)
    return {
        "aspect_ratio": Limit(low, high, "H/W", f"45 × 35 mm ({_MOFA}); tolerance {_PROJECT}"),
        "head_height": Limit(round(HEAD_MM[0] / h_mm, 3), round(HEAD_MM[1] / h_mm, 3), "of H", _MOFA),
        "head_height_mm": Limit(*HEAD_MM, "mm", _MOFA),
        "top_margin_mm": Limit(*TOP_MARGIN_MM, "mm", _MOFA),
        "horizontal_centring": Limit(*CENTRE_MM, "mm", f"{_MOFA} (secondary)"),
    }


PROFILES: dict[str, Profile] = {
    "mynumber": Profile(
        name="mynumber",
        description="My Number card application photo (J-LIS), passport geometry",
        print_h_mm=PRINT_H_MM,
        print_w_mm=PRINT_W_MM,
        limits={
            "image_format": Limit(None, None, "", f"{_JLIS_ONLINE}; PNG accepted here", wording=_FORMAT_RULE),
            "file_size": Limit(*FILE_KB, "KB", _JLIS_ONLINE),
            "image_size": Limit(MIN_SIDE_PX, None, "px", f"{_JLIS_ONLINE}: 480–6000 px per side"),
            **_print_geometry(PRINT_H_MM, PRINT_W_MM),
            **_common(),
        },
    ),
    "passport": Profile(
        name="passport",
        description="Japanese passport photo (MOFA, ICAO-based)",
        print_h_mm=PRINT_H_MM,
        print_w_mm=PRINT_W_MM,
        limits={
            "image_format": Limit(None, None, "", _PLAIN_FORMAT, wording=_FORMAT_RULE),
            **_print_geometry(PRINT_H_MM, PRINT_W_MM),
            **_common(),
        },
    ),
    "icao": Profile(
        name="icao",
        description="ICAO Doc 9303 / ISO/IEC 19794-5 full-frontal portrait",
        limits={
            "image_format": Limit(None, None, "", _PLAIN_FORMAT, wording=_FORMAT_RULE),
            "aspect_ratio": _unconfirmed(*ICAO_ASPECT, "H/W", _ISO_RECALLED),
            "head_height": Limit(*ICAO_HEAD, "of H", "ICAO 9303 guidance (secondary), CS §6a"),
            "horizontal_centring": _unconfirmed(*ICAO_CENTRE, "of W", _ISO_RECALLED),
            **_common(),
        },
    ),
}


def get_profile(name: str) -> Profile:
    """The profile called ``name``; raises ``KeyError`` naming the known ones."""
    try:
        return PROFILES[name]
    except KeyError:
        raise KeyError(f"unknown photo profile {name!r} (known: {', '.join(PROFILES)})") from None

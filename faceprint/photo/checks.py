"""The portrait checks: one small function each, measured on a shared ``Analysis``.

Each function returns a ``Measured`` value in the unit its profile limit names; ``run_checks`` compares
it with the limit.  A function raises ``NotRunnable`` when it cannot measure (no face, crown outside the
image, detector missing): the result is then ``not_run`` with that reason, never a pass.  Thresholds
live in ``profiles.py`` with their sources; formulas that follow OFIQ (ISO/IEC 29794-5) name the
component, see photo-quality.md §1.4.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

import cv2
import numpy as np
import numpy.typing as npt

from faceprint.photo.analysis import (
    CORNERS_A,
    CORNERS_B,
    EYE_RING_A,
    EYE_RING_B,
    EYELIDS_A,
    EYELIDS_B,
    INNER_LIPS,
    Analysis,
    NotRunnable,
)
from faceprint.photo.profiles import MAX_SIDE_PX, Limit, Profile
from faceprint.tolerances import FLAT_SPREAD, MIN_DIVISOR

Status = Literal["pass", "fail", "not_run"]


@dataclass(frozen=True)
class Measured:
    """What a check function found: the value, an optional verdict override and a note."""

    value: float | str
    ok: bool | None = None  # None: decide by the limit
    detail: str = ""


@dataclass(frozen=True)
class CheckResult:
    """One line of the report."""

    name: str
    label: str
    status: Status
    value: float | str | None
    unit: str
    limit: str
    source: str
    detail: str = ""  # for not_run: the reason


CheckFunc = Callable[[Analysis, Profile, Limit], Measured]


@dataclass(frozen=True)
class Check:
    name: str
    label: str
    func: CheckFunc


CHECKS: list[Check] = []


def check(name: str, label: str) -> Callable[[CheckFunc], CheckFunc]:
    """Register a check function under ``name`` (the key its profile limits use)."""

    def register(func: CheckFunc) -> CheckFunc:
        CHECKS.append(Check(name, label, func))
        return func

    return register


def run_checks(analysis: Analysis, profile: Profile) -> list[CheckResult]:
    """Every check the profile has a limit for, in registration order."""
    results = []
    for item in CHECKS:
        limit = profile.limits.get(item.name)
        if limit is None:
            continue
        try:
            measured = item.func(analysis, profile, limit)
        except NotRunnable as exc:
            reason = str(exc)
        except Exception as exc:  # a crash on an odd image is reported, never passed; the batch goes on
            reason = f"could not run: {type(exc).__name__}: {exc}"
        else:
            reason = ""
        if reason:
            results.append(CheckResult(item.name, item.label, "not_run", None, limit.unit, limit.text(), limit.source, reason))
            continue
        value = measured.value
        if measured.ok is not None:
            ok = measured.ok
        elif isinstance(value, str):
            raise TypeError(f"check {item.name} returned text without a verdict")
        else:
            ok = limit.contains(value)
        if isinstance(value, float):
            value = round(value, 3)
        results.append(
            CheckResult(
                item.name, item.label, "pass" if ok else "fail", value, limit.unit, limit.text(), limit.source, measured.detail
            )
        )
    return results


def _print_scale(profile: Profile, analysis: Analysis, axis: Literal["h", "w"]) -> float:
    """mm per pixel when the whole image is printed at the profile's print size."""
    if axis == "h":
        if profile.print_h_mm is None:
            raise NotRunnable("profile has no print size")
        return profile.print_h_mm / analysis.height
    if profile.print_w_mm is None:
        raise NotRunnable("profile has no print size")
    return profile.print_w_mm / analysis.width


# --- file and image -------------------------------------------------------------------------------


@check("image_format", "Image format")
def image_format(a: Analysis, profile: Profile, limit: Limit) -> Measured:
    """A decodable JPEG/PNG in RGB or greyscale: J-LIS rejects CMYK (card-standards.md §6c)."""
    fmt = a.format or "unknown"
    ok = fmt in profile.formats and a.mode not in ("CMYK", "I;16", "I", "F")
    return Measured(f"{fmt} {a.mode}", ok)


@check("file_size", "File size")
def file_size(a: Analysis, profile: Profile, limit: Limit) -> Measured:
    if a.file_size is None:
        raise NotRunnable("file size unknown (image given in memory)")
    return Measured(a.file_size / 1000.0)


@check("image_size", "Image size (short side)")
def image_size(a: Analysis, profile: Profile, limit: Limit) -> Measured:
    """Shorter side in px; the longer side must stay within the J-LIS maximum too."""
    short, long_ = min(a.width, a.height), max(a.width, a.height)
    ok = limit.contains(short) and long_ <= MAX_SIDE_PX
    return Measured(float(short), ok, f"{a.width}×{a.height}; max side {MAX_SIDE_PX}")


@check("aspect_ratio", "Aspect ratio")
def aspect_ratio(a: Analysis, profile: Profile, limit: Limit) -> Measured:
    return Measured(a.height / a.width)


# --- face presence and geometry -------------------------------------------------------------------


@check("single_face", "Exactly one face")
def single_face(a: Analysis, profile: Profile, limit: Limit) -> Measured:
    """Count from FaceMesh and the full-range detector (the larger count wins)."""
    return Measured(float(a.face_count))


def _head_px(a: Analysis, limit: Limit, scale: float) -> Measured:
    """Crown-to-chin height times ``scale``; a cut-off crown only gives a lower bound."""
    height = (a.chin_y - a.crown_y) * scale
    if a.crown_cut:
        if limit.high is not None and height > limit.high:
            return Measured(height, False, "crown cut off: value is a lower bound")
        raise NotRunnable("crown above the image: height unknown")
    if a.chin_y >= a.height - 1:
        raise NotRunnable("chin at the bottom edge: head height unknown")
    return Measured(height)


@check("head_height", "Head height / image")
def head_height(a: Analysis, profile: Profile, limit: Limit) -> Measured:
    return _head_px(a, limit, 1.0 / a.height)


@check("head_height_mm", "Head height (print)")
def head_height_mm(a: Analysis, profile: Profile, limit: Limit) -> Measured:
    return _head_px(a, limit, _print_scale(profile, a, "h"))


@check("top_margin_mm", "Top margin (crown)")
def top_margin_mm(a: Analysis, profile: Profile, limit: Limit) -> Measured:
    note = "head touches the top edge" if a.crown_cut else ""
    return Measured(a.crown_y * _print_scale(profile, a, "h"), None, note)


@check("horizontal_centring", "Face centre from left")
def horizontal_centring(a: Analysis, profile: Profile, limit: Limit) -> Measured:
    """ISO 19794-5's M point: midway between the eye midpoint and the mouth centre."""
    centre_x = float((a.eye_mid[0] + a.mouth_mid[0]) / 2.0)
    if limit.unit == "mm":
        return Measured(centre_x * _print_scale(profile, a, "w"))
    return Measured(centre_x / a.width)


@check("eye_line", "Eye line from bottom")
def eye_line(a: Analysis, profile: Profile, limit: Limit) -> Measured:
    return Measured(1.0 - float(a.eye_mid[1]) / a.height)


@check("inter_eye_distance", "Inter-eye distance")
def inter_eye_distance(a: Analysis, profile: Profile, limit: Limit) -> Measured:
    """Between the iris centres, in image pixels (OFIQ 0x52 without the yaw correction)."""
    return Measured(a.ied)


@check("pose_roll", "Head roll")
def pose_roll(a: Analysis, profile: Profile, limit: Limit) -> Measured:
    return Measured(a.roll)


@check("pose_yaw", "Head yaw (estimated)")
def pose_yaw(a: Analysis, profile: Profile, limit: Limit) -> Measured:
    return Measured(a.face_axes[0], None, "landmark estimate")


@check("pose_pitch", "Head pitch (estimated)")
def pose_pitch(a: Analysis, profile: Profile, limit: Limit) -> Measured:
    return Measured(a.face_axes[1], None, "landmark estimate")


# --- eyes and mouth -------------------------------------------------------------------------------


def _eye_opening(a: Analysis, lids: tuple[tuple[int, int], ...], corners: tuple[int, int]) -> float:
    width = float(np.hypot(*(a.face.xy(corners[0]) - a.face.xy(corners[1]))))
    gap = max(float(np.hypot(*(a.face.xy(u) - a.face.xy(d)))) for u, d in lids)
    return gap / width if width > 0 else 0.0


@check("eyes_open", "Eyes open")
def eyes_open(a: Analysis, profile: Profile, limit: Limit) -> Measured:
    """The less open eye counts, as in OFIQ EyesOpen; landmarks only, so see ``eyes_visible`` too."""
    left = _eye_opening(a, EYELIDS_A, CORNERS_A)
    right = _eye_opening(a, EYELIDS_B, CORNERS_B)
    return Measured(min(left, right), None, f"per eye {left:.2f} / {right:.2f}")


def _eye_aperture(a: Analysis, ring: tuple[int, ...]) -> npt.NDArray[np.float32]:
    """Grey values inside the eyelid contour of one eye (mask drawn in the eye's box only)."""
    pts = a.face.points[list(ring), :2].round().astype(np.int32)
    x0, y0 = np.maximum(pts.min(axis=0), 0)
    x1, y1 = np.minimum(pts.max(axis=0) + 1, (a.width, a.height))
    if x1 <= x0 or y1 <= y0:
        return np.zeros(0, np.float32)
    mask = np.zeros((y1 - y0, x1 - x0), np.uint8)
    cv2.fillPoly(mask, [pts - (x0, y0)], 1)
    return np.asarray(a.grey[y0:y1, x0:x1][mask.astype(bool)], dtype=np.float32)


def _spread(values: npt.NDArray[np.float32]) -> float:
    if values.size < 4:
        return 0.0
    lo, hi = np.percentile(values, [5, 95])
    return float(hi - lo)


@check("eyes_visible", "Eyes visible")
def eyes_visible(a: Analysis, profile: Profile, limit: Limit) -> Measured:
    """An open, visible eye has the strongest contrast of the face (iris against sclera).

    FaceMesh places eye points even behind sunglasses or a hand (photo-quality.md §5.2), so this
    looks at pixels: the 5–95 % grey spread inside each eyelid contour against that of the whole face.
    A lens, patch or hand is flat there (measured 0.00; open eyes 0.5–1.5).
    """
    face_spread = _spread(a.grey[a.face_region])
    if face_spread <= FLAT_SPREAD:
        return Measured(0.0, None, "face has no contrast")
    values = []
    for ring in (EYE_RING_A, EYE_RING_B):
        values.append(_spread(_eye_aperture(a, ring)) / face_spread)
    return Measured(min(values), None, f"per eye {values[0]:.2f} / {values[1]:.2f}")


@check("mouth_closed", "Mouth closed")
def mouth_closed(a: Analysis, profile: Profile, limit: Limit) -> Measured:
    """OFIQ MouthClosed raw value: largest inner-lip gap over the eye-to-chin distance T."""
    gap = max(float(np.hypot(*(a.face.xy(u) - a.face.xy(d)))) for u, d in INNER_LIPS)
    return Measured(gap / a.eye_to_chin)


# --- background and light -------------------------------------------------------------------------

# OFIQ measures background gradients on its aligned, resized face image, where the inter-eye distance
# is about 81 px (113 px in the 616 px alignment, then resized by 354/492): resample to that scale so
# the gradient values compare with OFIQ's.
_OFIQ_BACKGROUND_IED = 81.0


@check("background_uniformity", "Background uniformity")
def background_uniformity(a: Analysis, profile: Profile, limit: Limit) -> Measured:
    """OFIQ BackgroundUniformity's measure: mean Sobel magnitude over the background.

    Unlike OFIQ it runs on sRGB-encoded grey (0–255) rather than linear luminance: in linear light a
    dark, busy background has small gradients (george 8 linear vs 22 encoded), which would pass.
    """
    scale = _OFIQ_BACKGROUND_IED / a.ied
    size = (max(1, round(a.width * scale)), max(1, round(a.height * scale)))
    lum = cv2.resize(a.grey * 255.0, size, interpolation=cv2.INTER_AREA)
    mask = cv2.resize(a.background.astype(np.uint8), size, interpolation=cv2.INTER_NEAREST).astype(bool)
    if mask.sum() < 50:
        raise NotRunnable("too little background to measure")
    gx = cv2.Sobel(lum, cv2.CV_32F, 1, 0, ksize=3)
    gy = cv2.Sobel(lum, cv2.CV_32F, 0, 1, ksize=3)
    magnitude = np.sqrt(gx * gx + gy * gy)
    return Measured(float(magnitude[mask].mean()), None, f"background {mask.mean():.0%} of image")


@check("background_brightness", "Background brightness")
def background_brightness(a: Analysis, profile: Profile, limit: Limit) -> Measured:
    """Mean grey (sRGB-encoded, 0–1) of the background: the rules ask for a light one."""
    mask = a.background
    if mask.sum() < 50:
        raise NotRunnable("too little background to measure")
    return Measured(float(a.grey[mask].mean()))


def _zone(a: Analysis, centre: npt.NDArray[np.float64], side: float) -> npt.NDArray[np.float32]:
    half = side / 2.0
    x0, y0 = int(max(0, centre[0] - half)), int(max(0, centre[1] - half))
    x1, y1 = int(min(a.width, centre[0] + half)), int(min(a.height, centre[1] + half))
    if x1 - x0 < 2 or y1 - y0 < 2:
        raise NotRunnable("cheek zone outside the image")
    return a.linear_luminance[y0:y1, x0:x1]


def _histogram(values: npt.NDArray[np.float32]) -> npt.NDArray[np.float64]:
    hist, _ = np.histogram(values, bins=256, range=(0.0, 256.0))
    return hist.astype(np.float64) / max(1, int(hist.sum()))


@check("illumination_uniformity", "Illumination uniformity")
def illumination_uniformity(a: Analysis, profile: Profile, limit: Limit) -> Measured:
    """OFIQ IlluminationUniformity: histogram intersection of two cheek zones.

    Zones of side 0.3·IED sit below each eye by half the eye-to-mouth vector, so they follow roll.
    """
    down = (a.mouth_mid - a.eye_mid) * 0.5
    left, right = a.eyes
    h_left = _histogram(_zone(a, left + down, 0.3 * a.ied))
    h_right = _histogram(_zone(a, right + down, 0.3 * a.ied))
    raw = float(np.minimum(h_left, h_right).sum())
    return Measured(raw, None, f"OFIQ score {round(100 * raw**0.3)}")


def _face_pixels(a: Analysis) -> npt.NDArray[np.float32]:
    values = a.linear_luminance[a.face_region]
    if values.size < 100:
        raise NotRunnable("face region too small")
    return values


@check("exposure_under", "Under-exposure")
def exposure_under(a: Analysis, profile: Profile, limit: Limit) -> Measured:
    """OFIQ UnderExposurePrevention raw value: share of face pixels with linear luminance ≤ 25."""
    return Measured(float((_face_pixels(a) <= 25).mean()))


@check("exposure_over", "Over-exposure")
def exposure_over(a: Analysis, profile: Profile, limit: Limit) -> Measured:
    """OFIQ OverExposurePrevention raw value: share of face pixels with linear luminance ≥ 247."""
    return Measured(float((_face_pixels(a) >= 247).mean()))


@check("dynamic_range", "Dynamic range")
def dynamic_range(a: Analysis, profile: Profile, limit: Limit) -> Measured:
    """OFIQ DynamicRange raw value: Shannon entropy of the face luminance histogram, in bits."""
    hist = _histogram(_face_pixels(a))
    nonzero = hist[hist > 0]
    return Measured(float(-(nonzero * np.log2(nonzero)).sum()))


# --- sharpness, compression, greyscale ------------------------------------------------------------

# Scale at which sharpness is measured, so that the value does not depend on the photo's resolution.
_SHARPNESS_IED = 100.0


@check("sharpness", "Sharpness")
def sharpness(a: Analysis, profile: Profile, limit: Limit) -> Measured:
    """Laplacian energy over the face at IED 100 px, divided by the face's own grey spread.

    Dividing by contrast keeps dark or flat but sharp photos from reading as blurred, the pitfall of a
    raw Laplacian variance noted in photo-quality.md §5.1; exposure has its own checks.
    """
    scale = _SHARPNESS_IED / a.ied
    size = (max(1, round(a.width * scale)), max(1, round(a.height * scale)))
    interpolation = cv2.INTER_AREA if scale < 1 else cv2.INTER_LINEAR
    grey = cv2.resize(a.grey, size, interpolation=interpolation)
    region = cv2.resize(a.face_region.astype(np.uint8), size, interpolation=cv2.INTER_NEAREST)
    region = cv2.erode(region, np.ones((5, 5), np.uint8)).astype(bool)
    if region.sum() < 100:
        raise NotRunnable("face region too small")
    spread = _spread(grey[region])
    if spread <= FLAT_SPREAD:
        return Measured(0.0, None, "face has no contrast")
    laplacian = cv2.Laplacian(grey, cv2.CV_32F, ksize=3)
    return Measured(float(np.abs(laplacian[region]).mean()) / spread)


def _blockiness(grey: npt.NDArray[np.float32]) -> float:
    """Mean step across 8-px block edges over the mean step elsewhere, best grid offset, both axes."""
    ratios = []
    for diffs in (np.abs(np.diff(grey, axis=1)), np.abs(np.diff(grey, axis=0)).T):
        column_mean = diffs.mean(axis=0)
        if column_mean.size < 16:
            return 1.0
        per_offset = []
        for offset in range(8):
            edge = column_mean[offset::8]
            other = np.delete(column_mean, np.s_[offset::8])
            per_offset.append(float(edge.mean()) / max(float(other.mean()), MIN_DIVISOR))
        ratios.append(per_offset)
    return max((h + v) / 2.0 for h, v in zip(ratios[0], ratios[1], strict=True))


def _jpeg_quality(a: Analysis) -> int | None:
    """IJG quality whose scaled luminance table best matches the file's (None if not a JPEG).

    Baseline tables clamp at 255, so the match is made on the clamped table sum for q = 1…100.
    """
    tables = getattr(a.image, "quantization", None)
    if not tables or 0 not in tables:
        return None
    total = float(np.sum(tables[0]))
    return min(range(1, 101), key=lambda q: abs(_ijg_table_sum(q) - total))


# IJG standard luminance quantisation table (ITU-T T.81 Annex K, table K.1).
_IJG_LUMA = np.array(
    [
        16,
        11,
        10,
        16,
        24,
        40,
        51,
        61,
        12,
        12,
        14,
        19,
        26,
        58,
        60,
        55,
        14,
        13,
        16,
        24,
        40,
        57,
        69,
        56,
        14,
        17,
        22,
        29,
        51,
        87,
        80,
        62,
        18,
        22,
        37,
        56,
        68,
        109,
        103,
        77,
        24,
        35,
        55,
        64,
        81,
        104,
        113,
        92,
        49,
        64,
        78,
        87,
        103,
        121,
        120,
        101,
        72,
        92,
        95,
        98,
        112,
        100,
        103,
        99,
    ],
    dtype=np.float64,
)


def _ijg_table_sum(quality: int) -> float:
    """Sum of the K.1 table scaled the way libjpeg's ``jpeg_quality_scaling`` does."""
    scale = 5000.0 / quality if quality < 50 else 200.0 - 2.0 * quality
    return float(np.clip(np.floor((_IJG_LUMA * scale + 50.0) / 100.0), 1, 255).sum())


@check("compression", "Compression artefacts")
def compression(a: Analysis, profile: Profile, limit: Limit) -> Measured:
    """Block-edge steps in the face box; 1.0 means no JPEG grid.  Measured on the stored pixels."""
    pts = a.face.points[:, :2]
    x0, y0 = np.maximum(pts.min(axis=0).astype(int), 0)
    x1, y1 = pts.max(axis=0).astype(int) + 1
    region = (a.grey[y0:y1, x0:x1] * 255.0).astype(np.float32)
    if min(region.shape) < 24:
        raise NotRunnable("face too small to see an 8×8 grid")
    value = _blockiness(region)
    quality = _jpeg_quality(a)
    return Measured(value, None, f"JPEG quality ≈ {quality}" if quality is not None else "")


@check("greyscale_contrast", "Greyscale contrast")
def greyscale_contrast(a: Analysis, profile: Profile, limit: Limit) -> Measured:
    """5–95 % spread of the face in the greyscale rendering the card will print (0–1)."""
    values = a.grey[a.face_region]
    if values.size < 100:
        raise NotRunnable("face region too small")
    return Measured(_spread(values))


def summarise(results: list[CheckResult]) -> dict[str, int]:
    """Counts per status."""
    counts = {"pass": 0, "fail": 0, "not_run": 0}
    for result in results:
        counts[result.status] += 1
    return counts


def all_passed(results: list[CheckResult]) -> bool:
    """True only when every applied check ran and passed."""
    return bool(results) and all(r.status == "pass" for r in results)

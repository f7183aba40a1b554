"""Checks on the light on the face: even between the cheeks, not under- or over-exposed, enough range.

Each follows an OFIQ component on linear luminance of the face region (photo-quality.md §1.4).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from faceprint.photo.analysis import Analysis, NotRunnable
from faceprint.photo.checks.registry import Measured, check
from faceprint.photo.profiles import Limit, Profile


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

"""Checks on what the print keeps of the face's detail: sharpness, JPEG artefacts, greyscale contrast.

The card prints the portrait small and in grey, so blur, block artefacts and a flat grey rendering
are judged on the face region at a fixed scale.
"""

from __future__ import annotations

import cv2
import numpy as np

from faceprint.photo.analysis import Analysis, NotRunnable
from faceprint.photo.checks.jpeg_artefacts import blockiness, jpeg_quality
from faceprint.photo.checks.pixels import grey_spread
from faceprint.photo.checks.registry import Measured, check
from faceprint.photo.profiles import Limit, Profile
from faceprint.tolerances import FLAT_SPREAD

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
    spread = grey_spread(grey[region])
    if spread <= FLAT_SPREAD:
        return Measured(0.0, None, "face has no contrast")
    laplacian = cv2.Laplacian(grey, cv2.CV_32F, ksize=3)
    return Measured(float(np.abs(laplacian[region]).mean()) / spread)


@check("compression", "Compression artefacts")
def compression(a: Analysis, profile: Profile, limit: Limit) -> Measured:
    """Block-edge steps in the face box; 1.0 means no JPEG grid.  Measured on the stored pixels."""
    pts = a.face.points[:, :2]
    x0, y0 = np.maximum(pts.min(axis=0).astype(int), 0)
    x1, y1 = pts.max(axis=0).astype(int) + 1
    region = (a.grey[y0:y1, x0:x1] * 255.0).astype(np.float32)
    if min(region.shape) < 24:
        raise NotRunnable("face too small to see an 8×8 grid")
    value = blockiness(region)
    quality = jpeg_quality(a)
    return Measured(value, None, f"JPEG quality ≈ {quality}" if quality is not None else "")


@check("greyscale_contrast", "Greyscale contrast")
def greyscale_contrast(a: Analysis, profile: Profile, limit: Limit) -> Measured:
    """5–95 % spread of the face in the greyscale rendering the card will print (0–1)."""
    values = a.grey[a.face_region]
    if values.size < 100:
        raise NotRunnable("face region too small")
    return Measured(grey_spread(values))

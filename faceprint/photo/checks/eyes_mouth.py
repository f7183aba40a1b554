"""Checks on the eyes and mouth: eyes open, eyes visible (pixels, not only landmarks), mouth closed.

Landmarks are placed even behind sunglasses or a hand, so visibility looks at the pixels inside the
eyelid contour; that and the OFIQ openings share the eye landmark sets of ``analysis``.
"""

from __future__ import annotations

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
)
from faceprint.photo.checks.pixels import grey_spread
from faceprint.photo.checks.registry import Measured, check
from faceprint.photo.profiles import Limit, Profile
from faceprint.tolerances import FLAT_SPREAD


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


@check("eyes_visible", "Eyes visible")
def eyes_visible(a: Analysis, profile: Profile, limit: Limit) -> Measured:
    """An open, visible eye has the strongest contrast of the face (iris against sclera).

    FaceMesh places eye points even behind sunglasses or a hand (photo-quality.md §5.2), so this
    looks at pixels: the 5–95 % grey spread inside each eyelid contour against that of the whole face.
    A lens, patch or hand is flat there (measured 0.00; open eyes 0.5–1.5).
    """
    face_spread = grey_spread(a.grey[a.face_region])
    if face_spread <= FLAT_SPREAD:
        return Measured(0.0, None, "face has no contrast")
    values = []
    for ring in (EYE_RING_A, EYE_RING_B):
        values.append(grey_spread(_eye_aperture(a, ring)) / face_spread)
    return Measured(min(values), None, f"per eye {values[0]:.2f} / {values[1]:.2f}")


@check("mouth_closed", "Mouth closed")
def mouth_closed(a: Analysis, profile: Profile, limit: Limit) -> Measured:
    """OFIQ MouthClosed raw value: largest inner-lip gap over the eye-to-chin distance T."""
    gap = max(float(np.hypot(*(a.face.xy(u) - a.face.xy(d)))) for u, d in INNER_LIPS)
    return Measured(gap / a.eye_to_chin)

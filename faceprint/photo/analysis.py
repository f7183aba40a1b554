"""Analysis session: one photo in, cached pixels, landmarks and derived geometry out.

Every check reads from one ``Analysis`` so detection, segmentation and the luminance images run once
per photo, as OFIQ's ``Session`` does.  Geometry that cannot be measured raises ``NotRunnable`` with
the reason; the check runner turns that into a ``not_run`` result, never a pass.

Conventions: pixel coordinates with y downward; "left"/"right" are image sides; angles in degrees.
"""

from __future__ import annotations

import io
import math
import os
from functools import cached_property
from pathlib import Path

import cv2
import numpy as np
import numpy.typing as npt
from PIL import Image, ImageOps, UnidentifiedImageError

from faceprint.photo import detect

FloatArray = npt.NDArray[np.float64]
Mask = npt.NDArray[np.bool_]

# FaceMesh indices (MediaPipe face_mesh canonical topology; refine_landmarks adds the irises 468–477).
IRIS_A, IRIS_B = 468, 473  # iris centres
CHIN = 152
FOREHEAD = 10  # top of the forehead at the hairline
EYE_OUTER_A, EYE_OUTER_B = 33, 263
# Eyelid pairs (upper, lower) and corners (outer, inner) of each eye.
EYELIDS_A = ((160, 144), (159, 145), (158, 153))
EYELIDS_B = ((385, 380), (386, 374), (387, 373))
CORNERS_A = (33, 133)
CORNERS_B = (362, 263)
EYE_RING_A = (33, 7, 163, 144, 145, 153, 154, 155, 133, 173, 157, 158, 159, 160, 161, 246)
EYE_RING_B = (362, 382, 381, 380, 374, 373, 390, 249, 263, 466, 388, 387, 386, 385, 384, 398)
INNER_LIPS = ((82, 87), (13, 14), (312, 317))
MOUTH_CORNERS = (61, 291)
MESH_POINTS = 468  # the face mesh proper, without the iris points

# A person-mask pixel counts as person above this probability (MediaPipe's usual cut).
PERSON_THRESHOLD = 0.5


class NotRunnable(Exception):
    """A check cannot be measured on this photo; ``str()`` is the reason shown to the user."""


class PhotoReadError(Exception):
    """The file cannot be read as an image."""


def srgb_to_linear(values: npt.NDArray[np.floating]) -> npt.NDArray[np.float32]:
    """Undo the sRGB transfer curve (IEC 61966-2-1): 0–1 in, linear 0–1 out."""
    v = values.astype(np.float32)
    return np.where(v <= 0.04045, v / 12.92, ((v + 0.055) / 1.055) ** 2.4).astype(np.float32)


def linear_to_srgb(values: npt.NDArray[np.floating]) -> npt.NDArray[np.float32]:
    """Apply the sRGB transfer curve: linear 0–1 in, encoded 0–1 out."""
    v = np.clip(values.astype(np.float32), 0.0, 1.0)
    return np.where(v <= 0.0031308, v * 12.92, 1.055 * v ** (1 / 2.4) - 0.055).astype(np.float32)


# Lookup table of the sRGB decoding for 8-bit values: the per-pixel power function costs 10× more.
_SRGB_TO_LINEAR = srgb_to_linear(np.arange(256, dtype=np.float32) / 255.0)


def to_rgb(image: Image.Image) -> Image.Image:
    """An RGB copy: EXIF orientation applied, transparency composited on white, CMYK/L/P converted."""
    image = ImageOps.exif_transpose(image)
    if image.mode in ("I;16", "I;16B", "I;16L", "I"):
        # 16-bit greyscale: Pillow's convert() clips at 255 instead of scaling.
        scaled = np.asarray(image, dtype=np.float64) / 257.0
        return Image.fromarray(np.clip(scaled, 0, 255).astype(np.uint8), "L").convert("RGB")
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        base = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return Image.alpha_composite(base, rgba).convert("RGB")
    return image.convert("RGB")


def load_photo(path: str | os.PathLike[str]) -> Analysis:
    """Open ``path`` fully (so a truncated file fails here) and start a session on it."""
    try:
        data = Path(path).read_bytes()
        image = Image.open(io.BytesIO(data))
        image.load()
    except (OSError, UnidentifiedImageError, Image.DecompressionBombError, ValueError) as exc:
        raise PhotoReadError(f"{path}: cannot read as an image: {exc}") from exc
    return Analysis(image, path=str(path), file_size=len(data))


class Analysis:
    """Lazily computed facts about one photo, shared by all checks."""

    def __init__(self, image: Image.Image, *, path: str | None = None, file_size: int | None = None) -> None:
        self.image = image
        self.path = path
        self.file_size = file_size
        self.format: str | None = image.format
        self.mode = image.mode

    # --- pixels ---------------------------------------------------------------------------------
    @cached_property
    def rgb(self) -> npt.NDArray[np.uint8]:
        """The photo as an RGB uint8 array (H, W, 3)."""
        return np.asarray(to_rgb(self.image), dtype=np.uint8)

    @property
    def height(self) -> int:
        return int(self.rgb.shape[0])

    @property
    def width(self) -> int:
        return int(self.rgb.shape[1])

    @cached_property
    def linear_luminance(self) -> npt.NDArray[np.float32]:
        """OFIQ's luminance: linear-light BT.709 Y × 255, *not* re-encoded (photo-quality.md §1.2)."""
        lin = _SRGB_TO_LINEAR[self.rgb]
        return (lin @ np.array([0.2126, 0.7152, 0.0722], dtype=np.float32)) * 255.0

    @cached_property
    def grey(self) -> npt.NDArray[np.float32]:
        """Visually faithful greyscale, 0–1: linear BT.709 Y re-encoded with the sRGB curve (§6)."""
        return linear_to_srgb(self.linear_luminance / 255.0)

    # --- detection --------------------------------------------------------------------------------
    @cached_property
    def faces(self) -> list[detect.Face]:
        """FaceMesh faces, largest first; raises ``NotRunnable`` when the detector is missing."""
        try:
            return detect.find_faces(self.rgb)
        except detect.DetectorUnavailable as exc:
            raise NotRunnable(str(exc)) from exc

    @cached_property
    def face_count(self) -> int:
        """Faces found by either FaceMesh or the full-range detector, whichever sees more."""
        return max(len(self.faces), detect.count_detections(self.rgb))

    @cached_property
    def face(self) -> detect.Face:
        """The main (largest) face; ``NotRunnable`` when there is none."""
        if not self.faces:
            raise NotRunnable("no face found")
        return self.faces[0]

    @cached_property
    def person(self) -> npt.NDArray[np.float32]:
        """Person-mask probability per pixel."""
        try:
            return detect.person_mask(self.rgb)
        except detect.DetectorUnavailable as exc:
            raise NotRunnable(str(exc)) from exc

    # --- landmark geometry ------------------------------------------------------------------------
    @cached_property
    def eyes(self) -> tuple[FloatArray, FloatArray]:
        """Iris centres as (image-left eye, image-right eye)."""
        a, b = self.face.xy(IRIS_A), self.face.xy(IRIS_B)
        return (a, b) if a[0] <= b[0] else (b, a)

    @cached_property
    def eye_mid(self) -> FloatArray:
        left, right = self.eyes
        return (left + right) / 2.0

    @cached_property
    def ied(self) -> float:
        """Inter-eye distance between the iris centres, in pixels."""
        left, right = self.eyes
        return float(np.hypot(*(right - left)))

    @cached_property
    def roll(self) -> float:
        """In-plane tilt of the eye line; positive when the image-right eye sits lower."""
        left, right = self.eyes
        return math.degrees(math.atan2(right[1] - left[1], right[0] - left[0]))

    @cached_property
    def eye_to_chin(self) -> float:
        """OFIQ's T: distance from the eye midpoint to the chin, in pixels."""
        return float(np.hypot(*(self.face.xy(CHIN) - self.eye_mid)))

    @cached_property
    def mouth_mid(self) -> FloatArray:
        a, b = MOUTH_CORNERS
        return (self.face.xy(a) + self.face.xy(b)) / 2.0

    @cached_property
    def face_axes(self) -> tuple[float, float]:
        """(yaw, pitch) from the normal of the plane through the eye line and the forehead–chin line.

        FaceMesh's z is a learned relative depth, so this is an estimate: yaw is positive when the
        face turns towards the image left (the subject's right), pitch positive when the chin
        drops.  ``NEUTRAL_PITCH_DEG`` removes the reading a frontal face gives (the hairline sits
        behind the chin).
        """
        p = self.face.points
        x_axis = p[EYE_OUTER_B] - p[EYE_OUTER_A]
        if x_axis[0] < 0:
            x_axis = -x_axis
        x_axis /= np.linalg.norm(x_axis)
        y_axis = p[CHIN] - p[FOREHEAD]
        y_axis -= x_axis * float(np.dot(y_axis, x_axis))
        y_axis /= np.linalg.norm(y_axis)
        normal = np.cross(x_axis, y_axis)  # points away from the camera for a frontal face
        yaw = math.degrees(math.atan2(normal[0], normal[2]))
        pitch = math.degrees(math.atan2(-normal[1], normal[2])) - NEUTRAL_PITCH_DEG
        return yaw, pitch

    @cached_property
    def face_region(self) -> Mask:
        """Pixels inside the convex hull of the face mesh (OFIQ's "landmarked region")."""
        hull = cv2.convexHull(self.face.points[:MESH_POINTS, :2].astype(np.float32)).astype(np.int32)
        mask = np.zeros((self.height, self.width), np.uint8)
        cv2.fillConvexPoly(mask, hull, 1)
        return mask.astype(bool)

    @cached_property
    def crown_y(self) -> float:
        """Top of the head (hair included) from the person mask, in pixels from the top edge.

        FaceMesh point 10 sits at the hairline, not the crown (photo-quality.md §2.2), so the crown is
        the first person row in the columns over the middle of the face.  Returns 0 when the head
        touches the top edge (the crown may be cut off).
        """
        pts = self.face.points[:MESH_POINTS, :2]
        x0, x1 = pts[:, 0].min(), pts[:, 0].max()
        centre, half = (x0 + x1) / 2.0, (x1 - x0) * 0.25
        cols = slice(max(0, int(centre - half)), min(self.width, int(centre + half) + 1))
        forehead = int(max(0.0, min(self.face.xy(FOREHEAD)[1], self.height - 1)))
        band = self.person[: forehead + 1, cols] >= PERSON_THRESHOLD
        if band.size == 0 or not band.any():
            raise NotRunnable("no head outline above the forehead")
        first_rows = np.where(band.any(axis=0), band.argmax(axis=0), forehead)
        # The 10th percentile ignores a stray hair or a halo column but keeps the top of the head.
        return float(np.percentile(first_rows, 10))

    @cached_property
    def crown_cut(self) -> bool:
        """True when the head reaches the top edge of the image."""
        return self.crown_y <= 0.5

    @cached_property
    def chin_y(self) -> float:
        return float(self.face.xy(CHIN)[1])

    @cached_property
    def background(self) -> Mask:
        """Background pixels: clearly not person, and kept a little away from the person's outline."""
        person = (self.person >= 0.2).astype(np.uint8)
        grow = max(3, round(self.ied * 0.15)) if self.faces else max(3, self.width // 60)
        kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * grow + 1, 2 * grow + 1))
        near_person = cv2.dilate(person, kernel).astype(bool)
        return ~near_person


# Pitch reading of this estimator on a frontal face.  UNCONFIRMED: calibrated on the compliant base
# d01 (and its source photo), whose readings are −7.6…−11.2°; FaceMesh's depth is a learned prior, so
# a different face shape moves the zero by several degrees.  Yaw needs no offset (faces are symmetric).
NEUTRAL_PITCH_DEG = -10.0

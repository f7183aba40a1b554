"""Portrait preparation: a photo in, the layout's photo box out as a greyscale image at print dpi.

The face is placed by the passport geometry (crown 4 mm below the top, crown to chin 34 mm, centred;
card-standards.md §6b) scaled from the 45 mm frame to the box height, so the 27.5 × 22 mm card box gets
the same proportions as the application photo.  Greyscale is linear-light BT.709 luminance re-encoded
with the sRGB curve (photo-quality.md §6), then stretched so the picture uses the full tonal range.
"""

from __future__ import annotations

import numpy as np
from PIL import Image

from faceprint.errors import DataError
from faceprint.photo.analysis import (
    Analysis,
    NotRunnable,
    PhotoReadError,
    linear_to_srgb,
    load_photo,
    srgb_to_linear,
)
from faceprint.photo.profiles import NOMINAL_HEAD_MM, NOMINAL_TOP_MARGIN_MM, PRINT_H_MM
from faceprint.units import MM_PER_INCH

# When the crown is cut off, estimate it above the eyes at this multiple of the eye-to-chin distance.
# UNCONFIRMED: measured 1.09 on the compliant base d01 (hair included); only used as a fallback.
CROWN_FROM_EYE_CHIN = 1.1
# Percentiles mapped to black and white by the contrast stretch: 0.5 % keeps a few specular or
# deep-shadow pixels from setting the range (a project choice).
STRETCH_PERCENTILES = (0.5, 99.5)


def box_pixels(box_w_mm: float, box_h_mm: float, dpi: int) -> tuple[int, int]:
    """The box size in whole pixels at ``dpi``."""
    return round(box_w_mm / MM_PER_INCH * dpi), round(box_h_mm / MM_PER_INCH * dpi)


def _fill_colour(analysis: Analysis) -> tuple[int, int, int]:
    """Colour for areas outside the source: the median background, else the top row's median."""
    try:
        mask = analysis.background
        if mask.sum() >= 50:
            r, g, b = np.median(analysis.rgb[mask], axis=0)
            return int(r), int(g), int(b)
    except NotRunnable:
        pass
    r, g, b = np.median(analysis.rgb[:4].reshape(-1, 3), axis=0)
    return int(r), int(g), int(b)


def _crown(analysis: Analysis) -> float:
    if not analysis.crown_cut:
        return analysis.crown_y
    eye_y = float(analysis.eye_mid[1])
    return eye_y - CROWN_FROM_EYE_CHIN * (analysis.chin_y - eye_y)


def to_greyscale(rgb: Image.Image) -> Image.Image:
    """sRGB → linear → BT.709 Y → sRGB, as an "L" image (the d17 reference rendering)."""
    lin = srgb_to_linear(np.asarray(rgb.convert("RGB"), dtype=np.float32) / 255.0)
    y = lin @ np.array([0.2126, 0.7152, 0.0722], dtype=np.float32)
    return Image.fromarray(np.round(linear_to_srgb(y) * 255.0).astype(np.uint8), "L")


def normalise_contrast(grey: Image.Image) -> Image.Image:
    """Stretch the 0.5–99.5 % range of the picture to 0–255; a flat picture is left alone."""
    a = np.asarray(grey, dtype=np.float32)
    lo, hi = np.percentile(a, STRETCH_PERCENTILES)
    if hi - lo < 8:
        return grey
    out = np.clip((a - lo) * (255.0 / (hi - lo)), 0, 255)
    return Image.fromarray(np.round(out).astype(np.uint8), "L")


def prepare_portrait(
    image: Image.Image,
    box_w_mm: float,
    box_h_mm: float,
    dpi: int,
    *,
    head_mm: float = NOMINAL_HEAD_MM,
    top_margin_mm: float = NOMINAL_TOP_MARGIN_MM,
    frame_h_mm: float = PRINT_H_MM,
    analysis: Analysis | None = None,
) -> Image.Image:
    """Crop ``image`` to a ``box_w_mm`` × ``box_h_mm`` box at ``dpi``, face placed, greyscale ("L").

    ``head_mm`` and ``top_margin_mm`` are the rules for a ``frame_h_mm`` high photo and are scaled to
    the box height.  Raises ``DataError`` (field "photo") when no face is found.
    """
    if box_w_mm <= 0 or box_h_mm <= 0 or dpi <= 0:
        raise ValueError("box size and dpi must be positive")
    session = analysis or Analysis(image)
    try:
        crown, chin = _crown(session), session.chin_y
        centre_x = float((session.eye_mid[0] + session.mouth_mid[0]) / 2.0)
    except NotRunnable as exc:
        raise DataError(f"cannot place the face: {exc}", field="photo") from exc
    out_w, out_h = box_pixels(box_w_mm, box_h_mm, dpi)
    target_head = head_mm / frame_h_mm * out_h
    target_crown = top_margin_mm / frame_h_mm * out_h
    scale = target_head / max(chin - crown, 1.0)

    source = Image.fromarray(session.rgb)
    fill = _fill_colour(session)
    if scale < 1.0:
        # Downscale first with a proper filter, then place by a pure translation.
        size = (max(1, round(source.width * scale)), max(1, round(source.height * scale)))
        sx, sy = size[0] / source.width, size[1] / source.height
        source = source.resize(size, Image.Resampling.LANCZOS)
        crown, centre_x = crown * sy, centre_x * sx
        scale_x, scale_y = scale / sx, scale / sy  # ≈ 1: only rounding of the resized size is left
    else:
        scale_x = scale_y = scale
    # Output pixel (x, y) takes the source pixel (a·x + c, e·y + f).
    coefficients = (
        1.0 / scale_x,
        0.0,
        centre_x - (out_w / 2.0) / scale_x,
        0.0,
        1.0 / scale_y,
        crown - target_crown / scale_y,
    )
    placed = source.transform(
        (out_w, out_h), Image.Transform.AFFINE, coefficients, resample=Image.Resampling.BICUBIC, fillcolor=fill
    )
    result = normalise_contrast(to_greyscale(placed))
    result.info["dpi"] = (dpi, dpi)
    return result


def prepare_photo_file(path: str, box_w_mm: float, box_h_mm: float, dpi: int) -> Image.Image:
    """Load ``path`` and prepare it; for ``render``/``batch`` to call per record.

    Raises ``DataError`` (field "photo") for an unreadable file or a photo without a face.
    """
    try:
        session = load_photo(path)
    except PhotoReadError as exc:
        raise DataError(str(exc), field="photo") from exc
    return prepare_portrait(session.image, box_w_mm, box_h_mm, dpi, analysis=session)

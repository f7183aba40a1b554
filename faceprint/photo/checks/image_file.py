"""Checks on the file and the image itself: format and colour mode, file size, pixel size, aspect.

They need no face, so they run (and fail clearly) even on a photo the detector finds nothing in.
"""

from __future__ import annotations

from faceprint.photo.analysis import Analysis, NotRunnable
from faceprint.photo.checks.registry import Measured, check
from faceprint.photo.profiles import MAX_SIDE_PX, Limit, Profile


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

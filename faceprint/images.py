"""Loading, cropping, fitting and greyscale conversion of images, before any backend sees them.

In: an image path and the element's fit rules. Out: ``scene.ImagePixels`` already cropped to
what shows in the box and resampled to at most ``max_dpi``, so both backends draw the very same
pixels. Decoded results are cached per process, so a batch that reuses artwork decodes it once.
An RGB image's embedded ICC profile travels with its pixels (``ImagePixels.icc``) so a print file
converts from it straight to the press profile; screens and proofs get sRGB (``to_pil``). CMYK
images with a profile become sRGB through it here (naively without one, as before).
"""

from __future__ import annotations

import hashlib
import io
from functools import lru_cache
from pathlib import Path
from typing import Literal

from PIL import Image, ImageOps

from .cache import ByteBudgetCache
from .icc import profile_colour_space, to_srgb
from .scene import Box, ImagePixels, JpegSource
from .units import MM_PER_INCH, mm_to_px


class ImageLoadError(ValueError):
    pass


def _fit_rect(
    src_w: float, src_h: float, box: Box, fit: str, position: tuple[float, float]
) -> tuple[tuple[float, float, float, float], Box]:
    """(source crop rectangle in px, destination box in mm) for cover / contain / fill."""
    px, py = position
    if fit == "fill" or box.w <= 0 or box.h <= 0:
        return (0.0, 0.0, src_w, src_h), box
    box_aspect = box.w / box.h
    src_aspect = src_w / src_h
    if fit == "cover":
        if src_aspect > box_aspect:  # too wide: cut the sides
            cw = src_h * box_aspect
            x0 = (src_w - cw) * px
            return (x0, 0.0, x0 + cw, src_h), box
        ch = src_w / box_aspect
        y0 = (src_h - ch) * py
        return (0.0, y0, src_w, y0 + ch), box
    # contain
    if src_aspect > box_aspect:
        dh = box.w / src_aspect
        return (0.0, 0.0, src_w, src_h), Box(box.x, box.y + (box.h - dh) * py, box.w, dh)
    dw = box.h * src_aspect
    return (0.0, 0.0, src_w, src_h), Box(box.x + (box.w - dw) * px, box.y, dw, box.h)


# Memory bounds per process (see faceprint.cache): decoded sources and fitted pixels.
DECODED_BUDGET = 8 * 2**20  # a 1600 × 1600 RGB portrait: decoded once for the photo and its ghost
# Fitted pixels: small artwork repeats, portraits (each card its own) only pass through; 4 MB held
# portraits that were never asked for again (0 hits in 300-card batches, repeating or varied data), so
# 1 MB (issue 15, memory). The preview redraws one record: it still skips the decode (above).
FITTED_BUDGET = 1 * 2**20
_decoded: ByteBudgetCache[Image.Image] = ByteBudgetCache(DECODED_BUDGET, lambda im: im.width * im.height * len(im.getbands()))
_fitted: ByteBudgetCache[tuple[ImagePixels, Box]] = ByteBudgetCache(FITTED_BUDGET, lambda r: _held_bytes(r[0]))


# A JPEG photo goes into a PDF as the file's bytes (no decode, resample or re-encode there) when it
# needs no colour change or rotation and resampling would drop little: project choices, measured on
# 600 × 771 px application photos in the 22 × 27.5 mm portrait box (cover: 97 % shown, 693 dpi).
PASSTHROUGH_MIN_SHOWN = 0.9  # share of the file's pixels the box shows
PASSTHROUGH_DPI_FACTOR = 1.25  # × the element's max_dpi
JPEG_INFO = "faceprint.jpeg"  # decoded images' info key for the file's bytes
EXIF_ORIENTATION = 0x0112


def _held_bytes(pixels: ImagePixels) -> int:
    """What a fitted entry holds: its pixels, or, not yet made, the file and the decoded source."""
    if pixels.source is None:
        return len(pixels.data)
    return len(pixels.source.data) + pixels.source.width * pixels.source.height * (1 if pixels.mode == "L" else 3)


def _decode(path: str, mtime_ns: int, size: int) -> Image.Image:
    return _decoded.get_or_make((path, mtime_ns, size), lambda: _decode_file(path))


def _decode_file(path: str) -> Image.Image:
    """The file's pixels, upright, RGB or L; a JPEG a PDF may carry unchanged keeps its bytes
    in ``info[JPEG_INFO]`` (decoded all the same: a broken file is an error here, not in a PDF)."""
    try:
        with open(path, "rb") as fh:
            raw = fh.read()
        with Image.open(io.BytesIO(raw)) as im:
            im.load()
            icc = im.info.get("icc_profile") or None
            upright = im.getexif().get(EXIF_ORIENTATION, 1) in (None, 1)
            img = im if upright else ImageOps.exif_transpose(im)
            unchanged = im.format == "JPEG" and im.mode in ("RGB", "L") and upright and icc is None
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        raise ImageLoadError(f"cannot read image {path}: {exc}") from None
    if unchanged:
        img.info[JPEG_INFO] = raw
        return img
    space = ""
    if icc is not None:
        try:
            space = profile_colour_space(icc)
        except OSError as exc:
            raise ImageLoadError(f"cannot read the embedded ICC profile of {path}: {exc}") from None
    if img.mode == "CMYK" and space == "CMYK":
        img = to_srgb(img, icc)
    elif img.mode not in ("RGB", "L"):
        if img.mode in ("RGBA", "LA", "P", "PA") and ("A" in img.mode or "transparency" in img.info):
            rgba = img.convert("RGBA")
            bg = Image.new("RGB", rgba.size, (255, 255, 255))
            bg.paste(rgba, mask=rgba.getchannel("A"))
            img = bg
        else:
            img = img.convert("RGB")
    img.info.pop("icc_profile", None)
    if img.mode == "RGB" and space == "RGB":
        img.info["icc_profile"] = icc
    return img


def load_pixels(
    path: Path,
    *,
    box: Box,
    fit: str,
    position: tuple[float, float],
    crop: tuple[float, float, float, float] | None,
    greyscale: bool,
    max_dpi: int,
) -> tuple[ImagePixels, Box]:
    """The pixels that show in ``box`` and the box they fill (smaller than ``box`` for contain)."""
    try:
        st = path.stat()
    except OSError as exc:
        raise ImageLoadError(f"image not found: {path} ({exc.strerror})") from None
    key = (str(path), st.st_mtime_ns, st.st_size, box, fit, position, crop, greyscale, max_dpi)
    return _fitted.get_or_make(key, lambda: _load(*key))


def _load(
    path: str,
    mtime_ns: int,
    size: int,
    box: Box,
    fit: str,
    position: tuple[float, float],
    crop: tuple[float, float, float, float] | None,
    greyscale: bool,
    max_dpi: int,
) -> tuple[ImagePixels, Box]:
    img = _decode(path, mtime_ns, size)
    w, h = img.size
    left, top, right, bottom = 0.0, 0.0, float(w), float(h)
    if crop:
        cl, ct, cr, cb = crop
        left, top, right, bottom = w * cl, h * ct, w * (1 - cr), h * (1 - cb)
        if right - left < 1 or bottom - top < 1:
            raise ImageLoadError(f"crop {crop} leaves nothing of {path}")
    (sx0, sy0, sx1, sy1), dest = _fit_rect(right - left, bottom - top, box, fit, position)
    src_rect = (left + sx0, top + sy0, left + sx1, top + sy1)
    target_w = max(1, round(mm_to_px(dest.w, max_dpi)))
    target_h = max(1, round(mm_to_px(dest.h, max_dpi)))
    src_w = src_rect[2] - src_rect[0]
    src_h = src_rect[3] - src_rect[1]
    icc: bytes | None = img.info.get("icc_profile")
    jpeg: bytes | None = img.info.get(JPEG_INFO)
    if greyscale and img.mode != "L":
        img = to_srgb(img, icc).convert("L")
        icc = jpeg = None  # the file's colours are not what shows
    out_w = max(1, min(target_w, round(src_w)))
    out_h = max(1, min(target_h, round(src_h)))
    whole = (round(src_rect[0]), round(src_rect[1]), round(src_rect[2]), round(src_rect[3])) == (0, 0, w, h)
    source = img

    def fitted() -> bytes:
        if whole and (out_w, out_h) == (w, h):
            return source.tobytes()
        return source.resize((out_w, out_h), Image.Resampling.LANCZOS, box=src_rect).tobytes()

    mode: Literal["L", "RGB"] = "L" if img.mode == "L" else "RGB"
    if mode != "RGB":
        icc = None
    if jpeg is not None and _carry_unchanged(w, h, src_w, src_h, dest, max_dpi):
        # the PNG backend makes the same pixels as ever, on first use; a PDF embeds the file
        recipe = f"{src_rect}{out_w}x{out_h}".encode()
        key = hashlib.blake2b(jpeg + recipe, digest_size=12).hexdigest() + f"-{out_w}x{out_h}{mode}j"
        return ImagePixels(mode, out_w, out_h, fitted, key, icc=icc, source=JpegSource(jpeg, w, h, src_rect)), dest
    data = fitted()
    key = hashlib.blake2b(data + (icc or b""), digest_size=12).hexdigest() + f"-{out_w}x{out_h}{mode}"
    return ImagePixels(mode, out_w, out_h, data, key, icc=icc), dest


def _carry_unchanged(w: int, h: int, shown_w: float, shown_h: float, dest: Box, max_dpi: int) -> bool:
    """Whether a PDF may carry the JPEG file as it is: it shows nearly all of it (a crop is a clip,
    the hidden strips stay in the file) at no more than ``PASSTHROUGH_DPI_FACTOR`` × ``max_dpi``.
    Re-encoding it would be a second lossy generation for a file a few KB smaller."""
    if shown_w * shown_h < PASSTHROUGH_MIN_SHOWN * w * h or dest.w <= 0 or dest.h <= 0:
        return False
    dpi = max(shown_w / dest.w, shown_h / dest.h) * MM_PER_INCH
    return dpi <= max_dpi * PASSTHROUGH_DPI_FACTOR


def to_pil(pixels: ImagePixels) -> Image.Image:
    """The pixels as sRGB (or greyscale): what screens, previews and RGB proofs show."""
    return to_srgb(Image.frombytes(pixels.mode, (pixels.width, pixels.height), pixels.data), pixels.icc)


def _screen_pattern(size: tuple[int, int], pitch_px: float, kind: str) -> Image.Image:
    """Threshold pattern of a line screen or halftone: 0 at a line's (dot's) centre, 255 between."""
    return _screen_pattern_cells(size, max(2, round(pitch_px)), kind)


@lru_cache(maxsize=16)
def _screen_pattern_cells(size: tuple[int, int], cell: int, kind: str) -> Image.Image:
    """The pattern for one size and pitch, made once: every card's ghost portrait has the same."""
    tile = Image.new("L", (cell, cell))
    half = cell / 2.0
    values = []
    for y in range(cell):
        for x in range(cell):
            dy = abs(y + 0.5 - half) / half
            if kind == "lines":
                values.append(round(255 * dy))
            else:
                dx = abs(x + 0.5 - half) / half
                values.append(round(255 * min(1.0, (dx * dx + dy * dy) ** 0.5 / 2**0.5)))
    tile.putdata(values)
    pattern = Image.new("L", size)
    for y in range(0, size[1], cell):
        for x in range(0, size[0], cell):
            pattern.paste(tile, (x, y))
    return pattern


def apply_effects(
    pixels: ImagePixels,
    box_w_mm: float,
    *,
    tint: tuple[int, int, int] | None,
    screen: str,
    screen_pitch_mm: float,
    vignette_mm: float,
) -> ImagePixels:
    """Ghost-portrait and blurred-edge treatments, baked into the pixels so both backends agree.

    Screening turns tones into lines or dots whose width follows the darkness (a line screen is
    what a laser engraves for a ghost portrait); a tint maps black to the colour and keeps white;
    a vignette fades the edges into white over ``vignette_mm``.
    """
    if not tint and screen == "none" and vignette_mm <= 0:
        return pixels
    from PIL import ImageChops, ImageDraw, ImageFilter  # only cards with these effects need them

    img = to_pil(pixels)
    px_per_mm = pixels.width / box_w_mm if box_w_mm > 0 else 1.0
    if screen != "none":
        grey = img.convert("L")
        darkness = ImageOps.invert(grey)
        pattern = _screen_pattern(grey.size, screen_pitch_mm * px_per_mm, screen)
        ink = ImageChops.subtract(darkness, pattern)
        img = ink.point(lambda v: 0 if v > 0 else 255)
    if tint:
        img = ImageOps.colorize(img.convert("L"), black=tint, white=(255, 255, 255))
    if vignette_mm > 0:
        v = max(1, round(vignette_mm * px_per_mm))
        mask = Image.new("L", img.size, 0)
        ImageDraw.Draw(mask).rectangle((v, v, img.width - 1 - v, img.height - 1 - v), fill=255)
        mask = mask.filter(ImageFilter.GaussianBlur(v / 2))
        white = Image.new(img.mode, img.size, 255 if img.mode == "L" else (255, 255, 255))
        img = Image.composite(img, white, mask)
    mode: Literal["L", "RGB"] = "L" if img.mode == "L" else "RGB"
    if img.mode not in ("L", "RGB"):
        img = img.convert("RGB")
    data = img.tobytes()
    key = hashlib.blake2b(data, digest_size=12).hexdigest() + f"-{img.width}x{img.height}{mode}"
    return ImagePixels(mode, img.width, img.height, data, key, lossless=screen != "none")

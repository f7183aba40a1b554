"""Defective portraits derived in code from the compliant base ``d01_compliant_base.png``.

Each function states exactly what it changes, so a test can say which check must fail and why.
Coordinates refer to d01 (600 × 771 px): iris centres at about (217, 372) and (380, 372), crown at
y ≈ 68, chin at y ≈ 650 (measured by eye and by FaceMesh).  Photos are test data only
(tests/photo/data/LICENSES.md).
"""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageEnhance, ImageFilter

PHOTOS = Path(__file__).resolve().parent / "data"  # the licensed originals, checked by SHA256SUMS
BASE = PHOTOS / "d01_compliant_base.png"
LEFT_EYE = (217, 372)
RIGHT_EYE = (380, 372)


def base() -> Image.Image:
    return Image.open(BASE).convert("RGB")


def _background_colour(im: Image.Image) -> tuple[int, int, int]:
    """Median colour of the top corners (d01's background is a uniform light grey)."""
    a = np.asarray(im)
    corners = np.concatenate([a[:40, :40].reshape(-1, 3), a[:40, -40:].reshape(-1, 3)])
    r, g, b = np.median(corners, axis=0).astype(int)
    return int(r), int(g), int(b)


def _reencode_png(im: Image.Image) -> Image.Image:
    """Round-trip through PNG so the defect carries a real file format like the base."""
    buf = io.BytesIO()
    im.save(buf, "PNG")
    buf.seek(0)
    out = Image.open(buf)
    out.load()
    return out


def rotated(angle: float = 12.0) -> Image.Image:
    """Rotate the whole photo by ``angle``° counter-clockwise about its centre (roll)."""
    im = base()
    turned = im.rotate(angle, resample=Image.Resampling.BICUBIC, fillcolor=_background_colour(im))
    return _reencode_png(turned)


def off_centre(dx: int = 120) -> Image.Image:
    """Shift the picture ``dx`` px to the right (face centre 17.5 → 24.5 mm), filling with background."""
    im = base()
    out = Image.new("RGB", im.size, _background_colour(im))
    out.paste(im, (dx, 0))
    return _reencode_png(out)


def small_head(scale: float = 0.6) -> Image.Image:
    """Shrink the picture to ``scale`` about the top centre on a background canvas (head 34 → 20 mm)."""
    im = base()
    small = im.resize((round(im.width * scale), round(im.height * scale)), Image.Resampling.LANCZOS)
    out = Image.new("RGB", im.size, _background_colour(im))
    out.paste(small, ((im.width - small.width) // 2, round(68 * (1 - scale))))
    # Fill the gap under the shrunken shoulders with the shirt continued downward.
    bottom = np.array(out)
    y = round(68 * (1 - scale)) + small.height - 1
    bottom[y + 1 :, :] = bottom[y, :]
    return _reencode_png(Image.fromarray(bottom))


def darkened(factor: float = 0.25) -> Image.Image:
    """Multiply the encoded pixel values by ``factor`` (about 3.3 stops under in linear light)."""
    return _reencode_png(ImageEnhance.Brightness(base()).enhance(factor))


def overexposed(factor: float = 1.9) -> Image.Image:
    """Multiply the encoded pixel values by ``factor``; the face clips to white."""
    return _reencode_png(ImageEnhance.Brightness(base()).enhance(factor))


def low_contrast(factor: float = 0.25) -> Image.Image:
    """Pull every pixel towards mid-grey: contrast × ``factor``."""
    return _reencode_png(ImageEnhance.Contrast(base()).enhance(factor))


def blurred(radius: float = 6.0) -> Image.Image:
    """Gaussian blur of ``radius`` px (out of focus)."""
    return _reencode_png(base().filter(ImageFilter.GaussianBlur(radius)))


def heavy_jpeg_bytes(quality: int = 5) -> bytes:
    """d01 encoded as a baseline JPEG at ``quality`` (heavy 8×8 block artefacts at 5)."""
    buf = io.BytesIO()
    base().save(buf, "JPEG", quality=quality)
    return buf.getvalue()


def heavy_jpeg(quality: int = 5) -> Image.Image:
    """Re-encode as JPEG at ``quality`` and reopen it as that JPEG (quantisation tables kept)."""
    out = Image.open(io.BytesIO(heavy_jpeg_bytes(quality)))
    out.load()
    return out


def _clutter(size: tuple[int, int], seed: int = 6) -> Image.Image:
    """A busy synthetic scene: many overlapping coloured boxes, discs and stripes."""
    rng = np.random.default_rng(seed)
    im = Image.new("RGB", size, (90, 110, 80))
    draw = ImageDraw.Draw(im)
    w, h = size
    for _ in range(260):
        x, y = int(rng.integers(0, w)), int(rng.integers(0, h))
        s = int(rng.integers(8, 90))
        colour = tuple(int(c) for c in rng.integers(0, 256, 3))
        if rng.random() < 0.5:
            draw.rectangle((x, y, x + s, y + s // 2), fill=colour)
        else:
            draw.ellipse((x, y, x + s, y + s), fill=colour)
    for x in range(0, w, 23):
        draw.line((x, 0, x + 40, h), fill=(30, 30, 30), width=2)
    return im


def cluttered_background() -> Image.Image:
    """Replace d01's plain background (pixels within 14 of its grey) by a busy synthetic scene."""
    im = base()
    a = np.asarray(im).astype(int)
    bg = np.array(_background_colour(im))
    is_bg = np.abs(a - bg).max(axis=2) <= 14
    scene = np.asarray(_clutter(im.size))
    out = np.where(is_bg[..., None], scene, a).astype(np.uint8)
    return _reencode_png(Image.fromarray(out))


def one_eye_covered() -> Image.Image:
    """Cover the image-right eye with a skin-coloured patch (a hand or plaster), 110 × 60 px."""
    im = base()
    a = np.asarray(im)
    cheek = np.median(a[430:470, 330:380].reshape(-1, 3), axis=0).astype(int)
    draw = ImageDraw.Draw(im)
    x, y = RIGHT_EYE
    draw.ellipse((x - 55, y - 32, x + 55, y + 28), fill=tuple(int(c) for c in cheek))
    return _reencode_png(im)


def sunglasses() -> Image.Image:
    """Draw opaque dark lenses (90 × 56 px ellipses) over both eyes, joined by a bridge."""
    im = base()
    draw = ImageDraw.Draw(im)
    for x, y in (LEFT_EYE, RIGHT_EYE):
        draw.ellipse((x - 45, y - 26, x + 45, y + 30), fill=(18, 18, 22))
    draw.line((LEFT_EYE[0] + 45, 368, RIGHT_EYE[0] - 45, 368), fill=(18, 18, 22), width=5)
    return _reencode_png(im)


def side_shadow(strength: float = 0.7) -> Image.Image:
    """Darken the image-left half of the face with a soft ramp (one-sided light)."""
    im = base()
    a = np.asarray(im).astype(np.float32)
    x = np.arange(im.width, dtype=np.float32)
    ramp = np.clip((x - 180) / 120, 0, 1)  # 0 left of x=180, 1 right of x=300
    gain = 1 - strength * (1 - ramp)
    return _reencode_png(Image.fromarray(np.clip(a * gain[None, :, None], 0, 255).astype(np.uint8)))


def crown_cut(rows: int = 110) -> Image.Image:
    """Crop ``rows`` px off the top and pad at the bottom: the crown leaves the frame."""
    im = base()
    out = Image.new("RGB", im.size, _background_colour(im))
    out.paste(im.crop((0, rows, im.width, im.height)), (0, 0))
    arr = np.asarray(out).copy()
    arr[im.height - rows :, :] = arr[im.height - rows - 1, :]
    return _reencode_png(Image.fromarray(arr))


def second_face() -> Image.Image:
    """Paste a 40 % copy of the head into the upper right corner (a second person)."""
    im = base()
    head = im.crop((60, 40, 540, 700))
    head = head.resize((round(head.width * 0.4), round(head.height * 0.4)), Image.Resampling.LANCZOS)
    im.paste(head, (im.width - head.width, 0))
    return _reencode_png(im)


def write(name: str, directory: Path) -> Path:
    """Write defect ``name`` to ``directory`` as a file (PNG, or the JPEG bytes for heavy_jpeg)."""
    if name == "heavy_jpeg":
        path = directory / f"{name}.jpg"
        path.write_bytes(heavy_jpeg_bytes())
    elif name == "cmyk":
        path = directory / f"{name}.jpg"
        DEFECTS[name]().save(path, "JPEG", quality=95)
    else:
        path = directory / f"{name}.png"
        DEFECTS[name]().save(path, "PNG")
    return path


def cmyk() -> Image.Image:
    """The same picture converted to CMYK (written as a CMYK JPEG), which J-LIS rejects."""
    return base().convert("CMYK")


def blank() -> Image.Image:
    """A uniform light-grey image of d01's size: no face at all."""
    return _reencode_png(Image.new("RGB", base().size, (225, 225, 225)))


def moved_point(case: str, x: float, y: float) -> tuple[float, float]:
    """Where the d01 point (x, y) lands in a derived case: the geometric defects, at their defaults."""
    if case == "base":
        return x, y
    if case == "off_centre":
        return x + 120, y
    if case == "crown_cut":
        return x, y - 110
    if case == "small_head":  # 600 × 771 → 360 × 463, pasted at (120, 27)
        return 120 + x * 360 / 600, 27 + y * 463 / 771
    raise KeyError(f"no point map for {case}")


DEFECTS: dict[str, Callable[[], Image.Image]] = {
    "base": lambda: _reencode_png(base()),
    "rotated": rotated,
    "off_centre": off_centre,
    "small_head": small_head,
    "darkened": darkened,
    "overexposed": overexposed,
    "low_contrast": low_contrast,
    "blurred": blurred,
    "heavy_jpeg": heavy_jpeg,
    "cluttered_background": cluttered_background,
    "one_eye_covered": one_eye_covered,
    "sunglasses": sunglasses,
    "side_shadow": side_shadow,
    "crown_cut": crown_cut,
    "second_face": second_face,
    "blank": blank,
    "cmyk": cmyk,
}

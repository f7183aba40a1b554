"""How well text reads against what is printed under it (WCAG 2 contrast, measured on pixels).

A colour pair is not enough on a card (a photo, a guilloche, rules under the type), so the ratio is
taken where glyph pixels are, on a low-dpi paint of the face; that is its own job and cost.
"""

from __future__ import annotations

import math
from dataclasses import replace

from PIL import Image, ImageChops

from ..scene import Face, GlyphRun
from ..units import mm_to_px
from .ink import run_box

CONTRAST_ERROR = 3.0  # WCAG 2 AA minimum for large text; card type is small, so below this is an error

CONTRAST_WARNING = 4.5  # WCAG 2 AA for normal text

CONTRAST_DPI = 150  # enough pixels under 6 pt strokes, cheap enough for every record

CONTRAST_PERCENTILE = 0.1  # judge by the worst tenth of the glyph pixels, so one dark rule does not decide

# Security features set below reading size on purpose (their own limits apply): no size or contrast check.
SECURITY_TEXT_KINDS = ("microtext",)

_LINEAR = [c / 255 / 12.92 if c / 255 <= 0.04045 else ((c / 255 + 0.055) / 1.055) ** 2.4 for c in range(256)]


def _relative_luminance(rgb: tuple[int, int, int]) -> float:
    r, g, b = (_LINEAR[c] for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(a: tuple[int, int, int], b: tuple[int, int, int]) -> float:
    """WCAG 2 contrast ratio of two sRGB colours, 1 (none) to 21 (black on white)."""
    la, lb = _relative_luminance(a), _relative_luminance(b)
    hi, lo = max(la, lb), min(la, lb)
    return (hi + 0.05) / (lo + 0.05)


def _luminance_image(image: Image.Image) -> Image.Image:
    """Relative luminance (linear light, 0..255) of an sRGB image, by per-channel tables."""
    r, g, b = image.split()
    weights = (0.2126, 0.7152, 0.0722)
    parts = [
        ch.point([min(255, round(w * _LINEAR[v] * 255)) for v in range(256)]) for ch, w in zip((r, g, b), weights, strict=True)
    ]
    return ImageChops.add(ImageChops.add(parts[0], parts[1]), parts[2])


def text_contrast(face: Face, dpi: float = CONTRAST_DPI) -> dict[str, float]:
    """Each text element's contrast with what is printed under its glyphs (worst tenth of the pixels).

    Two paints at a low dpi: the face without its text (what the text sits on) and the text alone
    as a mask, so the ratio is taken where glyph pixels actually are, photo and rules included.
    """
    from ..backends.raster import paint
    from ..color import WHITE

    kinds = {eb.element_id: eb.kind for eb in face.boxes}
    runs = [
        it
        for it in face.items_for("daylight")
        if isinstance(it, GlyphRun) and it.glyphs and kinds.get(it.element_id) not in SECURITY_TEXT_KINDS
    ]
    if not runs:
        return {}
    under = _luminance_image(paint(replace(face, items=tuple(it for it in face.items if not isinstance(it, GlyphRun))), dpi))
    text_only = replace(face, items=tuple(replace(run, color=WHITE) for run in runs))
    mask = paint(text_only, dpi, background=(0, 0, 0)).convert("L").point([255 if v >= 128 else 0 for v in range(256)])
    scale = mm_to_px(1.0, dpi)  # px per mm
    worst: dict[str, float] = {}
    for run in runs:
        box = run_box(run)
        crop = (
            max(0, math.floor(box.x * scale)),
            max(0, math.floor(box.y * scale)),
            min(mask.width, math.ceil(box.right * scale)),
            min(mask.height, math.ceil(box.bottom * scale)),
        )
        if crop[2] <= crop[0] or crop[3] <= crop[1]:
            continue
        counts = under.crop(crop).histogram(mask.crop(crop))
        total = sum(counts)
        if total == 0:
            continue
        text_lum = _relative_luminance(run.color.to_rgb8())
        by_ratio = sorted(
            ((max(level / 255, text_lum) + 0.05) / (min(level / 255, text_lum) + 0.05), n) for level, n in enumerate(counts) if n
        )
        seen, ratio = 0, by_ratio[-1][0]
        for value, n in by_ratio:
            seen += n
            if seen > total * CONTRAST_PERCENTILE:
                ratio = value
                break
        worst[run.element_id] = min(ratio, worst.get(run.element_id, ratio))
    return worst

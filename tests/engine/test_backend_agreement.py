"""The PNG and the PDF show the same card: the PDF rasterised by PDFium at 300 dpi agrees with the
raster backend's 300 dpi PNG, over the whole face and inside every element's box.

The card (``layouts/card.yaml``) has Mincho and Gothic text, bold, condensed (長体) text, ruby,
justified text, a rounded rectangle, solid and dashed lines, a polygon, a photo and a QR code.

Tolerance, measured rather than guessed:
- Both images get a 3×3 box blur first. PDFium snaps glyph origins to whole pixels (a test-font
  glyph whose top edge the scene puts at 127.56 px comes out crisp at 127 px), and the raster backend
  snaps QR modules to whole pixels on purpose; a blur absorbs such sub-pixel differences, while a
  misplaced or mis-sized element still differs over many pixels.
- 48/255 per channel then absorbs the rest: JPEG quality 90 for the photo in the PDF (≤ 10 levels
  here), anti-aliasing, and CMYK black, which the PNG previews with the naive formula as (0, 0, 0)
  and PDFium shows as a dark grey.
- Thresholds: ≥ 99 % of the face, and ≥ 98.5 % inside each element's box. The box check is what
  catches small faults: shifting the ruby by 0.3 mm drops the name box to 97.7 %, dropping the
  condensing of the address drops its box to 73 %, while the whole face stays above 98.8 %.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from engine_support import AGREEMENT_DPI
from PIL import Image, ImageFilter

from faceprint.backends.raster import paint
from faceprint.scene import GlyphRun, Scene
from faceprint.units import mm_to_px

CHANNEL_TOLERANCE = 48
FACE_AGREEMENT = 0.99
ELEMENT_AGREEMENT = 0.985


def _agreeing(png: Image.Image, pdf: Image.Image) -> np.ndarray:
    a = np.asarray(png.filter(ImageFilter.BoxBlur(1)), dtype=np.int16)
    b = np.asarray(pdf.filter(ImageFilter.BoxBlur(1)), dtype=np.int16)
    return np.abs(a - b).max(axis=-1) <= CHANNEL_TOLERANCE


@pytest.mark.parametrize("index", [0, 1], ids=["front", "back"])
def test_png_and_pdf_agree(
    card_scene: Scene, card_pngs: dict[str, Image.Image], card_pdf_pages: list[Image.Image], index: int
) -> None:
    face = card_scene.faces[index]
    png, pdf = card_pngs[face.name], card_pdf_pages[index]
    expected = (round(mm_to_px(face.width, AGREEMENT_DPI)), round(mm_to_px(face.height, AGREEMENT_DPI)))
    assert png.size == pdf.size == expected
    ok = _agreeing(png, pdf)
    assert ok.mean() >= FACE_AGREEMENT
    for eb in face.boxes:
        b = eb.box
        x0, y0 = round(mm_to_px(b.x, AGREEMENT_DPI)), round(mm_to_px(b.y, AGREEMENT_DPI))
        x1, y1 = max(round(mm_to_px(b.right, AGREEMENT_DPI)), x0 + 1), max(round(mm_to_px(b.bottom, AGREEMENT_DPI)), y0 + 1)
        share = ok[y0:y1, x0:x1].mean()
        assert share >= ELEMENT_AGREEMENT, f"{face.name}/{eb.element_id}: only {share:.2%} of its pixels agree"


def test_a_small_misplacement_fails_the_element_check(card_scene: Scene, card_pdf_pages: list[Image.Image]) -> None:
    """The ruby shifted by 0.3 mm in the PNG only: the name's box must then fall below the threshold."""
    front = card_scene.faces[0]
    shifted = tuple(
        dataclasses.replace(it, glyphs=tuple(dataclasses.replace(g, x=g.x + 0.3) for g in it.glyphs))
        if isinstance(it, GlyphRun) and it.element_id == "name" and it.size_pt == 5.0
        else it
        for it in front.items
    )
    ok = _agreeing(paint(dataclasses.replace(front, items=shifted), AGREEMENT_DPI), card_pdf_pages[0])
    name = next(eb.box for eb in front.boxes if eb.element_id == "name")
    x0, y0 = round(mm_to_px(name.x, AGREEMENT_DPI)), round(mm_to_px(name.y, AGREEMENT_DPI))
    x1, y1 = round(mm_to_px(name.right, AGREEMENT_DPI)), round(mm_to_px(name.bottom, AGREEMENT_DPI))
    assert ok[y0:y1, x0:x1].mean() < ELEMENT_AGREEMENT

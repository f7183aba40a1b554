"""Helpers shared by the engine tests: resolving layouts, reading scenes, rasterising PDFs."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from PIL import Image

from faceprint.layout_file.loader import load_layout
from faceprint.resolve import Resolver
from faceprint.scene import Box, Face, GlyphRun, Scene
from faceprint.text.fonts import FontDatabase
from faceprint.units import mm_to_px

LAYOUTS = Path(__file__).resolve().parent / "layouts"
AGREEMENT_DPI = 300  # the resolution at which the PNG and the rasterised PDF are compared


def resolve(layout: str | Path, ctx: Mapping[str, Any], *, fonts: FontDatabase | None = None, record_id: str = "r1") -> Scene:
    path = Path(layout)
    if not path.is_absolute():
        path = LAYOUTS / path
    return Resolver(load_layout(path), fonts=fonts).resolve(ctx, record_id=record_id)


def face(scene: Scene, name: str = "front") -> Face:
    return next(f for f in scene.faces if f.name == name)


def runs(face_: Face, element_id: str) -> list[GlyphRun]:
    return [it for it in face_.items if isinstance(it, GlyphRun) and it.element_id == element_id]


def run_text(run: GlyphRun) -> str:
    return "".join(g.text for g in run.glyphs)


def pdf_pages(pdf: bytes, dpi: float) -> list[Image.Image]:
    """Every page rasterised by PDFium at exactly ``dpi``, as RGB images of ``round(size × dpi)`` pixels.

    ``PdfPage.render`` stretches the page onto ``ceil(size × scale)`` pixels (up to a pixel of
    stretch across the card, 0.7 px at the QR code), so it is not used: the page is drawn with an
    exact scale matrix onto a bitmap sized the way the raster backend sizes its canvas.
    """
    scale = dpi / 72.0
    doc = pdfium.PdfDocument(pdf)
    try:
        images = []
        for page in doc:
            width, height = round(page.get_width() * scale), round(page.get_height() * scale)
            bitmap = pdfium.PdfBitmap.new_native(width, height, pdfium_c.FPDFBitmap_BGR, rev_byteorder=True)
            bitmap.fill_rect((255, 255, 255, 255), 0, 0, width, height)
            pdfium_c.FPDF_RenderPageBitmapWithMatrix(
                bitmap,
                page,
                pdfium_c.FS_MATRIX(scale, 0, 0, scale, 0, 0),
                pdfium_c.FS_RECTF(0, 0, width, height),
                pdfium_c.FPDF_ANNOT | pdfium_c.FPDF_REVERSE_BYTE_ORDER,
            )
            images.append(bitmap.to_pil().convert("RGB"))
        return images
    finally:
        doc.close()


def pdf_page_texts(pdf: bytes) -> list[str]:
    doc = pdfium.PdfDocument(pdf)
    try:
        return [page.get_textpage().get_text_range() for page in doc]
    finally:
        doc.close()


def crop_mm(image: Image.Image, box: Box, dpi: float) -> np.ndarray:
    """The pixels under a box given in mm, as an int array (rows, cols, channels)."""
    x0, y0 = round(mm_to_px(box.x, dpi)), round(mm_to_px(box.y, dpi))
    x1, y1 = round(mm_to_px(box.right, dpi)), round(mm_to_px(box.bottom, dpi))
    return np.asarray(image.crop((x0, y0, x1, y1)), dtype=np.int16)


def ink_box(run: GlyphRun, ascent_em: float = 0.88) -> Box:
    """The em boxes of a glyph run, in mm."""
    size = run.size_pt * 25.4 / 72.0
    x0 = run.glyphs[0].x
    x1 = run.glyphs[-1].x + run.advances[-1]
    return Box(x0, run.baseline_y - ascent_em * size, x1 - x0, size)

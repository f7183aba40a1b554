"""Golden comparison of a card face: the PDF's text with positions exactly, the pixels tightly per element.

Two goldens per layout and face, both read from real output:
- ``<layout>-<face>.txt``: every character pdfium extracts from the face's PDF page, one per line, as
  ``x y U+XXXX char``: its pen position (glyph origin) in mm from the trimmed face's top-left corner,
  rounded to 0.01 mm. Compared exactly, so a wrong character, a missing one or a move of 0.01 mm fails.
- ``<layout>-<face>.png``: the face painted by the raster backend at ``GOLDEN_DPI``. Compared per
  declared element box (and for the whole face): a region fails when more than ``PIXEL_ALLOWANCE`` of
  its pixels differ by more than ``CHANNEL_TOLERANCE`` in some channel.

A missing golden is a failure everywhere. ``FACEPRINT_REGEN_GOLDENS=1`` (``make goldens``) writes them
anew; look at the new images and the text diff before committing them.
"""

from __future__ import annotations

import ctypes
import difflib
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from PIL import Image, ImageChops

from faceprint.backends.pdf import render_pdf
from faceprint.backends.raster import paint
from faceprint.scene import Box, Face, Scene

GOLDEN_DIR = Path(__file__).parent / "goldens"
REGEN_VARIABLE = "FACEPRINT_REGEN_GOLDENS"
GOLDEN_DPI = 100  # 0.254 mm per pixel: a 0.5 mm move shifts every edge by 2 px
CHANNEL_TOLERANCE = 24  # of 255: anti-aliasing noise between FreeType builds stays well below this
PIXEL_ALLOWANCE = 0.001  # share of a region's pixels allowed beyond the tolerance (0.1 %)
PIXEL_FLOOR = 2  # ...but at least this many pixels, so a tiny region is not failed by one edge pixel
MM_PER_PT = 25.4 / 72.0


def regenerating() -> bool:
    return os.environ.get(REGEN_VARIABLE) == "1"


def pdf_chars(pdf: bytes) -> list[list[str]]:
    """Per page, one line per extracted character: ``x y U+XXXX char`` in mm from the trim box's top left."""
    doc = pdfium.PdfDocument(pdf)
    pages: list[list[str]] = []
    try:
        for page in doc:
            left, _, _, top = page.get_trimbox()
            text = page.get_textpage()
            x, y = ctypes.c_double(), ctypes.c_double()
            lines = []
            for i in range(text.count_chars()):
                code = pdfium_c.FPDFText_GetUnicode(text.raw, i)
                char = chr(code)
                if char.isspace() or not pdfium_c.FPDFText_GetCharOrigin(text.raw, i, ctypes.byref(x), ctypes.byref(y)):
                    continue  # generated spaces and line breaks have no glyph
                shown = char if char.isprintable() else "?"
                lines.append(f"{(x.value - left) * MM_PER_PT:.2f} {(top - y.value) * MM_PER_PT:.2f} U+{code:04X} {shown}")
            pages.append(lines)
    finally:
        doc.close()
    return pages


@dataclass(frozen=True)
class Rendered:
    """One face as the goldens see it: its PDF characters and its pixels."""

    face: Face
    chars: list[str]
    image: Image.Image


def render_faces(scene: Scene) -> list[Rendered]:
    pages = pdf_chars(render_pdf(scene))
    return [Rendered(face, chars, paint(face, GOLDEN_DPI)) for face, chars in zip(scene.faces, pages, strict=True)]


def text_mismatches(expected: list[str], actual: list[str]) -> list[str]:
    """The differing lines (a unified diff), empty when the text and every position agree exactly."""
    if expected == actual:
        return []
    diff = difflib.unified_diff(expected, actual, "golden", "actual", n=0, lineterm="")
    return [line for line in diff if line[:1] in "+-" and line[:3] not in ("---", "+++")]


def _regions(face: Face) -> list[tuple[str, Box]]:
    whole = Box(-face.bleed, -face.bleed, face.width + 2 * face.bleed, face.height + 2 * face.bleed)
    return [("(whole face)", whole), *((b.element_id, b.box) for b in face.boxes)]


def pixel_mismatches(face: Face, expected: Image.Image, actual: Image.Image) -> list[str]:
    """One message per element region (of the golden face's declared boxes) whose pixels differ."""
    if expected.size != actual.size:
        return [f"(whole face): size {actual.size} instead of {expected.size}"]
    diff = np.asarray(ImageChops.difference(actual.convert("RGB"), expected.convert("RGB"))).max(axis=2)
    bad = diff > CHANNEL_TOLERANCE
    scale = GOLDEN_DPI / 25.4
    origin = (expected.width - face.width * scale) / 2.0, (expected.height - face.height * scale) / 2.0
    found = []
    for name, box in _regions(face):
        x0, y0 = max(0, round(origin[0] + box.x * scale)), max(0, round(origin[1] + box.y * scale))
        x1, y1 = round(origin[0] + box.right * scale), round(origin[1] + box.bottom * scale)
        region = bad[y0:y1, x0:x1]
        if region.size == 0:
            continue
        count = int(region.sum())
        if count > max(PIXEL_FLOOR, PIXEL_ALLOWANCE * region.size):
            found.append(f"{name}: {count} of {region.size} px differ by more than {CHANNEL_TOLERANCE}")
    return found


def golden_paths(layout: str, face: str) -> tuple[Path, Path]:
    stem = GOLDEN_DIR / f"{layout}-{face}"
    return stem.with_suffix(".txt"), stem.with_suffix(".png")


def write_golden(layout: str, rendered: Rendered) -> None:
    text_path, png_path = golden_paths(layout, rendered.face.name)
    GOLDEN_DIR.mkdir(parents=True, exist_ok=True)
    text_path.write_text("\n".join(rendered.chars) + "\n", encoding="utf-8")
    rendered.image.save(png_path, optimize=True)


def mismatches(layout: str, rendered: Rendered) -> list[str]:
    """Everything that differs from the golden; a missing golden is itself a mismatch."""
    text_path, png_path = golden_paths(layout, rendered.face.name)
    missing = [p.name for p in (text_path, png_path) if not p.exists()]
    if missing:
        return [f"golden {', '.join(missing)} missing: run `make goldens` ({REGEN_VARIABLE}=1) and review it"]
    expected_chars = text_path.read_text(encoding="utf-8").splitlines()
    with Image.open(png_path) as golden:
        expected_image = golden.convert("RGB")
    found = [f"text: {line}" for line in text_mismatches(expected_chars, rendered.chars)]
    return found + [f"pixels: {line}" for line in pixel_mismatches(rendered.face, expected_image, rendered.image)]

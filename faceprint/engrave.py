"""Laser-engraving bitmaps: the personalisation layer (photo included) as greyscale or 1-bit.

Polycarbonate cards are personalised by a laser that blackens the core (card-standards §11,
"Laser engraving (PC)"); the engraver takes a bitmap of exactly the card at its resolution (about
1000 dpi, UNCONFIRMED in §11, so the dpi is the caller's). 1-bit output is error-diffused
(Floyd–Steinberg, Pillow's default for mode "1") so the photo keeps its tones.
"""

from __future__ import annotations

import io
from dataclasses import replace
from typing import Literal

from PIL import Image

from .backends.raster import paint
from .scene import Face

TIFF_COMPRESSION = {1: "group4", 8: "tiff_deflate"}  # lossless, and what engraver front-ends read


def engraving_bitmap(face: Face, dpi: float, bits: Literal[1, 8]) -> Image.Image:
    """The face's personalisation layer in black on white, exactly the card's size at ``dpi``."""
    only = replace(face, items=face.items_for("engrave"), invisible_layers=frozenset())
    grey = paint(only, dpi).convert("L")
    return grey.convert("1") if bits == 1 else grey


def encode_bitmap(image: Image.Image, dpi: float, fmt: Literal["tiff", "png"], bits: Literal[1, 8]) -> bytes:
    buf = io.BytesIO()
    if fmt == "tiff":
        image.save(buf, "TIFF", compression=TIFF_COMPRESSION[bits], dpi=(dpi, dpi))
    else:
        image.save(buf, "PNG", compress_level=1, dpi=(dpi, dpi))
    return buf.getvalue()

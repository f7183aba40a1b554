"""Images as PDF image XObjects, encoded as JPEG (DCT): photographs and artwork both survive at
quality 90, and a card PDF with its portrait stays well under 150 KB. Print files carry no RGB:
colour images are converted to CMYK (naively; layouts for press should supply CMYK artwork)."""

from __future__ import annotations

import io
from functools import lru_cache

from PIL import Image
from reportlab.lib.utils import ImageReader

from ...scene import ImageItem, ImagePixels
from .device import PdfDevice

JPEG_QUALITY = 90  # visually lossless for portraits at card size


@lru_cache(maxsize=64)
def _jpeg(pixels: ImagePixels, cmyk: bool) -> bytes:
    """JPEG data for the pixels, cached so artwork shared by every card is encoded once."""
    if pixels.jpeg is not None and not (cmyk and pixels.mode == "RGB"):
        return pixels.jpeg
    img = Image.frombytes(pixels.mode, (pixels.width, pixels.height), pixels.data)
    if cmyk and img.mode == "RGB":
        img = img.convert("CMYK")
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=JPEG_QUALITY)
    return buf.getvalue()


def draw_image(device: PdfDevice, item: ImageItem) -> None:
    b = item.box
    source = ImageReader(io.BytesIO(_jpeg(item.pixels, device.cmyk_only)))
    device.canvas.drawImage(source, device.x(b.x), device.y(b.bottom), device.length(b.w), device.length(b.h))

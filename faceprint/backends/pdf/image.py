"""Images as PDF image XObjects: photographs as JPEG (DCT), anything else losslessly (Flate)."""

from __future__ import annotations

import io

from reportlab.lib.utils import ImageReader

from ...images import encode_jpeg, to_pil
from ...scene import ImageItem
from .device import PdfDevice

JPEG_QUALITY = 90  # visually lossless for portraits at card size; keeps a card PDF well under 150 KB


def draw_image(device: PdfDevice, item: ImageItem) -> None:
    b = item.box
    if item.pixels.jpeg is not None or item.pixels.mode == "L" or item.pixels.mode == "RGB":
        data = item.pixels.jpeg or encode_jpeg(item.pixels, JPEG_QUALITY)
        source: ImageReader | object = ImageReader(io.BytesIO(data))
    else:
        source = ImageReader(to_pil(item.pixels))
    device.canvas.drawImage(source, device.x(b.x), device.y(b.bottom), device.length(b.w), device.length(b.h))

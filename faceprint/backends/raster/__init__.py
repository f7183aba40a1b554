"""Raster backend: draws a scene face into a Pillow image at any dpi (default 600).

In: a ``scene.Face`` and a dpi. Out: a ``PIL.Image`` in RGB. Millimetres become pixels in one
place (``Device``); glyphs are rasterised by FreeType from the very glyph ids the scene holds
(unhinted, so shapes match the PDF's outlines), paths by Anti-Grain Geometry (aggdraw), QR
modules on whole pixels so they stay crisp.
"""

from __future__ import annotations

from PIL import Image

from ...scene import GUIDE_LAYER, Face, GlyphRun, ImageItem, PathItem, QrItem
from .device import Device
from .image import draw_image
from .qr import draw_qr
from .shapes import draw_path
from .text import draw_glyph_run

DEFAULT_DPI = 600


def paint(
    face: Face, dpi: float = DEFAULT_DPI, *, guides: bool = False, background: tuple[int, int, int] = (255, 255, 255)
) -> Image.Image:
    device = Device(face.width, face.height, dpi, background, margin_mm=face.bleed if guides else 0.0)
    for item in face.items:
        if item.layer == GUIDE_LAYER and not guides:
            continue
        if isinstance(item, PathItem):
            draw_path(device, item)
            continue
        device.sync()
        if isinstance(item, GlyphRun):
            draw_glyph_run(device, item)
        elif isinstance(item, ImageItem):
            draw_image(device, item)
        elif isinstance(item, QrItem):
            draw_qr(device, item)
    device.sync()
    if guides:
        from .guides import draw_guides

        draw_guides(device, face)
    return device.image

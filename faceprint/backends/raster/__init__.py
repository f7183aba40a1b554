"""Raster backend: draws a scene face into a Pillow image at any dpi (default 600).

In: a ``scene.Face`` and a dpi. Out: a ``PIL.Image`` in RGB. Millimetres become pixels in one
place (``Device``); glyphs are rasterised by FreeType from the very glyph ids the scene holds
(unhinted, so shapes match the PDF's outlines), paths by Anti-Grain Geometry (aggdraw), QR
modules on whole pixels so they stay crisp. ``paint_uv`` shows the card under UV light: the
daylight card dimmed, the UV-ink layers glowing.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping
from dataclasses import replace

from PIL import Image

from ...color import Color
from ...scene import Face, GlyphRun, ImageItem, Item, PathItem, QrItem, SpotInk
from .device import Device
from .image import draw_image
from .qr import draw_qr
from .shapes import draw_path, paths_region
from .static import draw_with_static_cache
from .text import draw_glyph_run

DEFAULT_DPI = 600
UV_DIM = (24, 18, 48)  # the card under a UV lamp: daylight colours fall to a dark violet
UV_DIM_STRENGTH = 0.82
DEFAULT_GLOW = Color("rgb", (0.55, 1.0, 0.35))  # typical UV-fluorescent green


def draw_items(device: Device, items: Iterable[Item]) -> None:
    """Items in order; each run of consecutive paths shares one aggdraw session over the pixels it covers.

    The preview reuses this to paint a face in two runs.
    """
    for is_path, group in itertools.groupby(items, key=lambda i: isinstance(i, PathItem)):
        if is_path:
            paths = [i for i in group if isinstance(i, PathItem)]
            device.sync()  # the region is measured in whole-canvas pixels
            device.begin_region(paths_region(device, paths))
            for path in paths:
                draw_path(device, path)
            device.sync()
        else:
            for item in group:
                _draw_other(device, item)


def _draw_other(device: Device, item: Item) -> None:
    if isinstance(item, GlyphRun):
        draw_glyph_run(device, item)
    elif isinstance(item, ImageItem):
        draw_image(device, item)
    elif isinstance(item, QrItem):
        draw_qr(device, item)


def paint(
    face: Face, dpi: float = DEFAULT_DPI, *, guides: bool = False, background: tuple[int, int, int] = (255, 255, 255)
) -> Image.Image:
    """The face in daylight: every layer but guides (unless asked for) and invisible (UV) inks.

    With ``guides`` the layout's own guide-layer elements (e.g. a stripe zone's outline and name) are
    drawn over the card, then the designer guides (trim, safe area, keep-out zones, element boxes).
    """
    margin = face.bleed if guides else 0.0
    device = draw_with_static_cache(
        (face.name, face.width, face.height, float(dpi), background, margin),
        face.items_for("daylight"),
        lambda canvas: Device(face.width, face.height, dpi, background, margin_mm=margin, canvas=canvas),
        draw_items,
    )
    if guides:
        from .guides import draw_guides

        draw_items(device, face.items_for("guide"))
        draw_guides(device, face)
    return device.image


def _glowing(item: Item, glow: Color) -> Item:
    if isinstance(item, GlyphRun):
        return replace(item, color=glow)
    if isinstance(item, PathItem):
        return replace(item, fill=glow if item.fill is not None else None, stroke=glow if item.stroke is not None else None)
    if isinstance(item, QrItem):
        return replace(item, color=glow, background=None)
    return item


def paint_uv(face: Face, inks: Iterable[SpotInk], dpi: float = DEFAULT_DPI) -> Image.Image:
    """The face under UV light: the daylight card dimmed, UV inks drawn in their glow colour."""
    glow: Mapping[str, Color] = {ink.layer: ink.glow or DEFAULT_GLOW for ink in inks if not ink.visible}
    daylight = paint(face, dpi)
    dim = Image.new("RGB", daylight.size, UV_DIM)
    device = Device(face.width, face.height, dpi, UV_DIM)
    device.image = Image.blend(daylight, dim, UV_DIM_STRENGTH)
    draw_items(device, (_glowing(i, glow.get(i.layer, DEFAULT_GLOW)) for i in face.items_for("uv")))
    return device.image

"""Designer guides over a raster preview: bleed, trim (with the card's corner radius), safe area,
keep-out zones and every element's box and id. Guides are drawn only into previews."""

from __future__ import annotations

from functools import lru_cache

import aggdraw
from PIL import Image, ImageDraw, ImageFont

from ...color import Color
from ...geometry import rect_ops
from ...scene import Box, Face, PathItem
from ...text.fonts import BUNDLED_FONT_DIR
from .device import Device
from .shapes import draw_path

LAYER_COLOURS = {
    "artwork": (0, 110, 220),
    "personalisation": (200, 0, 160),
    "tactile": (0, 150, 80),
    "guide": (120, 120, 120),
}
KEEP_OUT_RGBA = (230, 30, 30, 90)
LABEL_FONT = BUNDLED_FONT_DIR / "BIZUDGothic-Regular.ttf"


@lru_cache(maxsize=8)
def _label_font(px: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    try:
        return ImageFont.truetype(str(LABEL_FONT), px)
    except OSError:
        return ImageFont.load_default()


def _rgb(c: tuple[int, int, int]) -> Color:
    return Color("rgb", tuple(v / 255 for v in c))


def draw_guides(device: Device, face: Face) -> None:
    trim = Box(0.0, 0.0, face.width, face.height)
    hairline = 0.08  # mm: visible at 300–600 dpi without hiding the art
    if face.bleed > 0:
        shade = Image.new("RGBA", device.image.size, (0, 0, 0, 0))
        sd = ImageDraw.Draw(shade)
        sd.rectangle((0, 0, shade.width, shade.height), fill=(255, 200, 0, 40))
        sd.rectangle(
            (round(device.x(0)), round(device.y(0)), round(device.x(face.width)) - 1, round(device.y(face.height)) - 1),
            fill=(0, 0, 0, 0),
        )
        device.image.paste(Image.alpha_composite(device.image.convert("RGBA"), shade).convert("RGB"))
    draw_path(device, PathItem("guide:trim", "guide", rect_ops(trim, face.corner_radius), None, _rgb((0, 0, 0)), hairline * 2))
    safe = Box(face.safe_margin, face.safe_margin, face.width - 2 * face.safe_margin, face.height - 2 * face.safe_margin)
    draw_path(device, PathItem("guide:safe", "guide", rect_ops(safe), None, _rgb((0, 160, 0)), hairline, (0.6, 0.4)))
    device.sync()
    overlay = Image.new("RGBA", device.image.size, (0, 0, 0, 0))
    od = aggdraw.Draw(overlay)
    for zone in face.keep_out:
        b = zone.box
        od.rectangle(
            (device.x(b.x), device.y(b.y), device.x(b.right), device.y(b.bottom)),
            aggdraw.Pen((230, 30, 30), 2),
            aggdraw.Brush(KEEP_OUT_RGBA[:3], KEEP_OUT_RGBA[3]),
        )
    od.flush()
    device.image.paste(Image.alpha_composite(device.image.convert("RGBA"), overlay).convert("RGB"))
    draw = ImageDraw.Draw(device.image)
    label_px = max(8, round(device.length(1.2)))
    font = _label_font(label_px)
    for zone in face.keep_out:
        draw.text((device.x(zone.box.x) + 2, device.y(zone.box.y) + 2), f"keep out: {zone.zone_id}", fill=(200, 0, 0), font=font)
    for eb in face.boxes:
        colour = LAYER_COLOURS.get(eb.layer, (90, 90, 90))
        draw_path(device, PathItem(f"guide:{eb.element_id}", "guide", rect_ops(eb.box), None, _rgb(colour), hairline))
    device.sync()
    for eb in face.boxes:
        colour = LAYER_COLOURS.get(eb.layer, (90, 90, 90))
        b = eb.box
        draw.text(
            (device.x(b.x) + 1, device.y(b.y) - label_px - 1 if b.y > 1.5 else device.y(b.bottom) + 1),
            eb.element_id,
            fill=colour,
            font=font,
        )

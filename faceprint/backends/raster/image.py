"""Images placed at their box, resampled to the device resolution."""

from __future__ import annotations

from PIL import Image

from ...images import to_pil
from ...scene import ImageItem
from .device import Device


def draw_image(device: Device, item: ImageItem) -> None:
    x0 = round(device.x(item.box.x))
    y0 = round(device.y(item.box.y))
    x1 = round(device.x(item.box.right))
    y1 = round(device.y(item.box.bottom))
    if x1 <= x0 or y1 <= y0:
        return
    img = to_pil(item.pixels)
    if img.size != (x1 - x0, y1 - y0):
        img = img.resize((x1 - x0, y1 - y0), Image.Resampling.BILINEAR if img.width > x1 - x0 else Image.Resampling.BICUBIC)
    if img.mode != "RGB":
        img = img.convert("RGB")
    if item.opacity < 1.0:
        device.image.paste(img, (x0, y0), Image.new("L", img.size, round(255 * item.opacity)))
    else:
        device.image.paste(img, (x0, y0))

"""Preview pixels: a face painted with its bleed around it, at a whole number of pixels.

The raster backend only widens its canvas when it also draws its guides; the preview draws guides
in the browser instead (so toggling them is instant), so it needs the art in the bleed without them.
The margin is rounded up to whole pixels so that the trimmed area is pixel-identical to
``backends.raster.paint`` (a test checks it) and the page can place its overlay exactly.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from PIL import Image

from ..backends.raster import draw_items
from ..backends.raster.device import Device
from ..scene import Face, Item, PathItem
from ..tolerances import PIXEL_EPS
from ..units import mm_to_px


def margin_px(face: Face, dpi: float) -> int:
    """The bleed in whole pixels (rounded up, so all of the bleed shows)."""
    return math.ceil(mm_to_px(face.bleed, dpi) - PIXEL_EPS)


def paint_with_bleed(face: Face, dpi: float, background: tuple[int, int, int] = (255, 255, 255)) -> Image.Image:
    """The face as ``paint`` draws it in daylight (the same item drawing), on a canvas grown by ``margin_px``."""
    margin_mm = margin_px(face, dpi) / mm_to_px(1.0, dpi)
    device = Device(face.width, face.height, dpi, background, margin_mm=margin_mm)
    draw_items(device, face.items_for("daylight"))
    return device.image


HEAVY_PATH_OPS = 200  # a path with this many segments (a guilloche curve, not a rect or a rule) is worth keeping


@dataclass
class _Kept:
    items: list[Item]
    split: int  # items[:split] are painted into ``image``
    image: Image.Image


class IncrementalPainter:
    """``paint_with_bleed`` that starts again from a kept canvas when the heavy first items did not change.

    The artwork under the data (guilloche curves: thousands of segments) is drawn first and changes
    rarely while a designer iterates, yet takes most of a face's paint time. So the canvas after the
    last heavy path is kept; when the next scene begins with the same items up to there, painting
    resumes from a copy of it. Drawing in two runs gives the same pixels as one (a test checks it).
    """

    def __init__(self) -> None:
        self._kept: dict[tuple[str, float], _Kept] = {}

    def paint(self, face: Face, dpi: float, background: tuple[int, int, int] = (255, 255, 255)) -> Image.Image:
        items = list(face.items_for("daylight"))
        split = max(
            (i + 1 for i, it in enumerate(items) if isinstance(it, PathItem) and len(it.ops) >= HEAVY_PATH_OPS), default=0
        )
        margin_mm = margin_px(face, dpi) / mm_to_px(1.0, dpi)
        device = Device(face.width, face.height, dpi, background, margin_mm=margin_mm)
        key = (face.name, dpi)
        kept = self._kept.get(key)
        if kept is not None and kept.split == split and kept.image.size == device.image.size and kept.items == items[:split]:
            device.image = kept.image.copy()
        elif split:
            draw_items(device, items[:split])
            self._kept[key] = _Kept(items[:split], split, device.image.copy())
        else:
            self._kept.pop(key, None)
        draw_items(device, items[split:])
        return device.image

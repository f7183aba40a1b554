"""Preview pixels: a face painted with its bleed around it, at a whole number of pixels.

The raster backend only widens its canvas when it also draws its guides; the preview draws guides
in the browser instead (so toggling them is instant), so it needs the art in the bleed without them.
The margin is rounded up to whole pixels so that the trimmed area is pixel-identical to
``backends.raster.paint`` (a test checks it) and the page can place its overlay exactly.
"""

from __future__ import annotations

import math

from PIL import Image

from ..backends.raster import _draw_items
from ..backends.raster.device import Device
from ..scene import GUIDE_LAYER, Face
from ..units import mm_to_px


def margin_px(face: Face, dpi: float) -> int:
    """The bleed in whole pixels (rounded up, so all of the bleed shows)."""
    return math.ceil(mm_to_px(face.bleed, dpi) - 1e-9)


def paint_with_bleed(face: Face, dpi: float, background: tuple[int, int, int] = (255, 255, 255)) -> Image.Image:
    """The face as ``paint`` draws it in daylight (the same item drawing), on a canvas grown by ``margin_px``."""
    margin_mm = margin_px(face, dpi) / mm_to_px(1.0, dpi)
    device = Device(face.width, face.height, dpi, background, margin_mm=margin_mm)
    skip = {GUIDE_LAYER, *face.invisible_layers}
    _draw_items(device, (item for item in face.items if item.layer not in skip))
    return device.image

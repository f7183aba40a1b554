"""The pixel canvas: the one place where millimetres become pixels.

``margin_mm`` widens the canvas on every side (the bleed, when guides are shown); scene
coordinates stay relative to the trimmed face's top-left corner.
"""

from __future__ import annotations

import aggdraw
from PIL import Image

from ...errors import UsageError
from ...limits import MAX_RASTER_PIXELS, limit_message
from ...units import mm_to_px


class Device:
    def __init__(
        self, width_mm: float, height_mm: float, dpi: float, background: tuple[int, int, int], margin_mm: float = 0.0
    ) -> None:
        self.dpi = float(dpi)
        self.scale = mm_to_px(1.0, self.dpi)  # px per mm
        self.margin = margin_mm
        self.width_px = round((width_mm + 2 * margin_mm) * self.scale)
        self.height_px = round((height_mm + 2 * margin_mm) * self.scale)
        if self.width_px * self.height_px > MAX_RASTER_PIXELS:
            what = limit_message("MAX_RASTER_PIXELS", MAX_RASTER_PIXELS, "pixels of one raster image")
            raise UsageError(f"{self.width_px} × {self.height_px} px at {self.dpi:g} dpi: {what}; choose a lower --dpi")
        self.image = Image.new("RGB", (self.width_px, self.height_px), background)
        self._agg: aggdraw.Draw | None = None

    def agg(self) -> aggdraw.Draw:
        """An aggdraw surface over the image; consecutive paths share one (it copies the pixels in and out)."""
        if self._agg is None:
            self._agg = aggdraw.Draw(self.image)
        return self._agg

    def sync(self) -> None:
        """Write pending aggdraw paths back before anything else touches the pixels."""
        if self._agg is not None:
            self._agg.flush()
            self._agg = None

    def x(self, mm: float) -> float:
        return (mm + self.margin) * self.scale

    def y(self, mm: float) -> float:
        return (mm + self.margin) * self.scale

    def length(self, mm: float) -> float:
        return mm * self.scale

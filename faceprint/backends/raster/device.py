"""The pixel canvas: the one place where millimetres become pixels.

``margin_mm`` widens the canvas on every side (the bleed, when guides are shown); scene
coordinates stay relative to the trimmed face's top-left corner.
"""

from __future__ import annotations

import aggdraw
from PIL import Image

from ...units import mm_to_px


class Device:
    def __init__(
        self,
        width_mm: float,
        height_mm: float,
        dpi: float,
        background: tuple[int, int, int],
        margin_mm: float = 0.0,
        canvas: Image.Image | None = None,
    ) -> None:
        """``canvas``: pixels to draw on (a copy of cached static artwork, of this very size) instead of
        a blank ``background``."""
        self.dpi = float(dpi)
        self.scale = mm_to_px(1.0, self.dpi)  # px per mm
        self.margin = margin_mm
        self.width_px = round((width_mm + 2 * margin_mm) * self.scale)
        self.height_px = round((height_mm + 2 * margin_mm) * self.scale)
        size = (self.width_px, self.height_px)
        if canvas is not None and (canvas.mode, canvas.size) != ("RGB", size):
            raise ValueError(f"canvas is {canvas.mode} {canvas.size}, the device RGB {size}")
        self.image = canvas if canvas is not None else Image.new("RGB", size, background)
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

"""The pixel canvas: the one place where millimetres become pixels.

``margin_mm`` widens the canvas on every side (the bleed, when guides are shown); scene
coordinates stay relative to the trimmed face's top-left corner.
"""

from __future__ import annotations

import os

import aggdraw
from PIL import Image
from PIL import _imaging as pil_core

from ...errors import UsageError
from ...limits import MAX_RASTER_PIXELS, limit_message
from ...units import mm_to_px

# Freed Pillow image blocks kept for reuse rather than handed back to the OS (Pillow keeps none by
# default): every card allocates canvases and copies of one size, and fresh pages cost a page fault
# each. Measured at 600 dpi, 21 cards: 187k -> 149k minor page faults, ~10 % less CPU, +5 MB peak RSS
# (2026-12-04). Project choice; a PILLOW_BLOCKS_MAX in the environment still decides.
PIL_BLOCKS_KEPT = 4
if "PILLOW_BLOCKS_MAX" not in os.environ:
    pil_core.set_blocks_max(max(pil_core.get_blocks_max(), PIL_BLOCKS_KEPT))


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
        if self.width_px * self.height_px > MAX_RASTER_PIXELS:
            what = limit_message("MAX_RASTER_PIXELS", MAX_RASTER_PIXELS, "pixels of one raster image")
            raise UsageError(f"{self.width_px} × {self.height_px} px at {self.dpi:g} dpi: {what}; choose a lower --dpi")
        size = (self.width_px, self.height_px)
        if canvas is not None and (canvas.mode, canvas.size) != ("RGB", size):
            raise ValueError(f"canvas is {canvas.mode} {canvas.size}, the device RGB {size}")
        self.image = canvas if canvas is not None else Image.new("RGB", size, background)
        self._agg: aggdraw.Draw | None = None
        self._region: tuple[int, int, int, int] | None = None  # px box the next aggdraw session covers
        self._region_image: Image.Image | None = None
        self._ox = self._oy = 0  # px: the region's top-left, subtracted from x() and y() during a session

    def begin_region(self, box: tuple[int, int, int, int]) -> None:
        """Let the next aggdraw session cover only ``box`` (px, left, top, right, bottom), which must hold
        every pixel its paths touch: aggdraw copies the pixels it covers in and out, and on a 600 dpi
        canvas copying it all is most of a small path's cost. Anti-Grain Geometry rasterises in
        integer sub-pixel units, so a path moved by whole pixels covers exactly the same pixels."""
        self.sync()
        left, top = max(0, box[0]), max(0, box[1])
        right, bottom = min(self.width_px, box[2]), min(self.height_px, box[3])
        if right <= left or bottom <= top or (right - left) * (bottom - top) * 2 > self.width_px * self.height_px:
            return  # nothing visible, or most of the canvas: the whole canvas is as cheap
        self._region = (left, top, right, bottom)
        self._ox, self._oy = left, top

    def agg(self) -> aggdraw.Draw:
        """An aggdraw surface over the image (or the region begun); consecutive paths share one."""
        if self._agg is None:
            if self._region is not None:
                self._region_image = self.image.crop(self._region)
                self._agg = aggdraw.Draw(self._region_image)
            else:
                self._agg = aggdraw.Draw(self.image)
        return self._agg

    def sync(self) -> None:
        """Write pending aggdraw paths back before anything else touches the pixels."""
        if self._agg is not None:
            self._agg.flush()
            self._agg = None
            if self._region is not None and self._region_image is not None:
                self.image.paste(self._region_image, self._region[:2])
        self._region, self._region_image = None, None
        self._ox = self._oy = 0

    def x(self, mm: float) -> float:
        return (mm + self.margin) * self.scale - self._ox

    def y(self, mm: float) -> float:
        return (mm + self.margin) * self.scale - self._oy

    def length(self, mm: float) -> float:
        return mm * self.scale

"""QR modules on whole pixels: each module edge is rounded to the pixel grid, so no grey seams."""

from __future__ import annotations

from PIL import ImageDraw

from ...scene import QrItem, dark_runs
from .device import Device


def draw_qr(device: Device, item: QrItem) -> None:
    draw = ImageDraw.Draw(device.image)
    n = len(item.matrix)
    q = item.quiet_zone
    edges_x = [round(device.x(item.x + (i - q) * item.module)) for i in range(n + 2 * q + 1)]
    edges_y = [round(device.y(item.y + (i - q) * item.module)) for i in range(n + 2 * q + 1)]
    if item.background is not None:
        _fill(draw, edges_x[0], edges_y[0], edges_x[-1], edges_y[-1], item.background.to_rgb8())
    dark = item.color.to_rgb8()
    for r, start, end in dark_runs(item.matrix):
        _fill(draw, edges_x[start + q], edges_y[r + q], edges_x[end + q], edges_y[r + q + 1], dark)


def _fill(draw: ImageDraw.ImageDraw, x0: int, y0: int, x1: int, y1: int, color: tuple[int, int, int]) -> None:
    """Pixels [x0, x1) × [y0, y1); a run narrower than a pixel at this dpi rounds to nothing."""
    if x1 > x0 and y1 > y0:
        draw.rectangle((x0, y0, x1 - 1, y1 - 1), fill=color)

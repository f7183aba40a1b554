"""Paths and QR codes as PDF vector graphics."""

from __future__ import annotations

import functools

from ...scene import PathItem, PathOp, QrItem, dark_runs
from ...units import MM_PER_PT
from .device import PdfDevice, fill_op

PT_PER_MM = 1.0 / MM_PER_PT


def _path_code(device: PdfDevice, item: PathItem) -> str:
    return _path_ops(item.ops, device.ox, device.oy, device.page_height)


@functools.lru_cache(maxsize=256)
def _path_ops(ops: tuple[PathOp, ...], ox: float, oy: float, page_height: float) -> str:
    """Path operators in points, to 0.01 pt (3.5 µm, finer than any press or laser).

    Cached: artwork paths (a guilloche band has thousands of points) repeat on every card.
    """
    k = PT_PER_MM
    out: list[str] = []
    for op, a in ops:
        if op == "M" or op == "L":
            out.append(f"{(a[0] + ox) * k:.2f} {(page_height - a[1] - oy) * k:.2f} {op.lower()}")
        elif op == "C":
            pts = " ".join(f"{(a[i] + ox) * k:.2f} {(page_height - a[i + 1] - oy) * k:.2f}" for i in (0, 2, 4))
            out.append(f"{pts} c")
        elif op == "Z":
            out.append("h")
    return " ".join(out)


def draw_path(device: PdfDevice, item: PathItem) -> None:
    if item.fill is None and item.stroke is None:
        return
    if item.opacity < 1.0:
        # reportlab writes the ExtGState (/ca, /CA) and its resource; our operators follow it.
        device.canvas.saveState()
        device.canvas.setFillAlpha(item.opacity)
        device.canvas.setStrokeAlpha(item.opacity)
    device.literal(path_code(device, item, device.begin_item(item.layer, item.fill, item.stroke)))
    device.end_item(item.layer)
    if item.opacity < 1.0:
        device.canvas.restoreState()


def path_code(device: PdfDevice, item: PathItem, colour: str) -> str:
    """The path's operators after its ``colour`` operators: line style, transform, outline, paint."""
    code = [colour]
    if item.stroke is not None:
        code.append(f"{device.length(item.stroke_width):.3f} w")
        if item.dash:
            code.append("[" + " ".join(f"{device.length(d):.3f}" for d in item.dash) + "] 0 d")
    if item.transform is not None:
        code.append(device.affine_cm(item.transform))
    code.append(_path_code(device, item))
    if item.fill is not None and item.stroke is not None:
        code.append("B")
    elif item.fill is not None:
        code.append("f")
    else:
        code.append("S")
    return " ".join(c for c in code if c)


def draw_qr(device: PdfDevice, item: QrItem) -> None:
    """Dark modules merged into horizontal runs, one rectangle each, filled in one operation."""
    m = item.module
    q = item.quiet_zone
    n = len(item.matrix)
    dark = device.begin_item(item.layer, item.color, None)
    code: list[str] = []
    if item.background is not None and item.layer not in device.spots:
        bx, by = item.x - q * m, item.y - q * m
        size = (n + 2 * q) * m
        code.append(fill_op(device.process(item.background)))
        code.append(f"{device.x(bx):.3f} {device.y(by + size):.3f} {device.length(size):.3f} {device.length(size):.3f} re f")
    code.append(dark)
    for r, start, end in dark_runs(item.matrix):
        x0 = item.x + start * m
        y_bottom = item.y + (r + 1) * m
        code.append(
            f"{device.x(x0):.3f} {device.y(y_bottom):.3f} {device.length((end - start) * m):.3f} {device.length(m):.3f} re"
        )
    code.append("f")
    device.literal(" ".join(c for c in code if c))
    device.end_item(item.layer)

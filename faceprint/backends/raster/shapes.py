"""Paths (rectangles, lines, polygons) drawn anti-aliased with aggdraw."""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import replace
from functools import lru_cache

import aggdraw

from ...geometry import transform_ops
from ...scene import PathItem, PathOp
from ...tolerances import COLLINEAR_EPS_MM2
from .device import Device

CURVE_SEGMENTS = 12  # flattening of Bézier curves for dashed strokes
# px around a run of paths' points that its drawing may reach: miter joins (AGG's limit is 4, so up to
# 2 pen widths) and round caps, with room to spare; plus anti-aliasing's partly covered pixels
REGION_PAD_PENS = 3
REGION_PAD_PX = 3


def _agg_path(ops: Sequence[PathOp], device: Device) -> aggdraw.Path:
    path = aggdraw.Path()
    x, y = device.x, device.y
    for op, a in ops:
        if op == "M":
            path.moveto(x(a[0]), y(a[1]))
        elif op == "L":
            path.lineto(x(a[0]), y(a[1]))
        elif op == "C":
            path.curveto(x(a[0]), y(a[1]), x(a[2]), y(a[3]), x(a[4]), y(a[5]))
        elif op == "Z":
            path.close()
    return path


def _flatten(ops: Sequence[PathOp]) -> list[list[tuple[float, float]]]:
    """Polylines of a path (curves split into straight segments), for dashing."""
    lines: list[list[tuple[float, float]]] = []
    cur: list[tuple[float, float]] = []
    start = (0.0, 0.0)
    for op, a in ops:
        if op == "M":
            if len(cur) > 1:
                lines.append(cur)
            cur = [(a[0], a[1])]
            start = (a[0], a[1])
        elif op == "L":
            cur.append((a[0], a[1]))
        elif op == "C":
            x0, y0 = cur[-1]
            for i in range(1, CURVE_SEGMENTS + 1):
                t = i / CURVE_SEGMENTS
                mt = 1 - t
                x = mt**3 * x0 + 3 * mt**2 * t * a[0] + 3 * mt * t**2 * a[2] + t**3 * a[4]
                y = mt**3 * y0 + 3 * mt**2 * t * a[1] + 3 * mt * t**2 * a[3] + t**3 * a[5]
                cur.append((x, y))
        elif op == "Z":
            cur.append(start)
    if len(cur) > 1:
        lines.append(cur)
    return lines


def dash_segments(polyline: Sequence[tuple[float, float]], pattern: Sequence[float]) -> list[list[tuple[float, float]]]:
    """Split a polyline into the 'on' pieces of a dash pattern (lengths in the polyline's units)."""
    if not pattern or sum(pattern) <= 0:
        return [list(polyline)]
    pieces: list[list[tuple[float, float]]] = []
    idx, remaining, on = 0, pattern[0], True
    cur: list[tuple[float, float]] = [polyline[0]]
    for (x0, y0), (x1, y1) in itertools.pairwise(polyline):
        seg = math.hypot(x1 - x0, y1 - y0)
        pos = 0.0
        while seg - pos > remaining:
            pos += remaining
            t = pos / seg
            pt = (x0 + (x1 - x0) * t, y0 + (y1 - y0) * t)
            if on:
                cur.append(pt)
                pieces.append(cur)
            cur = [pt]
            on = not on
            idx = (idx + 1) % len(pattern)
            remaining = pattern[idx]
        remaining -= seg - pos
        if on:
            cur.append((x1, y1))
        else:
            cur = [(x1, y1)]
    if on and len(cur) > 1:
        pieces.append(cur)
    return pieces


@lru_cache(maxsize=1024)
def _ops_bounds(ops: tuple[PathOp, ...]) -> tuple[float, float, float, float]:
    """(min x, min y, max x, max y) of every point of the path, control points included (a Bézier
    curve stays inside their hull)."""
    xs = [v for _, a in ops for v in a[0::2]]
    ys = [v for _, a in ops for v in a[1::2]]
    return (min(xs), min(ys), max(xs), max(ys)) if xs else (0.0, 0.0, 0.0, 0.0)


def _item_bounds(item: PathItem) -> tuple[float, float, float, float]:
    x0, y0, x1, y1 = _ops_bounds(item.ops)
    if item.transform is None:
        return x0, y0, x1, y1
    a, b, c, d, e, f = item.transform  # an affine map keeps the box's image inside its corners' hull
    corners = [(a * x + c * y + e, b * x + d * y + f) for x in (x0, x1) for y in (y0, y1)]
    return min(p[0] for p in corners), min(p[1] for p in corners), max(p[0] for p in corners), max(p[1] for p in corners)


def _without_area(ops: Sequence[PathOp]) -> bool:
    """Whether a fill would cover nothing: every point on one straight line (PDF paints no ink there).

    Agg anti-aliases such a degenerate polygon into a faint hairline whose pixels depend on where
    the drawing canvas starts, so drawing it on a region and on the whole card would differ.
    """
    points = [p for poly in _flatten(ops) for p in poly]
    if len(points) < 3:
        return True
    (x0, y0), rest = points[0], points[1:]
    far = max(rest, key=lambda p: abs(p[0] - x0) + abs(p[1] - y0))
    dx, dy = far[0] - x0, far[1] - y0
    return all(abs(dx * (y - y0) - dy * (x - x0)) <= COLLINEAR_EPS_MM2 for x, y in rest)


def paths_region(device: Device, items: Sequence[PathItem]) -> tuple[int, int, int, int]:
    """The pixel box (left, top, right, bottom) that drawing ``items`` can touch, for ``begin_region``."""
    left = top = math.inf
    right = bottom = -math.inf
    for item in items:
        x0, y0, x1, y1 = _item_bounds(item)
        pad = REGION_PAD_PX + (REGION_PAD_PENS * max(device.length(item.stroke_width), 0.5) if item.stroke else 0.0)
        left, top = min(left, device.x(x0) - pad), min(top, device.y(y0) - pad)
        right, bottom = max(right, device.x(x1) + pad), max(bottom, device.y(y1) + pad)
    if not items:
        return (0, 0, 0, 0)
    return math.floor(left), math.floor(top), math.ceil(right), math.ceil(bottom)


def draw_path(device: Device, item: PathItem) -> None:
    if item.transform is not None:
        item = replace(item, ops=transform_ops(item.ops, item.transform), transform=None)
    draw = device.agg()
    opacity = round(255 * item.opacity)
    brush = aggdraw.Brush(item.fill.to_rgb8(), opacity) if item.fill is not None else None
    pen = (
        aggdraw.Pen(item.stroke.to_rgb8(), max(device.length(item.stroke_width), 0.5), opacity)
        if item.stroke is not None
        else None
    )
    if brush is not None and not _without_area(item.ops):
        draw.path(_agg_path(item.ops, device), None, brush)
    if pen is not None:
        if item.dash:
            for poly in _flatten(item.ops):
                for piece in dash_segments(poly, item.dash):
                    p = aggdraw.Path()
                    p.moveto(device.x(piece[0][0]), device.y(piece[0][1]))
                    for px, py in piece[1:]:
                        p.lineto(device.x(px), device.y(py))
                    draw.path(p, pen)
        else:
            draw.path(_agg_path(item.ops, device), pen)

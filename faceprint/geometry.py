"""Path construction in mm: rectangles with rounded corners, polylines, polygons."""

from __future__ import annotations

from collections.abc import Sequence

from .scene import Box, PathOp

# Cubic Bézier approximation of a quarter circle: 4/3·(√2 − 1).
KAPPA = 0.5522847498307936


def rect_ops(box: Box, radius: float = 0.0) -> tuple[PathOp, ...]:
    x, y, w, h = box.x, box.y, box.w, box.h
    r = max(0.0, min(radius, w / 2.0, h / 2.0))
    if r <= 0:
        return (("M", (x, y)), ("L", (x + w, y)), ("L", (x + w, y + h)), ("L", (x, y + h)), ("Z", ()))
    k = r * KAPPA
    return (
        ("M", (x + r, y)),
        ("L", (x + w - r, y)),
        ("C", (x + w - r + k, y, x + w, y + r - k, x + w, y + r)),
        ("L", (x + w, y + h - r)),
        ("C", (x + w, y + h - r + k, x + w - r + k, y + h, x + w - r, y + h)),
        ("L", (x + r, y + h)),
        ("C", (x + r - k, y + h, x, y + h - r + k, x, y + h - r)),
        ("L", (x, y + r)),
        ("C", (x, y + r - k, x + r - k, y, x + r, y)),
        ("Z", ()),
    )


def poly_ops(points: Sequence[tuple[float, float]], *, closed: bool) -> tuple[PathOp, ...]:
    ops: list[PathOp] = [("M", points[0])]
    ops.extend(("L", p) for p in points[1:])
    if closed:
        ops.append(("Z", ()))
    return tuple(ops)


def bounds(points: Sequence[tuple[float, float]]) -> Box:
    xs = [p[0] for p in points]
    ys = [p[1] for p in points]
    return Box(min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys))


def transform_ops(ops: Sequence[PathOp], t: tuple[float, float, float, float, float, float]) -> tuple[PathOp, ...]:
    """The path with its points mapped by the affine ``t`` = (a, b, c, d, e, f)."""
    a, b, c, d, e, f = t
    out: list[PathOp] = []
    for op, args in ops:
        pts = [(args[i], args[i + 1]) for i in range(0, len(args), 2)]
        mapped = tuple(v for x, y in pts for v in (a * x + c * y + e, b * x + d * y + f))
        out.append((op, mapped))
    return tuple(out)

"""Anti-counterfeiting features (comment 72; today's card: micro-text, guilloche 彩紋, a blurred-edge
photo and laser engraving, card-standards §10a), resolved into ordinary scene items.

In: microtext and guilloche elements with their boxes/paths. Out: glyph runs with a position and
angle per glyph (vector text, extractable from the PDF) and stroked paths (vector curves). Both
are pure functions of the element's numbers (and, when ``modulate`` is set, of one record value),
so the same inputs always give the same bytes.
"""

from __future__ import annotations

import functools
import hashlib
import itertools
import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

from .color import BLACK, Color
from .scene import Box, Glyph, GlyphRun, PathItem, PathOp
from .text.shaping import Cluster
from .tolerances import PATH_LENGTH_EPS_MM
from .units import mm_to_pt

if TYPE_CHECKING:  # the kind module draws microtext with this module: no import back at run time
    from .kinds.guilloche import GuillocheElement

COORD_DECIMALS = 4  # curve points rounded to 0.1 µm: stable bytes, far below any device resolution


def _polyline_length(points: Sequence[tuple[float, float]]) -> list[float]:
    acc = [0.0]
    for (x0, y0), (x1, y1) in itertools.pairwise(points):
        acc.append(acc[-1] + math.hypot(x1 - x0, y1 - y0))
    return acc


def _at(points: Sequence[tuple[float, float]], cum: Sequence[float], s: float) -> tuple[float, float, float]:
    """Point and direction (degrees, clockwise with y down) at arc length ``s`` along the path."""
    for i in range(1, len(cum)):
        if s <= cum[i] or i == len(cum) - 1:
            seg = cum[i] - cum[i - 1]
            t = 0.0 if seg == 0 else (s - cum[i - 1]) / seg
            (x0, y0), (x1, y1) = points[i - 1], points[i]
            return x0 + (x1 - x0) * t, y0 + (y1 - y0) * t, math.degrees(math.atan2(y1 - y0, x1 - x0))
    x, y = points[-1]
    return x, y, 0.0


def microtext_run(
    element_id: str,
    layer: str,
    points: Sequence[tuple[float, float]],
    clusters: Sequence[Cluster],
    height_mm: float,
    gap_mm: float,
    color: Color,
) -> GlyphRun:
    """The text repeated along the path until the path is full; a glyph is never cut at the end.

    Each glyph sits on the path at its pen position, turned to the path's direction there, so a
    border made of 'JAPAN' turns its corners.
    """
    size_pt = mm_to_pt(height_mm)
    advances = [c.advance_em * height_mm for c in clusters]
    unit = sum(advances) + gap_mm
    cum = _polyline_length(points)
    total = cum[-1]
    glyphs: list[Glyph] = []
    drawn: list[float] = []
    if unit <= 0 or not clusters:
        raise ValueError("microtext needs some text")
    s = 0.0
    while True:
        for cluster, adv in zip(clusters, advances, strict=True):
            if s + adv > total + PATH_LENGTH_EPS_MM:
                break
            if not cluster.is_space:
                x, y, angle = _at(points, cum, s)
                glyphs.append(
                    Glyph(cluster.gid, round(x, COORD_DECIMALS), cluster.text, round(y, COORD_DECIMALS), round(angle, 3))
                )
                drawn.append(adv)
            s += adv
        else:
            s += gap_mm
            continue
        break
    face = clusters[0].face
    assert all(c.face is face for c in clusters), "microtext is set in one font"
    return GlyphRun(element_id, layer, face.ref, size_pt, 1.0, points[0][1], tuple(glyphs), color, tuple(drawn))


def seed_of(value: str) -> float:
    """A number in [0, 1) from a record value, to shift a modulated pattern (stable across runs)."""
    digest = hashlib.sha256(value.encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def _ops(points: Sequence[tuple[float, float]], closed: bool = False) -> tuple[PathOp, ...]:
    ops: list[PathOp] = [("M", points[0])]
    ops.extend(("L", p) for p in points[1:])
    if closed:
        ops.append(("Z", ()))
    return tuple(ops)


@functools.lru_cache(maxsize=32)
def _hypotrochoid(big: float, small: float, pen: float, samples: int) -> tuple[tuple[float, float], ...]:
    """One spirograph curve around (0, 0), unscaled: computed once per layout, turned per line."""
    # the curve closes after t = 2π·r / gcd(R, r) (radii compared in thousandths)
    big_i, small_i = round(big * 1000), round(small * 1000)
    turns = small_i / math.gcd(big_i, small_i)
    k = (big - small) / small
    pts = []
    for i in range(samples + 1):
        t = 2 * math.pi * turns * i / samples
        pts.append(((big - small) * math.cos(t) + pen * math.cos(k * t), (big - small) * math.sin(t) - pen * math.sin(k * t)))
    return tuple(pts)


@functools.lru_cache(maxsize=16)
def _rosette_curves(
    big: float, small: float, pen: float, samples: int, lines: int, phase: float, box: Box
) -> tuple[tuple[tuple[float, float], ...], ...]:
    base = _hypotrochoid(big, small, pen, samples)
    reach = abs(big - small) + pen
    scale = min(box.w, box.h) / 2.0 / reach
    cx, cy = box.x + box.w / 2.0, box.y + box.h / 2.0
    curves = []
    for k in range(lines):
        rot = 2 * math.pi * (phase + k / lines / max(1.0, big / small))
        c, s = math.cos(rot) * scale, math.sin(rot) * scale
        curves.append(tuple((cx + x * c - y * s, cy + x * s + y * c) for x, y in base))
    return tuple(curves)


def _turn_about(cx: float, cy: float, turns: float) -> tuple[float, float, float, float, float, float]:
    """The affine map turning the page by ``turns`` (clockwise on the y-down page) about (cx, cy)."""
    a = 2 * math.pi * turns
    c, s = math.cos(a), math.sin(a)
    return (c, s, -s, c, cx - c * cx + s * cy, cy - s * cx - c * cy)


def _wave(el: GuillocheElement, box: Box, seed: float) -> list[list[tuple[float, float]]]:
    """Sine waves across the box, each line shifted in phase: interfering moiré bands."""
    a = min(el.amplitude, box.h / 2.0)
    usable = box.h - 2 * a
    curves = []
    for k in range(el.lines):
        base = box.y + a + (usable * k / max(el.lines - 1, 1))
        phase = 2 * math.pi * (el.phase + seed + k / el.lines)
        pts = []
        for i in range(el.samples + 1):
            u = i / el.samples
            x = box.x + box.w * u
            y = base + a * math.sin(2 * math.pi * el.frequency * u + phase) * math.sin(math.pi * (k + 1) / (el.lines + 1))
            pts.append((x, y))
        curves.append(pts)
    return curves


def _border(el: GuillocheElement, box: Box, seed: float) -> list[list[tuple[float, float]]]:
    """Interlaced waves running round a band inside the box's edge."""
    band = min(el.band, box.w / 4.0, box.h / 4.0)
    a = min(el.amplitude, band / 2.0)
    inset = band / 2.0
    x0, y0, x1, y1 = box.x + inset, box.y + inset, box.right - inset, box.bottom - inset
    perimeter = 2 * ((x1 - x0) + (y1 - y0))
    corners = [(x0, y0), (x1, y0), (x1, y1), (x0, y1), (x0, y0)]
    cum = _polyline_length(corners)
    curves = []
    waves = max(1, round(el.frequency * 4))
    for k in range(el.lines):
        phase = 2 * math.pi * (el.phase + seed + k / el.lines)
        pts = []
        for i in range(el.samples + 1):
            s = perimeter * i / el.samples
            x, y, angle = _at(corners, cum, s)
            off = a * math.sin(2 * math.pi * waves * i / el.samples + phase)
            # offset along the inward normal of the side the point is on
            nx, ny = -math.sin(math.radians(angle)), math.cos(math.radians(angle))
            pts.append((x + nx * off, y + ny * off))
        curves.append(pts)
    return curves


def guilloche_paths(el: GuillocheElement, box: Box, layer: str, modulation: str | None) -> list[PathItem]:
    seed = seed_of(modulation) if modulation else 0.0
    stroke = el.stroke or BLACK
    if el.kind == "rosette":
        # the same curves on every card, turned by the record's seed
        ops = _rosette_ops(el.big_r, el.small_r, el.pen, el.samples, el.lines, el.phase, box)
        transform = _turn_about(box.x + box.w / 2.0, box.y + box.h / 2.0, seed) if seed else None
        return [PathItem(el.id, layer, o, None, stroke, el.stroke_width, transform=transform) for o in ops]
    curves = {"wave": _wave, "border": _border}[el.kind](el, box, seed)
    return [PathItem(el.id, layer, _ops(c, closed=el.kind == "border"), None, stroke, el.stroke_width) for c in curves]


@functools.lru_cache(maxsize=16)
def _rosette_ops(
    big: float, small: float, pen: float, samples: int, lines: int, phase: float, box: Box
) -> tuple[tuple[PathOp, ...], ...]:
    return tuple(_ops(c) for c in _rosette_curves(big, small, pen, samples, lines, phase, box))

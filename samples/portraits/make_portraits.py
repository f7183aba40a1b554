"""Synthetic, illustrated portraits for the sample records: p01.jpg … p12.jpg.

These faces are DRAWN in code from ellipses, polygons and curves. They are not photographs and no
photograph went into them. Sample cards travel: they end up in demos, proofs, bug reports, slides and
test fixtures, and they get copied to places nobody controls. A real photo on a sample card would
publish an identifiable person's face (personal information under the APPI) for no reason. It would
also put that face next to a made-up name, individual number and address, tying a real person to a
false identity. The real-photo set in the shared data folder is licensed for testing the photo checker,
not for sample cards. A drawn face is plainly not a real card holder, so a sample card cannot be taken
for a genuine one.

Framing follows the Japanese passport / My Number application photo (card-standards §6b, §6c). The
aspect is 35 × 45 and the image is 600 × 771 px. The crown (top of the hair) is 4/45 of the height from
the top edge, the crown-to-chin distance is 34/45 of the height, and the face is centred. The
background is plain and light, the pose frontal, the expression neutral, the eyes open, and any
glasses have thin frames and clear lenses.

Run ``python samples/portraits/make_portraits.py`` to rewrite the 12 JPEGs (quality 88, each under
80 KB). The output is byte-identical on every run: each portrait has a fixed seed and nothing else is
random. Only Pillow and numpy are used. Pixel values can differ across Pillow/libjpeg/numpy versions.
"""

from __future__ import annotations

import math
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
from PIL import Image, ImageDraw

W, H = 600, 771  # 35:45
SS = 3  # supersampling factor; shapes are drawn at 3x and box-reduced, which anti-aliases them
CX = W / 2
CROWN_Y = H * 4 / 45  # top margin 4 mm of 45
CHIN_Y = H * (4 + 34) / 45  # crown to chin 34 mm of 45
QUALITY = 88
MAX_BYTES = 80_000
OUT_DIR = Path(__file__).resolve().parent

RGB = tuple[int, int, int]
Point = tuple[float, float]
Array = npt.NDArray[np.floating[Any]]
ColourFn = Callable[[Array, Array], Array]

BLACK_HAIR: RGB = (32, 28, 28)
DARK_BROWN_HAIR: RGB = (58, 40, 30)
BROWN_HAIR: RGB = (112, 76, 48)
GREY_HAIR: RGB = (150, 148, 146)
WHITE_HAIR: RGB = (214, 212, 206)

WHITE_BG: RGB = (247, 247, 245)
BLUE_BG: RGB = (221, 232, 242)
GREY_BG: RGB = (234, 236, 238)


@dataclass(frozen=True)
class Person:
    """What one portrait looks like; every value is fixed, only small jitters come from ``seed``."""

    stem: str
    seed: int
    age: int
    sex: str  # "M" or "F"
    skin: RGB
    hair: str  # short, fringe, long, bob, bun, bald
    hair_colour: RGB
    eyes: RGB
    clothes: str  # suit, crew, vneck, shirt, cardigan
    clothes_colour: RGB
    background: RGB
    part: float = 0.0  # hair parting, -1 (sitter's right, image left) … 1; 0 = centre
    glasses: str | None = None  # rect, round, metal
    glasses_colour: RGB = (34, 32, 36)
    tie: RGB | None = None
    shirt_colour: RGB = (246, 246, 244)
    moustache: bool = False


PEOPLE: tuple[Person, ...] = (
    Person("p01", 101, 36, "M", (233, 193, 160), "short", BLACK_HAIR, (58, 38, 28), "suit", (38, 48, 78),
           WHITE_BG, part=-0.6, tie=(52, 92, 160)),
    Person("p02", 102, 98, "M", (236, 202, 178), "bald", WHITE_HAIR, (70, 52, 40), "cardigan", (118, 116, 110),
           GREY_BG, glasses="metal", glasses_colour=(128, 120, 104), shirt_colour=(232, 236, 242)),
    Person("p03", 103, 42, "F", (160, 112, 84), "long", (30, 22, 20), (52, 32, 22), "vneck", (128, 36, 58),
           WHITE_BG, part=0.35),
    Person("p04", 104, 36, "F", (238, 202, 172), "bun", DARK_BROWN_HAIR, (62, 42, 30), "shirt", (250, 250, 250),
           BLUE_BG, part=0.0),
    Person("p05", 105, 6, "M", (240, 206, 178), "fringe", BLACK_HAIR, (52, 36, 28), "crew", (236, 184, 48),
           WHITE_BG, part=0.0),
    Person("p06", 106, 6, "F", (238, 200, 170), "bob", BLACK_HAIR, (56, 38, 30), "crew", (232, 140, 160),
           BLUE_BG, part=0.0),
    Person("p07", 107, 67, "M", (226, 186, 152), "short", GREY_HAIR, (64, 46, 34), "suit", (92, 94, 100),
           WHITE_BG, part=0.5, glasses="rect", tie=(130, 40, 48)),
    Person("p08", 108, 50, "M", (200, 152, 114), "short", BLACK_HAIR, (50, 34, 26), "crew", (46, 84, 66),
           GREY_BG, part=-0.2, moustache=True),
    Person("p09", 109, 24, "F", (242, 210, 186), "long", BLACK_HAIR, (48, 32, 26), "vneck", (206, 196, 178),
           BLUE_BG, part=-0.25),
    Person("p10", 110, 29, "M", (228, 186, 150), "short", BROWN_HAIR, (74, 50, 32), "shirt", (44, 62, 98),
           WHITE_BG, part=0.8, glasses="round", glasses_colour=(92, 62, 40)),
    Person("p11", 111, 33, "M", (184, 134, 96), "short", BLACK_HAIR, (44, 30, 22), "shirt", (236, 238, 242),
           BLUE_BG, part=0.0),
    Person("p12", 112, 77, "F", (240, 208, 188), "bun", WHITE_HAIR, (70, 52, 42), "cardigan", (146, 120, 160),
           WHITE_BG, part=0.0, glasses="metal", glasses_colour=(150, 120, 96)),
)  # fmt: skip


# ---------------------------------------------------------------------------------------- helpers


def scale(points: Sequence[Point]) -> list[Point]:
    return [(x * SS, y * SS) for x, y in points]


def bezier(*ctrl: Point, n: int = 28) -> list[Point]:
    """Points of a quadratic or cubic Bézier curve."""
    out: list[Point] = []
    for i in range(n + 1):
        t = i / n
        u = 1 - t
        if len(ctrl) == 3:
            (x0, y0), (x1, y1), (x2, y2) = ctrl
            out.append((u * u * x0 + 2 * u * t * x1 + t * t * x2, u * u * y0 + 2 * u * t * y1 + t * t * y2))
        else:
            (x0, y0), (x1, y1), (x2, y2), (x3, y3) = ctrl
            out.append(
                (
                    u**3 * x0 + 3 * u * u * t * x1 + 3 * u * t * t * x2 + t**3 * x3,
                    u**3 * y0 + 3 * u * u * t * y1 + 3 * u * t * t * y2 + t**3 * y3,
                )
            )
    return out


def mirror(points: Sequence[Point]) -> list[Point]:
    return [(2 * CX - x, y) for x, y in points]


def shade(colour: Sequence[float], factor: float, add: float = 0.0) -> RGB:
    r, g, b = (max(0, min(255, round(c * factor + add))) for c in colour)
    return (r, g, b)


def mix(a: Sequence[float], b: Sequence[float], t: float) -> RGB:
    r, g, bl = (round(x + (y - x) * t) for x, y in zip(a, b, strict=True))
    return (r, g, bl)


def layer() -> tuple[Image.Image, ImageDraw.ImageDraw]:
    img = Image.new("L", (W * SS, H * SS), 0)
    return img, ImageDraw.Draw(img)


def polygon(points: Sequence[Point]) -> Image.Image:
    img, d = layer()
    d.polygon(scale(points), fill=255)
    return img


def ellipse(cx: float, cy: float, rx: float, ry: float) -> Image.Image:
    img, d = layer()
    d.ellipse([(cx - rx) * SS, (cy - ry) * SS, (cx + rx) * SS, (cy + ry) * SS], fill=255)
    return img


def stroke(d: ImageDraw.ImageDraw, points: Sequence[Point], width: float, *, round_ends: bool = True) -> None:
    d.line(scale(points), fill=255, width=max(1, round(width * SS)), joint="curve")
    if round_ends:
        r = width * SS / 2
        for x, y in (points[0], points[-1]):
            d.ellipse([x * SS - r, y * SS - r, x * SS + r, y * SS + r], fill=255)


def strokes(paths: Sequence[Sequence[Point]], width: float) -> Image.Image:
    img, d = layer()
    for path in paths:
        stroke(d, path, width)
    return img


def as_array(img: Image.Image) -> Array:
    return np.asarray(img, dtype=np.float32) / np.float32(255)


class Canvas:
    """A float RGB canvas at SS× resolution; shapes are painted through 8-bit coverage masks."""

    def __init__(self, background: RGB) -> None:
        self.px: Array = np.empty((H * SS, W * SS, 3), dtype=np.float32)
        self.px[...] = np.asarray(background, dtype=np.float32)
        self.gx: Array = ((np.arange(W * SS, dtype=np.float32) + 0.5) / SS)[None, :]
        self.gy: Array = ((np.arange(H * SS, dtype=np.float32) + 0.5) / SS)[:, None]

    def paint(
        self,
        shape: Image.Image,
        colour: RGB | ColourFn,
        *,
        alpha: float = 1.0,
        clip: Array | None = None,
    ) -> None:
        box = shape.getbbox()
        if box is None:
            return
        x0, y0, x1, y1 = box
        m = np.asarray(shape.crop(box), dtype=np.float32) * np.float32(alpha / 255)
        if clip is not None:
            m = m * clip[y0:y1, x0:x1]
        col = colour(self.gx[:, x0:x1], self.gy[y0:y1, :]) if callable(colour) else np.asarray(colour, dtype=np.float32)
        region = self.px[y0:y1, x0:x1]
        region += (col - region) * m[..., None]

    def image(self) -> Image.Image:
        rgb = np.clip(np.rint(self.px), 0, 255).astype(np.uint8)
        return Image.fromarray(rgb).reduce(SS)


def radial(base: RGB, cx: float, cy: float, rx: float, ry: float, edge: float, tilt: float = 0.0) -> ColourFn:
    """``base`` darkened towards an ellipse's rim by ``edge`` (a simple rounded-volume shading)."""
    b = np.asarray(base, dtype=np.float32)

    def colour(gx: Array, gy: Array) -> Array:
        dx = (gx - cx) / rx
        dy = (gy - cy) / ry
        r2 = np.clip(dx * dx + dy * dy, 0, 1.6)
        factor = 1 - edge * r2 * r2 - tilt * dx
        out: Array = b * factor[..., None]
        return out

    return colour


def vertical(top: RGB, bottom: RGB, y0: float, y1: float) -> ColourFn:
    a = np.asarray(top, dtype=np.float32)
    b = np.asarray(bottom, dtype=np.float32)

    def colour(gx: Array, gy: Array) -> Array:
        t = np.clip((gy - y0) / (y1 - y0), 0, 1)
        out: Array = (a + (b - a) * t[..., None]) + gx[..., None] * 0
        return out

    return colour


def spline(points: Sequence[Point], n: int = 12) -> list[Point]:
    """A Catmull-Rom curve through ``points`` (end points repeated), for smooth organic edges."""
    pts = [points[0], *points, points[-1]]
    out: list[Point] = []
    for i in range(1, len(pts) - 2):
        (x0, y0), (x1, y1), (x2, y2), (x3, y3) = pts[i - 1], pts[i], pts[i + 1], pts[i + 2]
        for k in range(n):
            t = k / n
            t2, t3 = t * t, t * t * t
            out.append(
                (
                    0.5 * (2 * x1 + (x2 - x0) * t + (2 * x0 - 5 * x1 + 4 * x2 - x3) * t2 + (3 * x1 - x0 - 3 * x2 + x3) * t3),
                    0.5 * (2 * y1 + (y2 - y0) * t + (2 * y0 - 5 * y1 + 4 * y2 - y3) * t2 + (3 * y1 - y0 - 3 * y2 + y3) * t3),
                )
            )
    out.append(points[-1])
    return out


def locks(x_from: float, x_to: float, y: float, count: int, depth: float, rng: np.random.Generator) -> list[Point]:
    """A fringe's lower edge: ``count`` rounded locks between two x positions."""
    out: list[Point] = []
    step = (x_to - x_from) / count
    for i in range(count):
        x0 = x_from + i * step
        jitter = float(rng.uniform(-0.25, 0.25)) * depth
        out += bezier((x0, y - 0.2 * depth), (x0 + 0.5 * step, y + depth + jitter), (x0 + step, y - 0.2 * depth), n=8)[:-1]
    out.append((x_to, y - 0.2 * depth))
    return out


# -------------------------------------------------------------------------------------------- head


@dataclass(frozen=True)
class Head:
    """The skull-and-face outline from the skull top (v = 0) to the chin (v = 1)."""

    top: float
    length: float
    a: float  # half width at the widest point
    split: float  # v of the widest point
    jaw: float  # exponent of the lower outline: 2 = egg-shaped, 3+ = square jaw

    def y(self, v: float) -> float:
        return self.top + v * self.length

    def w(self, v: float) -> float:
        if v <= self.split:
            s = (self.split - v) / self.split
            return self.a * math.sqrt(max(0.0, 1 - s * s))
        u = min(1.0, (v - self.split) / (1 - self.split))
        return self.a * math.sqrt(max(0.0, 1 - u**self.jaw)) * (1 - 0.07 * u)

    def outline(self, n: int = 120) -> list[Point]:
        vs = [0.5 - 0.5 * math.cos(math.pi * i / n) for i in range(n + 1)]  # denser near top and chin
        right = [(CX + self.w(v), self.y(v)) for v in vs]
        left = [(CX - self.w(v), self.y(v)) for v in reversed(vs)]
        return right + left

    def cap(self, t_top: float, t_side: float, theta_max: float, lean: float = 0.0, square: float = 1.0) -> list[Point]:
        """Outer contour of hair on the skull, from the image-left side over the top to the image-right side.

        ``square`` < 1 flattens the top into a squarer silhouette; ``lean`` adds volume on one side.
        """
        yc = self.y(self.split)
        ry = self.split * self.length + t_top
        rx = self.a + t_side
        pts: list[Point] = []
        steps = 72
        for i in range(steps + 1):
            th = -theta_max + 2 * theta_max * i / steps
            sn, cs = math.sin(th), math.cos(th)
            sx = math.copysign(abs(sn) ** square, sn)
            cy = math.copysign(abs(cs) ** square, cs)
            pts.append((CX + rx * sx, yc - (ry + lean * sn) * cy))
        return pts


HAIR_TOP = {"short": 30.0, "fringe": 26.0, "long": 22.0, "bob": 24.0, "bun": 44.0, "bald": 0.0}


def make_head(p: Person, rng: np.random.Generator) -> Head:
    top = CROWN_Y + HAIR_TOP[p.hair]
    length = CHIN_Y - top
    if p.age < 13:
        ratio, jaw = 0.372, 1.9
    elif p.sex == "M":
        ratio, jaw = 0.35, 2.6 if p.age < 65 else 2.35
    else:
        ratio, jaw = 0.337, 2.1
    ratio *= 1 + float(rng.uniform(-0.015, 0.015))
    return Head(top=top, length=length, a=ratio * length, split=0.5, jaw=jaw)


# Feature heights as v (skull top 0, chin 1), adult / child. Eyes sit on the vertical middle of the head;
# a child's are lower on the head, but ICAO framing wants the eye line at ≥ 50 % of the image height
# from the bottom, so they are kept just above the middle.
FEATURES = {"eye": (0.505, 0.515), "nose": (0.645, 0.635), "mouth": (0.75, 0.73)}


def feature_v(p: Person, name: str) -> float:
    adult, child = FEATURES[name]
    return child if p.age < 13 else adult


def neck_half_width(p: Person, h: Head) -> float:
    return h.a * (0.42 if p.age < 13 else 0.5 if p.sex == "M" else 0.44)


# ------------------------------------------------------------------------------------------ layers


def hair_strands(c: Canvas, mask: Image.Image, p: Person, paths: Sequence[Sequence[Point]], width: float = 1.3) -> None:
    clip = as_array(mask)
    light = shade(p.hair_colour, 1.25, 40)
    dark = shade(p.hair_colour, 0.6)
    c.paint(strokes(paths[0::2], width), light, alpha=0.4, clip=clip)
    c.paint(strokes(paths[1::2], width), dark, alpha=0.45, clip=clip)


def long_hair_bottom(p: Person) -> float:
    return CHIN_Y + 100 if p.hair == "long" else CHIN_Y - 16


def draw_back_hair(c: Canvas, p: Person, h: Head, rng: np.random.Generator) -> None:
    """Hair behind the head and neck: long hair, a bob, a bun, a bald head's fringe."""
    if p.hair in ("long", "bob"):
        bottom = long_hair_bottom(p)
        cap = h.cap(HAIR_TOP[p.hair], 32.0 if p.hair == "long" else 30.0, math.pi / 2)
        rx = cap[-1][0]
        side = spline([(rx, cap[-1][1]), (rx + 8, h.y(0.75)), (rx + 10, bottom - 30), (rx - 8, bottom)], 8)
        shape = cap + side + [(CX, bottom + 2)] + mirror(side)[::-1]
        c.paint(polygon(shape), shade(p.hair_colour, 0.78))
    elif p.hair == "bun":
        r = 0.13 * h.length
        mask = ellipse(CX, CROWN_Y + r, r * 1.12, r)
        c.paint(mask, radial(p.hair_colour, CX - 0.3 * r, CROWN_Y + 0.6 * r, 1.5 * r, 1.5 * r, 0.35))
        paths = [
            bezier(
                (CX - r * 1.1, CROWN_Y + r * (0.5 + k * 0.22)),
                (CX + r * 0.1, CROWN_Y + r * (-0.4 + k * 0.42)),
                (CX + r * 1.1, CROWN_Y + r * (0.6 + k * 0.2)),
            )
            for k in range(7)
        ]
        hair_strands(c, mask, p, paths)
    elif p.hair == "bald":
        for s in (1, -1):
            outer = [
                (CX + s * (h.w(v) + 14 * math.sin(math.pi * (v - 0.3) / 0.36) + 2), h.y(v)) for v in np.linspace(0.3, 0.66, 18)
            ]
            inner = [(CX + s * (h.w(v) - 4), h.y(v)) for v in np.linspace(0.66, 0.3, 18)]
            mask = polygon(outer + inner)
            c.paint(mask, shade(p.hair_colour, 0.92))
            paths = [[(x + s * k * 3.0, y + float(rng.uniform(-3, 3))) for x, y in outer[2:-2]] for k in range(-5, 2)]
            hair_strands(c, mask, p, paths, width=1.1)


def draw_neck_and_clothes(c: Canvas, p: Person, h: Head) -> None:
    skin = p.skin
    nw = neck_half_width(p, h)
    y_join = CHIN_Y + 22  # where the neck meets the shoulders
    neck = [
        (CX - nw, h.y(0.7)),
        (CX + nw, h.y(0.7)),
        (CX + nw + 4, y_join),
        (CX + nw + 12, H + 5),
        (CX - nw - 12, H + 5),
        (CX - nw - 4, y_join),
    ]
    c.paint(polygon(neck), vertical(shade(skin, 0.72), shade(skin, 0.9), CHIN_Y - 10, CHIN_Y + 55))
    c.paint(
        strokes([[(CX - nw, h.y(0.8)), (CX - nw - 4, y_join)], [(CX + nw, h.y(0.8)), (CX + nw + 4, y_join)]], 1.4),
        shade(skin, 0.62),
    )

    def shoulder(dx: float) -> float:
        t = min(1.0, max(0.0, (dx - nw) / (W / 2 + 30 - nw)))
        return y_join + 78 * math.pow(t, 0.55)

    def top_from(dx0: float) -> list[Point]:
        xs = [dx0 + (W / 2 + 30 - dx0) * (i / 30) ** 1.6 for i in range(31)]
        return [(CX + dx, shoulder(dx)) for dx in xs]

    right_top = top_from(nw + 2)
    left_top = mirror(right_top)[::-1]
    body_bottom: list[Point] = [(W + 30, H + 10), (-30, H + 10)]
    cloth = p.clothes_colour
    cloth_fn = vertical(shade(cloth, 1.04), shade(cloth, 0.86), y_join, H)
    seam = shade(cloth, 0.7) if sum(cloth) > 240 else shade(cloth, 1.0, 45)

    if p.clothes in ("crew", "vneck"):
        depth = 40 if p.clothes == "crew" else 92
        if p.clothes == "crew":
            neckline = bezier(
                (CX - nw - 4, y_join + 2),
                (CX - nw * 0.5, y_join + depth),
                (CX + nw * 0.5, y_join + depth),
                (CX + nw + 4, y_join + 2),
            )
        else:
            neckline = [(CX - nw - 4, y_join + 2), (CX, y_join + depth), (CX + nw + 4, y_join + 2)]
        c.paint(polygon(left_top + neckline[1:-1] + right_top + body_bottom), cloth_fn)
        c.paint(strokes([neckline], 7), shade(cloth, 0.88))
        c.paint(strokes([[(x, y + 4.5) for x, y in neckline]], 1.2), seam, alpha=0.7)
        return

    # A shirt or blouse (also under a suit or a cardigan): body, collar, placket or tie.
    shirt = p.shirt_colour if p.clothes in ("suit", "cardigan") else cloth
    shirt_fn = vertical(shade(shirt, 1.02), shade(shirt, 0.9), y_join, H)
    c.paint(polygon([*left_top, (CX, y_join + 40), *right_top, *body_bottom]), shirt_fn)
    gap = 4 if p.tie else 9
    if not p.tie:  # open collar: a small V of skin
        c.paint(
            polygon([(CX - nw * 0.7, y_join - 8), (CX + nw * 0.7, y_join - 8), (CX, y_join + 46)]),
            vertical(shade(skin, 0.8), shade(skin, 0.9), y_join - 8, y_join + 46),
        )
    flap = [
        (CX + nw + 3, y_join - 26),
        (CX + nw + 32, y_join + 24),
        (CX + gap, y_join + 68),
        (CX + gap - 3, y_join + 22),
        (CX + nw * 0.55, y_join - 2),
    ]
    edge = shade(shirt, 0.66)
    if p.tie:
        blade = [(CX - 9, y_join + 56), (CX + 9, y_join + 56), (CX + 21, H + 6), (CX - 21, H + 6)]
        c.paint(polygon(blade), p.tie)
        stripes = [[(CX - 30, y_join + 58 + k * 22), (CX + 30, y_join + 88 + k * 22)] for k in range(3)]
        c.paint(strokes(stripes, 3), shade(p.tie, 1.2, 30), alpha=0.5, clip=as_array(polygon(blade)))
        c.paint(strokes([blade[1:3], [blade[3], blade[0]]], 1.1), shade(p.tie, 0.6))
    for f in (flap, mirror(flap)):
        c.paint(polygon(f), shade(shirt, 1.02, 4))
        c.paint(strokes([[*f, f[0]]], 1.3), edge)
    if p.tie:
        knot = [(CX - 14, y_join + 30), (CX + 14, y_join + 30), (CX + 9, y_join + 57), (CX - 9, y_join + 57)]
        c.paint(polygon(knot), shade(p.tie, 0.9))
        c.paint(strokes([[*knot, knot[0]]], 1.1), shade(p.tie, 0.6))
    else:
        c.paint(strokes([[(CX, y_join + 64), (CX, H + 5)]], 1.2), edge)
        for k in range(2):
            c.paint(ellipse(CX + 0.5, y_join + 82 + k * 46, 3.2, 3.2), shade(shirt, 0.75))

    if p.clothes in ("suit", "cardigan"):
        open_x = 34 if p.clothes == "suit" else 24
        start = nw + 8
        lapel = [(CX + start, shoulder(start) + 1), (CX + open_x, H + 10)]
        jacket_r = [*top_from(start), (W + 30, H + 10), lapel[1]]
        for half in (jacket_r, mirror(jacket_r)):
            c.paint(polygon(half), cloth_fn)
        fold = [(CX + start + 6, shoulder(start + 6) + 2), (CX + nw + 44, y_join + 56), (CX + open_x + 34, H + 10)]
        c.paint(strokes([fold, mirror(fold)], 1.5), seam, alpha=0.75)
        c.paint(strokes([lapel, mirror(lapel)], 1.6), shade(cloth, 0.6))
        if p.clothes == "cardigan":  # knit texture: faint vertical ribs
            ribs = [[(CX + dx, y_join), (CX + dx, H + 5)] for dx in range(-300, 301, 8)]
            clip = as_array(polygon(jacket_r)) + as_array(polygon(mirror(jacket_r)))
            c.paint(strokes(ribs, 1.0), shade(cloth, 0.82), alpha=0.35, clip=clip)


def draw_ears(c: Canvas, p: Person, h: Head) -> None:
    ry = 0.115 * h.length
    rx = 0.052 * h.length
    cy = h.y(0.585)
    for s in (1, -1):
        ex = CX + s * (h.w(0.585) + 0.2 * rx)
        c.paint(ellipse(ex, cy, rx, ry), shade(p.skin, 0.95))
        img, d = layer()
        d.ellipse([(ex - rx) * SS, (cy - ry) * SS, (ex + rx) * SS, (cy + ry) * SS], outline=255, width=round(1.4 * SS))
        c.paint(img, shade(p.skin, 0.66))
        inner = bezier(
            (ex - s * 0.2 * rx, cy + 0.55 * ry),
            (ex + s * 0.75 * rx, cy + 0.1 * ry),
            (ex + s * 0.45 * rx, cy - 0.75 * ry),
            (ex - s * 0.3 * rx, cy - 0.55 * ry),
        )
        c.paint(strokes([inner], 2.2), shade(p.skin, 0.76))


def draw_face(c: Canvas, p: Person, h: Head) -> None:
    outline = h.outline()
    base = np.asarray(p.skin, dtype=np.float32)
    fcx, fcy, frx, fry = CX, h.y(0.5), h.a * 1.05, h.length * 0.56
    nose_y = h.y(0.58)

    def skin_colour(gx: Array, gy: Array) -> Array:
        # Rounded volume: darker towards the rim, a soft highlight on the forehead and the nose ridge.
        dx = (gx - fcx) / frx
        dy = (gy - fcy) / fry
        r2 = np.clip(dx * dx + dy * dy, 0, 1.2)
        ridge = np.clip(1 - (dx / 0.16) ** 2 - ((gy - nose_y) / (0.2 * h.length)) ** 2, 0, 1)
        brow = np.clip(1 - (dx / 0.55) ** 2 - ((gy - h.y(0.3)) / (0.1 * h.length)) ** 2, 0, 1)
        cheeks = np.clip(1 - ((np.abs(dx) - 0.5) / 0.22) ** 2 - ((gy - h.y(0.6)) / (0.06 * h.length)) ** 2, 0, 1)
        factor = 1.07 - 0.4 * r2
        light = 0.1 * ridge + 0.07 * brow + 0.06 * cheeks  # blended towards white, so dark skin gets them too
        out: Array = base * factor[..., None] + (255 - base) * light[..., None]
        return out

    c.paint(polygon(outline), skin_colour)
    flush = mix(p.skin, (222, 96, 96), 0.5)
    strength = 0.22 if p.age < 13 else 0.1
    for s in (1, -1):  # cheeks: a warm flush, stronger on children
        cx, cy, r = CX + s * 0.56 * h.a, h.y(0.68), 0.14 * h.length
        fall = 1 - np.clip(((c.gx - cx) ** 2 + (c.gy - cy) ** 2) / (r * r), 0, 1)
        c.paint(ellipse(cx, cy, r, r), flush, alpha=strength, clip=fall * fall)
    c.paint(strokes([[*outline, outline[0]]], 1.6), shade(p.skin, 0.66))


def draw_eyes(c: Canvas, p: Person, h: Head, rng: np.random.Generator) -> tuple[float, float, float]:
    child, elder = p.age < 13, p.age >= 65
    ey = h.y(feature_v(p, "eye"))
    ex = h.a * (0.44 if child else 0.43)
    ew = h.a * (0.215 if child else 0.2) * (1 + float(rng.uniform(-0.03, 0.03)))
    eh = ew * (0.5 if child else 0.38 if elder else 0.43)
    skin = p.skin
    for s in (1, -1):  # s = 1: image right (the sitter's left eye)
        ecx = CX + s * ex

        def lid(t: float, upper: bool, s: int = s, ecx: float = ecx) -> Point:
            inner = -s * t  # > 0 towards the nose
            lift = 0.08 * eh * s * t  # outer corners a little higher
            if upper:
                return (ecx + t * ew, ey - eh * (1 - t * t) * (1 + 0.1 * inner) - lift)
            return (ecx + t * ew, ey + eh * 0.72 * (1 - t * t) * (1 - 0.1 * inner) - lift)

        ts = [-1 + 2 * i / 24 for i in range(25)]
        upper = [lid(t, True) for t in ts]
        lower = [lid(t, False) for t in reversed(ts)]
        white = polygon(upper + lower)
        c.paint(white, (244, 241, 236))
        clip = as_array(white)
        ir = eh * (1.12 if child else 1.1)
        icy = ey - 0.08 * eh
        c.paint(ellipse(ecx, icy, ir, ir), radial(p.eyes, ecx, icy, ir, ir, -0.4), clip=clip)
        c.paint(ellipse(ecx, icy, ir * 0.44, ir * 0.44), (14, 10, 10), clip=clip)
        c.paint(ellipse(ecx + 0.35 * ir, icy - 0.35 * ir, ir * 0.2, ir * 0.2), (255, 255, 255), alpha=0.9, clip=clip)
        c.paint(strokes([upper[:13]], 2.0), (40, 30, 28), alpha=0.5, clip=None)  # lid shadow on the white
        ext = (ecx + s * ew * 1.07, ey - 0.18 * eh)
        top_line = [*upper, ext] if s > 0 else [ext, *upper]
        c.paint(strokes([top_line], 2.8), (36, 28, 26))
        c.paint(strokes([lower[2:-2]], 1.1), shade(skin, 0.7))
        crease = [(x, y - eh * (0.5 if not elder else 0.75)) for x, y in upper[5:22]]
        c.paint(strokes([crease], 1.2), shade(skin, 0.78))
        if elder:
            bag = [(x, y + eh * 0.9) for x, y in lower[5:20]]
            c.paint(strokes([bag], 1.1), shade(skin, 0.8))
            for k in (-1, 0, 1):
                fx = ecx + s * ew * 1.2
                c.paint(strokes([[(fx, ey + k * eh * 0.7), (fx + s * ew * 0.35, ey + k * eh * 1.1)]], 1.0), shade(skin, 0.8))
        # Eyebrow: a tapered band, highest two-thirds of the way out.
        by = ey - (0.072 if child else 0.085) * h.length
        thick = (11.0 if p.sex == "M" else 7.0) * (0.75 if child else 1.0)
        brow_top = bezier(
            (ecx - s * ew * 1.0, by + 3), (ecx + s * ew * 0.15, by - 0.022 * h.length - 5), (ecx + s * ew * 1.25, by + 7)
        )
        n = len(brow_top) - 1
        brow_bottom = [(x, y + thick * (1 - 0.6 * i / n) + 1.5 * (1 - i / n)) for i, (x, y) in enumerate(brow_top)]
        grey_hair = sum(p.hair_colour) > 300  # grey or white hair: greyish brows
        brow = mix(p.hair_colour, (100, 92, 86), 0.5) if grey_hair else shade(p.hair_colour, 1.0, 12)
        mask = polygon(brow_top + brow_bottom[::-1])
        c.paint(mask, brow, alpha=0.9)
        hair_strands(c, mask, p, [[(x + k * 2.0, y + k * 1.6 + 1) for x, y in brow_top] for k in range(5)], width=0.9)
    return ey, ex, ew


def draw_nose_mouth(c: Canvas, p: Person, h: Head, ey: float, ex: float, ew: float) -> None:
    child, elder = p.age < 13, p.age >= 65
    length, skin = h.length, p.skin
    dark_skin = sum(skin) < 450
    ny = h.y(feature_v(p, "nose"))
    nw = ew * (0.8 if child else 0.95)
    side = bezier((CX - ex * 0.4, ey + 0.02 * length), (CX - ex * 0.3, ny - 0.08 * length), (CX - nw * 0.8, ny - 0.02 * length))
    c.paint(strokes([side], 1.5), shade(skin, 0.8), alpha=0.7)
    fall = 1 - np.clip(((c.gx - CX) / (nw * 0.75)) ** 2 + ((c.gy - (ny + 0.012 * length)) / (0.02 * length)) ** 2, 0, 1)
    c.paint(ellipse(CX, ny + 0.012 * length, nw * 0.75, 0.02 * length), shade(skin, 0.78), alpha=0.5, clip=fall)
    wing_r = bezier(
        (CX + nw * 0.5, ny - 0.03 * length), (CX + nw * 1.08, ny - 0.005 * length), (CX + nw * 0.55, ny + 0.012 * length)
    )
    c.paint(strokes([wing_r, mirror(wing_r)], 1.7), shade(skin, 0.68))
    tip = bezier((CX - nw * 0.42, ny + 0.006 * length), (CX, ny + 0.03 * length), (CX + nw * 0.42, ny + 0.006 * length))
    c.paint(strokes([tip], 1.5), shade(skin, 0.74))
    for s in (1, -1):
        c.paint(ellipse(CX + s * nw * 0.36, ny + 0.003 * length, nw * 0.17, nw * 0.075), shade(skin, 0.5), alpha=0.8)

    my = h.y(feature_v(p, "mouth"))
    mw = ex * (0.52 if child else 0.62)
    lh = 0.017 * length * (0.75 if elder else 1.0)
    if dark_skin:
        lip = mix(shade(skin, 0.78), (120, 48, 62), 0.35)
    else:
        lip = mix(skin, (186, 74, 82), 0.36 if p.sex == "F" and not elder else 0.26)
    upper_lip = bezier(
        (CX - mw, my), (CX - mw * 0.5, my - lh * 0.9), (CX - mw * 0.2, my - lh * 1.3), (CX, my - lh * 0.75)
    ) + bezier((CX, my - lh * 0.75), (CX + mw * 0.2, my - lh * 1.3), (CX + mw * 0.5, my - lh * 0.9), (CX + mw, my))
    lower_lip = bezier((CX + mw, my), (CX + mw * 0.55, my + lh * 2.1), (CX - mw * 0.55, my + lh * 2.1), (CX - mw, my))
    c.paint(polygon([*upper_lip, (CX + mw, my)]), shade(lip, 0.86))
    c.paint(polygon([*lower_lip, (CX - mw, my), (CX + mw, my)]), lip)
    shine = bezier((CX - mw * 0.35, my + lh * 1.0), (CX, my + lh * 1.35), (CX + mw * 0.35, my + lh * 1.0))
    c.paint(strokes([shine], 2.0), shade(lip, 1.12, 14), alpha=0.5)
    line = bezier(
        (CX - mw * 1.02, my - 0.5), (CX - mw * 0.3, my + lh * 0.3), (CX + mw * 0.3, my + lh * 0.3), (CX + mw * 1.02, my - 0.5)
    )
    c.paint(strokes([line], 1.6), shade(lip, 0.45))
    philtrum = bezier((CX - 0.18 * ew, ny + 0.04 * length), (CX, ny + 0.05 * length), (CX + 0.18 * ew, ny + 0.04 * length))
    c.paint(strokes([philtrum], 1.0), shade(skin, 0.85), alpha=0.6)
    chin = bezier((CX - mw * 0.45, h.y(0.905)), (CX, h.y(0.925)), (CX + mw * 0.45, h.y(0.905)))
    c.paint(strokes([chin], 1.2), shade(skin, 0.84), alpha=0.7)
    if p.moustache:
        top = bezier(
            (CX + mw * 1.12, my + lh * 0.2), (CX + mw * 0.8, my - lh * 3.4), (CX + mw * 0.2, my - lh * 3.0), (CX, my - lh * 2.6)
        )
        bottom = bezier(
            (CX, my - lh * 0.9), (CX + mw * 0.3, my - lh * 1.4), (CX + mw * 0.8, my - lh * 1.2), (CX + mw * 1.12, my + lh * 0.2)
        )
        half = top[::-1] + bottom[::-1]
        mask = polygon(half + mirror(half)[::-1])
        c.paint(mask, shade(p.hair_colour, 1.0, 10), alpha=0.94)
        hairs = [[(CX + k * 4.0, my - lh * 2.8), (CX + k * 4.6, my - lh * 0.6)] for k in range(-14, 15)]
        hair_strands(c, mask, p, hairs, width=1.0)
    if elder or p.age >= 45:
        depth = 0.8 if elder else 0.86
        fold = bezier(
            (CX + nw * 1.05, ny - 0.015 * length), (CX + mw * 1.45, my - 0.02 * length), (CX + mw * 1.3, my + 0.04 * length)
        )
        c.paint(strokes([fold, mirror(fold)], 1.3), shade(skin, depth), alpha=0.8)
    if elder:
        forehead = [
            bezier((CX - 0.42 * h.a, h.y(0.3 + k * 0.035)), (CX, h.y(0.285 + k * 0.035)), (CX + 0.42 * h.a, h.y(0.3 + k * 0.035)))
            for k in range(3)
        ]
        c.paint(strokes(forehead, 1.0), shade(skin, 0.82), alpha=0.8)


def draw_front_hair(c: Canvas, p: Person, h: Head, rng: np.random.Generator) -> None:
    a = h.a
    if p.hair == "bald":
        for s in (1, -1):  # the white fringe reaches round onto the temples
            temple = [(CX + s * (h.w(v) + 2), h.y(v)) for v in np.linspace(0.33, 0.52, 10)]
            temple += [
                (CX + s * (h.w(v) - 0.05 * a * math.sin(math.pi * (v - 0.33) / 0.19)), h.y(v))
                for v in np.linspace(0.52, 0.33, 10)
            ]
            mask = polygon(temple)
            c.paint(mask, shade(p.hair_colour, 0.95))
            hair_strands(c, mask, p, [[(x - s * k * 2.5, y) for x, y in temple[:10]] for k in range(6)], width=1.0)
        cx0, cy0, rx, ry = CX - 0.15 * a, h.y(0.1), 0.32 * a, 0.06 * h.length
        fall = 1 - np.clip(((c.gx - cx0) / rx) ** 2 + ((c.gy - cy0) / ry) ** 2, 0, 1)
        c.paint(ellipse(cx0, cy0, rx, ry), (255, 250, 244), alpha=0.35, clip=fall)
        return

    part_x = CX + p.part * 0.42 * a
    paths: list[list[Point]] = []
    if p.hair in ("short", "bun"):
        short = p.hair == "short"
        cap = h.cap(
            HAIR_TOP[p.hair] if short else 14.0,
            7.0 if short else 6.0,
            math.pi / 2 * 0.97,
            lean=8.0 * p.part,
            square=0.82 if short else 1.0,
        )
        vr = 0.49 if short else 0.44
        right_side = spline(
            [
                cap[-1],
                (CX + h.w(vr) - 1, h.y(vr)),
                (CX + h.w(vr) - 0.05 * a, h.y(vr - 0.04)),
                (CX + h.w(0.32) - 0.07 * a, h.y(0.3)),
            ],
            6,
        )[1:]
        if short:
            low, high = 0.25, 0.165

            def swept(px: float) -> list[Point]:  # the hair falls from the parting (image left) to the right
                return (
                    bezier(
                        (CX + h.w(0.32) - 0.07 * a, h.y(0.3)),
                        (CX + 0.35 * a, h.y(low + 0.03)),
                        (px + 0.25 * a, h.y(high - 0.02)),
                        (px, h.y(high - 0.03)),
                        n=20,
                    )
                    + bezier(
                        (px, h.y(high - 0.03)),
                        (px - 0.25 * a, h.y(high - 0.01)),
                        (CX - 0.72 * a, h.y(high + 0.05)),
                        (CX - h.w(0.32) + 0.07 * a, h.y(0.3)),
                        n=20,
                    )[1:]
                )

            hairline = swept(part_x) if p.part <= 0 else mirror(swept(2 * CX - part_x))[::-1]
        else:
            hairline = bezier(
                (CX + h.w(0.32) - 0.07 * a, h.y(0.3)),
                (CX + 0.3 * a, h.y(0.12)),
                (CX - 0.3 * a, h.y(0.12)),
                (CX - h.w(0.32) + 0.07 * a, h.y(0.3)),
            )
        inner = right_side + hairline[1:-1] + mirror(right_side)[::-1]
        shape = cap + inner
        if short:  # combed from the parting: strands fan out to the hairline and the sides
            for i, (x, y) in enumerate(inner[::3]):
                s = 1 if x >= part_x else -1
                paths.append(
                    bezier(
                        (part_x + s * 3, h.y(0.02) + float(rng.uniform(-4, 4))),
                        ((part_x + x) / 2 + s * 0.15 * a, h.y(0.0) + (i % 3) * 6),
                        (x, y + 2),
                    )
                )
        else:  # pulled back into the bun
            for x, y in inner[::3]:
                paths.append(bezier((x, y + 2), ((x + CX) / 2, h.y(0.12)), (CX + (x - CX) * 0.2, h.y(-0.03))))
    elif p.hair == "fringe":
        cap = h.cap(HAIR_TOP[p.hair], 13.0, math.pi / 2 * 0.97, square=0.9)
        right_side = spline([cap[-1], (CX + h.w(0.47) - 1, h.y(0.47)), (CX + h.w(0.4) - 0.05 * a, h.y(0.38))], 6)[1:]
        fringe = locks(CX + h.w(0.36) - 0.05 * a, CX - h.w(0.36) + 0.05 * a, h.y(0.335), 9, 14.0, rng)
        inner = right_side + fringe + mirror(right_side)[::-1]
        shape = cap + inner
        for x, y in inner[::2]:
            paths.append(bezier((CX + (x - CX) * 0.1, h.y(0.0)), (CX + (x - CX) * 0.9, h.y(0.08)), (x, y)))
    else:  # long or bob: curtains from the parting framing the face
        long_hair = p.hair == "long"
        bottom = long_hair_bottom(p)
        cap = h.cap(HAIR_TOP[p.hair], 30.0 if long_hair else 28.0, math.pi / 2 * 0.98, lean=4.0 * p.part)
        rx = cap[-1][0]
        outer_r = spline([cap[-1], (rx + 6, h.y(0.75)), (rx + 9, bottom - 30), (rx - 12, bottom)], 8)[1:]
        nw = neck_half_width(p, h)
        if long_hair:
            inner_r = spline(
                [
                    (CX + nw + 26, bottom - 6),
                    (CX + nw + 12, CHIN_Y + 14),
                    (CX + h.w(0.87) + 3, h.y(0.87)),
                    (CX + h.w(0.68) - 0.04 * a, h.y(0.68)),
                    (CX + h.w(0.45) - 0.08 * a, h.y(0.45)),
                    (CX + 0.62 * a, h.y(0.26)),
                    (part_x + 0.28 * a, h.y(0.17)),
                    (part_x, h.y(0.13)),
                ],
                8,
            )
            inner_l = spline(
                [
                    (part_x, h.y(0.13)),
                    (part_x - 0.3 * a, h.y(0.17)),
                    (CX - 0.66 * a, h.y(0.27)),
                    (CX - h.w(0.45) + 0.08 * a, h.y(0.45)),
                    (CX - h.w(0.68) + 0.04 * a, h.y(0.68)),
                    (CX - h.w(0.87) - 3, h.y(0.87)),
                    (CX - nw - 12, CHIN_Y + 14),
                    (CX - nw - 26, bottom - 6),
                ],
                8,
            )
            inner = inner_r + inner_l[1:]
            for k in range(30):
                s = 1 if k % 2 else -1
                off = float(rng.uniform(0.0, 1.0))
                paths.append(
                    bezier(
                        (part_x + s * 4, h.y(0.04 + 0.08 * off)),
                        (CX + s * a * (0.55 + 0.55 * off), h.y(0.08)),
                        (CX + s * a * (0.75 + 0.4 * off), h.y(0.6)),
                        (CX + s * a * (0.6 + 0.5 * off), bottom),
                    )
                )
        else:
            inner_r = spline(
                [
                    (CX + h.w(0.93) + 2, bottom + 2),
                    (CX + h.w(0.8) - 0.03 * a, h.y(0.8)),
                    (CX + h.w(0.58) - 0.06 * a, h.y(0.58)),
                    (CX + h.w(0.4) - 0.05 * a, h.y(0.38)),
                ],
                8,
            )
            fringe = locks(inner_r[-1][0], 2 * CX - inner_r[-1][0], h.y(0.355), 10, 12.0, rng)
            inner = inner_r + fringe + mirror(inner_r)[::-1]
            for x, y in fringe[::2]:
                paths.append(bezier((CX + (x - CX) * 0.1, h.y(0.0)), (CX + (x - CX) * 0.9, h.y(0.1)), (x, y)))
            for k in range(12):
                s = 1 if k % 2 else -1
                off = float(rng.uniform(0.0, 1.0))
                paths.append(
                    bezier(
                        (CX + s * 0.3 * a, h.y(0.0)),
                        (CX + s * a * (0.8 + 0.3 * off), h.y(0.15)),
                        (CX + s * a * (0.9 + 0.2 * off), bottom),
                    )
                )
        shape = cap + outer_r + inner + mirror(outer_r)[::-1]
    mask = polygon(shape)
    sheen_cx, sheen_cy = CX - 0.2 * a, h.y(0.07)
    base = np.asarray(p.hair_colour, dtype=np.float32)

    def hair_colour(gx: Array, gy: Array) -> Array:
        dx = (gx - sheen_cx) / (0.62 * a)
        dy = (gy - sheen_cy) / (0.06 * h.length)
        g = np.clip(1 - (dx * dx + dy * dy), 0, 1)
        out: Array = base + (g * g * 34)[..., None]
        return out

    c.paint(mask, hair_colour)
    hair_strands(c, mask, p, paths)
    c.paint(strokes([[*shape, shape[0]]], 1.0), shade(p.hair_colour, 0.55), alpha=0.5)


def draw_glasses(c: Canvas, p: Person, h: Head) -> None:
    if p.glasses is None:
        return
    a = h.a
    ey = h.y(feature_v(p, "eye"))
    ex = a * 0.43
    hw, hh = a * 0.28, a * 0.19
    width = 2.3 if p.glasses != "metal" else 1.5
    img, d = layer()
    lens, ld = layer()
    for s in (1, -1):
        cx = CX + s * ex
        box = [(cx - hw) * SS, (ey - hh * 0.95) * SS, (cx + hw) * SS, (ey + hh * 1.1) * SS]
        if p.glasses == "round":
            d.ellipse(box, outline=255, width=round(width * SS))
            ld.ellipse(box, fill=255)
        else:
            d.rounded_rectangle(box, radius=hh * 0.55 * SS, outline=255, width=round(width * SS))
            ld.rounded_rectangle(box, radius=hh * 0.55 * SS, fill=255)
        temple = [(cx + s * hw, ey - hh * 0.5), (CX + s * (h.w(0.5) + 0.02 * a), ey - hh * 0.55)]
        stroke(d, temple, width)
    bridge = bezier((CX - ex + hw, ey - hh * 0.25), (CX, ey - hh * 0.6), (CX + ex - hw, ey - hh * 0.25))
    stroke(d, bridge, width)
    c.paint(lens, (214, 226, 236), alpha=0.1)
    c.paint(img, p.glasses_colour)


def draw(p: Person) -> Image.Image:
    rng = np.random.default_rng(p.seed)
    c = Canvas(p.background)
    h = make_head(p, rng)
    draw_back_hair(c, p, h, rng)
    draw_neck_and_clothes(c, p, h)
    draw_ears(c, p, h)
    draw_face(c, p, h)
    ey, ex, ew = draw_eyes(c, p, h, rng)
    draw_nose_mouth(c, p, h, ey, ex, ew)
    draw_front_hair(c, p, h, rng)
    draw_glasses(c, p, h)
    return c.image()


def main(argv: Sequence[str] = ()) -> int:
    wanted = set(argv)
    for person in PEOPLE:
        if wanted and person.stem not in wanted:
            continue
        path = OUT_DIR / f"{person.stem}.jpg"
        draw(person).save(path, "JPEG", quality=QUALITY, optimize=True)
        size = path.stat().st_size
        if size >= MAX_BYTES:
            sys.stderr.write(f"{path.name}: {size} bytes, over the {MAX_BYTES}-byte budget\n")
            return 1
        sys.stdout.write(f"{path.name}: {size} bytes\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

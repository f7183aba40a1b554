"""The resolved scene: what a card face is, as positioned primitives in millimetres.

In: nothing (plain data). Out: frozen dataclasses that the raster and PDF backends only read.
Coordinates: origin at the top-left corner of the trimmed face, x to the right, y downwards,
all lengths in mm; type sizes in pt. This module imports no backend (a test checks that).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

from .color import Color, ColourManagement
from .text.fonts import FontRef
from .tolerances import LENGTH_EPS_MM

Layer = str  # "artwork", "personalisation", "tactile", "guide" or a special layer named in the layout
GUIDE_LAYER = "guide"
ENGRAVE_LAYER = "personalisation"  # lasered into polycarbonate cards (card-standards §11); engraving bitmaps show it

# What an output shows (``Face.items_for``): "daylight" the card as seen (PNG, preview, proof PDF, lint);
# "uv" only the UV inks (glowing over the dimmed daylight card); "print" every ink a press prints
# (print PDF); "engrave" what the laser makes (engraving bitmaps); "guide" the layout's guide layer.
Purpose = Literal["daylight", "uv", "print", "engrave", "guide"]


@dataclass(frozen=True, slots=True)
class Box:
    x: float
    y: float
    w: float
    h: float

    @property
    def right(self) -> float:
        return self.x + self.w

    @property
    def bottom(self) -> float:
        return self.y + self.h

    def contains(self, other: Box, eps: float = LENGTH_EPS_MM) -> bool:
        return (
            other.x >= self.x - eps
            and other.y >= self.y - eps
            and other.right <= self.right + eps
            and other.bottom <= self.bottom + eps
        )

    def intersects(self, other: Box) -> bool:
        return self.x < other.right and other.x < self.right and self.y < other.bottom and other.y < self.bottom

    def offset(self, dx: float, dy: float) -> Box:
        return Box(self.x + dx, self.y + dy, self.w, self.h)


@dataclass(frozen=True, slots=True)
class Glyph:
    """One glyph: its id in the font, its pen position (baseline origin) and the text it shows.

    ``text`` is the cluster of characters the glyph stands for (a base character plus any
    variation selector), so the PDF can map it back to the original characters.
    """

    gid: int
    x: float
    text: str
    y: float | None = None  # baseline of this glyph when it differs from the run's (text on a path)
    angle: float = 0.0  # rotation in degrees, clockwise on the page (y down), about the pen position


@dataclass(frozen=True, slots=True)
class GlyphRun:
    element_id: str
    layer: Layer
    font: FontRef
    size_pt: float
    hscale: float  # horizontal scale, 1.0 = normal, 0.7 = 長体 70 %
    baseline_y: float
    glyphs: tuple[Glyph, ...]
    color: Color
    advances: tuple[float, ...]  # advance of each glyph in mm as drawn (after hscale)


PathOp = tuple[str, tuple[float, ...]]  # ("M", (x, y)), ("L", (x, y)), ("C", (x1, y1, x2, y2, x, y)), ("Z", ())


@dataclass(frozen=True, slots=True)
class PathItem:
    element_id: str
    layer: Layer
    ops: tuple[PathOp, ...]
    fill: Color | None
    stroke: Color | None
    stroke_width: float
    dash: tuple[float, ...] | None = None
    opacity: float = 1.0
    # an affine map (a, b, c, d, e, f) of the ops' mm coordinates: x' = a·x + c·y + e, y' = b·x + d·y + f.
    # Lets a per-card variant of one shared path (a guilloche turned by the record) reuse its drawing.
    transform: tuple[float, float, float, float, float, float] | None = None


@dataclass(frozen=True, slots=True)
class JpegSource:
    """A JPEG file whose bytes a PDF may carry as they are, instead of ``ImagePixels``' re-encoding.

    ``rect`` (px of the file, left, top, right, bottom) is the part that fills the image's box:
    the PDF scales the whole image so that ``rect`` covers the box and clips to the box.
    """

    data: bytes = field(repr=False)
    width: int
    height: int
    rect: tuple[float, float, float, float]


@dataclass(frozen=True, slots=True, eq=False)
class ImagePixels:
    """Decoded pixels ready to place; ``key`` identifies identical pixels (equality and caching).

    ``data`` may be made on first use (``_data`` a function): a PDF that carries ``source`` as it
    is never resamples the pixels, while the PNG backend draws exactly the pixels it always did.
    """

    mode: Literal["L", "RGB"]
    width: int
    height: int
    _data: bytes | Callable[[], bytes] = field(repr=False)
    key: str
    lossless: bool = False  # line art (a screened ghost portrait): Flate beats JPEG on sharp edges
    icc: bytes | None = field(default=None, repr=False)  # RGB pixels' own ICC profile; None = sRGB
    source: JpegSource | None = field(default=None, repr=False)  # the file, when a PDF may carry it unchanged

    @property
    def data(self) -> bytes:
        made = self._data
        if callable(made):
            made = made()
            object.__setattr__(self, "_data", made)  # made once; the same bytes every time
        return made

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ImagePixels) and (other.key, other.lossless, other.icc) == (self.key, self.lossless, self.icc)

    def __hash__(self) -> int:
        return hash((self.key, self.lossless))


@dataclass(frozen=True, slots=True)
class ImageItem:
    element_id: str
    layer: Layer
    box: Box  # where the pixels land (already fitted: cover crops pixels, contain shrinks the box)
    pixels: ImagePixels
    clip: Box | None = None
    opacity: float = 1.0


@dataclass(frozen=True, slots=True)
class QrItem:
    element_id: str
    layer: Layer
    x: float  # top-left of the first module (inside the quiet zone)
    y: float
    module: float  # module size in mm
    matrix: tuple[tuple[bool, ...], ...]
    color: Color
    background: Color | None
    quiet_zone: int  # modules of light margin around the symbol, painted with ``background``


def dark_runs(matrix: tuple[tuple[bool, ...], ...]) -> list[tuple[int, int, int]]:
    """(row, first column, end column) of each horizontal run of dark modules: both backends draw a
    QR code as one rectangle per run rather than one per module."""
    runs: list[tuple[int, int, int]] = []
    for r, row in enumerate(matrix):
        c, n = 0, len(row)
        while c < n:
            if not row[c]:
                c += 1
                continue
            start = c
            while c < n and row[c]:
                c += 1
            runs.append((r, start, c))
    return runs


Item = GlyphRun | PathItem | ImageItem | QrItem


@dataclass(frozen=True, slots=True)
class ElementBox:
    """The declared box of an element, for guides, lint and error messages."""

    element_id: str
    layer: Layer
    kind: str
    box: Box


@dataclass(frozen=True, slots=True)
class KeepOut:
    zone_id: str
    box: Box
    source: str


@dataclass(frozen=True, slots=True)
class Face:
    name: str  # "front" or "back"
    width: float
    height: float
    items: tuple[Item, ...]
    boxes: tuple[ElementBox, ...]
    keep_out: tuple[KeepOut, ...]
    bleed: float
    safe_margin: float
    corner_radius: float
    invisible_layers: frozenset[str] = frozenset()  # UV inks: only in the UV-light preview
    engrave_layers: frozenset[str] = frozenset()  # lasered, not printed: engraving bitmaps, not print files

    def shows(self, layer: Layer, purpose: Purpose, only: frozenset[str] | None = None) -> bool:
        """Whether an output made for ``purpose`` draws ``layer``: the one rule every output follows.

        Guides are never part of a card output (only "guide" shows them). ``only`` (a layer export)
        narrows any purpose to the named layers.
        """
        if purpose == "guide":
            return layer == GUIDE_LAYER
        if layer == GUIDE_LAYER or (only is not None and layer not in only):
            return False
        if only is not None:
            return True
        if purpose == "daylight":
            return layer not in self.invisible_layers
        if purpose == "uv":
            return layer in self.invisible_layers
        if purpose == "print":
            return layer not in self.engrave_layers
        return layer == ENGRAVE_LAYER or layer in self.engrave_layers  # "engrave"

    def items_for(self, purpose: Purpose, only: frozenset[str] | None = None) -> tuple[Item, ...]:
        """The items an output made for ``purpose`` draws, in painting order (see ``shows``)."""
        return tuple(item for item in self.items if self.shows(item.layer, purpose, only))


@dataclass(frozen=True, slots=True)
class SpotInk:
    """A special process printed as its own separation (tactile varnish, UV ink, die line…).

    ``alternate`` is the CMYK look of the ink in composite proofs; print files paint the layer's
    elements in the separation named ``name``, set to overprint.
    """

    layer: Layer
    name: str
    alternate: Color
    process: str = "spot"  # "spot" (a separation) or "engrave" (laser, to the engraving bitmap)
    visible: bool = True  # False: UV ink, seen only in the UV-light preview
    glow: Color | None = None


@dataclass(frozen=True, slots=True)
class Scene:
    record_id: str
    faces: tuple[Face, ...]
    inks: tuple[SpotInk, ...] = ()
    # the layout's print_colour: how print files map RGB into the output intent's CMYK
    colour: ColourManagement = field(default_factory=ColourManagement)

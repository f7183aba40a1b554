"""The calibration card: edge scales and crosshairs at known positions, printed through a printer profile.

In: a ``PrinterProfile`` and the face to calibrate. Out: a ``scene.Face`` (ID-1, card mm) that
``pages`` prints through the profile's transform, like any print job, so a second print checks the
corrections. An operator reads six scales where the physical card edge cuts them and enters the
corrections in the profile (``INSTRUCTIONS``). Each scale counts millimetres inward from its edge, so
a perfect print reads 0 everywhere. A printed ruler cannot measure its own shift; the card edge can.

Derivation (centre c, printer scale s, shift t, clockwise turn θ, all small): the left scale reads
L ≈ c − c/s − t, the right one R ≈ c − c/s + t, so t = (R − L)/2 and 1/s = 1 − (L + R)/width; top
scales at x₁ < x₂ read T₁ − T₂ ≈ θ·(x₂ − x₁); each correction is the opposite of the error.
Registration drifts per printer, card stock and face (docs/reference/peers.md, "Printer alignment
and duplex registration"), so each profile is calibrated on its own printer and face.
"""

from __future__ import annotations

import math
from dataclasses import replace

from ..color import BLACK
from ..geometry import poly_ops, rect_ops
from ..layout_file.model import ID1_CORNER_RADIUS_MM, ID1_HEIGHT_MM, ID1_WIDTH_MM
from ..scene import Box, Face, GlyphRun, Item, PathItem
from ..text.fit import FitResult
from ..text.fonts import FontDatabase, FontFace, default_database
from ..text.setting import Align, VAlign, set_text
from ..text.shaping import shape
from .printer import PrinterProfile

ELEMENT = "calibration"
LAYER = "personalisation"  # printed like an entry (a guide layer would be left out of the print)
FONT = "BIZ UDGothic"  # bundled
LINE_MM = 0.08
SCALE_FROM, SCALE_TO = -3.0, 5.0  # mm inward from the edge: room for a drift of a few mm either way
TICK_STEP = 0.5
LABEL_EVERY = 2  # mm; labels every mm would touch at a legible size
TOP_SCALES_X = (20.0, 65.6)  # symmetric about the centre, 45.6 mm apart, so their mean ignores a turn
CROSS_INSET = 12.0
LABEL_PT = 4.0
INFO_PT = 4.5

INSTRUCTIONS = f"""\
Print {{pdf}} (or the PNG) on a blank card, with the printer this profile is for. Each scale counts
millimetres inward from its card edge; read the number where the card's edge cuts it (0.5 mm ticks):
L (left), R (right), T1 T2 (top, left and right), B1 B2 (bottom). Then, in {{profile}}:
  offset_x += (L - R) / 2
  offset_y += (T - B) / 2            T = (T1 + T2) / 2, B = (B1 + B2) / 2
  scale    *= 1 - (L + R) / {ID1_WIDTH_MM}
  rotation += (T2 - T1) / {TOP_SCALES_X[1] - TOP_SCALES_X[0]:g} * 57.3   (degrees, clockwise)
or let faceprint do the sums: faceprint calibrate --printer {{profile}} --readings L=… R=… T1=… T2=… B1=… B2=…
Print the card again: every scale should read 0 at the edge, and the crosshairs sit at the positions
printed beside them (mm from the card's top-left corner)."""

READINGS = ("L", "R", "T1", "T2", "B1", "B2")


def corrected(profile: PrinterProfile, readings: dict[str, float]) -> PrinterProfile:
    """The profile with the corrections that the six scale readings call for (``INSTRUCTIONS``' sums)."""
    r = readings
    top, bottom = (r["T1"] + r["T2"]) / 2.0, (r["B1"] + r["B2"]) / 2.0
    return replace(
        profile,
        offset_x=profile.offset_x + (r["L"] - r["R"]) / 2.0,
        offset_y=profile.offset_y + (top - bottom) / 2.0,
        scale=profile.scale * (1.0 - (r["L"] + r["R"]) / ID1_WIDTH_MM),
        rotation=profile.rotation + math.degrees((r["T2"] - r["T1"]) / (TOP_SCALES_X[1] - TOP_SCALES_X[0])),
    )


class _Card:
    def __init__(self, face: FontFace) -> None:
        self.font = face
        self.items: list[Item] = []

    def line(self, *points: tuple[float, float]) -> None:
        self.items.append(PathItem(ELEMENT, LAYER, poly_ops(points, closed=False), None, BLACK, LINE_MM))

    def circle(self, x: float, y: float, r: float) -> None:
        self.items.append(PathItem(ELEMENT, LAYER, rect_ops(Box(x - r, y - r, 2 * r, 2 * r), r), None, BLACK, LINE_MM))

    def text(self, text: str, box: Box, size_pt: float, align: Align = "left", valign: VAlign = "top") -> None:
        clusters = tuple(shape(text, [self.font]))
        runs: list[GlyphRun] = set_text(
            element_id=ELEMENT,
            layer=LAYER,
            box=box,
            fitted=FitResult(size_pt, 1.0, (clusters,)),
            align=align,
            valign=valign,
            line_height=1.2,
            ascent_em=self.font.ascent_em,
            color=BLACK,
        )
        self.items.extend(runs)

    def ticks(self) -> list[tuple[float, float]]:
        """(distance inward, tick length) for every tick of a scale."""
        out = []
        n = round((SCALE_TO - SCALE_FROM) / TICK_STEP)
        for i in range(n + 1):
            v = SCALE_FROM + i * TICK_STEP
            length = 2.0 if v % LABEL_EVERY == 0 else 1.4 if v.is_integer() else 0.8
            out.append((v, length))
        return out


def _horizontal_scale(card: _Card, name: str, edge_x: float, inward: float, y: float) -> None:
    """Ticks across a left or right edge (for x), hanging down from ``y``, labels above."""
    for v, length in card.ticks():
        x = edge_x + inward * v
        card.line((x, y), (x, y + length))
        if v % LABEL_EVERY == 0:
            card.text(f"{v:g}", Box(x - 2.0, y - 1.9, 4.0, 1.7), LABEL_PT, "center", "bottom")
    card.text(name, Box(edge_x + inward * 6.2 - 1.5, y, 3.0, 2.0), INFO_PT, "center")


def _vertical_scale(card: _Card, name: str, x: float, edge_y: float, inward: float) -> None:
    """Ticks across a top or bottom edge (for y), reaching right from ``x``, labels beside them."""
    for v, length in card.ticks():
        y = edge_y + inward * v
        card.line((x, y), (x + length, y))
        if v % LABEL_EVERY == 0:
            card.text(f"{v:g}", Box(x + 2.3, y - 1.0, 4.0, 2.0), LABEL_PT, "left", "middle")
    card.text(name, Box(x - 4.5, edge_y + inward * 6.0 - 1.0, 4.0, 2.0), INFO_PT, "right", "middle")


def calibration_face(profile: PrinterProfile, face: str, fonts: FontDatabase | None = None) -> Face:
    w, h = ID1_WIDTH_MM, ID1_HEIGHT_MM
    cx, cy = w / 2.0, h / 2.0
    card = _Card((fonts or default_database()).find(FONT))
    card.items.append(PathItem(ELEMENT, LAYER, rect_ops(Box(2.0, 2.0, w - 4.0, h - 4.0), 1.2), None, BLACK, LINE_MM))
    _horizontal_scale(card, "L", 0.0, 1.0, cy)
    _horizontal_scale(card, "R", w, -1.0, cy)
    for i, x in enumerate(TOP_SCALES_X, start=1):
        _vertical_scale(card, f"T{i}", x, 0.0, 1.0)
        _vertical_scale(card, f"B{i}", x, h, -1.0)
    for x, y in ((CROSS_INSET, CROSS_INSET), (w - CROSS_INSET, CROSS_INSET), (CROSS_INSET, h - CROSS_INSET),
                 (w - CROSS_INSET, h - CROSS_INSET), (cx, cy)):  # fmt: skip
        card.line((x - 2.5, y), (x + 2.5, y))
        card.line((x, y - 2.5), (x, y + 2.5))
        card.circle(x, y, 1.0)
        card.text(f"{x:g}, {y:g}", Box(x + 0.6, y + 0.5, 10.0, 2.0), LABEL_PT)
    # which way is up, to check a duplex flip at a glance
    card.items.append(
        PathItem(ELEMENT, LAYER, poly_ops([(cx - 1.2, 9.0), (cx + 1.2, 9.0), (cx, 7.0)], closed=True), BLACK, None, LINE_MM)
    )
    card.text("上 TOP", Box(cx - 5.0, 9.4, 10.0, 2.0), LABEL_PT, "center")
    info = (
        f"faceprint calibration card · {face}",
        profile.name,
        f"offset x {profile.offset_x:+.2f} mm, y {profile.offset_y:+.2f} mm",
        f"rotation {profile.rotation:+.2f}°, scale {profile.scale:.4f}, flip {profile.duplex_flip}, {profile.dpi:g} dpi",
        "各目盛りをカードの縁で読む（内側へ mm）",
    )
    for i, line in enumerate(info):
        card.text(line, Box(20.0, 30.4 + i * 2.2, w - 40.0, 2.2), INFO_PT, "center")
    return Face(face, w, h, tuple(card.items), (), (), 0.0, 2.0, ID1_CORNER_RADIUS_MM)

"""Page coordinates and paint: where scene millimetres (y down) become PDF points (y up), and
where each item's colours are set: process colours as operators, special layers as overprinting
spot separations, RGB turned into CMYK when a print file must carry no RGB: through the output
intent's ICC profile when the file has one (``faceprint.icc``), else with the naive formula."""

from __future__ import annotations

from collections.abc import Mapping

from reportlab.lib.colors import CMYKColorSep
from reportlab.pdfgen.canvas import Canvas

from ...color import Color
from ...icc import CmykConverter
from ...scene import SpotInk
from ...units import MM_PER_PT, mm_to_pt


def rgb_to_cmyk(color: Color) -> Color:
    """Naive (uncalibrated) RGB → CMYK with full black generation: print files without an output intent.

    With no profile there is no printing condition to convert to; this keeps neutrals K only and is
    what such files have always carried (the README says so). With a profile, ``CmykConverter``."""
    if color.space != "rgb":
        return color
    r, g, b = color.components
    k = 1.0 - max(r, g, b)
    if k >= 1.0:
        return Color("cmyk", (0.0, 0.0, 0.0, 1.0), color.alpha)
    return Color("cmyk", ((1 - r - k) / (1 - k), (1 - g - k) / (1 - k), (1 - b - k) / (1 - k), k), color.alpha)


def fill_op(color: Color) -> str:
    c = color.components
    if color.space == "gray":
        return f"{c[0]:.4g} g"
    if color.space == "cmyk":
        return f"{c[0]:.4g} {c[1]:.4g} {c[2]:.4g} {c[3]:.4g} k"
    return f"{c[0]:.4g} {c[1]:.4g} {c[2]:.4g} rg"


def stroke_op(color: Color) -> str:
    return fill_op(color).replace(" g", " G").replace(" k", " K").replace(" rg", " RG")


class PdfDevice:
    def __init__(
        self,
        canvas: Canvas,
        page_height_mm: float,
        origin_mm: tuple[float, float] = (0.0, 0.0),
        *,
        spots: Mapping[str, SpotInk] | None = None,
        cmyk_only: bool = False,
        cmyk: CmykConverter | None = None,
    ) -> None:
        self.canvas = canvas
        self.ox, self.oy = origin_mm  # where the trim's top-left corner sits on the page, mm from the top-left
        self.page_height = page_height_mm
        self.spots = dict(spots or {})
        self.cmyk_only = cmyk_only
        self.cmyk = cmyk  # the output intent's converter; None: naive formula

    def x(self, mm: float) -> float:
        return mm_to_pt(mm + self.ox)

    def y(self, mm: float) -> float:
        return mm_to_pt(self.page_height - (mm + self.oy))

    def length(self, mm: float) -> float:
        return mm_to_pt(mm)

    def affine_cm(self, t: tuple[float, float, float, float, float, float], *, translation_digits: int = 3) -> str:
        """The PDF ``cm`` that applies a y-down mm-space affine to what this device draws.

        With D the page mapping (x, y) ↦ (k(x + ox), k(H − y − oy)) and T the affine, items are drawn
        as D(p) under the matrix D·T·D⁻¹; its linear part is T's with the y terms' signs flipped. The
        one place besides ``x``/``y`` where the y axis flips (a path's own transform, a printer's).
        """
        a, b, c, d, e, f = t
        k = 1.0 / MM_PER_PT
        tx, ty = k * self.ox, k * (self.page_height - self.oy)
        la, lb, lc, ld = a, -b, -c, d  # D·T·D⁻¹, linear part (x' = la·x + lc·y, y' = lb·x + ld·y)
        ex = -(la * tx + lc * ty) + k * e + tx
        ey = -(lb * tx + ld * ty) - k * f + ty
        n = translation_digits
        # + 0.0: no "-0.000000"
        return f"{la + 0.0:.6f} {lb + 0.0:.6f} {lc + 0.0:.6f} {ld + 0.0:.6f} {ex + 0.0:.{n}f} {ey + 0.0:.{n}f} cm"

    def literal(self, code: str) -> None:
        self.canvas.addLiteral(code)

    def process(self, color: Color) -> Color:
        return self.to_cmyk(color) if self.cmyk_only else color

    def to_cmyk(self, color: Color) -> Color:
        """RGB as CMYK for this file (ICC or naive); CMYK and grey stay as the layout wrote them."""
        return self.cmyk.color(color) if self.cmyk is not None else rgb_to_cmyk(color)

    def begin_item(self, layer: str, fill: Color | None, stroke: Color | None) -> str:
        """Open an item's graphics state and set its colours; returns operators for the item's code.

        A layer printed as a spot ink is painted in its separation (full tint), set to overprint so
        the special process does not knock out the colours under it (ISO 32000-1 §8.6.7).
        """
        ink = self.spots.get(layer)
        self.literal("q")
        if ink is None:
            return self.colour_ops(fill, stroke)
        alt = self.to_cmyk(ink.alternate)
        if alt.space == "gray":
            alt = Color("cmyk", (0.0, 0.0, 0.0, 1.0 - alt.components[0]), alt.alpha)
        sep = CMYKColorSep(*alt.components[:4], spotName=ink.name, density=1)
        if fill is not None:
            self.canvas.setFillColor(sep)
        if stroke is not None:
            self.canvas.setStrokeColor(sep)
        self.canvas.setFillOverprint(True)
        self.canvas.setStrokeOverprint(True)
        self.canvas.setOverprintMask(True)
        return ""

    def colour_ops(self, fill: Color | None, stroke: Color | None) -> str:
        """The operators that set an item's process colours (outside spot layers)."""
        ops = []
        if fill is not None:
            ops.append(fill_op(self.process(fill)))
        if stroke is not None:
            ops.append(stroke_op(self.process(stroke)))
        return " ".join(ops)

    def end_item(self, layer: str) -> None:
        if layer in self.spots:
            # keep reportlab's idea of the graphics state in step with the Q that follows
            self.canvas.setFillOverprint(False)
            self.canvas.setStrokeOverprint(False)
            self.canvas.setOverprintMask(False)
        self.literal("Q")

"""Page coordinates: the one place where scene millimetres (y down) become PDF points (y up)."""

from __future__ import annotations

from reportlab.pdfgen.canvas import Canvas

from ...color import Color
from ...units import mm_to_pt


class PdfDevice:
    def __init__(self, canvas: Canvas, face_height_mm: float, origin_mm: tuple[float, float] = (0.0, 0.0)) -> None:
        self.canvas = canvas
        self.height = face_height_mm
        self.ox, self.oy = origin_mm  # where the trim's top-left corner sits on the page, in mm

    def x(self, mm: float) -> float:
        return mm_to_pt(mm + self.ox)

    def y(self, mm: float) -> float:
        return mm_to_pt(self.height - mm + self.oy)

    def length(self, mm: float) -> float:
        return mm_to_pt(mm)


def fill_op(color: Color) -> str:
    c = color.components
    if color.space == "gray":
        return f"{c[0]:.4g} g"
    if color.space == "cmyk":
        return f"{c[0]:.4g} {c[1]:.4g} {c[2]:.4g} {c[3]:.4g} k"
    return f"{c[0]:.4g} {c[1]:.4g} {c[2]:.4g} rg"


def stroke_op(color: Color) -> str:
    return fill_op(color).replace(" g", " G").replace(" k", " K").replace(" rg", " RG")

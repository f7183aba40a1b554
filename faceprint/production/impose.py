"""Imposition: many cards on a press sheet, fronts on one page and backs on the next.

Cards are stepped in a grid with a gutter between their bleed boxes; each card gets its own crop
marks in the gutter, with the print options' mark offset and length (as a single card's print file
has them), the length capped so that the marks of neighbouring cards never meet. Backs are mirrored
column by column (x' = sheet width − x − card width), so a sheet printed duplex and turned over its
long edge puts every back behind its own front.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any

from ..backends.pdf import PdfOptions, paint_face, print_converter
from ..backends.pdf.device import PdfDevice
from ..backends.pdf.document import PdfDocument
from ..backends.pdf.prepress import draw_crop_marks
from ..errors import UsageError
from ..scene import Scene
from ..units import mm_to_pt

# ISO 216 A4 and ISO 217 SRA3, in mm (portrait).
SHEETS = {"A4": (210.0, 297.0), "SRA3": (320.0, 450.0)}
SHEET_MARGIN_MM = 10.0  # gripper and press margin kept free on every edge
GUTTER_MM = 8.0  # between neighbouring bleed boxes; crop marks live here
MARK_REACH_MM = GUTTER_MM / 2  # offset + length of a card's marks: those of neighbouring cards never meet


@dataclass(frozen=True)
class Grid:
    sheet_w: float
    sheet_h: float
    cols: int
    rows: int
    card_w: float
    card_h: float
    bleed: float
    x0: float  # trim top-left of the first card
    y0: float

    @property
    def per_sheet(self) -> int:
        return self.cols * self.rows

    def position(self, index: int, *, back: bool) -> tuple[float, float]:
        """Trim top-left corner (mm from the sheet's top-left) of card ``index`` on a sheet."""
        col, row = index % self.cols, index // self.cols
        pitch_x = self.card_w + 2 * self.bleed + GUTTER_MM
        pitch_y = self.card_h + 2 * self.bleed + GUTTER_MM
        x = self.x0 + col * pitch_x
        y = self.y0 + row * pitch_y
        if back:
            x = self.sheet_w - x - self.card_w
        return x, y


def parse_sheet(text: str) -> tuple[float, float]:
    key = text.strip().upper()
    if key in SHEETS:
        return SHEETS[key]
    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*[x×]\s*(\d+(?:\.\d+)?)\s*(?:mm)?\s*", text, re.IGNORECASE)
    if not m:
        raise UsageError(f"unknown sheet {text!r}: use SRA3, A4 or WxHmm (e.g. 330x480mm)")
    return float(m[1]), float(m[2])


def _fit(avail: float, cell: float) -> int:
    return int((avail + GUTTER_MM) // (cell + GUTTER_MM)) if avail >= cell else 0


def plan_grid(sheet: tuple[float, float], card_w: float, card_h: float, bleed: float) -> Grid:
    """The orientation of the sheet that holds the most cards, the grid centred on it."""
    best: Grid | None = None
    cell_w, cell_h = card_w + 2 * bleed, card_h + 2 * bleed
    for sw, sh in (sheet, (sheet[1], sheet[0])):
        aw, ah = sw - 2 * SHEET_MARGIN_MM, sh - 2 * SHEET_MARGIN_MM
        cols, rows = _fit(aw, cell_w), _fit(ah, cell_h)
        if cols * rows == 0:
            continue
        used_w = cols * cell_w + (cols - 1) * GUTTER_MM
        used_h = rows * cell_h + (rows - 1) * GUTTER_MM
        grid = Grid(sw, sh, cols, rows, card_w, card_h, bleed, (sw - used_w) / 2 + bleed, (sh - used_h) / 2 + bleed)
        if best is None or grid.per_sheet > best.per_sheet:
            best = grid
    if best is None:
        raise UsageError(
            f"a {card_w:g} × {card_h:g} mm card with {bleed:g} mm bleed does not fit a {sheet[0]:g} × {sheet[1]:g} mm sheet"
        )
    return best


def mark_geometry(options: PdfOptions) -> tuple[float, float]:
    """(length, offset) of each card's crop marks: the options', the length capped by the gutter."""
    length = min(options.mark_length, MARK_REACH_MM - options.mark_offset)
    if length <= 0 or options.mark_offset < 0:
        raise UsageError(
            f"crop marks offset {options.mark_offset:g} mm do not fit the {GUTTER_MM:g} mm gutter between imposed cards"
        )
    return length, options.mark_offset


def impose_pdf(
    scenes: list[Scene], sheet: tuple[float, float], *, print_options: PdfOptions | None = None
) -> tuple[bytes, dict[str, Any]]:
    """Sheets for ``scenes`` (front page, back page, next front…) and a report of the layout."""
    if not scenes:
        raise UsageError("no cards to impose")
    options = replace(print_options or PdfOptions(), print_ready=True)
    face0 = scenes[0].faces[0]
    bleed = face0.bleed if options.bleed is None else options.bleed
    grid = plan_grid(sheet, face0.width, face0.height, bleed)
    mark_length, mark_offset = mark_geometry(options)
    doc = PdfDocument(
        (mm_to_pt(grid.sheet_w), mm_to_pt(grid.sheet_h)), title=options.title or "faceprint sheets", print_ready=True
    )
    canvas, fonts = doc.canvas, doc.fonts
    sheets = [scenes[i : i + grid.per_sheet] for i in range(0, len(scenes), grid.per_sheet)]
    for cards in sheets:
        for side, back in ((0, False), (1, True)):
            canvas.setPageSize((mm_to_pt(grid.sheet_w), mm_to_pt(grid.sheet_h)))
            for index, scene in enumerate(cards):
                face = scene.faces[side]
                x, y = grid.position(index, back=back)
                spots = {ink.layer: ink for ink in scene.inks}
                device = PdfDevice(
                    canvas, grid.sheet_h, (x, y), spots=spots, cmyk_only=True, cmyk=print_converter(scene, options)
                )
                pt = mm_to_pt
                left, bottom = device.x(-bleed), device.y(face.height + bleed)
                device.literal(
                    f"q {left:.3f} {bottom:.3f} {pt(face.width + 2 * bleed):.3f} {pt(face.height + 2 * bleed):.3f} re W n"
                )
                paint_face(device, fonts, face, options)
                device.literal("Q")
                draw_crop_marks(device, face.width, face.height, bleed, mark_length, mark_offset)
            canvas.showPage()
    data = doc.finish(options.output_intent, options.output_condition)
    report = {
        "cards": len(scenes),
        "sheets": len(sheets),
        "per_sheet": grid.per_sheet,
        "grid": [grid.cols, grid.rows],
        "sheet_mm": [grid.sheet_w, grid.sheet_h],
        "positions_front": [grid.position(i, back=False) for i in range(grid.per_sheet)],
        "positions_back": [grid.position(i, back=True) for i in range(grid.per_sheet)],
    }
    return data, report

"""How the whole-card preview shows an entry's state: pending outlined, void struck through.

In: the area and an entry. Out: scene paths (mm, card coordinates) drawn over the entry's glyphs, so
both backends show them. A printed entry gets none: the preview shows it as the card does. These
marks are for the clerk's screen preview only; the print job (``job_face``) never carries them.
"""

from __future__ import annotations

from ..color import Color
from ..geometry import poly_ops, rect_ops
from ..scene import Box, PathItem
from ..units import pt_to_mm
from .area import AnnotationArea
from .placing import COMPACT_SCALE
from .state import Entry

PENDING_COLOR = Color("rgb", (0.0, 0.35, 0.9))  # project choice: a screen blue no card ink uses
VOID_COLOR = Color("rgb", (0.85, 0.0, 0.0))  # project choice: red, as a correction on paper
MARK_WIDTH_MM = 0.15  # project choice: clearly visible at the 300 dpi preview (≈ 2 px)
PENDING_DASH_MM = (0.6, 0.4)  # dashed: "reserved, not yet on the card"


def entry_box(area: AnnotationArea, entry: Entry) -> Box:
    """The band of the area the entry occupies: its lines (or half-line), the area's full width."""
    pitch = area.pitch * COMPACT_SCALE if entry.half else area.pitch
    top = area.line_top(entry.line) + (pitch if entry.half == "lower" else 0.0)
    return Box(area.box.x, top, area.box.w, pitch * entry.span)


def entry_marks(area: AnnotationArea, entry: Entry) -> list[PathItem]:
    """A dashed outline around a pending entry; a line through each line of a void one; nothing otherwise."""
    box = entry_box(area, entry)
    if entry.status == "pending":
        return [PathItem(area.element_id, area.layer, rect_ops(box), None, PENDING_COLOR, MARK_WIDTH_MM, PENDING_DASH_MM)]
    if entry.status == "void":
        line_h = box.h / entry.span
        middle = pt_to_mm(entry.size_pt) / 2  # through the middle of the em box, where CJK glyphs are centred
        return [
            PathItem(
                area.element_id,
                area.layer,
                poly_ops([(box.x, box.y + i * line_h + middle), (box.right, box.y + i * line_h + middle)], closed=False),
                None,
                VOID_COLOR,
                MARK_WIDTH_MM,
            )
            for i in range(entry.span)
        ]
    return []

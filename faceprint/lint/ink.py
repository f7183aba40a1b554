"""Where ink lies on a face, in mm: each element's reach, each record's rendered ink, and their overlaps.

The layout checks (declared boxes) and the record checks (rendered ink) measure overlap the same
way, so the rounding margin and the em box of a CJK line are decided once, here.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from ..kinds import kind_of
from ..layout_file.model import Element
from ..layout_file.walk import walk_elements
from ..scene import Box, Face, GlyphRun, ImageItem, QrItem
from ..units import pt_to_mm

OVERLAP_MIN_MM = 0.05  # ink overlaps narrower than this are rounding, not collisions

ASCENT_EM, DESCENT_EM = 0.88, 0.12  # the ideographic em box: where a CJK line's ink can reach


def flatten_elements(
    elements: Iterable[Element], dx: float = 0.0, dy: float = 0.0, layer: str | None = None
) -> Iterator[tuple[Element, Box, str]]:
    """Every drawable element with the box its ink may cover on the face and its layer (groups resolved)."""
    for el, ox, oy, el_layer in walk_elements(elements, dx=dx, dy=dy, parent_layer=layer):
        yield el, kind_of(el).extent(el, ox, oy), el_layer  # a stroke's half width, a microtext em


def overlap(a: Box, b: Box) -> Box | None:
    x0, y0 = max(a.x, b.x), max(a.y, b.y)
    x1, y1 = min(a.right, b.right), min(a.bottom, b.bottom)
    if x1 - x0 < OVERLAP_MIN_MM or y1 - y0 < OVERLAP_MIN_MM:
        return None
    return Box(x0, y0, x1 - x0, y1 - y0)


def run_box(run: GlyphRun) -> Box:
    """The em boxes of a run's glyphs, each on its own baseline where it has one (text on a path)."""
    size = pt_to_mm(run.size_pt)
    x0 = min(g.x for g in run.glyphs)
    x1 = max(g.x + a for g, a in zip(run.glyphs, run.advances, strict=False))
    baselines = [run.baseline_y if g.y is None else g.y for g in run.glyphs]
    top, bottom = min(baselines) - ASCENT_EM * size, max(baselines) + DESCENT_EM * size
    return Box(x0, top, x1 - x0, bottom - top)


def ink_boxes(face: Face) -> dict[str, Box]:
    """Where each content element's ink lies in daylight: glyph runs' em boxes, image pixels, QR symbol with quiet zone."""
    boxes: dict[str, Box] = {}
    for item in face.items_for("daylight"):
        box: Box | None = None
        if isinstance(item, GlyphRun) and item.glyphs:
            box = run_box(item)
        elif isinstance(item, ImageItem):
            box = item.box if item.clip is None else overlap(item.box, item.clip)
        elif isinstance(item, QrItem):
            side = (len(item.matrix) + 2 * item.quiet_zone) * item.module
            q = item.quiet_zone * item.module
            box = Box(item.x - q, item.y - q, side, side)
        if box is None:
            continue
        old = boxes.get(item.element_id)
        if old is not None:
            x0, y0 = min(old.x, box.x), min(old.y, box.y)
            box = Box(x0, y0, max(old.right, box.right) - x0, max(old.bottom, box.bottom) - y0)
        boxes[item.element_id] = box
    return boxes

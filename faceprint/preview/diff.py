"""``faceprint diff``: what changed between two layouts, as a picture and as a list.

In: two layout files and one record (the built-in specimen when none is given). Out: one PNG with,
for each face, render A, render B and B faded with the changed pixels marked (blue where B has new
ink, red where A's ink went or got lighter) and the changed elements outlined; and the elements
added, removed, moved (or resized) and restyled, compared by id on the resolved layouts, so an
``extends:`` file diffs against its parent like any other layout.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from PIL import Image, ImageChops, ImageDraw, ImageFont

from ..color import Color
from ..layout_file.loader import LoadedLayout
from ..layout_file.model import Element
from ..lint import flatten_elements, specimen_record
from ..records import Record
from ..render import CardRenderer
from ..scene import Box
from ..text.fonts import BUNDLED_FONT_DIR
from ..tolerances import DIFF_EPS_MM
from ..units import mm_to_px
from .raster import margin_px, paint_with_bleed

ChangeKind = Literal["added", "removed", "moved", "restyled", "changed"]
DIFF_DPI = 150.0
PIXEL_THRESHOLD = 24  # per-channel difference that counts as changed (anti-aliasing noise stays below)
GEOMETRY_KEYS = frozenset({"id", "box", "points", "origin", "children"})
NEW_INK = (0, 90, 255)
LOST_INK = (230, 0, 40)
OUTLINE = (255, 140, 0)
LABEL_FONT = BUNDLED_FONT_DIR / "BIZUDGothic-Regular.ttf"


@dataclass(frozen=True)
class Change:
    kind: ChangeKind
    element_id: str  # an element id, or a layout setting such as "fonts" for kind "changed"
    face: str
    detail: str
    box: Box | None = None  # where to outline it on the diff (B's box; A's for a removed element)

    def __str__(self) -> str:
        where = f"{self.face} '{self.element_id}'" if self.face != "-" else f"layout '{self.element_id}'"
        return f"{self.kind:<9}{where}" + (f": {self.detail}" if self.detail else "")


@dataclass(frozen=True)
class FaceDiff:
    face: str
    changed_pixels: int
    total_pixels: int


@dataclass(frozen=True)
class DiffResult:
    changes: list[Change]
    faces: list[FaceDiff]
    image: Image.Image


# -- the layouts, element by element -------------------------------------------------------------


def _fmt(value: Any) -> str:
    if isinstance(value, Color):
        return "#{:02x}{:02x}{:02x}".format(*value.to_rgb8())
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_fmt(v) for v in value) + "]"
    if hasattr(value, "kind") and hasattr(value, "floor"):  # a fit step
        return str(value.kind) if value.floor is None else f"{value.kind} {value.floor:g}"
    if hasattr(value, "model_dump"):
        return "{" + ", ".join(f"{k}: {_fmt(v)}" for k, v in value.model_dump().items() if v is not None) + "}"
    text = repr(value) if isinstance(value, str) else str(value)
    return text if len(text) <= 48 else text[:45] + "…"


def _elements(loaded: LoadedLayout) -> dict[str, tuple[str, Element, Box, str]]:
    out: dict[str, tuple[str, Element, Box, str]] = {}
    for face in ("front", "back"):
        for el, box, layer in flatten_elements(loaded.layout.face_elements(face)):
            out[el.id] = (face, el, box, layer)
    return out


def _props(el: Element, layer: str) -> dict[str, Any]:
    props = {k: getattr(el, k) for k in type(el).model_fields if k not in GEOMETRY_KEYS}
    props["layer"] = layer
    return props


def _moved(a: Box, b: Box) -> str:
    parts = [
        f"{name} {getattr(a, attr):g} → {getattr(b, attr):g} mm"
        for name, attr in (("x", "x"), ("y", "y"), ("width", "w"), ("height", "h"))
        if abs(getattr(a, attr) - getattr(b, attr)) > DIFF_EPS_MM
    ]
    return ", ".join(parts)


def compare_layouts(a: LoadedLayout, b: LoadedLayout) -> list[Change]:
    """Elements added, removed, moved or restyled from A to B, then changed layout settings."""
    ea, eb = _elements(a), _elements(b)
    changes: list[Change] = []
    for el_id, (face, el, box, layer) in eb.items():
        if el_id not in ea:
            changes.append(Change("added", el_id, face, f"{el.type} at {_fmt([box.x, box.y, box.w, box.h])} mm", box))
            continue
        face_a, el_a, box_a, layer_a = ea[el_id]
        if face_a != face:
            changes.append(Change("moved", el_id, face, f"from the {face_a} to the {face}", box))
        elif moved := _moved(box_a, box):
            changes.append(Change("moved", el_id, face, moved, box))
        elif getattr(el_a, "points", None) != getattr(el, "points", None):
            changes.append(Change("moved", el_id, face, "points changed", box))
        pa, pb = _props(el_a, layer_a), _props(el, layer)
        if el_a.type != el.type:
            changes.append(Change("restyled", el_id, face, f"type {el_a.type} → {el.type}", box))
            continue
        diffs = [f"{k} {_fmt(pa.get(k))} → {_fmt(pb.get(k))}" for k in pb if pa.get(k) != pb.get(k)]
        if diffs:
            changes.append(Change("restyled", el_id, face, "; ".join(diffs), box))
    for el_id, (face, el, box, _) in ea.items():
        if el_id not in eb:
            changes.append(Change("removed", el_id, face, el.type, box))
    la, lb = a.layout, b.layout
    for setting in ("card", "fonts", "vars", "layers", "lint", "keep_out"):
        va, vb = getattr(la, setting), getattr(lb, setting)
        if va != vb:
            changes.append(Change("changed", setting, "-", f"{_fmt(va)} → {_fmt(vb)}"))
    return changes


# -- the renders, pixel by pixel -----------------------------------------------------------------


def _on_canvas(image: Image.Image, offset: int, size: tuple[int, int]) -> Image.Image:
    if image.size == size and offset == 0:
        return image
    canvas = Image.new("RGB", size, (255, 255, 255))
    canvas.paste(image, (offset, offset))
    return canvas


def _label_font(px: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    try:
        return ImageFont.truetype(str(LABEL_FONT), px)
    except OSError:
        return ImageFont.load_default()


def _highlight(a: Image.Image, b: Image.Image) -> tuple[Image.Image, Image.Image]:
    """(B faded with the changed pixels coloured, the change mask)."""
    diff = ImageChops.difference(a, b)
    mask = _max_channel(diff).point([255 if v >= PIXEL_THRESHOLD else 0 for v in range(256)])
    faded = Image.blend(b.convert("L").convert("RGB"), Image.new("RGB", b.size, (255, 255, 255)), 0.7)
    darker_in_b = ImageChops.subtract(a.convert("L"), b.convert("L")).point([255 if v > 0 else 0 for v in range(256)])
    new_ink = ImageChops.multiply(mask, darker_in_b)
    lost_ink = ImageChops.subtract(mask, new_ink)
    faded.paste(NEW_INK, (0, 0), new_ink)
    faded.paste(LOST_INK, (0, 0), lost_ink)
    return faded, mask


def _max_channel(image: Image.Image) -> Image.Image:
    r, g, b = image.split()
    return ImageChops.lighter(ImageChops.lighter(r, g), b)


def diff_layouts(
    layout_a: LoadedLayout, layout_b: LoadedLayout, record: Record | None = None, *, dpi: float = DIFF_DPI
) -> DiffResult:
    """Render both layouts with the record and compare them (``DataError`` if either cannot be drawn)."""
    record = record or specimen_record()
    changes = compare_layouts(layout_a, layout_b)
    faces_a = {f.name: f for f in CardRenderer(layout_a).scene(record).faces}
    faces_b = {f.name: f for f in CardRenderer(layout_b).scene(record).faces}
    font = _label_font(max(11, round(dpi / 12)))
    rows: list[list[Image.Image]] = []
    stats: list[FaceDiff] = []
    scale = mm_to_px(1.0, dpi)  # px per mm
    for name in ("front", "back"):
        fa, fb = faces_a[name], faces_b[name]
        ia, ib = paint_with_bleed(fa, dpi), paint_with_bleed(fb, dpi)
        ma, mb = margin_px(fa, dpi), margin_px(fb, dpi)
        m = max(ma, mb)
        size = (max(ia.width - 2 * ma, ib.width - 2 * mb) + 2 * m, max(ia.height - 2 * ma, ib.height - 2 * mb) + 2 * m)
        ia, ib = _on_canvas(ia, m - ma, size), _on_canvas(ib, m - mb, size)
        marked, mask = _highlight(ia, ib)
        changed = mask.histogram()[255]
        stats.append(FaceDiff(name, changed, size[0] * size[1]))
        draw = ImageDraw.Draw(marked)
        for change in changes:
            if change.box is None or change.face != name:
                continue
            bx = change.box
            rect = (m + bx.x * scale, m + bx.y * scale, m + bx.right * scale, m + bx.bottom * scale)
            draw.rectangle(rect, outline=OUTLINE, width=max(1, round(dpi / 150)))
            draw.text((rect[0] + 2, rect[1] + 1), change.element_id, fill=OUTLINE, font=font)
        rows.append([ia, ib, marked])
    return DiffResult(changes, stats, _sheet(rows, stats, layout_a, layout_b, font))


def _sheet(
    rows: list[list[Image.Image]],
    stats: list[FaceDiff],
    layout_a: LoadedLayout,
    layout_b: LoadedLayout,
    font: ImageFont.FreeTypeFont | ImageFont.ImageFont,
) -> Image.Image:
    gap = 16
    label_h = round(getattr(font, "size", 12) * 1.6)
    col_w = max(img.width for row in rows for img in row)
    row_h = max(img.height for row in rows for img in row)
    sheet = Image.new("RGB", (3 * col_w + 4 * gap, len(rows) * (row_h + label_h + gap) + gap), (236, 238, 242))
    draw = ImageDraw.Draw(sheet)
    for r, (row, stat) in enumerate(zip(rows, stats, strict=True)):
        y = gap + r * (row_h + label_h + gap)
        share = 100 * stat.changed_pixels / max(1, stat.total_pixels)
        labels = (
            f"A {stat.face}: {layout_a.path.name} ({layout_a.path.parent.name})",
            f"B {stat.face}: {layout_b.path.name} ({layout_b.path.parent.name})",
            f"{stat.face}: {stat.changed_pixels} pixels changed ({share:.2f} %)",
        )
        for c, (img, label) in enumerate(zip(row, labels, strict=True)):
            x = gap + c * (col_w + gap)
            draw.text((x, y), label, fill=(30, 40, 55), font=font)
            sheet.paste(img, (x, y + label_h))
    return sheet


def load_diff_record(path: Path | None) -> Record | None:
    from ..errors import UsageError
    from ..records import load_record

    if path is None:
        return None
    if path.is_dir():
        raise UsageError(f"--data takes one record file for diff, not a folder: {path}")
    return load_record(path)

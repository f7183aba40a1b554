"""PDF backend: draws scene faces as pages of a reportlab canvas, front on page 1, back on page 2.

In: a ``scene.Scene`` and ``PdfOptions``. Out: PDF bytes. Millimetres become points, and the y
axis flips, in one place (``PdfDevice``). Text is real text: glyph ids from the scene, fonts
embedded as subsets, extractable with the original characters (see ``fonts``).

Two kinds of file: a proof whose pages are exactly the trim size, and a print file (``print_ready``)
whose pages carry the bleed and crop marks, with TrimBox/BleedBox set, no RGB, special layers as
overprinting spot separations and, given the printer's ICC profile, a PDF/X-4 output intent
(see ``prepress``) into which every RGB colour and image is converted (``faceprint.icc``, with the
layout's ``print_colour`` rendering intent).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from reportlab.pdfgen.canvas import Canvas

from ...color import Color
from ...icc import CmykConverter, cmyk_converter
from ...scene import Face, GlyphRun, ImageItem, PathItem, QrItem, Scene, SpotInk
from ...units import mm_to_pt
from .device import PdfDevice
from .document import PdfDocument
from .fonts import FontRegistry
from .image import draw_image
from .prepress import MARK_LENGTH_MM, MARK_OFFSET_MM, draw_crop_marks, print_margin
from .shapes import draw_path, draw_qr
from .text import draw_glyph_run


@dataclass(frozen=True)
class PdfOptions:
    print_ready: bool = False  # bleed, crop marks, boxes, no RGB, spot separations
    bleed: float | None = None  # mm; None = the layout's card.bleed
    output_intent: Path | None = None  # ICC profile of the printing condition (PDF/X-4)
    output_condition: str = "Custom"  # its OutputConditionIdentifier, e.g. "FOGRA39"
    layers: frozenset[str] | None = None  # draw only these layers (layer export); None = all printable
    title: str | None = None
    mark_length: float = MARK_LENGTH_MM
    mark_offset: float = MARK_OFFSET_MM
    extra: dict[str, str] = field(default_factory=dict)


def paint_face(device: PdfDevice, fonts: FontRegistry, face: Face, options: PdfOptions) -> None:
    """Proofs show what daylight shows; print files carry every ink but not what a laser makes."""
    for item in face.items_for("print" if options.print_ready else "daylight", options.layers):
        if isinstance(item, GlyphRun):
            draw_glyph_run(device, fonts, item)
        elif isinstance(item, PathItem):
            draw_path(device, item)
        elif isinstance(item, ImageItem):
            draw_image(device, item)
        elif isinstance(item, QrItem):
            draw_qr(device, item)


def _spots(scene: Scene, options: PdfOptions) -> dict[str, SpotInk]:
    return {ink.layer: ink for ink in scene.inks} if options.print_ready else {}


def print_converter(scene: Scene, options: PdfOptions) -> CmykConverter | None:
    """The ICC conversion a print file's colours go through (its output intent, the layout's intent),
    with the scene's colours already converted in one batch."""
    if not options.print_ready or options.output_intent is None:
        return None
    converter = cmyk_converter(options.output_intent, scene.colour)
    converter.prepare(scene_colours(scene))
    return converter


def scene_colours(scene: Scene) -> Iterator[Color | None]:
    """Every colour a scene paints with, spot alternates included (repeats and all)."""
    for ink in scene.inks:
        yield ink.alternate
    for face in scene.faces:
        for item in face.items:
            if isinstance(item, GlyphRun):
                yield item.color
            elif isinstance(item, PathItem):
                yield item.fill
                yield item.stroke
            elif isinstance(item, QrItem):
                yield item.color
                yield item.background


def render_pdf(scene: Scene, options: PdfOptions | None = None, *, title: str | None = None) -> bytes:
    """One PDF with one page per face: trim-size proof pages, or print pages with bleed and marks."""
    options = options or PdfOptions()
    if title is not None:
        options = replace(options, title=title)
    return render_pdf_many([scene], replace(options, title=options.title or f"faceprint card {scene.record_id}"))


def render_pdf_many(scenes: Iterable[Scene], options: PdfOptions | None = None) -> bytes:
    """Several cards in one PDF, each card's faces in order (front, back, next front…)."""
    options = options or PdfOptions()
    scenes = list(scenes)
    if not scenes:
        raise ValueError("no cards to draw")
    first = scenes[0].faces[0]
    doc = PdfDocument(
        (mm_to_pt(first.width), mm_to_pt(first.height)), title=options.title or "faceprint cards", print_ready=options.print_ready
    )
    for scene in scenes:
        _paint_scene(doc.canvas, doc.fonts, scene, options)
    return doc.finish(options.output_intent, options.output_condition)


def _paint_scene(canvas: Canvas, fonts: FontRegistry, scene: Scene, options: PdfOptions) -> None:
    spots = _spots(scene, options)
    converter = print_converter(scene, options)
    for face in scene.faces:
        if options.print_ready:
            bleed = face.bleed if options.bleed is None else options.bleed
            margin = print_margin(bleed, options.mark_length, options.mark_offset)
            page_w, page_h = face.width + 2 * margin, face.height + 2 * margin
            canvas.setPageSize((mm_to_pt(page_w), mm_to_pt(page_h)))
            pt = mm_to_pt
            canvas.setTrimBox((pt(margin), pt(margin), pt(margin + face.width), pt(margin + face.height)))
            canvas.setBleedBox(
                (pt(margin - bleed), pt(margin - bleed), pt(margin + face.width + bleed), pt(margin + face.height + bleed))
            )
            device = PdfDevice(canvas, page_h, (margin, margin), spots=spots, cmyk_only=True, cmyk=converter)
            # nothing reaches past the bleed, whatever the artwork's size
            device.literal(
                f"q {pt(margin - bleed):.3f} {pt(margin - bleed):.3f} {pt(face.width + 2 * bleed):.3f} "
                f"{pt(face.height + 2 * bleed):.3f} re W n"
            )
            paint_face(device, fonts, face, options)
            device.literal("Q")
            draw_crop_marks(device, face.width, face.height, bleed, options.mark_length, options.mark_offset)
        else:
            canvas.setPageSize((mm_to_pt(face.width), mm_to_pt(face.height)))
            paint_face(PdfDevice(canvas, face.height), fonts, face, options)
        canvas.showPage()

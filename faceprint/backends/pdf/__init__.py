"""PDF backend: draws scene faces as pages of a reportlab canvas, front on page 1, back on page 2.

In: a ``scene.Scene``. Out: PDF bytes whose pages are exactly the trim size. Millimetres become
points, and the y axis flips, in one place (``PdfDevice``). Text is real text: glyph ids from the
scene, fonts embedded as subsets, extractable with the original characters (see ``fonts``).
"""

from __future__ import annotations

import io

from reportlab import rl_config
from reportlab.pdfgen.canvas import Canvas

from ...scene import GUIDE_LAYER, Face, GlyphRun, ImageItem, PathItem, QrItem, Scene
from ...units import mm_to_pt
from .device import PdfDevice
from .fonts import FontRegistry
from .image import draw_image
from .shapes import draw_path, draw_qr
from .text import draw_glyph_run

# ASCII85 only makes binary streams 25 % larger and costs most of reportlab's time per page
# (shared/reference/library-behaviour.md: 7.5 → 22.8 cards/s with it off); PDF needs no 7-bit safety.
rl_config.useA85 = 0


class _Canvas(Canvas):  # type: ignore[misc]  # reportlab ships no type hints
    """A reportlab canvas whose pages select no font of their own.

    reportlab starts every page with ``BT /F1 12 Tf … ET``, which lists an unembedded Type 1
    Helvetica in each page's resources. faceprint draws all text with its own embedded CID fonts,
    and print workflows (PDF/X) refuse a file that names a font it does not embed.
    """

    def _make_preamble(self) -> None:
        self._preamble = "1 0 0 1 0 0 cm"  # reportlab's bottom-up identity, without the font selection


def _paint_face(canvas: Canvas, fonts: FontRegistry, face: Face) -> None:
    device = PdfDevice(canvas, face.height)
    for item in face.items:
        if item.layer == GUIDE_LAYER:
            continue
        if isinstance(item, GlyphRun):
            draw_glyph_run(device, fonts, item)
        elif isinstance(item, PathItem):
            draw_path(device, item)
        elif isinstance(item, ImageItem):
            draw_image(device, item)
        elif isinstance(item, QrItem):
            draw_qr(device, item)


def render_pdf(scene: Scene, *, title: str | None = None) -> bytes:
    """One PDF with one page per face, each page exactly the face's trim size."""
    buf = io.BytesIO()
    first = scene.faces[0]
    canvas = _Canvas(buf, pagesize=(mm_to_pt(first.width), mm_to_pt(first.height)), invariant=1, pageCompression=1)
    canvas.setTitle(title or f"faceprint card {scene.record_id}")
    canvas.setCreator("faceprint")
    canvas.setProducer("faceprint (reportlab)")
    fonts = FontRegistry()
    for face in scene.faces:
        canvas.setPageSize((mm_to_pt(face.width), mm_to_pt(face.height)))
        _paint_face(canvas, fonts, face)
        canvas.showPage()
    fonts.add_to(canvas._doc)
    canvas.save()
    return buf.getvalue()

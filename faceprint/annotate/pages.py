"""A face as a printer gets it: PDF and PNG through a printer profile's transform.

In: a ``scene.Face`` (a print job's entry, or the calibration card) and a ``PrinterProfile``. Out: PDF
bytes (one page, the card's trim size, the face moved by the profile's transform with one ``cm``
operator, so text stays real text) and PNG bytes at the profile's dpi (the face painted, then moved
by the same transform, resampled). The backends draw; this module only moves their page.
"""

from __future__ import annotations

from PIL import Image

from ..atomic import png_bytes
from ..backends.pdf import PdfOptions, paint_face
from ..backends.pdf.device import PdfDevice
from ..backends.pdf.document import PdfDocument
from ..backends.raster import paint
from ..scene import Face
from ..units import mm_to_pt, mm_to_px
from .printer import PrinterProfile, invert

WHITE = (255, 255, 255)  # no ink: what a card printer leaves unprinted


def face_pdf(face: Face, profile: PrinterProfile, *, title: str) -> bytes:
    doc = PdfDocument((mm_to_pt(face.width), mm_to_pt(face.height)), title=title, print_ready=False)
    device = PdfDevice(doc.canvas, face.height)
    # the printer's transform moves the whole page, with the device's own y-flip (``affine_cm``)
    device.literal(f"q {device.affine_cm(profile.transform(face.width, face.height), translation_digits=6)}")
    paint_face(device, doc.fonts, face, PdfOptions())
    device.literal("Q")
    doc.canvas.showPage()
    return doc.finish()


def face_png(face: Face, profile: PrinterProfile) -> bytes:
    image = paint(face, profile.dpi, background=WHITE)
    transform = profile.transform(face.width, face.height)
    if transform != (1.0, 0.0, 0.0, 1.0, 0.0, 0.0):
        # Pillow maps each output pixel back to its source pixel: the inverse transform, in pixels.
        a, b, c, d, e, f = invert(transform)
        k = mm_to_px(1.0, profile.dpi)
        data = (a, c, e * k, b, d, f * k)
        image = image.transform(image.size, Image.Transform.AFFINE, data, resample=Image.Resampling.BICUBIC, fillcolor=WHITE)
    return png_bytes(image, profile.dpi)

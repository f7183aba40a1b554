"""Images as PDF image XObjects, encoded as JPEG (DCT): photographs and artwork both survive at
quality 90, and a card PDF with its portrait stays well under 150 KB. Print files carry no RGB:
colour images are converted to CMYK through the output intent's ICC profile (from sRGB or the
image's own profile, ``faceprint.icc``), or naively when the file has no output intent. Proofs
are sRGB: pixels with their own profile are converted to sRGB first.

A JPEG photo that needs no colour change (``ImagePixels.source``, see ``faceprint.images``) goes
into a proof as the file's own bytes, scaled and clipped to its box: no decode, resample or second
lossy encoding. The JPEG data goes into the file as it is: reportlab's ``drawImage`` would decode it again just
to name the image (measured: a third of the PDF backend's time per card), so faceprint registers
the XObject itself, named by a hash of the data, the way reportlab does.
"""

from __future__ import annotations

import hashlib
import io

from PIL import Image
from reportlab.pdfbase.pdfdoc import PDFImageXObject

from ...cache import ByteBudgetCache
from ...icc import CmykConverter, to_srgb
from ...scene import ImageItem, ImagePixels, JpegSource
from .deflate import deflate
from .device import PdfDevice

JPEG_QUALITY = 90  # visually lossless for portraits at card size
COLOR_SPACES = {"L": "DeviceGray", "RGB": "DeviceRGB", "CMYK": "DeviceCMYK"}


# Encoded images kept per process (faceprint.cache): repeating data needed 0.34 MB for twelve
# portraits, varied data fills any budget with portraits never asked for again (issue 15, memory).
JPEG_BUDGET = 1 * 2**20
_jpegs: ByteBudgetCache[tuple[bytes, str]] = ByteBudgetCache(JPEG_BUDGET, lambda r: len(r[0]))


def _jpeg(pixels: ImagePixels, cmyk: bool, converter: CmykConverter | None) -> tuple[bytes, str]:
    """JPEG data and its PIL mode, cached so artwork shared by every card is encoded once."""
    conversion = (str(converter.path), converter.settings) if converter is not None else None
    return _jpegs.get_or_make((pixels.key, cmyk, conversion), lambda: _encode(pixels, cmyk, converter))


def _pixels_for_file(pixels: ImagePixels, cmyk: bool, converter: CmykConverter | None) -> Image.Image:
    img = Image.frombytes(pixels.mode, (pixels.width, pixels.height), pixels.data)
    if img.mode != "RGB":
        return img
    if cmyk and converter is not None:
        return converter.image(img, pixels.icc)
    img = to_srgb(img, pixels.icc)
    return img.convert("CMYK") if cmyk else img


def _encode(pixels: ImagePixels, cmyk: bool, converter: CmykConverter | None) -> tuple[bytes, str]:
    img = _pixels_for_file(pixels, cmyk, converter)
    if pixels.lossless:
        return deflate(img.tobytes()), img.mode
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=JPEG_QUALITY)
    return buf.getvalue(), img.mode


def draw_image(device: PdfDevice, item: ImageItem) -> None:
    source = item.pixels.source
    if source is not None and not device.cmyk_only:  # an sRGB JPEG in a proof: the file as it is
        _place(device, item, _xobject(device, source.data, source.width, source.height, item.pixels.mode, lossless=False), source)
        return
    data, mode = _jpeg(item.pixels, device.cmyk_only, device.cmyk)
    name = _xobject(device, data, item.pixels.width, item.pixels.height, mode, lossless=item.pixels.lossless)
    _place(device, item, name, None)


def _xobject(device: PdfDevice, data: bytes, width: int, height: int, mode: str, *, lossless: bool) -> str:
    """The image XObject for ``data`` in this document (added once, named by a hash of the data),
    listed in the current page's resources; its resource name."""
    canvas = device.canvas
    doc = canvas._doc
    name = "FPImage" + hashlib.blake2b(data, digest_size=10).hexdigest()
    reg_name: str = doc.getXObjectName(name)
    if doc.idToObject.get(reg_name) is None:
        xobject = PDFImageXObject(name)
        xobject.width, xobject.height = width, height
        xobject.bitsPerComponent = 8
        xobject.colorSpace = COLOR_SPACES[mode]
        xobject.streamContent = data
        xobject._filters = ("FlateDecode",) if lossless else ("DCTDecode",)
        xobject._dotrans = 1 if mode == "CMYK" else 0  # Pillow writes Adobe-style inverted CMYK JPEGs
        canvas._setXObjects(xobject)
        doc.Reference(xobject, reg_name)
        doc.addForm(name, xobject)
    canvas._currentPageHasImages = 1
    canvas._formsinuse.append(name)  # lists the XObject in this page's resources
    return reg_name


def _place(device: PdfDevice, item: ImageItem, reg_name: str, source: JpegSource | None) -> None:
    """Paint the XObject over the item's box; a whole file scaled so that its shown part covers
    the box, clipped to the box."""
    canvas = device.canvas
    b = item.box
    w, h = device.length(b.w), device.length(b.h)
    if item.opacity < 1.0:
        canvas.saveState()
        canvas.setFillAlpha(item.opacity)  # /ca applies to painting images (ISO 32000-1 §11.6.4.4)
    x, y = device.x(b.x), device.y(b.bottom)
    if source is None:
        device.literal(f"q {w:.3f} 0 0 {h:.3f} {x:.3f} {y:.3f} cm /{reg_name} Do Q")
    else:
        left, top, right, bottom = source.rect
        sx, sy = w / (right - left), h / (bottom - top)  # pt per source pixel
        full_w, full_h = source.width * sx, source.height * sy
        x0, y0 = x - left * sx, y - (source.height - bottom) * sy  # the file's lower-left corner
        device.literal(
            f"q {x:.3f} {y:.3f} {w:.3f} {h:.3f} re W n {full_w:.4f} 0 0 {full_h:.4f} {x0:.4f} {y0:.4f} cm /{reg_name} Do Q"
        )
    if item.opacity < 1.0:
        canvas.restoreState()

"""Print-file furniture: crop marks, the bleed margin and the PDF/X-4 output intent.

Crop marks sit outside the bleed (card-standards §11: "set at trim size, outside image/bleed"),
in the registration colour (the ``All`` separation, so they print on every plate). An output
intent needs the ICC profile of the printing condition; faceprint ships none (the usual
characterisations, e.g. FOGRA39, are not in any package registry it can install from), so the
profile is the caller's: without one the file is print-ready but not PDF/X.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from reportlab.lib.colors import CMYKColorSep
from reportlab.pdfbase import pdfdoc
from reportlab.pdfgen.canvas import Canvas

from .device import PdfDevice

MARK_LENGTH_MM = 5.0  # length of each crop mark
MARK_OFFSET_MM = 1.0  # gap between the bleed edge and the start of a mark, so marks never print into the bleed
MARK_MARGIN_MM = 2.0  # paper left beyond the marks
MARK_WIDTH_PT = 0.25  # hairline
REGISTRATION = CMYKColorSep(1, 1, 1, 1, spotName="All", density=1)  # ISO 32000-1 §8.6.6.4: "All" paints every plate


def print_margin(bleed: float, mark_length: float = MARK_LENGTH_MM, mark_offset: float = MARK_OFFSET_MM) -> float:
    """Distance from the trim edge to the page edge in a print file."""
    return bleed + mark_offset + mark_length + MARK_MARGIN_MM


def crop_mark_lines(
    width: float, height: float, bleed: float, length: float, offset: float
) -> list[tuple[float, float, float, float]]:
    """The eight mark lines around a trim box at (0, 0): each in line with a trim edge, outside the bleed."""
    start = bleed + offset
    end = start + length
    lines: list[tuple[float, float, float, float]] = []
    for x in (0.0, width):
        for y, sign in ((0.0, -1.0), (height, 1.0)):
            lines.append((x, y + sign * start, x, y + sign * end))  # vertical mark above/below the corner
    for y in (0.0, height):
        for x, sign in ((0.0, -1.0), (width, 1.0)):
            lines.append((x + sign * start, y, x + sign * end, y))  # horizontal mark left/right of the corner
    return lines


def draw_crop_marks(
    device: PdfDevice, width: float, height: float, bleed: float, length: float = MARK_LENGTH_MM, offset: float = MARK_OFFSET_MM
) -> None:
    canvas = device.canvas
    device.literal("q")
    canvas.setStrokeColor(REGISTRATION)
    code = [f"{MARK_WIDTH_PT:.2f} w"]
    for x0, y0, x1, y1 in crop_mark_lines(width, height, bleed, length, offset):
        code.append(f"{device.x(x0):.3f} {device.y(y0):.3f} m {device.x(x1):.3f} {device.y(y1):.3f} l")
    code.append("S")
    device.literal(" ".join(code))
    device.literal("Q")


_XMP = """<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about="" xmlns:pdfxid="http://www.npes.org/pdfx/ns/id/"
    xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:pdf="http://ns.adobe.com/pdf/1.3/">
   <pdfxid:GTS_PDFXVersion>PDF/X-4</pdfxid:GTS_PDFXVersion>
   <pdf:Producer>faceprint (reportlab)</pdf:Producer>
   <pdf:Trapped>False</pdf:Trapped>
   <dc:title><rdf:Alt><rdf:li xml:lang="x-default">{title}</rdf:li></rdf:Alt></dc:title>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>"""


def add_output_intent(canvas: Canvas, icc_path: Path | None, condition: str) -> None:
    """Mark the file for its printing condition; with a profile this is a PDF/X-4 output intent."""
    doc = canvas._doc
    doc.info.trapped = "False"
    if icc_path is None:
        return
    data = Path(icc_path).read_bytes()
    profile = pdfdoc.PDFStream(dictionary=pdfdoc.PDFDictionary({"N": 4}), content=data, filters=[pdfdoc.PDFZCompress])
    intent = pdfdoc.PDFDictionary(
        {
            "Type": pdfdoc.PDFName("OutputIntent"),
            "S": pdfdoc.PDFName("GTS_PDFX"),
            "OutputConditionIdentifier": pdfdoc.PDFString(condition),
            "Info": pdfdoc.PDFString(condition),
            "RegistryName": pdfdoc.PDFString("http://www.color.org"),
            "DestOutputProfile": doc.Reference(
                profile, "FaceprintOutputProfile" + hashlib.blake2b(data, digest_size=4).hexdigest()
            ),
        }
    )
    catalog = doc.Catalog
    # reportlab's catalog writes only the keys it lists; the output intent joins that list for this file
    catalog.__NoDefault__ = [*type(catalog).__NoDefault__, "OutputIntents"]
    catalog.OutputIntents = pdfdoc.PDFArray([doc.Reference(intent)])
    title = str(getattr(doc.info, "title", "") or "")
    xmp = _XMP.format(title=title.replace("&", "&amp;").replace("<", "&lt;"))
    metadata = pdfdoc.PDFStream(
        dictionary=pdfdoc.PDFDictionary({"Type": pdfdoc.PDFName("Metadata"), "Subtype": pdfdoc.PDFName("XML")}),
        content=xmp.encode("utf-8"),
        filters=[],
    )
    catalog.Metadata = doc.Reference(metadata)
    info = doc.info
    plain_format = info.format

    def format_with_pdfx(document: pdfdoc.PDFDocument) -> bytes:
        """The Info dictionary with the PDF/X version key ISO 15930-7 asks for (reportlab has no hook)."""
        text: bytes = plain_format(document)
        return text.replace(b"/Trapped", b"/GTS_PDFXVersion (PDF/X-4) /Trapped", 1)

    info.format = format_with_pdfx

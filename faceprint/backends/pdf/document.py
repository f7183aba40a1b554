"""The PDF document: one canvas, its embedded fonts and its output intent, assembled in one place.

In: a first page size, a title, whether it is a print file. Out: PDF bytes from ``finish``. Every
file faceprint writes as PDF (a card's proof or print file, an imposed sheet, a printer's page for
an annotation) is made through ``PdfDocument``, so they share the canvas settings (no page font,
invariant output, PDF 1.6 for print files) and the order in which fonts and the output intent are
added. Pages are drawn by the callers through ``PdfDevice`` (the one mm → pt and y-flip mapping).
"""

from __future__ import annotations

import io
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from reportlab import rl_config
from reportlab.pdfbase import pdfdoc
from reportlab.pdfgen.canvas import Canvas

from .deflate import deflate
from .fonts import FontRegistry
from .prepress import add_output_intent


class _Canvas(Canvas):  # type: ignore[misc]  # reportlab ships no type hints
    """A reportlab canvas whose pages select no font of their own.

    reportlab starts every page with ``BT /F1 12 Tf … ET``, which lists an unembedded Type 1
    Helvetica in each page's resources. faceprint draws all text with its own embedded CID fonts,
    and print workflows (PDF/X) refuse a file that names a font it does not embed.
    """

    def _make_preamble(self) -> None:
        self._preamble = "1 0 0 1 0 0 cm"  # reportlab's bottom-up identity, without the font selection


class _FastFlate(pdfdoc.PDFStreamFilterZCompress):  # type: ignore[misc]  # reportlab ships no type hints
    """reportlab's Flate filter with faceprint's deflate: a guilloche card's 150 KB page content
    takes under 1 ms instead of 12 ms at zlib's default level (``deflate``)."""

    def encode(self, text: str | bytes) -> bytes:
        return deflate(text.encode("utf-8") if isinstance(text, str) else text)


_FAST_FLATE = _FastFlate()
_SETTINGS_LOCK = threading.Lock()  # reportlab's settings are process-wide: one document writes at a time


@contextmanager
def _reportlab_settings() -> Iterator[None]:
    """reportlab's process-wide settings as faceprint writes a file, restored afterwards, so other
    reportlab users in the process (and the next import order) see reportlab's own defaults.

    No ASCII85: it makes binary streams 25 % larger and costs most of reportlab's time per page
    (docs/reference/library-behaviour.md: 7.5 → 22.8 cards/s with it off); PDF needs no 7-bit
    safety. Page content goes through ``_FastFlate``, which reportlab looks up by the module-level
    name ``pdfdoc.PDFZCompress`` each time it writes a page.
    """
    with _SETTINGS_LOCK:
        saved = rl_config.useA85, pdfdoc.PDFZCompress
        rl_config.useA85, pdfdoc.PDFZCompress = 0, _FAST_FLATE
        try:
            yield
        finally:
            rl_config.useA85, pdfdoc.PDFZCompress = saved


class PdfDocument:
    """One PDF being written: draw pages on ``canvas`` (glyphs register in ``fonts``), then ``finish``."""

    def __init__(self, size_pt: tuple[float, float], *, title: str, print_ready: bool) -> None:
        self._buf = io.BytesIO()
        self.print_ready = print_ready
        # PDF 1.6: the version PDF/X-4 is built on (ISO 15930-7); proofs stay at reportlab's default.
        version = (1, 6) if print_ready else None
        self.canvas: Canvas = _Canvas(self._buf, pagesize=size_pt, invariant=1, pageCompression=1, pdfVersion=version)
        self.canvas.setTitle(title)
        self.canvas.setCreator("faceprint")
        self.canvas.setProducer("faceprint (reportlab)")
        self.fonts = FontRegistry()

    def finish(self, output_intent: Path | None = None, output_condition: str = "Custom") -> bytes:
        """The file's bytes: the fonts used embedded as subsets; a print file marked for its printing condition."""
        with _reportlab_settings():  # reportlab reads them as it writes the objects, all in here
            self.fonts.add_to(self.canvas._doc)
            if self.print_ready:
                add_output_intent(self.canvas, output_intent, output_condition)
            self.canvas.save()
        return self._buf.getvalue()

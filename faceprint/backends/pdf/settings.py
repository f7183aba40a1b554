"""reportlab's process-wide settings that faceprint's PDFs need, set for one document at a time.

reportlab reads its stream encoding from module globals when a document is saved (``rl_config.useA85``,
``pdfdoc.PDFZCompress``). Setting them at import would change every other reportlab user in the
process (a host application, the benchmark's hand-written peer); ``document_settings`` sets them
while faceprint writes its file and puts the previous values back afterwards, error or not.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from contextlib import contextmanager

from reportlab import rl_config
from reportlab.pdfbase import pdfdoc

CONTENT_COMPRESSION_LEVEL = 1


class _FastFlate(pdfdoc.PDFStreamFilterZCompress):  # type: ignore[misc]  # reportlab ships no type hints
    """Page content compressed at zlib level 1: a guilloche card's 150 KB content stream takes 2 ms
    instead of 12 ms, for about 9 KB more (measured); fonts, compressed once and cached, stay at 6."""

    def encode(self, text: str | bytes) -> bytes:
        data = text.encode("utf-8") if isinstance(text, str) else text
        return zlib.compress(data, CONTENT_COMPRESSION_LEVEL)


_FAST_FLATE = _FastFlate()


@contextmanager
def document_settings() -> Iterator[None]:
    """No ASCII85 on binary streams (it makes them 25 % larger and cost most of reportlab's time per
    page: docs/reference/library-behaviour.md, 7.5 → 22.8 cards/s without it); fast page flate.
    reportlab looks its page filter up by the module-level name each time it writes a page."""
    saved = rl_config.useA85, pdfdoc.PDFZCompress
    rl_config.useA85 = 0
    pdfdoc.PDFZCompress = _FAST_FLATE
    try:
        yield
    finally:
        rl_config.useA85, pdfdoc.PDFZCompress = saved

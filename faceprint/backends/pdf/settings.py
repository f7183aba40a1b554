"""reportlab's process-wide settings that faceprint's PDFs need, set for one document at a time.

reportlab reads its stream encoding from module globals when a document is saved (``rl_config.useA85``,
``pdfdoc.PDFZCompress``). Setting them at import would change every other reportlab user in the
process (a host application, the benchmark's hand-written peer); ``document_settings`` sets them
while faceprint writes its file and puts the previous values back afterwards, error or not.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from reportlab import rl_config
from reportlab.pdfbase import pdfdoc

from .deflate import deflate


class _FastFlate(pdfdoc.PDFStreamFilterZCompress):  # type: ignore[misc]  # reportlab ships no type hints
    """reportlab's Flate filter with faceprint's deflate (``deflate``: ISA-L): a guilloche card's 150 KB
    page content takes under 1 ms instead of 12 ms at zlib's default level."""

    def encode(self, text: str | bytes) -> bytes:
        return deflate(text.encode("utf-8") if isinstance(text, str) else text)


_FAST_FLATE = _FastFlate()
_SETTINGS_LOCK = threading.Lock()  # the settings are process-wide: one document writes at a time


@contextmanager
def document_settings() -> Iterator[None]:
    """No ASCII85 on binary streams (it makes them 25 % larger and cost most of reportlab's time per
    page: docs/reference/library-behaviour.md, 7.5 → 22.8 cards/s without it); fast page flate.
    reportlab looks its page filter up by the module-level name each time it writes a page."""
    with _SETTINGS_LOCK:
        saved = rl_config.useA85, pdfdoc.PDFZCompress
        rl_config.useA85 = 0
        pdfdoc.PDFZCompress = _FAST_FLATE
        try:
            yield
        finally:
            rl_config.useA85, pdfdoc.PDFZCompress = saved

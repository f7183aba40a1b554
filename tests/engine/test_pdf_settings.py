"""reportlab's global stream settings hold only while faceprint writes a PDF: its file has no
ASCII85 streams, and a reportlab user in the same process keeps its own settings, even when
faceprint's document fails."""

from __future__ import annotations

import engine_support
import pytest
from reportlab import rl_config
from reportlab.pdfbase import pdfdoc

from faceprint.backends.pdf import render_pdf
from faceprint.backends.pdf.settings import document_settings

CONTEXT = {"kanji": "葛飾区役所", "kana": "かつしか", "digits": "1234", "rare": "田"}


def test_faceprint_pdf_has_no_ascii85_while_the_process_default_is_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(rl_config, "useA85", 1)
    default_filter = pdfdoc.PDFZCompress
    pdf = render_pdf(engine_support.resolve("text_extraction.yaml", CONTEXT))
    assert pdf.startswith(b"%PDF") and b"/FlateDecode" in pdf
    assert b"ASCII85Decode" not in pdf
    assert rl_config.useA85 == 1
    assert pdfdoc.PDFZCompress is default_filter


def test_settings_are_restored_after_an_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(rl_config, "useA85", 1)
    default_filter = pdfdoc.PDFZCompress
    with pytest.raises(RuntimeError), document_settings():
        assert rl_config.useA85 == 0 and pdfdoc.PDFZCompress is not default_filter
        raise RuntimeError("drawing failed")
    assert rl_config.useA85 == 1
    assert pdfdoc.PDFZCompress is default_filter

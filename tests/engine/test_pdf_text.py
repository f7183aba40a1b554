"""Text in the PDF extracts as the characters the record held: kanji, kana, digits, an ideographic
variation sequence as base + selector, and a character beyond the BMP intact (checked with PDFium
and with poppler's pdftotext)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import engine_support
import pytest
import required

from faceprint.backends.pdf import render_pdf

IVS = "葛\U000e0100"  # 葛 U+845B + VS17 U+E0100
NON_BMP = "\U00020bb7"  # 𠮷, only in IPAmj Mincho
CONTEXT = {
    "kanji": f"{IVS}飾区役所",
    "kana": "かつしか カツシカ",
    "digits": "1234 5678 9018",
    "rare": f"{NON_BMP}田 {IVS}",
}


@pytest.fixture(scope="module")
def pdf() -> bytes:
    return render_pdf(engine_support.resolve("text_extraction.yaml", CONTEXT))


def _check(text: str) -> None:
    for value in CONTEXT.values():
        for word in value.split(" "):
            assert word in text, f"{word!r} ({' '.join(f'U+{ord(c):04X}' for c in word)}) not extracted"
    assert text.count("\U000e0100") == 2  # the selector survives, once per variant drawn
    assert NON_BMP in text and "\u20bb" not in text  # not cut to 16 bits (reportlab's own path does that)


def test_pdfium_extracts_every_character(pdf: bytes) -> None:
    (text,) = engine_support.pdf_page_texts(pdf)[:1]
    _check(text)


def test_pdftotext_extracts_every_character(pdf: bytes, tmp_path: Path) -> None:
    pdftotext = required.tool("pdftotext", "poppler-utils")
    path = tmp_path / "text.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(
        [pdftotext, "-f", "1", "-l", "1", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True
    ).stdout.decode("utf-8")
    _check(text)

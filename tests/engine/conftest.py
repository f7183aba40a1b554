"""Shared fixtures for the engine tests.

Expensive things are session-scoped: the generated test font (``engine_testfont``), a gradient
"photo", and the kitchen-sink card (``layouts/card.yaml``) resolved once and rendered once to PNG
and to PDF, which several test modules then inspect from different sides.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path

import engine_support
import engine_testfont
import numpy as np
import pytest
from PIL import Image

from faceprint.backends.pdf import render_pdf
from faceprint.backends.raster import paint
from faceprint.layout_file.loader import LoadedLayout, load_layout
from faceprint.resolve import Resolver
from faceprint.scene import Scene
from faceprint.text.fonts import FontDatabase, FontFace

CARD_CONTEXT_BASE = {
    "name": {"kanji": "葛\U000e0100飾 𠮷田", "kana": "かつしか よしだ"},
    "address": "東京都千代田区霞が関一丁目二番三号　四号館",
    "my_number": "1234 5678 9018",
    "qr": "FACEPRINT-TEST-0001",
    "note": "この カードは テスト用 です。「氏名」「住所」の 欄は、データに応じて 折り返し・縮小されます。",
}


@pytest.fixture(scope="session")
def test_font_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("testfont")
    engine_testfont.build_test_font(directory / "FaceprintTest-Regular.ttf")
    return directory


@pytest.fixture(scope="session")
def test_fonts(test_font_dir: Path) -> FontDatabase:
    """The bundled fonts plus the test font; the system folders are not scanned."""
    return FontDatabase([test_font_dir], scan_system=False)


@pytest.fixture(scope="session")
def test_face(test_fonts: FontDatabase) -> FontFace:
    return test_fonts.find(engine_testfont.FAMILY)


@pytest.fixture
def layout_file(tmp_path: Path) -> Callable[..., Path]:
    """Write a YAML layout (dedented as given) into the test's folder and return its path."""

    def write(text: str, name: str = "layout.yaml") -> Path:
        path = tmp_path / name
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        return path

    return write


@pytest.fixture(scope="session")
def photo_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A smooth colour gradient with a dark disc: JPEG-friendly, so both backends show the same pixels."""
    h, w = 300, 240
    yy, xx = np.mgrid[0:h, 0:w]
    rgb = np.stack([xx * 255 // w, yy * 255 // h, np.full_like(xx, 160)], axis=-1).astype(np.uint8)
    disc = (xx - w / 2) ** 2 + (yy - h / 2.5) ** 2 < (w / 4) ** 2
    rgb[disc] = (rgb[disc] // 3).astype(np.uint8)
    path = tmp_path_factory.mktemp("photo") / "photo.png"
    Image.fromarray(rgb, "RGB").save(path)
    return path


@pytest.fixture(scope="session")
def card_layout() -> LoadedLayout:
    return load_layout(engine_support.LAYOUTS / "card.yaml")


@pytest.fixture(scope="session")
def card_context(photo_path: Path) -> dict[str, object]:
    return {**CARD_CONTEXT_BASE, "photo": str(photo_path)}


@pytest.fixture(scope="session")
def card_scene(card_layout: LoadedLayout, card_context: dict[str, object]) -> Scene:
    return Resolver(card_layout).resolve(card_context, record_id="card-1")


@pytest.fixture(scope="session")
def card_pdf(card_scene: Scene) -> bytes:
    return render_pdf(card_scene)


@pytest.fixture(scope="session")
def card_pngs(card_scene: Scene) -> dict[str, Image.Image]:
    """Both faces painted by the raster backend at the agreement resolution (300 dpi)."""
    return {f.name: paint(f, engine_support.AGREEMENT_DPI) for f in card_scene.faces}


@pytest.fixture(scope="session")
def card_pdf_pages(card_pdf: bytes) -> list[Image.Image]:
    """Both PDF pages rasterised by PDFium at the agreement resolution (300 dpi)."""
    return engine_support.pdf_pages(card_pdf, engine_support.AGREEMENT_DPI)

"""QR codes decode back to their value from the PNG and from the rasterised PDF, keep their quiet
zone light over dark artwork, and use the error-correction level the layout asks for."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import engine_support
import numpy as np
import pytest
import segno
import zxingcpp

from faceprint.backends.pdf import render_pdf
from faceprint.backends.raster import paint
from faceprint.scene import Box, QrItem, Scene
from faceprint.units import mm_to_px

VALUE = "https://example.jp/card?id=ｶｰﾄﾞ-123456789012"
DPI = 300
QR_BOX = Box(20.0, 5.0, 40.0, 40.0)  # layouts/qr.yaml


@pytest.fixture(scope="module")
def scene() -> Scene:
    return engine_support.resolve("qr.yaml", {"value": VALUE})


def _qr(scene: Scene) -> QrItem:
    return next(it for it in engine_support.face(scene).items if isinstance(it, QrItem))


def _decode(image: object) -> zxingcpp.Barcode:
    (code,) = zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)
    return code


def test_decodes_from_the_png(scene: Scene) -> None:
    code = _decode(paint(engine_support.face(scene), DPI))
    assert code.text == VALUE and code.ec_level == "H"


def test_decodes_from_the_rasterised_pdf(scene: Scene) -> None:
    code = _decode(engine_support.pdf_pages(render_pdf(scene), DPI)[0])
    assert code.text == VALUE and code.ec_level == "H"


def test_the_quiet_zone_is_four_light_modules_over_dark_artwork(scene: Scene) -> None:
    qr = _qr(scene)
    n = len(qr.matrix)
    assert qr.quiet_zone == 4
    assert qr.module * (n + 8) == pytest.approx(QR_BOX.w)  # symbol and quiet zone fill the square box
    assert (qr.x, qr.y) == (pytest.approx(QR_BOX.x + 4 * qr.module), pytest.approx(QR_BOX.y + 4 * qr.module))
    grey = np.asarray(paint(engine_support.face(scene), DPI).convert("L"), dtype=np.int16)

    def px(mm: float) -> int:
        return round(mm_to_px(mm, DPI))

    outer = (px(QR_BOX.x) + 1, px(QR_BOX.y) + 1, px(QR_BOX.right) - 1, px(QR_BOX.bottom) - 1)
    inner = (px(qr.x) - 1, px(qr.y) - 1, px(qr.x + n * qr.module) + 1, px(qr.y + n * qr.module) + 1)
    ring = np.zeros(grey.shape, dtype=bool)
    ring[outer[1] : outer[3], outer[0] : outer[2]] = True
    ring[inner[1] : inner[3], inner[0] : inner[2]] = False
    assert (grey[ring] == 255).all()  # the quiet zone is painted light…
    assert (grey[px(QR_BOX.y) - 3, outer[0] : outer[2]] == 0).all()  # …and the artwork is dark right outside it
    assert (grey[inner[1] + 2, inner[0] + 2 : inner[0] + 8] == 0).all()  # the finder pattern starts at 4 modules


@pytest.mark.parametrize("ec", ["L", "M", "Q", "H"])
def test_the_error_correction_level_is_honoured(ec: str, layout_file: Callable[..., Path]) -> None:
    text = (engine_support.LAYOUTS / "qr.yaml").read_text(encoding="utf-8").replace("ec: H", f"ec: {ec}")
    scene = engine_support.resolve(layout_file(text), {"value": VALUE})
    qr = _qr(scene)
    code = _decode(paint(engine_support.face(scene), 200))
    assert code.text == VALUE and code.ec_level == ec
    assert len(qr.matrix) == 17 + 4 * int(code.extra["Version"])


@pytest.mark.parametrize("ec", ["L", "M", "Q", "H"])
@pytest.mark.parametrize("value", ["123456789018", "010101", "1000000000300"])
def test_numeric_codes_match_an_independent_encoder(ec: str, value: str) -> None:
    """The card's codes hold digits: zxing-cpp picks the same (smallest) version as segno, an
    independent encoder, and the symbol decodes back to the digits at the requested level. The two
    may pick different mask patterns (their penalty scoring differs in detail); any mask decodes."""
    from faceprint.qr import qr_matrix

    expected = segno.make(value, error=ec.lower(), micro=False, boost_error=False)
    matrix = qr_matrix(value, ec)
    assert len(matrix) == len(expected.matrix)
    from PIL import Image

    scale, quiet = 8, 4
    n = len(matrix)
    img = Image.new("L", ((n + 2 * quiet) * scale,) * 2, 255)
    for r, row in enumerate(matrix):
        for c, dark in enumerate(row):
            if dark:
                img.paste(0, ((c + quiet) * scale, (r + quiet) * scale, (c + quiet + 1) * scale, (r + quiet + 1) * scale))
    code = _decode(img)
    assert code.text == value and code.ec_level == ec


def test_higher_error_correction_needs_a_larger_symbol() -> None:
    versions = [segno.make(VALUE, error=ec, boost_error=False).version for ec in "lmqh"]
    assert versions == sorted(versions) and versions[0] < versions[-1]

"""QR code module matrices, made by zxing-cpp's encoder (ISO/IEC 18004).

zxing-cpp chooses the smallest version and the mask pattern by the standard's penalty rules in C++,
in about 0.1 ms per code; segno, pure Python, took 3–6 ms per code, a fifth of a card's rendering
time. For the card's numeric codes both pick the same version; their mask choice can differ (the two
score the penalty rules of ISO/IEC 18004 §7.8.3 slightly differently), and every mask decodes — the
tests decode each symbol back.
"""

from __future__ import annotations

import zxingcpp

EC_LEVELS = ("L", "M", "Q", "H")


class QrError(ValueError):
    pass


def qr_matrix(value: str, ec: str) -> tuple[tuple[bool, ...], ...]:
    """Dark modules (True) row by row, without the quiet zone (the layout adds its own)."""
    if ec not in EC_LEVELS:
        raise QrError(f"unknown error-correction level {ec!r}")
    try:
        code = zxingcpp.create_barcode(value, zxingcpp.BarcodeFormat.QRCode, ec_level=ec)
    except (ValueError, RuntimeError) as exc:
        raise QrError(str(exc)) from None
    image = code.to_image(scale=1, add_quiet_zones=False)
    height, width = image.shape[0], image.shape[1]
    pixels = memoryview(image).tobytes()  # type: ignore[arg-type]  # zxing-cpp's Image is a buffer; its stub omits it
    return tuple(tuple(pixels[r * width + c] < 128 for c in range(width)) for r in range(height))

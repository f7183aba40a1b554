"""A TrueType test font with known metrics, built with fontTools' FontBuilder at session start.

Every full-width character (kana, kanji, CJK punctuation and brackets, full-width forms, the
ideographic space) advances exactly 1 em; every ASCII character, the space included, exactly ½ em.
The em is 1000 units with hhea ascent 880 and descent −120, so the engine's ideographic em box sits
0.88 em above the baseline. Fitting and wrapping then become exact arithmetic (style guide point 11,
after WeasyPrint's ``tests/resources/weasyprint.otf``). The font is generated, never committed.
"""

from __future__ import annotations

from pathlib import Path

from fontTools.fontBuilder import FontBuilder
from fontTools.pens.ttGlyphPen import TTGlyphPen

FAMILY = "Faceprint Test"
UPEM = 1000
ASCENT = 880
DESCENT = -120
FULL = 1000  # advance of full-width characters, in font units
HALF = 500  # advance of ASCII characters

ASCII = "".join(chr(c) for c in range(0x20, 0x7F))
HIRAGANA = "".join(chr(c) for c in range(0x3041, 0x3097))
KATAKANA = "".join(chr(c) for c in range(0x30A1, 0x30FF))
PUNCTUATION = "、。・ー〜「」『』（）［］【】〔〕〈〉《》々〻゠‐–“”‘’°′″℃％："
KANJI_BLOCK = "".join(chr(c) for c in range(0x4E00, 0x4F00))
KANJI_EXTRA = "山田太郎花子東京都千代田区霞関丁目番号葛飾市町村氏名住所生年月日性別男女有効期限個人番号"
FULLWIDTH_FORMS = "".join(chr(c) for c in range(0xFF01, 0xFF5F))
IDEOGRAPHIC_SPACE = "\u3000"

FULL_WIDTH = sorted(set(HIRAGANA + KATAKANA + PUNCTUATION + KANJI_BLOCK + KANJI_EXTRA + FULLWIDTH_FORMS + IDEOGRAPHIC_SPACE))
CHARACTERS = sorted(set(ASCII) | set(FULL_WIDTH))


def advance_units(ch: str) -> int:
    return HALF if ch.isascii() else FULL


def _box_glyph(advance: int, blank: bool) -> object:
    """A filled rectangle inset from the advance box (nothing for spaces)."""
    pen = TTGlyphPen(None)
    if not blank:
        inset = advance // 10
        pen.moveTo((inset, DESCENT + 60))
        pen.lineTo((inset, ASCENT - 60))
        pen.lineTo((advance - inset, ASCENT - 60))
        pen.lineTo((advance - inset, DESCENT + 60))
        pen.closePath()
    return pen.glyph()


def build_test_font(path: Path) -> Path:
    order = [".notdef"] + [f"u{ord(ch):04X}" for ch in CHARACTERS]
    cmap = {ord(ch): f"u{ord(ch):04X}" for ch in CHARACTERS}
    glyphs = {".notdef": _box_glyph(HALF, blank=False)}
    metrics = {".notdef": (HALF, HALF // 10)}
    for ch in CHARACTERS:
        adv = advance_units(ch)
        blank = ch in (" ", IDEOGRAPHIC_SPACE)
        glyphs[f"u{ord(ch):04X}"] = _box_glyph(adv, blank)
        metrics[f"u{ord(ch):04X}"] = (adv, 0 if blank else adv // 10)
    fb = FontBuilder(UPEM, isTTF=True)
    fb.setupGlyphOrder(order)
    fb.setupCharacterMap(cmap)
    fb.setupGlyf(glyphs)
    fb.setupHorizontalMetrics(metrics)
    fb.setupHorizontalHeader(ascent=ASCENT, descent=DESCENT)
    fb.setupNameTable(
        {"familyName": FAMILY, "styleName": "Regular", "psName": "FaceprintTest-Regular", "fullName": f"{FAMILY} Regular"}
    )
    fb.setupOS2(sTypoAscender=ASCENT, sTypoDescender=DESCENT, usWinAscent=ASCENT, usWinDescent=-DESCENT)
    fb.setupPost()
    fb.save(str(path))
    return path

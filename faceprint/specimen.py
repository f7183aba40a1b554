"""The specimen: a fictitious record to render a layout with when the designer gives none.

Lint, ``layout validate`` and the preview all need one, so glyph, overflow, overlap and contrast
checks still run on a layout's own text before any real record exists.
"""

from __future__ import annotations

import atexit
import datetime as dt
import shutil
import tempfile
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .records import Record


SPECIMEN_ID = "specimen"


@cache
def _specimen_dir() -> Path:
    folder = Path(tempfile.mkdtemp(prefix="faceprint-specimen-"))
    atexit.register(shutil.rmtree, folder, True)
    return folder


def _specimen_portrait() -> Path:
    """A drawn grey head-and-shoulders placeholder (35:45), so the photo box shows a photo's tones."""
    from PIL import Image, ImageDraw

    path = _specimen_dir() / "portrait.png"
    if not path.exists():
        image = Image.new("L", (350, 450), 236)
        draw = ImageDraw.Draw(image)
        draw.ellipse((60, 330, 290, 560), fill=120)  # shoulders
        draw.ellipse((110, 90, 240, 270), fill=168)  # head
        draw.rectangle((150, 250, 200, 340), fill=168)  # neck
        image.save(path)
    return path


def specimen_record() -> Record:
    """A fictitious person of ordinary lengths (name, romaji, address, issuer, one annotation).

    Lint and preview render with it when no record is given, so glyph, overflow, overlap and
    contrast checks still run on the layout's own text. Like the samples, everything is made up
    (見本 = "sample"; the individual number is 123456789018, a valid check digit on an obvious run).
    """
    from .record_checks import validate_record

    raw: dict[str, Any] = {
        "id": SPECIMEN_ID,
        "name": {"kanji": "見本 花子", "kana": "みほん はなこ", "romaji": "MIHON HANAKO"},
        "birth_date": "1990-04-01",
        "sex": "F",
        "address": "東京都千代田区見本町一丁目２番３号",
        "photo": str(_specimen_portrait()),
        "my_number": "123456789018",
        "issuer": "千代田区長",
        "issued_on": "2025-04-01",
        "valid_until": (dt.date(2035, 4, 1)).isoformat(),
        "collation_number": "123456",
        "annotations": [{"date": "2026-04-01", "text": "新住所 東京都千代田区見本町二丁目３番４号"}],
    }
    return validate_record(raw)

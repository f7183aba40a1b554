"""What a batch worker holds does not grow with the records, and stays small. Per-glyph font tables
are machine arrays, so every batch worker does not hold megabytes of int
objects for each loaded face (issue 15, memory: a 60,000-glyph face's loca, advances and side
bearings took ~6 MB as tuples of ints, measured with tracemalloc)."""

from __future__ import annotations

import sys

from faceprint.text.fonts import default_database
from faceprint.text.sfnt import read_cmap12

LARGE_FACES = ("IPAmjMincho", "BIZ UDMincho")  # 60,000-odd and 20,000-odd glyphs, both on every card


def test_a_large_faces_glyph_tables_take_a_few_bytes_a_glyph() -> None:
    db = default_database()
    for name in LARGE_FACES:
        src = db.find(name).sfnt
        glyphs = len(src.loca) - 1
        held = sys.getsizeof(src.loca) + sys.getsizeof(src.advances) + sys.getsizeof(src.lsbs)
        assert glyphs > 10_000 and held <= 9 * glyphs + 1024, (name, glyphs, held)  # 4 + 2 + 2 bytes a glyph, not ~40 as tuples
        assert src.advances[0] >= 0 and len(src.advances) == glyphs == len(src.lsbs)
        cmap = read_cmap12(src)
        if cmap is not None:
            assert sys.getsizeof(cmap.starts) <= 4 * len(cmap.starts) + 1024


def test_the_phrase_cache_does_not_grow_with_the_records() -> None:
    """Every record's name and address is a new text: the BudouX phrase cache stays bounded."""
    from faceprint.text.linebreak import PHRASE_CACHE_SIZE, phrase_ends

    phrase_ends.cache_clear()
    for i in range(PHRASE_CACHE_SIZE + 500):
        phrase_ends(f"東京都千代田区永田町{i}丁目")
    assert phrase_ends.cache_info().currsize == PHRASE_CACHE_SIZE
    assert phrase_ends("東京都千代田区永田町1丁目") == phrase_ends.__wrapped__("東京都千代田区永田町1丁目")

"""The code of the items every card repeats, formatted once per layout and reused per card.

Why: most of a card face is the same on every card (background, guilloche, microtext, labels), and
formatting its operators again per card was most of a card PDF's drawing time. The cache keeps, per
page geometry and layout, each item of the last card drawn with its code as parts (text, and
placeholders for the document's font names and CIDs: ``text.fill_parts``). An item equal to the
one at the same position on the last card reuses its parts; the placeholders are filled in per
document, in drawing order, so the bytes are exactly those drawing would make. Items are compared
by value (scene items are frozen dataclasses).

Only items whose drawing leaves nothing behind but page code and CIDs go through the cache: glyph
runs and opaque paths outside spot layers (an image registers an XObject, a spot colour or an
opacity a resource of the canvas); the others are drawn as always.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable

from ...scene import GlyphRun, Item, PathItem
from .device import PdfDevice
from .fonts import FontRegistry
from .shapes import path_code
from .text import Part, fill_parts, glyph_run_parts

MAX_ENTRIES = 8  # faces kept: front and back of a few layouts
CacheKey = tuple[object, ...]
_Entry = tuple[tuple[Item, tuple[Part, ...] | None], ...]
_cache: OrderedDict[CacheKey, _Entry] = OrderedDict()
_lock = threading.Lock()


def _parts(device: PdfDevice, item: Item) -> tuple[Part, ...] | None:
    """The item's whole code (its q…Q included) as parts; None when it must be drawn."""
    if item.layer in device.spots:
        return None
    if isinstance(item, GlyphRun):
        if not item.glyphs:
            return ()
        return ("q\n", *glyph_run_parts(device, item, device.colour_ops(item.color, None)), "\nQ")
    if isinstance(item, PathItem) and item.opacity >= 1.0:
        if item.fill is None and item.stroke is None:
            return ()
        return (f"q\n{path_code(device, item, device.colour_ops(item.fill, item.stroke))}\nQ",)
    return None


def paint_items(
    key: CacheKey, device: PdfDevice, fonts: FontRegistry, items: tuple[Item, ...], draw: Callable[[Item], None]
) -> None:
    """Draw ``items`` on ``device``'s page, reusing the code of those the last card had in the same place."""
    key = (*key, items[0].element_id if items else None)
    with _lock:
        last = _cache.get(key, ())
    entry: list[tuple[Item, tuple[Part, ...] | None]] = []
    for i, item in enumerate(items):
        parts: tuple[Part, ...] | None
        if i < len(last) and last[i][1] is not None and (last[i][0] is item or last[i][0] == item):
            item, parts = last[i]  # keep the cached item: the next card's comparison is by identity first
        else:
            parts = _parts(device, item)
        if parts is None:
            draw(item)
        elif len(parts) == 1 and type(parts[0]) is str:
            device.literal(parts[0])  # a path: nothing to fill in
        elif parts:
            device.literal(fill_parts(fonts, parts))
        entry.append((item, parts))
    with _lock:
        _cache[key] = tuple(entry)
        _cache.move_to_end(key)
        while len(_cache) > MAX_ENTRIES:
            _cache.popitem(last=False)

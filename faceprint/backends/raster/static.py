"""The static artwork under a face, drawn once per layout and dpi, then copied for every card.

Why: every card of a batch starts with the same items (background, bands, labels); drawing them
again per card is most of a PNG's drawing time and, through aggdraw's copies of the whole canvas,
most of its page faults. The cache keeps, per face geometry and dpi, the longest run of leading
items seen identical on every card so far, and the pixels after drawing them. A card whose items
start with that run starts from a copy of those pixels and draws only the rest; any other card is
drawn from scratch, and the run shrinks to what the cards have in common. Items are compared by
value (scene items are frozen dataclasses), so a copied canvas holds exactly what drawing would.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence

from PIL import Image

from ...scene import Item
from .device import Device

MAX_ENTRIES = 6  # canvases kept (a 600 dpi face is 7.7 MB): front and back at a few dpi/margins
CacheKey = tuple[object, ...]
_cache: OrderedDict[CacheKey, tuple[tuple[Item, ...], Image.Image]] = OrderedDict()
_lock = threading.Lock()
_NO_CANVAS = Image.new("1", (1, 1))


def _common_prefix(a: Sequence[Item], b: Sequence[Item]) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x is not y and x != y:
            break
        n += 1
    return n


def _store(key: CacheKey, prefix: tuple[Item, ...], image: Image.Image) -> None:
    with _lock:
        _cache[key] = (prefix, image)
        _cache.move_to_end(key)
        while len(_cache) > MAX_ENTRIES:
            _cache.popitem(last=False)


def draw_with_static_cache(
    key: CacheKey,
    items: tuple[Item, ...],
    new_device: Callable[[Image.Image | None], Device],
    draw: Callable[[Device, Sequence[Item]], None],
) -> Device:
    """A device with ``items`` drawn; ``new_device(canvas)`` starts from ``canvas`` or, given None, blank.

    ``key`` names the canvas (face, size, dpi, background, margin).
    """
    # one entry per layout rather than one shared by all: its first element's id (the same on every card)
    key = (*key, items[0].element_id if items else None)
    with _lock:
        entry = _cache.get(key)
    if entry is None:
        static = len(items)  # a first card: all of it may be static until a second card says otherwise
    else:
        prefix, canvas = entry
        static = _common_prefix(prefix, items)
        if static == len(prefix):
            device = new_device(canvas.copy() if static else None)
            draw(device, items[static:])
            return device
    device = new_device(None)
    draw(device, items[:static])
    _store(key, items[:static], device.image.copy() if static else _NO_CANVAS)  # none in common: no canvas
    draw(device, items[static:])
    return device

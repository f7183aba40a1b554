"""A least-recently-used cache bounded by bytes, not entries.

Batch runs reuse artwork (decoded once, kept) but every card brings its own portrait: a cache
bounded by entry count fills with portraits and grows with the run, one bounded by bytes keeps
memory flat while still holding everything that repeats.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

V = TypeVar("V")


class ByteBudgetCache(Generic[V]):
    def __init__(self, max_bytes: int, size_of: Callable[[V], int]) -> None:
        self.max_bytes = max_bytes
        self.size_of = size_of
        self._items: OrderedDict[Hashable, tuple[V, int]] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def get_or_make(self, key: Hashable, make: Callable[[], V]) -> V:
        with self._lock:
            hit = self._items.get(key)
            if hit is not None:
                self._items.move_to_end(key)
                return hit[0]
        value = make()
        size = self.size_of(value)
        if size > self.max_bytes:
            return value  # larger than the whole budget: used once, never kept
        with self._lock:
            if key not in self._items:
                self._items[key] = (value, size)
                self._bytes += size
                while self._bytes > self.max_bytes:
                    _, (_, old) = self._items.popitem(last=False)
                    self._bytes -= old
        return value

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self._bytes = 0

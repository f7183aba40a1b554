"""Guilloches (彩紋): parametric line patterns, optionally modulated by a record value."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..layout_file.model import GuillocheElement
from ..scene import Box, Item
from .base import ElementKind, register

if TYPE_CHECKING:
    from ..resolve import Resolver


def guilloche_items(
    r: Resolver, el: GuillocheElement, box: Box, layer: str, ctx: Mapping[str, Any], base_dirs: Sequence[Path]
) -> list[Item]:
    if el.modulate:
        modulation = r.render_template(el.modulate, ctx, el.id, "modulate")
        return list(r.patterns(el, box, layer, modulation))
    # the same on every card: computed once per layout
    return r.memo(("guilloche", el.id, box, layer), lambda: r.patterns(el, box, layer, None))


GUILLOCHE = register(ElementKind("guilloche", GuillocheElement, guilloche_items))

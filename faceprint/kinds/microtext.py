"""Microtext: a template repeated in tiny type along a path (a security feature)."""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from pydantic import Field

from ..color import BLACK
from ..layout_types import ColorValue, ElementBase, MicrotextHeight, NonNegLength, PointValue
from ..limits import MAX_MICROTEXT_GLYPHS, MAX_POINTS, limit_message
from ..scene import Item
from ..security import microtext_run
from ..template_fields import template_is_static
from ..text.shaping import MissingGlyph, shape
from .base import ElementKind, Points, register

if TYPE_CHECKING:
    from ..resolve import Resolver


class MicrotextElement(ElementBase):
    """Text too small to copy, repeated along a line or path (anti-counterfeiting, comment 72)."""

    type: Literal["microtext"]
    points: list[PointValue] = Field(
        min_length=2, max_length=MAX_POINTS, description="the path the text runs along (its baseline)"
    )
    closed: bool = Field(False, description="run on from the last point back to the first (a border)")
    value: str = Field(description="jinja2 template; repeated to fill the whole path")
    height: MicrotextHeight = Field(description="em height of the type, e.g. 0.25mm (down to 0.2mm)")
    font: str | list[str]
    color: ColorValue = BLACK
    gap: NonNegLength = Field(0.0, description="space after each repetition")


def microtext_items(
    r: Resolver, el: MicrotextElement, points: Points, layer: str, ctx: Mapping[str, Any], base_dirs: Sequence[Path]
) -> list[Item]:
    text = r.render_template(el.value, ctx, el.id, "value")
    if not text.strip():
        return []
    if template_is_static(el.value):  # a rule of fixed text is the same on every card: laid out once
        return r.memo(("microtext", el.id, tuple(points), layer), lambda: _lay(r, el, points, layer, text))
    return _lay(r, el, points, layer, text)


def _lay(r: Resolver, el: MicrotextElement, points: Points, layer: str, text: str) -> list[Item]:
    stack = r.stack(el.font, bold=False, element_id=el.id)
    try:
        clusters = shape(text, stack[:1])
    except MissingGlyph as exc:
        raise r.layout_error(el.id, "value", f"{exc} (microtext is set in the stack's first font only)") from None
    unit = sum(c.advance_em for c in clusters) * el.height + el.gap
    length = sum(math.dist(a, b) for a, b in itertools.pairwise(points))
    if unit <= 0:
        raise r.layout_error(el.id, "value", "microtext has no width to repeat (only zero-width characters)")
    if length / unit * len(clusters) > MAX_MICROTEXT_GLYPHS:
        what = limit_message("MAX_MICROTEXT_GLYPHS", MAX_MICROTEXT_GLYPHS, "glyphs of one microtext element")
        raise r.layout_error(el.id, "height", f"about {length / unit * len(clusters):,.0f} glyphs: {what}")
    return [microtext_run(el.id, layer, points, clusters, el.height, el.gap, el.color or BLACK)]


def _em(el: MicrotextElement) -> float:
    return float(el.height)  # glyphs stand up to an em on either side of the path where it turns


MICROTEXT = register(
    ElementKind("microtext", MicrotextElement, microtext_items, along_points=True, close_points=True, ink_margin=_em, rank=70)
)

"""Guilloches (彩紋): parametric line patterns, optionally modulated by a record value."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from pydantic import Field, model_validator

from ..color import BLACK
from ..layout_types import BoxValue, ColorValue, ElementBase, Length, NonNegLength
from ..limits import MAX_GUILLOCHE_POINTS, limit_message
from ..scene import Box, Item
from .base import ElementKind, register

if TYPE_CHECKING:
    from ..resolve import Resolver


class GuillocheElement(ElementBase):
    """A parametric line pattern (彩紋): rosettes, waves or a border band, deterministic from a few numbers."""

    type: Literal["guilloche"]
    box: BoxValue
    kind: Literal["rosette", "wave", "border"]
    lines: int = Field(24, ge=1, le=400, description="number of curves")
    big_r: float = Field(7.0, ge=0.001, le=1e6, description="rosette: fixed circle radius R (relative units, scaled to the box)")
    small_r: float = Field(3.0, ge=0.001, le=1e6, description="rosette: rolling circle radius r")
    pen: float = Field(5.0, ge=0, le=1e6, description="rosette: pen distance d from the rolling circle's centre")
    amplitude: Length = Field(1.0, description="wave/border: height of the waves")
    frequency: float = Field(6.0, gt=0, le=10_000, description="wave/border: waves per box width (or per side)")
    band: NonNegLength = Field(3.0, description="border: width of the band along the edge")
    phase: float = Field(0.0, description="phase in turns (0–1)")
    samples: int = Field(720, ge=32, le=20000, description="points per curve")
    modulate: str | None = Field(None, description="jinja2 template: its value shifts the pattern, so each card's differs")
    stroke: ColorValue = Field(BLACK, description="line colour")
    stroke_width: NonNegLength = 0.05

    @model_validator(mode="after")
    def _bounded_points(self) -> GuillocheElement:
        if self.lines * self.samples > MAX_GUILLOCHE_POINTS:
            raise ValueError(
                f"lines × samples = {self.lines * self.samples:,} is "
                + limit_message("MAX_GUILLOCHE_POINTS", MAX_GUILLOCHE_POINTS, "curve points of one guilloche")
            )
        return self


def guilloche_items(
    r: Resolver, el: GuillocheElement, box: Box, layer: str, ctx: Mapping[str, Any], base_dirs: Sequence[Path]
) -> list[Item]:
    if el.modulate:
        modulation = r.render_template(el.modulate, ctx, el.id, "modulate")
        return list(r.patterns(el, box, layer, modulation))
    # the same on every card: computed once per layout
    return r.memo(("guilloche", el.id, box, layer), lambda: r.patterns(el, box, layer, None))


GUILLOCHE = register(ElementKind("guilloche", GuillocheElement, guilloche_items, rank=80))

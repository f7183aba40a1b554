"""Rectangles, lines and paths: artwork drawn from the layout alone (no record field)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from pydantic import Field

from ..color import BLACK
from ..geometry import poly_ops, rect_ops
from ..layout_types import BoxValue, ColorValue, DashLength, ElementBase, NonNegLength, PointValue, UnitFraction
from ..limits import MAX_POINTS
from ..scene import Box, Item, PathItem
from .base import ElementKind, Points, register

if TYPE_CHECKING:
    from ..resolve import Resolver


class RectElement(ElementBase):
    type: Literal["rect"]
    box: BoxValue
    radius: NonNegLength = 0.0
    fill: ColorValue = None
    stroke: ColorValue = None
    stroke_width: NonNegLength = 0.1
    dash: list[DashLength] | None = Field(None, max_length=16)
    opacity: UnitFraction = 1.0


class LineElement(ElementBase):
    type: Literal["line"]
    points: list[PointValue] = Field(min_length=2, max_length=MAX_POINTS)
    stroke: ColorValue = BLACK
    stroke_width: NonNegLength = 0.1
    dash: list[DashLength] | None = Field(None, max_length=16)


class PathElement(ElementBase):
    type: Literal["path"]
    points: list[PointValue] = Field(min_length=2, max_length=MAX_POINTS)
    closed: bool = True
    fill: ColorValue = BLACK
    stroke: ColorValue = None
    stroke_width: NonNegLength = 0.1


def rect_items(
    r: Resolver, el: RectElement, box: Box, layer: str, ctx: Mapping[str, Any], base_dirs: Sequence[Path]
) -> list[Item]:
    if el.fill is None and el.stroke is None:
        return []
    dash = tuple(el.dash) if el.dash else None
    return [PathItem(el.id, layer, rect_ops(box, el.radius), el.fill, el.stroke, el.stroke_width, dash, el.opacity)]


def line_items(
    r: Resolver, el: LineElement, points: Points, layer: str, ctx: Mapping[str, Any], base_dirs: Sequence[Path]
) -> list[Item]:
    dash = tuple(el.dash) if el.dash else None
    return [PathItem(el.id, layer, poly_ops(points, closed=False), None, el.stroke, el.stroke_width, dash)]


def path_items(
    r: Resolver, el: PathElement, points: Points, layer: str, ctx: Mapping[str, Any], base_dirs: Sequence[Path]
) -> list[Item]:
    return [PathItem(el.id, layer, poly_ops(points, closed=el.closed), el.fill, el.stroke, el.stroke_width, None)]


def _half_stroke(el: LineElement | PathElement) -> float:
    return float(el.stroke_width) / 2 if el.stroke is not None else 0.0


RECT = register(ElementKind("rect", RectElement, rect_items, rank=30))
LINE = register(ElementKind("line", LineElement, line_items, along_points=True, ink_margin=_half_stroke, rank=40))
PATH = register(ElementKind("path", PathElement, path_items, along_points=True, ink_margin=_half_stroke, rank=50))

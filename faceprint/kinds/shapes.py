"""Rectangles, lines and paths: artwork drawn from the layout alone (no record field)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..geometry import poly_ops, rect_ops
from ..layout_file.model import LineElement, PathElement, RectElement
from ..scene import Box, Item, PathItem
from .base import ElementKind, Points, register

if TYPE_CHECKING:
    from ..resolve import Resolver


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


RECT = register(ElementKind("rect", RectElement, rect_items))
LINE = register(ElementKind("line", LineElement, line_items, along_points=True, ink_margin=_half_stroke))
PATH = register(ElementKind("path", PathElement, path_items, along_points=True, ink_margin=_half_stroke))

"""The element-kind registry: every layout model has exactly one kind, and a new kind is one module.

``DotElement`` below stands for a newcomer's kind: its model, its items and its registration live in
this file only, yet the resolver places and resolves it, lint measures it and the PNG backend draws
it, because they all ask ``kind_of`` instead of switching on element types.
"""

from __future__ import annotations

import typing
from pathlib import Path
from typing import Any, Literal

import pytest

from faceprint.backends.raster import paint
from faceprint.color import BLACK
from faceprint.geometry import rect_ops
from faceprint.kinds import ElementKind, kind_of, register
from faceprint.layout_file import load_layout
from faceprint.layout_file.model import BoxValue, Element, ElementBase, GroupElement
from faceprint.lint import flatten_elements
from faceprint.resolve import Resolver
from faceprint.scene import Box, ElementBox, Face, Item, PathItem


class DotElement(ElementBase):
    """A filled disc in its box: the smallest kind there is."""

    type: Literal["dot"]
    box: BoxValue


def dot_items(r: Resolver, el: DotElement, box: Box, layer: str, ctx: Any, base_dirs: Any) -> list[Item]:
    return [PathItem(el.id, layer, rect_ops(box, min(box.w, box.h) / 2), BLACK, None, 0.0, None)]


DOT = register(ElementKind("dot", DotElement, dot_items, content=True))


def _union_models() -> list[type]:
    union = typing.get_args(Element)[0]
    return list(typing.get_args(union))


def test_every_layout_model_has_a_kind() -> None:
    """Groups only nest and offset their children (the resolver's and lint's walk), every other model is a kind."""
    models = [m for m in _union_models() if m is not GroupElement]
    assert len(models) == len(_union_models()) - 1
    assert {kind_of(model.model_construct()).name for model in models} == {
        "text", "image", "rect", "line", "path", "qr", "microtext", "guilloche"
    }  # fmt: skip


def test_a_kind_is_registered_once() -> None:
    with pytest.raises(ValueError, match="already has a kind"):
        register(ElementKind("other-dot", DotElement, dot_items))
    assert register(DOT) is DOT  # the same registration again is harmless (a module imported twice)


def test_an_unregistered_model_is_named() -> None:
    class Stray(ElementBase):
        type: Literal["stray"]

    with pytest.raises(TypeError, match="no element kind registered for Stray"):
        kind_of(Stray(id="s", type="stray"))


def test_a_new_kind_resolves_lints_and_draws_without_touching_the_core(layout_file: Any) -> None:
    loaded = load_layout(layout_file("front: []\n"))
    dot = DotElement(id="dot", type="dot", box=(10.0, 10.0, 6.0, 6.0))
    resolver = Resolver(loaded)
    items: list[Item] = []
    boxes: list[ElementBox] = []
    resolver._elements([dot], {}, 5.0, 0.0, None, [Path(".")], items, boxes)  # as inside a group at x + 5 mm
    assert boxes == [ElementBox("dot", "artwork", "dot", Box(15.0, 10.0, 6.0, 6.0))]
    assert [type(i).__name__ for i in items] == ["PathItem"]
    assert [(el.id, box) for el, box, _ in flatten_elements([dot], 5.0, 0.0)] == [("dot", Box(15.0, 10.0, 6.0, 6.0))]
    card = loaded.layout.card
    face = Face("front", card.width, card.height, tuple(items), tuple(boxes), (), card.bleed, card.safe_margin, 0.0)
    image = paint(face, dpi=100).convert("L")
    px = 100 / 25.4
    assert image.getpixel((round(18 * px), round(13 * px))) < 64  # the disc's centre is inked
    assert image.getpixel((round(15.3 * px), round(10.3 * px))) > 200  # its bounding box's corner is not

"""The element-kind registry: every layout model has exactly one kind, and a new kind is one module.

``DotElement`` below stands for a newcomer's kind: its model, its items and its registration live in
this file only, yet a layout file may say ``type: dot`` (registering adds the model to the layout
format), the resolver places and resolves it, lint measures it and both backends draw it, because
they all ask ``kind_of`` instead of switching on element types. The fixture unregisters it after
each test, so the rest of the suite sees the shipped format only.
"""

from __future__ import annotations

import typing
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Literal

import engine_support
import numpy as np
import pytest

from faceprint.backends.pdf import render_pdf
from faceprint.backends.raster import paint
from faceprint.color import BLACK
from faceprint.errors import LayoutError
from faceprint.geometry import rect_ops
from faceprint.kinds import BUILTIN_KIND_MODULES, ElementKind, kind_of, register, unregister
from faceprint.layout_file import load_layout
from faceprint.layout_file.model import BoxValue, Element, ElementBase, GroupElement, element_type_tags
from faceprint.lint import flatten_elements
from faceprint.resolve import Resolver
from faceprint.scene import Box, ElementBox, Face, Item, PathItem


class DotElement(ElementBase):
    """A filled disc in its box: the smallest kind there is."""

    type: Literal["dot"]
    box: BoxValue


def dot_items(r: Resolver, el: DotElement, box: Box, layer: str, ctx: Any, base_dirs: Any) -> list[Item]:
    return [PathItem(el.id, layer, rect_ops(box, min(box.w, box.h) / 2), BLACK, None, 0.0, None)]


DOT = ElementKind("dot", DotElement, dot_items, content=True)


@pytest.fixture(autouse=True)
def dot_kind() -> Iterator[ElementKind]:
    """What importing the newcomer's module does (``register``), undone afterwards."""
    register(DOT)
    yield DOT
    unregister(DOT)


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
    assert element_type_tags().count("dot") == 1


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


def test_a_layout_file_uses_the_new_kind_and_both_backends_draw_it(layout_file: Any) -> None:
    """``type: dot`` in YAML (inside a group) loads, resolves and prints in the PNG and the PDF."""
    path = layout_file(
        """
        front:
          - id: g
            type: group
            origin: [5, 0]
            children:
              - {id: dot, type: dot, box: [10, 10, 6, 6]}
        """
    )
    scene = Resolver(load_layout(path)).resolve({}, record_id="dot-1")
    front = engine_support.face(scene)
    assert [(b.element_id, b.box) for b in front.boxes] == [("dot", Box(15.0, 10.0, 6.0, 6.0))]
    dpi = 100
    png = np.asarray(paint(front, dpi=dpi).convert("L"), dtype=np.int16)
    pdf = np.asarray(engine_support.pdf_pages(render_pdf(scene), dpi)[0].convert("L"), dtype=np.int16)
    px = dpi / 25.4
    for page in (png, pdf):
        assert page[round(13 * px), round(18 * px)] < 64  # the disc's centre is inked
        assert page[round(10.3 * px), round(15.3 * px)] > 200  # its bounding box's corner is not
    assert np.abs(png - pdf).mean() < 1.0  # and the two backends agree


def test_the_new_kind_leaves_the_format_when_unregistered(layout_file: Any) -> None:
    path = layout_file("front:\n  - {id: dot, type: dot, box: [10, 10, 6, 6]}\n")
    assert "dot" in element_type_tags()
    load_layout(path)
    unregister(DOT)
    try:
        assert "dot" not in element_type_tags()
        with pytest.raises(LayoutError, match=r"unknown element type; use text, .* or group"):
            load_layout(path)
    finally:
        register(DOT)


def test_a_new_kind_cannot_take_a_used_tag() -> None:
    class OtherText(ElementBase):
        type: Literal["text"]

    with pytest.raises(ValueError, match="element type 'text' is already taken"):
        register(ElementKind("other-text", OtherText, dot_items))


def test_every_module_in_the_kinds_package_is_loaded() -> None:
    """No hand-kept list: a new module in faceprint/kinds/ is imported (and so registered) by the package."""
    import faceprint.kinds as kinds_package

    on_disk = sorted(p.stem for p in Path(kinds_package.__file__).parent.glob("*.py") if p.stem not in ("__init__", "base"))
    assert list(BUILTIN_KIND_MODULES) == on_disk
    assert {"text", "image", "qr", "shapes", "microtext", "guilloche"} <= set(on_disk)


def test_the_unknown_type_message_lists_every_kind(layout_file: Any) -> None:
    path = layout_file("front:\n  - {id: x, type: blob, box: [1, 1, 1, 1]}\n")
    with pytest.raises(LayoutError) as err:
        load_layout(path)
    for tag in ("text", "image", "rect", "line", "path", "qr", "microtext", "guilloche", "dot", "group"):
        assert tag in str(err.value)

"""The element-kind registry: the format's element types are the registered kinds, and a new kind is one module.

``DotElement`` below stands for a newcomer's kind: its model, its items, its lint answers (its ink
reaches a halo beyond its box; it is daylight content) and its registration live in this file only,
yet a layout file with ``type: dot`` loads, resolves, lints and draws in both backends, because the
format's ``Element`` union is built from the registry and nothing else switches on element types.
A real kind module calls ``register`` at import (``kinds/`` is scanned); this one is registered
only while a test runs, so every other test sees the shipped format.
"""

from __future__ import annotations

import json
import pkgutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Literal

import pytest

from faceprint import kinds
from faceprint.backends.pdf import render_pdf
from faceprint.backends.raster import paint
from faceprint.color import BLACK
from faceprint.errors import LayoutError
from faceprint.geometry import rect_ops
from faceprint.kinds import ElementKind, kind_of, register
from faceprint.kinds.base import Problem, element_models, unregister
from faceprint.layout_file import load_layout
from faceprint.layout_file.model import GroupElement, json_schema
from faceprint.layout_types import BoxValue, ElementBase, NonNegLength
from faceprint.lint import lint_layout
from faceprint.resolve import Resolver
from faceprint.scene import Box, Item, PathItem
from tests.engine.engine_support import pdf_pages

BUILT_IN = ["text", "image", "rect", "line", "path", "qr", "microtext", "guilloche"]


class DotElement(ElementBase):
    """A filled disc in its box, with a halo of ink around it: the smallest kind there is."""

    type: Literal["dot"]
    box: BoxValue
    halo: NonNegLength = 0.0


def dot_items(r: Resolver, el: DotElement, box: Box, layer: str, ctx: Any, base_dirs: Any) -> list[Item]:
    return [PathItem(el.id, layer, rect_ops(box, min(box.w, box.h) / 2), BLACK, None, 0.0, None)]


def _halo(el: DotElement) -> float:
    return float(el.halo)


def _dot_checks(el: DotElement, min_text_size_pt: float) -> list[Problem]:
    """Its own lint rule, before any record: a halo wider than the dot reads as a ring."""
    return [("warning", "dot-halo", "the halo is wider than the dot")] if el.halo > min(el.box[2], el.box[3]) / 2 else []


DOT = ElementKind("dot", DotElement, dot_items, ink_margin=_halo, content=True, layout_checks=_dot_checks)


@pytest.fixture
def dot() -> Iterator[ElementKind]:
    register(DOT)
    yield DOT
    unregister(DOT)


def test_the_format_lists_the_built_in_kinds_then_groups() -> None:
    """The union is the registry's, in the order the JSON Schema has always shown."""
    assert [kind_of(m.model_construct()).name for m in element_models()] == BUILT_IN
    front = json_schema()["properties"]["front"]["items"]
    assert [ref["$ref"].rsplit("/", 1)[1] for ref in front["oneOf"]] == [
        "TextElement", "ImageElement", "RectElement", "LineElement", "PathElement", "QrElement",
        "MicrotextElement", "GuillocheElement", "GroupElement",
    ]  # fmt: skip
    assert sorted(front["discriminator"]["mapping"]) == sorted([*BUILT_IN, "group"])


def test_every_module_in_kinds_is_loaded_without_a_list() -> None:
    modules = {m.name for m in pkgutil.iter_modules(kinds.__path__)} - {"base"}
    assert modules == {"text", "image", "shapes", "qr", "microtext", "guilloche"}
    assert {m.__module__ for m in element_models()} == {f"faceprint.kinds.{name}" for name in modules}


def test_a_kind_is_registered_once() -> None:
    text = kind_of(element_models()[0].model_construct())
    with pytest.raises(ValueError, match="already has a kind"):
        register(ElementKind("other-text", text.model, dot_items))
    assert register(text) is text  # the same registration again is harmless (a module imported twice)


def test_an_unregistered_model_is_named() -> None:
    class Stray(ElementBase):
        type: Literal["stray"]

    with pytest.raises(TypeError, match="no element kind registered for Stray"):
        kind_of(Stray(id="s", type="stray"))


DOT_LAYOUT = """
    front:
      - {id: name, type: text, box: [21, 8, 30, 8], value: "氏名", font: BIZ UDMincho, size: 9pt}
      - type: group
        id: g
        origin: [5, 0]
        children:
          - {id: dot, type: dot, box: [10, 10, 6, 6], halo: 0.5}
"""


def test_a_new_kind_loads_resolves_lints_and_draws_without_touching_the_core(dot: ElementKind, layout_file: Any) -> None:
    loaded = load_layout(layout_file(DOT_LAYOUT))
    (group,) = [el for el in loaded.layout.front if isinstance(el, GroupElement)]
    assert isinstance(group.children[0], DotElement) and group.children[0].halo == 0.5
    assert '"dot"' in json.dumps(json_schema()["properties"]["front"]["items"]["discriminator"])

    scene = Resolver(loaded).resolve({}, record_id="r1", base_dir=Path("."))
    front = scene.faces[0]
    assert [(b.element_id, b.kind, b.box) for b in front.boxes if b.element_id == "dot"] == [
        ("dot", "dot", Box(15.0, 10.0, 6.0, 6.0))  # placed by the resolver, its group's origin added
    ]

    findings = {(f.code, f.element_id) for f in lint_layout(loaded)}
    assert ("overlap", "dot") in findings  # content: only its 0.5 mm halo reaches the label's box
    assert ("keep-out", "dot") not in findings and ("safe-area", "dot") not in findings
    assert ("dot-halo", "dot") not in findings  # its own rule: a 0.5 mm halo on a 6 mm dot is fine
    wide_halo = load_layout(layout_file(DOT_LAYOUT.replace("halo: 0.5", "halo: 3.5"), name="wide.yaml"))
    assert ("dot-halo", "dot") in {(f.code, f.element_id) for f in lint_layout(wide_halo)}

    dpi = 100
    px = dpi / 25.4
    for name, image in [("png", paint(front, dpi=dpi)), ("pdf", pdf_pages(render_pdf(scene), dpi)[0])]:
        grey = image.convert("L")
        assert grey.getpixel((round(18 * px), round(13 * px))) < 64, name  # the disc's centre is inked
        assert grey.getpixel((round(15.3 * px), round(10.3 * px))) > 200, name  # its bounding box's corner is not


def test_a_layout_without_the_kind_refuses_its_type(layout_file: Any) -> None:
    """Unregistered, ``dot`` is an unknown type again, with the message every unknown type gets."""
    with pytest.raises(LayoutError, match="unknown element type"):
        load_layout(layout_file(DOT_LAYOUT))


def test_the_unknown_type_message_names_every_registered_kind(dot: ElementKind, layout_file: Any) -> None:
    """The list in the message comes from the registry: it had lost microtext and guilloche when kept by hand."""
    path = layout_file("front:\n  - {id: x, type: blob, box: [1, 1, 1, 1]}\n")
    with pytest.raises(LayoutError) as err:
        load_layout(path)
    assert "use text, image, rect, line, path, qr, microtext, guilloche, dot or group" in str(err.value)
    unregister(dot)
    with pytest.raises(LayoutError) as err:
        load_layout(path)
    assert "use text, image, rect, line, path, qr, microtext, guilloche or group" in str(err.value)

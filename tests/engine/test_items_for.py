"""``Face.items_for``: the one rule for which layers each output draws, checked as a table."""

from __future__ import annotations

import pytest

from faceprint.color import BLACK
from faceprint.scene import Face, PathItem, Purpose

LAYERS = ("artwork", "personalisation", "tactile", "guide", "uv", "laser")


def _face() -> Face:
    items = tuple(PathItem(f"el-{layer}", layer, (("M", (0.0, 0.0)), ("L", (1.0, 1.0))), None, BLACK, 0.1) for layer in LAYERS)
    return Face(
        "front", 85.6, 54.0, items, (), (), 2.0, 3.0, 3.18,
        invisible_layers=frozenset({"uv"}), engrave_layers=frozenset({"laser"}),
    )  # fmt: skip


@pytest.mark.parametrize(
    ("purpose", "only", "expected"),
    [
        ("daylight", None, ["artwork", "personalisation", "tactile", "laser"]),  # PNG, preview, proof PDF
        ("uv", None, ["uv"]),  # the UV-light preview's glowing inks
        ("print", None, ["artwork", "personalisation", "tactile", "uv"]),  # print PDF: every ink, no laser
        ("engrave", None, ["personalisation", "laser"]),  # engraving bitmaps
        ("guide", None, ["guide"]),
        ("print", frozenset({"tactile", "guide", "laser"}), ["tactile", "laser"]),  # a layer export
        ("daylight", frozenset({"uv"}), ["uv"]),  # a layer export of an invisible ink still draws it
    ],
)
def test_each_output_draws_its_layers(purpose: Purpose, only: frozenset[str] | None, expected: list[str]) -> None:
    face = _face()
    assert [item.layer for item in face.items_for(purpose, only)] == expected
    assert [layer for layer in LAYERS if face.shows(layer, purpose, only)] == expected


def test_items_keep_painting_order() -> None:
    face = _face()
    reordered = Face(
        face.name, face.width, face.height, face.items[::-1], (), (), 2.0, 3.0, 3.18,
        invisible_layers=face.invisible_layers, engrave_layers=face.engrave_layers,
    )  # fmt: skip
    assert [i.layer for i in reordered.items_for("daylight")] == ["laser", "tactile", "personalisation", "artwork"]

"""``extends:``: override by id (shallow merge), remove by id, append new ids, refuse cycles."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from faceprint.color import Color
from faceprint.errors import LayoutError
from faceprint.layout_file.loader import load_layout
from faceprint.layout_file.model import GroupElement, RectElement, TextElement

BASE = """
fonts:
  mincho: [BIZ UDMincho]
front:
  - id: frame
    type: rect
    box: [1mm, 1mm, 10mm, 5mm]
    fill: "#ff0000"
    radius: 1mm
  - id: grp
    type: group
    children:
      - id: inner
        type: rect
        box: [2mm, 2mm, 3mm, 3mm]
        fill: "#00ff00"
  - id: label
    type: text
    box: [1mm, 10mm, 40mm, 5mm]
    font: mincho
    size: 9pt
    value: 氏名
back:
  - id: stripe
    type: rect
    box: [0mm, 5mm, 85.6mm, 10mm]
    fill: black
"""


@pytest.fixture
def base(layout_file: Callable[..., Path]) -> Path:
    return layout_file(BASE, "base.yaml")


def test_override_is_a_shallow_merge_by_id(base: Path, layout_file: Callable[..., Path]) -> None:
    child = layout_file(
        """
        extends: base.yaml
        front:
          - id: frame
            fill: "#0000ff"
          - id: label
            value: 住所
        """,
        "child.yaml",
    )
    loaded = load_layout(child)
    frame, _, label = loaded.layout.front
    assert isinstance(frame, RectElement) and isinstance(label, TextElement)
    assert frame.fill == Color("rgb", (0.0, 0.0, 1.0))  # overridden
    assert frame.radius == 1.0 and frame.box == (1.0, 1.0, 10.0, 5.0)  # inherited
    assert label.value == "住所" and label.size == 9.0
    assert [el.id for el in loaded.layout.back] == ["stripe"]
    # where each element was last written, for error messages
    assert loaded.positions["frame"] == (str(child), 3)
    assert loaded.positions["stripe"][0] == str(base)


def test_override_with_another_type_replaces_the_element(base: Path, layout_file: Callable[..., Path]) -> None:
    child = layout_file(
        """
        extends: base.yaml
        back:
          - id: stripe
            type: line
            points: [[0mm, 5mm], [85.6mm, 5mm]]
        """,
        "child.yaml",
    )
    (stripe,) = load_layout(child).layout.back
    assert stripe.type == "line"


def test_remove_drops_inherited_elements_even_inside_groups(base: Path, layout_file: Callable[..., Path]) -> None:
    child = layout_file(
        """
        extends: base.yaml
        remove: [inner, stripe]
        """,
        "child.yaml",
    )
    layout = load_layout(child).layout
    grp = layout.front[1]
    assert isinstance(grp, GroupElement) and grp.children == []
    assert layout.back == []


def test_remove_of_an_unknown_id_is_an_error_at_its_line(base: Path, layout_file: Callable[..., Path]) -> None:
    child = layout_file(
        """
        extends: base.yaml
        remove:
          - frame
          - nosuch
        """,
        "child.yaml",
    )
    with pytest.raises(LayoutError) as info:
        load_layout(child)
    assert (info.value.file, info.value.line) == (str(child), 4)
    assert "cannot remove 'nosuch'" in str(info.value)


def test_new_elements_are_appended_to_their_face(base: Path, layout_file: Callable[..., Path]) -> None:
    child = layout_file(
        """
        extends: base.yaml
        front:
          - id: extra
            type: rect
            box: [50mm, 1mm, 10mm, 5mm]
            fill: black
        """,
        "child.yaml",
    )
    assert [el.id for el in load_layout(child).layout.front] == ["frame", "grp", "label", "extra"]


def test_an_error_in_an_override_names_the_child_file(base: Path, layout_file: Callable[..., Path]) -> None:
    child = layout_file(
        """
        extends: base.yaml
        front:
          - id: frame
            radius: 2furlongs
        """,
        "child.yaml",
    )
    with pytest.raises(LayoutError) as info:
        load_layout(child)
    assert (info.value.file, info.value.line, info.value.element_id, info.value.prop) == (str(child), 4, "frame", "radius")


def test_cycles_are_refused(layout_file: Callable[..., Path]) -> None:
    a = layout_file("extends: b.yaml\n", "a.yaml")
    layout_file("extends: a.yaml\n", "b.yaml")
    with pytest.raises(LayoutError) as info:
        load_layout(a)
    assert "cycle" in info.value.reason and info.value.line == 1


def test_a_layout_extending_itself_is_a_cycle(layout_file: Callable[..., Path]) -> None:
    me = layout_file("extends: me.yaml\n", "me.yaml")
    with pytest.raises(LayoutError, match="cycle"):
        load_layout(me)


def test_an_error_in_an_element_the_child_adds_names_the_childs_line(tmp_path: Path) -> None:
    (tmp_path / "base.yaml").write_text("front:\n  - {id: a, type: rect, box: [1, 1, 1, 1]}\n", encoding="utf-8")
    child = tmp_path / "child.yaml"
    child.write_text("extends: base.yaml\nfront:\n  - {id: b, type: rect, box: [1, 1, 1]}\n", encoding="utf-8")
    with pytest.raises(LayoutError) as info:
        load_layout(child)
    err = info.value
    assert (err.file, err.line, err.element_id, err.prop) == (str(child), 3, "b", "box")


def test_remove_drops_an_inherited_keep_out_zone(layout_file: Callable[..., Path]) -> None:
    """A variant whose stripe lies elsewhere drops the parent's stripe zone by its id."""
    layout_file(
        """
        fonts: {mincho: [BIZ UDMincho]}
        keep_out:
          - {id: chip, face: back, box: [7mm, 16mm, 15mm, 15mm], source: test}
          - {id: band, face: back, box: [0mm, 3mm, 85.6mm, 11mm], source: test}
        front: []
        """,
        "parent.yaml",
    )
    child = layout_file("extends: parent.yaml\nremove: [band]\n", "child.yaml")
    assert [z.id for z in load_layout(child).layout.keep_out] == ["chip"]

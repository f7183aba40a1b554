"""Layout validation errors name the file, the line, the element id and the property.

Each case is a small layout written inline so the expected line number can be read off the text:
line 1 is the first line of the YAML.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from faceprint.errors import LayoutError
from faceprint.layout_file.loader import load_layout
from faceprint.units import px_to_mm

TEXT_HEAD = """
front:
  - id: name
    type: text
    box: [1mm, 1mm, 40mm, 5mm]
    font: BIZ UDMincho
    size: 9pt
    value: x
"""

# (case, yaml, line, element id, property, words the reason must contain)
CASES = [
    ("unknown property", TEXT_HEAD + "    colour: red\n", 8, "name", "colour", "unknown property"),
    (
        "bad unit in a box",
        """
front:
  - id: name
    type: text
    box: [1mm, 1mm, 12furlongs, 5mm]
    font: BIZ UDMincho
    size: 9pt
    value: x
""",
        4,
        "name",
        "box",
        "'12furlongs'",
    ),
    (
        "bad unit in a scalar",
        """
front:
  - id: frame
    type: rect
    box: [1mm, 1mm, 12mm, 5mm]
    radius: 12furlongs
""",
        5,
        "frame",
        "radius",
        "'12furlongs'",
    ),
    (
        "missing required property",
        """
front:
  - id: name
    type: text
    box: [1mm, 1mm, 40mm, 5mm]
    size: 9pt
    value: x
""",
        2,
        "name",
        "font",
        "required property is missing",
    ),
    (
        "unknown element type",
        """
front:
  - id: blob
    type: circle
    box: [1mm, 1mm, 10mm, 5mm]
""",
        3,
        "blob",
        "type",
        "unknown element type",
    ),
    (
        "element without a type",
        """
front:
  - id: blob
    box: [1mm, 1mm, 10mm, 5mm]
""",
        2,
        "blob",
        "type",
        "element needs a 'type'",
    ),
    (
        "unknown layer",
        """
front:
  - id: frame
    type: rect
    box: [1mm, 1mm, 10mm, 5mm]
    layer: varnish
""",
        5,
        "frame",
        "layer",
        "unknown layer 'varnish'",
    ),
    (
        "duplicate id across faces",
        """
front:
  - id: frame
    type: rect
    box: [1mm, 1mm, 10mm, 5mm]
back:
  - id: frame
    type: rect
    box: [1mm, 1mm, 10mm, 5mm]
""",
        6,
        "frame",
        "id",
        "duplicate id (first used at",
    ),
    (
        "px without a dpi",
        """
front:
  - id: frame
    type: rect
    box: [1mm, 1mm, 120px, 5mm]
""",
        4,
        "frame",
        "box",
        "needs a resolution",
    ),
    (
        "bad unit inside a group",
        """
front:
  - id: grp
    type: group
    children:
      - id: inner
        type: rect
        box: [1mm, 1mm, 10mm, 5mm]
        radius: 3furlongs
""",
        8,
        "inner",
        "radius",
        "'3furlongs'",
    ),
    ("unknown fit step", TEXT_HEAD + "    fit: [wrap, {squeeze: 50%}]\n", 8, "name", "fit", "unknown fit step 'squeeze'"),
]


@pytest.mark.parametrize(("yaml", "line", "element_id", "prop", "reason"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_error_names_file_line_element_and_property(
    layout_file: Callable[..., Path], yaml: str, line: int, element_id: str, prop: str, reason: str
) -> None:
    path = layout_file(yaml)
    with pytest.raises(LayoutError) as info:
        load_layout(path)
    err = info.value
    assert (err.file, err.line, err.element_id, err.prop) == (str(path), line, element_id, prop)
    assert reason in err.reason
    assert str(err) == f"{path}:{line}: element '{element_id}': property '{prop}': {err.reason}"


def test_yaml_syntax_error_names_file_and_line(layout_file: Callable[..., Path]) -> None:
    path = layout_file("""
        front:
          - id: frame
            type: rect
            box: [1mm, 1mm, 10mm, 5mm
          - id: other
        """)
    with pytest.raises(LayoutError) as info:
        load_layout(path)
    err = info.value
    assert err.file == str(path)
    assert err.line in (4, 5)  # the unclosed bracket opens on line 4; the parser notices on line 5
    assert err.element_id is None
    assert str(err).startswith(f"{path}:{err.line}: YAML syntax:")


def test_px_lengths_use_the_layout_px_dpi(layout_file: Callable[..., Path]) -> None:
    path = layout_file("""
        units: {px_dpi: 600}
        front:
          - id: frame
            type: rect
            box: [120px, 0, 600px, 1.5mm]
            radius: 30px@300dpi
        """)
    frame = load_layout(path).layout.front[0]
    assert frame.box == pytest.approx((px_to_mm(120, 600), 0.0, 25.4, 1.5))
    assert frame.radius == pytest.approx(2.54)  # an inline @dpi wins over the layout's px_dpi


def test_only_the_first_problem_is_named_and_the_rest_counted(layout_file: Callable[..., Path]) -> None:
    path = layout_file(TEXT_HEAD + "    colour: red\n    weight: heavy\n")
    with pytest.raises(LayoutError) as info:
        load_layout(path)
    assert info.value.prop == "colour"
    assert str(info.value).endswith("unknown property (and 1 more problem)")

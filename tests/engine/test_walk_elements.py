"""The one walk over a face's element tree (``layout_file.walk``): offsets, layers, hidden groups."""

from __future__ import annotations

from typing import Any

from faceprint.layout_file import load_layout
from faceprint.layout_file.walk import walk_elements


def test_groups_offset_and_pass_on_their_layer_unless_a_child_sets_its_own(layout_file: Any) -> None:
    loaded = load_layout(
        layout_file(
            """
            front:
              - {id: a, type: rect, box: [1mm, 1mm, 2mm, 2mm]}
              - id: g
                type: group
                origin: [10mm, 20mm]
                layer: personalisation
                when: "vars.show"
                children:
                  - {id: b, type: rect, box: [1mm, 1mm, 2mm, 2mm]}
                  - {id: c, type: rect, box: [1mm, 1mm, 2mm, 2mm], layer: artwork}
                  - {id: h, type: group, origin: [1mm, 2mm], children: [{id: d, type: rect, box: [0mm, 0mm, 1mm, 1mm]}]}
            vars: {show: true}
            """
        )
    )
    elements = loaded.layout.face_elements("front")
    walked = [(el.id, dx, dy, layer) for el, dx, dy, layer in walk_elements(elements)]
    assert walked == [
        ("a", 0.0, 0.0, "artwork"),
        ("b", 10.0, 20.0, "personalisation"),
        ("c", 10.0, 20.0, "artwork"),
        ("d", 11.0, 22.0, "personalisation"),
    ]
    hidden = [el.id for el, *_ in walk_elements(elements, keep=lambda el: el.id != "g")]
    assert hidden == ["a"]  # a refused group hides all its children

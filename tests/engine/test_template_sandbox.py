"""Templates run in jinja2's sandbox: reaching for internals is a layout error, never executed;
a field the record lacks is a data error naming it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from faceprint.errors import DataError, LayoutError
from faceprint.layout_file.loader import load_layout
from faceprint.resolve import Resolver


def _resolver(layout_file: Callable[..., Path], value: str, when: str | None = None) -> Resolver:
    when_line = f"\n    when: {when!r}" if when else ""
    path = layout_file(f"""
front:
  - id: t
    type: text
    box: [1mm, 1mm, 60mm, 8mm]
    font: BIZ UDMincho
    size: 9pt
    value: {value!r}{when_line}
""")
    return Resolver(load_layout(path))


class Spy:
    """A context value that records whether a template managed to call into it."""

    def __init__(self) -> None:
        self.calls = 0

    def _secret(self) -> str:
        self.calls += 1
        return "leaked"

    def __repr__(self) -> str:
        return "spy"


@pytest.mark.parametrize(
    "template",
    [
        "{{ ''.__class__ }}",
        "{{ ().__class__.__bases__[0].__subclasses__() }}",
        "{{ name.__class__ }}",
        "{{ name.__class__.__mro__[1].__subclasses__() }}",
    ],
)
def test_reaching_for_internals_is_refused_as_a_layout_error(layout_file: Callable[..., Path], template: str) -> None:
    with pytest.raises(LayoutError) as info:
        _resolver(layout_file, template).resolve({"name": {"kanji": "山田"}}, record_id="r1")
    err = info.value
    assert "sandbox" in err.reason
    assert (err.element_id, err.prop, err.line) == ("t", "value", 2)


def test_refused_templates_are_never_executed(layout_file: Callable[..., Path]) -> None:
    spy = Spy()
    with pytest.raises(LayoutError, match="sandbox"):
        _resolver(layout_file, "{{ spy._secret() }}").resolve({"spy": spy}, record_id="r1")
    assert spy.calls == 0


def test_when_conditions_are_sandboxed_too(layout_file: Callable[..., Path]) -> None:
    with pytest.raises(LayoutError) as info:
        _resolver(layout_file, "x", when="{{ ''.__class__.__mro__ }}").resolve({}, record_id="r1")
    assert info.value.prop == "when" and "sandbox" in info.value.reason


@pytest.mark.parametrize(
    ("template", "ctx", "field"),
    [
        ("{{ alias.kanji }}", {"name": {"kanji": "山田"}}, "alias"),
        ("{{ name.kanji }}", {"name": {"kana": "やまだ"}}, "name.kanji"),  # the dotted path, not the bare key
    ],
)
def test_an_undefined_field_is_a_data_error_naming_it(
    layout_file: Callable[..., Path], template: str, ctx: dict[str, object], field: str
) -> None:
    with pytest.raises(DataError) as info:
        _resolver(layout_file, template).resolve(ctx, record_id="r7")
    err = info.value
    assert (err.record_id, err.field, err.element_id) == ("r7", field, "t")
    assert f"'{field}'" in str(err) and "undefined" in str(err)


def test_an_undefined_field_in_when_hides_the_element(layout_file: Callable[..., Path]) -> None:
    scene = _resolver(layout_file, "通称", when="alias").resolve({}, record_id="r1")
    assert scene.faces[0].items == ()

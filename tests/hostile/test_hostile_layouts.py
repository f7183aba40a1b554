"""Hostile and careless layouts end in a layout error (exit 2) naming file, line, element and property.

Each case is found by ``faceprint validate`` without a record, and ``faceprint render`` refuses it the
same way without writing anything. Limits are named in the message (``faceprint.limits``).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from .support import assert_clean_failure, place_sample_record, run_cli, written_files

TEXT = """\
front:
  - id: name
    type: text
    box: [5mm, 5mm, 40mm, 6mm]
    font: BIZ UDGothic
    size: 9pt
    value: "{{{{ name.kanji }}}}"
{extra}"""


def _text(extra: str) -> str:
    return TEXT.format(extra=extra)


ALIAS_BOMB = """\
a: &a ["x", "x", "x", "x", "x", "x", "x", "x", "x"]
b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]
d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]
e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]
f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]
g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]
front: []
"""

# (case id, layout text, line, element id, property, words the message must contain)
CASES: list[tuple[str, str, int | None, str | None, str | None, tuple[str, ...]]] = [
    ("empty file", "", 1, None, None, ("empty",)),
    ("only a comment", "# nothing here\n", 1, None, None, ("empty",)),
    ("nan box", _text("").replace("[5mm, 5mm, 40mm, 6mm]", "[.nan, 5mm, 40mm, 6mm]"), 4, "name", "box", ("finite",)),
    ("infinite width", _text("").replace("40mm, 6mm]", ".inf, 6mm]"), 4, "name", "box", ("finite",)),
    ("zero box", _text("").replace("40mm, 6mm]", "0mm, 6mm]"), 4, "name", "box", ("positive",)),
    ("negative box", _text("").replace("40mm, 6mm]", "40mm, -6mm]"), 4, "name", "box", ("positive",)),
    ("huge box", _text("").replace("40mm, 6mm]", "40mm, 99999999mm]"), 4, "name", "box", ("MAX_LENGTH_MM",)),
    ("huge integer", _text("").replace("5mm, 5mm,", "5mm, " + "9" * 400 + ","), 4, "name", "box", ("finite",)),
    ("nan size", _text("").replace("size: 9pt", "size: .nan"), 6, "name", "size", ("finite",)),
    ("infinite size with shrink", _text("    fit: [{shrink: 6pt}]\n").replace("size: 9pt", "size: .inf"), 6, "name", "size",
     ("finite",)),
    ("huge size with shrink", _text("    fit: [{shrink: 6pt}]\n").replace("size: 9pt", "size: 1e30"), 6, "name", "size",
     ("MAX_TYPE_SIZE_PT",)),
    ("shrink 0", _text("    fit: [wrap, {shrink: 0}]\n"), 8, "name", "fit", ("MIN_SHRINK_FLOOR_PT",)),
    ("nan line height", _text("    line_height: .nan\n"), 8, "name", "line_height", ("finite",)),
    ("microtext tiny height", """\
front:
  - id: micro
    type: microtext
    points: [[0mm, 1mm], [85mm, 1mm]]
    value: JAPAN
    height: 0.0001mm
    font: BIZ UDGothic
""", 6, "micro", "height", ("MIN_MICROTEXT_HEIGHT_MM",)),
    ("nan angle in a guilloche", """\
front:
  - id: rosette
    type: guilloche
    kind: rosette
    box: [10mm, 10mm, 30mm, 30mm]
    phase: .nan
""", 6, "rosette", "phase", ("finite",)),
    ("too many guilloche points", """\
front:
  - id: rosette
    type: guilloche
    kind: wave
    box: [10mm, 10mm, 30mm, 30mm]
    lines: 400
    samples: 20000
""", 2, "rosette", None, ("MAX_GUILLOCHE_POINTS",)),
    ("alias bomb", ALIAS_BOMB, None, None, None, ("MAX_LAYOUT_NODES",)),
    ("deep nesting", "front: " + "[" * 5000 + "]" * 5000 + "\n", None, None, None, ("MAX_LAYOUT_DEPTH",)),
    ("recursive macro", _text("").replace(
        '"{{ name.kanji }}"', '"{% macro f(n) %}{{ f(n) }}{% endmacro %}{{ f(1) }}"'), 2, "name", "value",
     ("recursion",)),
    ("exponential macro", _text("").replace(
        '"{{ name.kanji }}"', '"{% macro f(n) %}{% if n < 60 %}{{ f(n + 1) }}{{ f(n + 1) }}{% endif %}{% endmacro %}{{ f(0) }}"'),
     2, "name", "value", ("MAX_TEMPLATE_STEPS",)),
    ("deep loops", _text("").replace(
        '"{{ name.kanji }}"', '"{% for i in range(99999) %}{% for j in range(99999) %}{% endfor %}{% endfor %}x"'),
     2, "name", "value", ("MAX_TEMPLATE_STEPS",)),
    ("huge repeat", _text("").replace('"{{ name.kanji }}"', "\"{{ 'x' * 10**9 }}\""), 2, "name", "value",
     ("MAX_TEMPLATE_SIZE",)),
    ("bold with a missing fallback face", _text("    bold: true\n").replace(
        "font: BIZ UDGothic", "font: [BIZ UDGothic, No Such Font Anywhere]"), 2, "name", "font", ("No Such Font",)),
    ("misspelt vars in when", """\
vars: {number_qr: true}
front:
  - id: qr
    type: qr
    box: [60mm, 30mm, 20mm, 20mm]
    value: "{{ my_number }}"
    when: vars.numbr_qr
""", 3, "qr", "when", ("vars.numbr_qr", "number_qr")),
    ("undefined name in when", _text("    when: numbr_qr\n"), 2, "name", "when", ("numbr_qr",)),
    ("undefined name in value", _text("").replace("name.kanji", "nmae.kanji"), 2, "name", "value", ("nmae",)),
    ("missing artwork", """\
front:
  - id: emblem
    type: image
    box: [1mm, 1mm, 10mm, 10mm]
    src: artwork/emblem-that-is-not-there.png
""", 2, "emblem", "src", ("emblem-that-is-not-there.png",)),
    ("huge image", """\
front:
  - id: photo
    type: image
    box: [0mm, 0mm, 900mm, 900mm]
    max_dpi: 2400
    src: "{{ photo }}"
""", 2, "photo", None, ("MAX_IMAGE_PIXELS",)),
    ("zero dash", """\
front:
  - id: rule
    type: line
    points: [[0mm, 1mm], [85mm, 1mm]]
    dash: [0mm, 0mm]
""", 5, "rule", "dash.0", ("positive",)),
    ("not a mapping", "- just\n- a list\n", 1, None, None, ("mapping",)),
    # found by the long fuzz run: a QR code in a 1 mm box crashed the PNG backend
    ("qr in a tiny box", """\
front:
  - id: code
    type: qr
    box: [1mm, 1mm, 1mm, 1mm]
    value: "{{ collation_number }}"
""", 2, "code", "box", ("MIN_QR_MODULE_MM",)),
    ("huge card", "card: {size: [900mm, 900mm]}\nfront: []\n", 1, None, "card.size.0", ("MAX_CARD_MM",)),
    ("huge bleed", "card: {bleed: 500mm}\nfront: []\n", 1, None, "card.bleed", ("MAX_BLEED_MM",)),
    ("nan px_dpi", "units: {px_dpi: .nan}\nfront: []\n", 1, None, "units.px_dpi", ("finite",)),
    ("invalid date scalar", "name: 2024-13-45\nfront: []\n", None, None, None, ("YAML",)),
]


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "layout" / "card.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def _check_message(err: str, path: Path, line: int | None, element: str | None, prop: str | None, words: tuple[str, ...]) -> None:
    assert err.startswith(f"error: {path}"), err
    if line is not None:
        assert err.startswith(f"error: {path}:{line}:"), err
    if element is not None:
        assert f"element '{element}'" in err, err
    if prop is not None:
        assert f"property '{prop}'" in err, err
    for word in words:
        assert word in err, err


@pytest.mark.parametrize(("text", "line", "element", "prop", "words"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_validate_refuses_it_naming_where_and_why(
    tmp_path: Path, text: str, line: int | None, element: str | None, prop: str | None, words: tuple[str, ...]
) -> None:
    path = _write(tmp_path, text)
    outcome = run_cli(["validate", str(path)])
    assert_clean_failure(outcome, {2})
    _check_message(outcome.err, path, line, element, prop, words)


@pytest.mark.parametrize(
    ("text", "line", "element", "prop", "words"),
    [c[1:] for c in CASES if c[0] in ("shrink 0", "misspelt vars in when", "missing artwork", "deep loops", "alias bomb")],
    ids=[c[0] for c in CASES if c[0] in ("shrink 0", "misspelt vars in when", "missing artwork", "deep loops", "alias bomb")],
)
def test_render_refuses_it_once_and_writes_nothing(
    tmp_path: Path, text: str, line: int | None, element: str | None, prop: str | None, words: tuple[str, ...]
) -> None:
    path = _write(tmp_path, text)
    record = place_sample_record(tmp_path / "data")
    out = tmp_path / "out"
    outcome = run_cli(["render", str(path), str(record), str(record), "--out", str(out), "--format", "pdf"])
    assert_clean_failure(outcome, {2})
    _check_message(outcome.err, path, line, element, prop, words)
    assert outcome.err.count("error:") == 1  # a layout error is reported once, not once per record
    assert written_files(out) == []


def test_a_when_on_a_field_the_record_lacks_still_hides_the_element(tmp_path: Path) -> None:
    """The specimen has no alias: ``when: alias`` is a choice about the record, not a layout error."""
    path = _write(tmp_path, _text("    when: alias\n"))
    outcome = run_cli(["validate", str(path)])
    assert outcome.code == 0 and "ok (1 elements" in outcome.out, outcome.err


def test_a_when_that_fails_on_a_value_is_not_a_layout_error_for_validate(tmp_path: Path) -> None:
    path = _write(tmp_path, _text("    when: \"{{ 1 / (collation_number|int - collation_number|int) }}\"\n"))
    outcome = run_cli(["validate", str(path)])
    assert outcome.code == 0, outcome.err


def test_the_shipped_layouts_pass(tmp_path: Path) -> None:
    root = Path(__file__).resolve().parents[2] / "layouts"
    for layout in sorted(root.glob("*/card.yaml")):
        outcome = run_cli(["validate", str(layout)])
        assert outcome.code == 0, outcome.err


@pytest.mark.parametrize(("option", "message"), [(["--dpi", "nan"], "--dpi"), (["--bleed", "inf", "--print"], "MAX_BLEED_MM")])
def test_non_finite_render_options_are_usage_errors(tmp_path: Path, option: list[str], message: str) -> None:
    record = place_sample_record(tmp_path / "data")
    shipped = Path(__file__).resolve().parents[2] / "layouts" / "next-gen" / "card.yaml"
    outcome = run_cli(["render", str(shipped), str(record), "--out", str(tmp_path / "out"), *option])
    assert_clean_failure(outcome, {2})
    assert message in outcome.err
    assert written_files(tmp_path / "out") == []


def test_a_raster_past_the_pixel_limit_is_refused_before_allocating() -> None:
    from faceprint.backends.raster.device import Device
    from faceprint.errors import UsageError

    with pytest.raises(UsageError, match="MAX_RASTER_PIXELS"):
        Device(130.0, 130.0, 4800, (255, 255, 255), margin_mm=10.0)

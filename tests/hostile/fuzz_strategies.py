"""Hypothesis strategies for hostile input: layouts (mutated and raw), records, and templates.

In the spirit of issue 14: NaN and infinities, zero, negative and huge figures, wrong types,
template payloads (recursion, loops, huge strings, sandbox escapes, undefined names), alias bombs,
deep nesting, non-UTF-8 and empty files; for records, the same hostile values in every field.
"""

from __future__ import annotations

import copy
import io
import json
import math
from typing import Any

from hypothesis import strategies as st
from ruamel.yaml import YAML

# -- values ---------------------------------------------------------------------------------------

NUMBERS = st.sampled_from(
    [math.nan, math.inf, -math.inf, 0, 0.0, -0.0, -1, -1e-9, 1e-9, 5e-324, 1e308, 2**63, 10**400, 7, 0.25, 1e6]
)
LENGTH_STRINGS = st.sampled_from(
    [
        "0mm",
        "-5mm",
        "1e9mm",
        "99999999999mm",
        "12furlongs",
        "3",
        "0.0001mm",
        "1px",
        "1px@0dpi",
        "4in",
        "",
        " ",
        "nan",
        "inf",
        "10%",
        "-0pt",
        "1" * 500 + "mm",
    ]
)
TEMPLATES = st.sampled_from(
    [
        "{% macro f(n) %}{{ f(n) }}{% endmacro %}{{ f(1) }}",
        "{% macro f(n) %}{% if n < 40 %}{{ f(n + 1) }}{{ f(n + 1) }}{% endif %}{% endmacro %}{{ f(0) }}",
        "{% for i in range(99999) %}{% for j in range(99999) %}{{ j }}{% endfor %}{% endfor %}",
        "{% for i in range(99999) %}{% for j in range(99999) %}{% endfor %}{% endfor %}",
        "{{ 'x' * 10**9 }}",
        "{{ 9 ** 99999999 }}",
        "{{ 'x'|center(10**9) }}",
        "{{ '%999999999d' % 1 }}",
        "{{ '{:>999999999}'.format(1) }}",
        "{% set ns = namespace(s='ab') %}{% for i in range(64) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}{{ ns.s }}",
        "{{ ''.__class__.__mro__[1].__subclasses__() }}",
        "{{ name.__class__ }}",
        "{{ vars.numbr_qr }}",
        "{{ nmae.kanji }}",
        "{{ name.kanji * 1000 }}",
        "{{ address * 200 }}",
        "{{ my_number }}",
        "{{ name.kanji }}",
        "{{ photo }}",
        "{{ ",
        "{% for %}",
        "{{ 1/0 }}",
        "{{ lipsum(10**6) }}",
        "{{ range(10**9)|list }}",
        "",
        "x",
    ]
)
TEXTS = st.one_of(
    st.text(max_size=40),
    st.sampled_from(["\x00", "\u200b" * 50, "\U000e0100", "𠮷" * 300, "A" * 100_000, "../../../../etc/passwd", "/dev/zero"]),
)
SCALARS = st.one_of(NUMBERS, LENGTH_STRINGS, TEMPLATES, TEXTS, st.booleans(), st.none())
VALUES = st.one_of(
    SCALARS,
    st.lists(SCALARS, max_size=5),
    st.dictionaries(st.sampled_from(["shrink", "condense", "x", "size"]), SCALARS, max_size=2),
)


def _box_like(n: int) -> st.SearchStrategy[Any]:
    ok = st.sampled_from(["1mm", "5mm", "20mm", 3, 0.5])
    return st.one_of(st.lists(st.one_of(ok, NUMBERS, LENGTH_STRINGS), min_size=n, max_size=n), VALUES)


POINTS = st.one_of(st.lists(_box_like(2), min_size=0, max_size=6), VALUES)
FIT = st.one_of(
    st.lists(
        st.one_of(
            st.just("wrap"),
            st.fixed_dictionaries({"shrink": st.one_of(NUMBERS, LENGTH_STRINGS)}),
            st.fixed_dictionaries({"condense": st.one_of(NUMBERS, LENGTH_STRINGS)}),
        ),
        max_size=4,
    ),
    VALUES,
)

PROPERTY_VALUES: dict[str, st.SearchStrategy[Any]] = {"box": _box_like(4), "points": POINTS, "fit": FIT, "origin": _box_like(2)}

# -- layouts ----------------------------------------------------------------------------------------

BASE_ELEMENTS: list[dict[str, Any]] = [
    {
        "type": "text",
        "box": ["5mm", "5mm", "40mm", "6mm"],
        "font": "BIZ UDGothic",
        "size": "9pt",
        "value": "{{ name.kanji }}",
        "fit": ["wrap", {"shrink": "6pt"}],
    },
    {
        "type": "text",
        "box": ["5mm", "12mm", "60mm", "8mm"],
        "font": ["BIZ UDMincho", "BIZ UDGothic"],
        "size": "7pt",
        "value": "{{ address }}",
        "lines": 2,
        "fit": ["wrap", {"condense": "70%"}],
        "bold": True,
    },
    {"type": "image", "box": ["60mm", "10mm", "20mm", "25mm"], "src": "{{ photo }}", "max_dpi": 300},
    {"type": "rect", "box": ["1mm", "1mm", "83mm", "51mm"], "stroke": "#000000", "stroke_width": "0.2mm", "radius": "2mm"},
    {"type": "line", "points": [["1mm", "40mm"], ["80mm", "40mm"]], "dash": ["1mm", "0.5mm"]},
    {"type": "path", "points": [["1mm", "1mm"], ["10mm", "1mm"], ["5mm", "8mm"]]},
    {"type": "qr", "box": ["60mm", "35mm", "15mm", "15mm"], "value": "{{ collation_number }}"},
    {
        "type": "microtext",
        "points": [["2mm", "50mm"], ["80mm", "50mm"]],
        "value": "JAPAN",
        "height": "0.3mm",
        "font": "BIZ UDGothic",
    },
    {
        "type": "guilloche",
        "kind": "rosette",
        "box": ["20mm", "10mm", "20mm", "20mm"],
        "lines": 6,
        "samples": 200,
        "modulate": "{{ collation_number }}",
    },
    {"type": "guilloche", "kind": "border", "box": ["0mm", "0mm", "85mm", "54mm"], "lines": 3, "samples": 300},
    {
        "type": "group",
        "origin": ["2mm", "2mm"],
        "children": [{"id": "child", "type": "rect", "box": ["0mm", "0mm", "5mm", "5mm"], "fill": "#ff0000"}],
    },
]
EXTRA_PROPERTIES = [
    "when",
    "size",
    "height",
    "gap",
    "line_height",
    "lines",
    "samples",
    "big_r",
    "small_r",
    "phase",
    "frequency",
    "amplitude",
    "quiet_zone",
    "opacity",
    "crop",
    "position",
    "screen",
    "screen_pitch",
    "vignette",
    "layer",
    "font",
    "bold",
    "ruby",
    "unknown_property",
    "id",
    "type",
]
TOP_LEVEL = {
    "card": st.one_of(st.fixed_dictionaries({"size": _box_like(2)}), st.fixed_dictionaries({"bleed": SCALARS}), VALUES),
    "units": st.one_of(st.fixed_dictionaries({"px_dpi": st.one_of(NUMBERS, VALUES)}), VALUES),
    "fonts": st.one_of(st.dictionaries(st.text(max_size=5), st.lists(st.text(max_size=10), max_size=3), max_size=2), VALUES),
    "vars": st.one_of(st.dictionaries(st.sampled_from(["number_qr", "x"]), SCALARS, max_size=2), VALUES),
    "extends": st.sampled_from(["card.yaml", "../../../../etc/passwd", "/dev/zero", "nothing.yaml"]),
    "version": VALUES,
}


def dump_yaml(data: Any) -> str:
    yaml = YAML(typ="safe")
    yaml.default_flow_style = False
    out = io.StringIO()
    yaml.dump(data, out)
    return out.getvalue()


@st.composite
def mutated_layouts(draw: st.DrawFn) -> str:
    """A small valid layout with one to three properties (or top-level keys) replaced by hostile values."""
    picks = draw(st.lists(st.sampled_from(range(len(BASE_ELEMENTS))), min_size=1, max_size=4))
    elements = []
    for n, i in enumerate(picks):
        el = copy.deepcopy(BASE_ELEMENTS[i])
        el = {"id": f"e{n}", **el}
        if el["type"] == "group":
            el["children"][0]["id"] = f"e{n}-child"
        elements.append(el)
    layout: dict[str, Any] = {"front": elements, "vars": {"number_qr": True}}
    for _ in range(draw(st.integers(1, 3))):
        if draw(st.integers(0, 5)) == 0:
            key = draw(st.sampled_from(sorted(TOP_LEVEL)))
            layout[key] = draw(TOP_LEVEL[key])
            continue
        el = draw(st.sampled_from(elements))
        prop = draw(st.sampled_from(sorted(el) + EXTRA_PROPERTIES))
        el[prop] = draw(PROPERTY_VALUES.get(prop, VALUES))
    return dump_yaml(layout)


@st.composite
def alias_bombs(draw: st.DrawFn) -> str:
    fanout, depth = draw(st.integers(2, 12)), draw(st.integers(2, 9))
    lines = ['l0: &l0 ["lol"]']
    for d in range(1, depth + 1):
        lines.append(f"l{d}: &l{d} [" + ", ".join([f"*l{d - 1}"] * fanout) + "]")
    lines.append(f"front: [{{id: t, type: text, box: [1, 1, 10, 5], font: BIZ UDGothic, size: 9, value: x, when: *l{depth}}}]")
    return "\n".join(lines) + "\n"


RAW_LAYOUTS = st.one_of(
    st.just(""),
    st.just("# only a comment\n"),
    alias_bombs(),
    st.integers(10, 20_000).map(lambda n: "front: " + "[" * n + "]" * n + "\n"),
    st.integers(10, 20_000).map(lambda n: "front: " + "{a: " * n + "1" + "}" * n + "\n"),
    st.just("a: &a [*a]\nfront: *a\n"),
    st.just("front: !!python/object/apply:os.system ['true']\n"),
    st.just("name: 2024-13-45\n"),
    st.just("front:\n  - {id: a, type: text}\n" * 3),
    st.text(max_size=300),
)


@st.composite
def hostile_layout_files(draw: st.DrawFn) -> bytes:
    """The bytes of a layout file: mostly mutated layouts, sometimes raw hostile text or non-UTF-8 bytes."""
    kind = draw(st.integers(0, 9))
    if kind <= 6:
        return draw(mutated_layouts()).encode("utf-8")
    if kind <= 8:
        return draw(RAW_LAYOUTS).encode("utf-8", "surrogatepass")
    return draw(st.binary(max_size=200))


# -- records ----------------------------------------------------------------------------------------

RECORD_FIELDS = [
    "id",
    "name",
    "name.kanji",
    "name.kana",
    "birth_date",
    "sex",
    "address",
    "photo",
    "my_number",
    "valid_until",
    "collation_number",
    "organ_donation",
    "organ_donation.choice",
    "annotations",
    "alias",
    "name_romaji",
    "former_surname",
    "unknown_field",
]
RECORD_VALUES = st.one_of(
    SCALARS,
    st.sampled_from(
        [
            "１２３４５６７８９０１８",
            "1111-1111-1118",
            "000000000000",
            "1" * 100_000,
            "1868-01-01",
            "9999-12-31",
            "0001-01-01",
            "/x/1111.1111.1118.jpg",
            "a" * 5000 + ".jpg",
            "\ud800.jpg",
            "../" * 50 + "etc/passwd",
        ]
    ),
    st.lists(SCALARS, max_size=3),
    st.dictionaries(st.sampled_from(["kanji", "kana", "date", "text", "choice"]), SCALARS, max_size=3),
)


@st.composite
def hostile_records(draw: st.DrawFn, base: dict[str, Any]) -> str:
    """The JSON text of the base record with one to three fields replaced, or a raw hostile document."""
    if draw(st.integers(0, 9)) == 0:
        return draw(
            st.one_of(
                st.integers(10, 100_000).map(lambda n: "[" * n + "]" * n),
                st.just(""),
                st.just("{}"),
                st.just('{"id": 1, "id": 2}'),
                st.text(max_size=200),
            )
        )
    record = copy.deepcopy(base)
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(RECORD_FIELDS)).split(".")
        target = record
        for part in path[:-1]:
            if not isinstance(target.get(part), dict):
                target[part] = {}
            target = target[part]
        if draw(st.integers(0, 6)) == 0:
            target.pop(path[-1], None)
        else:
            target[path[-1]] = draw(RECORD_VALUES)
    return json.dumps(record, ensure_ascii=True, allow_nan=True)


# -- templates ----------------------------------------------------------------------------------------

_PIECES = st.sampled_from(
    [
        "{% for i in range(N) %}",
        "{% endfor %}",
        "{{ i }}",
        "{{ 'ab' * N }}",
        "{{ N ** N }}",
        "{% set x = 'a' ~ 'b' %}",
        "{{ name.kanji }}",
        "{{ vars.x }}",
        "{{ nope }}",
        "{% macro m(n) %}{{ m(n) }}{% endmacro %}",
        "{{ m(1) }}",
        "{{ 'x'|center(N) }}",
        "{{ '%Nd' % 1 }}",
        "{{ range(N)|list|length }}",
        "{{ (range(N)|list) * N }}",
        "{% if N %}",
        "{% endif %}",
        "{{ name.__class__ }}",
        "{{ x|default('d') }}",
        "{{ [1,2,3]|join(',') }}",
        "{{ 'a'.zfill(N) }}",
        "{{ N // 0 }}",
        "x",
        "{{ N * N * N * N }}",
    ]
)


@st.composite
def hostile_templates(draw: st.DrawFn) -> str:
    pieces = draw(st.lists(_PIECES, min_size=1, max_size=8))
    numbers = draw(
        st.lists(
            st.sampled_from(["3", "99", "99999", "10**9", "-1", "1e300", "9999999999"]),
            min_size=len(pieces),
            max_size=len(pieces),
        )
    )
    return "".join(p.replace("N", n) for p, n in zip(pieces, numbers, strict=True))

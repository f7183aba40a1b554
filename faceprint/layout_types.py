"""The layout format's value types and the base of every element model.

Lengths arrive as strings such as ``12mm`` or ``120px@600dpi`` and leave as floats in mm, type sizes
as floats in pt, colours as ``Color``s; each type also says how the JSON Schema shows it. Element
kinds (``kinds/``) build their models from these, and ``layout_file/model.py`` the rest of the
format. This module lives outside ``layout_file/`` because that package's ``__init__`` loads the
loader and the whole format, which needs every kind registered: a kind importing from it would be
a cycle.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, PlainValidator, ValidationInfo, WithJsonSchema

from .color import Color, parse_color
from .limits import (
    MAX_BLEED_MM,
    MAX_CARD_MM,
    MAX_LENGTH_MM,
    MAX_SCREEN_PITCH_MM,
    MAX_TYPE_SIZE_PT,
    MIN_DASH_MM,
    MIN_MICROTEXT_HEIGHT_MM,
    MIN_SHRINK_FLOOR_PT,
    limit_message,
)
from .text.fit import FitStep
from .units import UnitError, parse_fraction, parse_length_mm, parse_size_pt

LENGTH_PATTERN = r"^\s*[+-]?(\d+(\.\d*)?|\.\d+)\s*(mm|cm|pt|in|px)?(\s*@\s*\d+(\.\d*)?\s*dpi)?\s*$"
_LENGTH_SCHEMA: dict[str, Any] = {
    "anyOf": [{"type": "number"}, {"type": "string", "pattern": LENGTH_PATTERN}],
    "description": "A length: '12mm', '8pt', '1in', '120px@600dpi' (or px with the layout's units.px_dpi); a bare number is mm.",
}
_SIZE_SCHEMA: dict[str, Any] = {
    "anyOf": [{"type": "number"}, {"type": "string", "pattern": LENGTH_PATTERN}],
    "description": "A type size: '9pt' or '3.2mm'; a bare number is pt.",
}
_PERCENT_SCHEMA: dict[str, Any] = {
    "anyOf": [{"type": "number"}, {"type": "string", "pattern": r"^\s*\d+(\.\d*)?\s*%\s*$"}],
    "description": "A fraction: '70%' or 0.7.",
}
_COLOR_SCHEMA: dict[str, Any] = {
    "type": "string",
    "description": "'#rrggbb', 'rgb(r,g,b)', 'gray(40%)', 'cmyk(c,m,y,k)' in percent, or 'none'.",
}


def _ctx_dpi(info: ValidationInfo) -> float | None:
    ctx = info.context or {}
    value = ctx.get("px_dpi")
    # read before 'units' itself is validated: anything but a positive finite number is left to that check
    if isinstance(value, int | float) and not isinstance(value, bool) and 0 < value < float("inf"):
        return float(value)
    return None


def _bounded_mm(value: Any, info: ValidationInfo) -> float:
    """A length within ±MAX_LENGTH_MM: larger figures are typos that overflow pixel buffers."""
    mm = parse_length_mm(value, px_dpi=_ctx_dpi(info))
    if abs(mm) > MAX_LENGTH_MM:
        raise UnitError(f"{value!r} is {limit_message('MAX_LENGTH_MM', MAX_LENGTH_MM, 'mm, any length or coordinate')}")
    return mm


def _length(value: Any, info: ValidationInfo) -> float:
    return _bounded_mm(value, info)


def _nonneg_length(value: Any, info: ValidationInfo) -> float:
    mm = _bounded_mm(value, info)
    if mm < 0:
        raise UnitError(f"must not be negative, got {value!r}")
    return mm


def _pos_length(value: Any, info: ValidationInfo) -> float:
    mm = _bounded_mm(value, info)
    if mm <= 0:
        raise UnitError(f"must be positive, got {value!r}")
    return mm


def _size_pt(value: Any, info: ValidationInfo) -> float:
    size = parse_size_pt(value, px_dpi=_ctx_dpi(info))
    if size <= 0:
        raise UnitError(f"a type size must be positive, got {value!r}")
    if size > MAX_TYPE_SIZE_PT:
        raise UnitError(f"type size {value!r} is {limit_message('MAX_TYPE_SIZE_PT', MAX_TYPE_SIZE_PT, 'pt')}")
    return size


def _size(value: Any, info: ValidationInfo) -> float:
    return _size_pt(value, info)


def _microtext_height(value: Any, info: ValidationInfo) -> float:
    mm = _pos_length(value, info)
    if mm < MIN_MICROTEXT_HEIGHT_MM:
        raise UnitError(
            f"microtext height {value!r} is under the limit MIN_MICROTEXT_HEIGHT_MM = {MIN_MICROTEXT_HEIGHT_MM} "
            "(finer than any card printer resolves)"
        )
    return mm


def _card_length(value: Any, info: ValidationInfo) -> float:
    mm = _pos_length(value, info)
    if mm > MAX_CARD_MM:
        raise UnitError(f"card side {value!r} is {limit_message('MAX_CARD_MM', MAX_CARD_MM, 'mm')}")
    return mm


def _bleed(value: Any, info: ValidationInfo) -> float:
    mm = _nonneg_length(value, info)
    if mm > MAX_BLEED_MM:
        raise UnitError(f"bleed {value!r} is {limit_message('MAX_BLEED_MM', MAX_BLEED_MM, 'mm')}")
    return mm


def _screen_pitch(value: Any, info: ValidationInfo) -> float:
    mm = _pos_length(value, info)
    if mm > MAX_SCREEN_PITCH_MM:
        raise UnitError(f"screen pitch {value!r} is {limit_message('MAX_SCREEN_PITCH_MM', MAX_SCREEN_PITCH_MM, 'mm')}")
    return mm


def _dash(value: Any, info: ValidationInfo) -> float:
    mm = _pos_length(value, info)
    if mm < MIN_DASH_MM:
        raise UnitError(f"dash {value!r} is under the limit MIN_DASH_MM = {MIN_DASH_MM} (shortest dash or gap)")
    return mm


def _fraction(value: Any) -> float:
    return parse_fraction(value)


def _unit_fraction(value: Any) -> float:
    frac = parse_fraction(value)
    if not 0.0 <= frac <= 1.0:
        raise UnitError(f"expected a fraction from 0% to 100%, got {value!r}")
    return frac


def _color(value: Any) -> Color | None:
    if isinstance(value, Color):
        return value
    return parse_color(value)


def _box(value: Any, info: ValidationInfo) -> tuple[float, float, float, float]:
    if not isinstance(value, list | tuple) or len(value) != 4:
        raise ValueError(f"expected [x, y, width, height], got {value!r}")
    x, y, w, h = (_bounded_mm(v, info) for v in value)
    if w <= 0 or h <= 0:
        raise ValueError(f"width and height must be positive, got {w:g} × {h:g} mm")
    return (x, y, w, h)


def _point(value: Any, info: ValidationInfo) -> tuple[float, float]:
    if not isinstance(value, list | tuple) or len(value) != 2:
        raise ValueError(f"expected [x, y], got {value!r}")
    return (_bounded_mm(value[0], info), _bounded_mm(value[1], info))


def _fit_steps(value: Any, info: ValidationInfo) -> tuple[FitStep, ...]:
    if value is None:
        return ()
    if not isinstance(value, list | tuple) or len(value) > 3:
        raise ValueError("expected a list of up to 3 steps such as [wrap, {condense: 70%}, {shrink: 6pt}]")
    steps: list[FitStep] = []
    for item in value:
        if item == "wrap":
            steps.append(FitStep("wrap"))
        elif isinstance(item, dict) and len(item) == 1:
            ((kind, floor),) = item.items()
            if kind == "condense":
                frac = parse_fraction(floor)
                if not 0.2 <= frac <= 1.0:
                    raise ValueError(f"condense floor must lie between 20% and 100%, got {floor!r}")
                steps.append(FitStep("condense", frac))
            elif kind == "shrink":
                size = parse_size_pt(floor, px_dpi=_ctx_dpi(info))
                if size < MIN_SHRINK_FLOOR_PT:
                    raise ValueError(
                        f"shrink floor {floor!r} is under the limit MIN_SHRINK_FLOOR_PT = {MIN_SHRINK_FLOOR_PT} "
                        "(pt; text is never shrunk below it)"
                    )
                steps.append(FitStep("shrink", _size_pt(floor, info)))
            else:
                raise ValueError(f"unknown fit step {kind!r}: use wrap, condense or shrink")
        else:
            raise ValueError(f"unknown fit step {item!r}: use wrap, {{condense: 70%}} or {{shrink: 6pt}}")
    kinds = [s.kind for s in steps]
    if len(set(kinds)) != len(kinds):
        raise ValueError("each fit step may appear once")
    return tuple(steps)


Length = Annotated[float, PlainValidator(_length), WithJsonSchema(_LENGTH_SCHEMA)]
NonNegLength = Annotated[float, PlainValidator(_nonneg_length), WithJsonSchema(_LENGTH_SCHEMA)]
PosLength = Annotated[float, PlainValidator(_pos_length), WithJsonSchema(_LENGTH_SCHEMA)]
MicrotextHeight = Annotated[float, PlainValidator(_microtext_height), WithJsonSchema(_LENGTH_SCHEMA)]
DashLength = Annotated[float, PlainValidator(_dash), WithJsonSchema(_LENGTH_SCHEMA)]
CardLength = Annotated[float, PlainValidator(_card_length), WithJsonSchema(_LENGTH_SCHEMA)]
BleedLength = Annotated[float, PlainValidator(_bleed), WithJsonSchema(_LENGTH_SCHEMA)]
ScreenPitch = Annotated[float, PlainValidator(_screen_pitch), WithJsonSchema(_LENGTH_SCHEMA)]
SizePt = Annotated[float, PlainValidator(_size), WithJsonSchema(_SIZE_SCHEMA)]
Fraction = Annotated[float, PlainValidator(_fraction), WithJsonSchema(_PERCENT_SCHEMA)]
UnitFraction = Annotated[float, PlainValidator(_unit_fraction), WithJsonSchema(_PERCENT_SCHEMA)]
ColorValue = Annotated[Color | None, PlainValidator(_color), WithJsonSchema(_COLOR_SCHEMA)]
BoxValue = Annotated[
    tuple[float, float, float, float],
    PlainValidator(_box),
    WithJsonSchema(
        {
            "type": "array",
            "items": _LENGTH_SCHEMA,
            "minItems": 4,
            "maxItems": 4,
            "description": "[x, y, width, height] from the face's top-left corner",
        }
    ),
]
PointValue = Annotated[
    tuple[float, float],
    PlainValidator(_point),
    WithJsonSchema({"type": "array", "items": _LENGTH_SCHEMA, "minItems": 2, "maxItems": 2}),
]
FitSteps = Annotated[
    tuple[FitStep, ...],
    PlainValidator(_fit_steps),
    WithJsonSchema(
        {
            "type": "array",
            "items": {
                "anyOf": [
                    {"const": "wrap"},
                    {
                        "type": "object",
                        "properties": {"condense": _PERCENT_SCHEMA},
                        "required": ["condense"],
                        "additionalProperties": False,
                    },
                    {
                        "type": "object",
                        "properties": {"shrink": _SIZE_SCHEMA},
                        "required": ["shrink"],
                        "additionalProperties": False,
                    },
                ]
            },
            "description": "Fitting steps, tried in order, each with its floor; beyond every floor the text is an error.",
        }
    ),
]
ElementId = Annotated[str, Field(pattern=r"^[A-Za-z_][A-Za-z0-9_.-]*$")]


class Strict(BaseModel):
    # allow_inf_nan: YAML's .nan and .inf are floats; no number in a layout may be either.
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True, allow_inf_nan=False)


class ElementBase(Strict):
    """What every element has; a kind's model adds ``type: Literal["its tag"]`` and its own fields."""

    if TYPE_CHECKING:  # for the type checker only: a field here would move 'type' in the JSON Schema
        type: str

    id: ElementId
    layer: str = Field("artwork", description="artwork, personalisation, tactile, guide, or a layer declared under 'layers'")
    when: str | None = Field(None, description="jinja2 expression; the element is drawn only when it is truthy")
    role: str | None = Field(None, description="what the element is for, e.g. 'portrait' (used by photo tools)")
    source: str | None = Field(None, description="where a figure comes from (standard, document)")
    bleed: bool = Field(False, description="artwork meant to run past the trim into the bleed (exempt from the safe-area check)")

"""The layout file format as typed models: the single source of truth for validation and schema.

In: plain mappings read from YAML (with units still as strings such as ``12mm``). Out: frozen
pydantic models whose lengths are floats in mm, type sizes floats in pt, colours ``Color``s.
``faceprint schema`` prints the JSON Schema generated from these models.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field, model_validator

from ..color import BLACK, WHITE, RenderingIntent
from ..layout_types import (
    BleedLength,
    BoxValue,
    CardLength,
    ColorValue,
    DashLength,
    ElementBase,
    ElementId,
    FitSteps,
    Length,
    MicrotextHeight,
    NonNegLength,
    PointValue,
    ScreenPitch,
    SizePt,
    Strict,
    UnitFraction,
)
from ..limits import (
    MAX_GUILLOCHE_POINTS,
    MAX_IMAGE_PIXELS,
    MAX_LINE_HEIGHT,
    MAX_POINTS,
    MAX_QR_QUIET_ZONE,
    limit_message,
)
from ..units import MM_PER_INCH

# ISO/IEC 7810 ID-1 nominal size, card-standards §1.
ID1_WIDTH_MM = 85.60
ID1_HEIGHT_MM = 53.98
ID1_CORNER_RADIUS_MM = 3.18  # ISO/IEC 7813 nominal, card-standards §1
BASE_LAYERS = ("artwork", "personalisation", "tactile", "guide")


class Ruby(Strict):
    value: str
    size: SizePt
    gap: NonNegLength = 0.2
    font: str | list[str] | None = None
    color: ColorValue = None


class TextElement(ElementBase):
    type: Literal["text"]
    box: BoxValue
    value: str = Field(description="jinja2 template")
    font: str | list[str] = Field(description="a font stack named under 'fonts', or a list of font names")
    bold: bool = False
    size: SizePt
    color: ColorValue = BLACK
    align: Literal["left", "center", "right", "justify"] = "left"
    valign: Literal["top", "middle", "bottom"] = "middle"
    line_height: float = Field(1.25, gt=0, le=MAX_LINE_HEIGHT, description="line pitch as a multiple of the size")
    lines: int | None = Field(None, ge=1, le=1000, description="at most this many lines, wrapped or broken in the value")
    fit: FitSteps = ()
    ruby: Ruby | None = None
    ivs_fallback: bool = Field(False, description="allow the base glyph when no font has a variation sequence")


class ImageElement(ElementBase):
    type: Literal["image"]
    box: BoxValue
    src: str = Field(description="jinja2 template giving the image path (relative paths: to the record, then the layout)")
    fit: Literal["cover", "contain", "fill"] = "cover"
    position: tuple[UnitFraction, UnitFraction] = (0.5, 0.5)
    crop: tuple[UnitFraction, UnitFraction, UnitFraction, UnitFraction] | None = Field(
        None, description="insets cut from the source before fitting: [left, top, right, bottom] as fractions"
    )
    greyscale: bool = False
    max_dpi: int = Field(600, ge=72, le=2400, description="pixels kept per inch of the box; more are resampled away")
    opacity: UnitFraction = Field(1.0, description="1 = opaque; a ghost portrait is typically 20–40 %")
    tint: ColorValue = Field(None, description="recolour a greyscale image: black becomes this colour, white stays white")
    screen: Literal["none", "lines", "dots"] = Field("none", description="line screen or halftone dots (ghost portraits)")
    screen_pitch: ScreenPitch = Field(0.3, description="distance between screen lines or dots")
    vignette: NonNegLength = Field(0.0, description="width of the blurred edge fading the image into white (today's card photo)")

    @model_validator(mode="after")
    def _bounded_pixels(self) -> ImageElement:
        px = (self.box[2] / MM_PER_INCH * self.max_dpi) * (self.box[3] / MM_PER_INCH * self.max_dpi)
        if px > MAX_IMAGE_PIXELS:
            what = limit_message("MAX_IMAGE_PIXELS", MAX_IMAGE_PIXELS, "pixels of one image: its box at max_dpi")
            raise ValueError(f"{px:,.0f} pixels: {what}")
        return self


class MicrotextElement(ElementBase):
    """Text too small to copy, repeated along a line or path (anti-counterfeiting, comment 72)."""

    type: Literal["microtext"]
    points: list[PointValue] = Field(
        min_length=2, max_length=MAX_POINTS, description="the path the text runs along (its baseline)"
    )
    closed: bool = Field(False, description="run on from the last point back to the first (a border)")
    value: str = Field(description="jinja2 template; repeated to fill the whole path")
    height: MicrotextHeight = Field(description="em height of the type, e.g. 0.25mm (down to 0.2mm)")
    font: str | list[str]
    color: ColorValue = BLACK
    gap: NonNegLength = Field(0.0, description="space after each repetition")


class GuillocheElement(ElementBase):
    """A parametric line pattern (彩紋): rosettes, waves or a border band, deterministic from a few numbers."""

    type: Literal["guilloche"]
    box: BoxValue
    kind: Literal["rosette", "wave", "border"]
    lines: int = Field(24, ge=1, le=400, description="number of curves")
    big_r: float = Field(7.0, ge=0.001, le=1e6, description="rosette: fixed circle radius R (relative units, scaled to the box)")
    small_r: float = Field(3.0, ge=0.001, le=1e6, description="rosette: rolling circle radius r")
    pen: float = Field(5.0, ge=0, le=1e6, description="rosette: pen distance d from the rolling circle's centre")
    amplitude: Length = Field(1.0, description="wave/border: height of the waves")
    frequency: float = Field(6.0, gt=0, le=10_000, description="wave/border: waves per box width (or per side)")
    band: NonNegLength = Field(3.0, description="border: width of the band along the edge")
    phase: float = Field(0.0, description="phase in turns (0–1)")
    samples: int = Field(720, ge=32, le=20000, description="points per curve")
    modulate: str | None = Field(None, description="jinja2 template: its value shifts the pattern, so each card's differs")
    stroke: ColorValue = Field(BLACK, description="line colour")
    stroke_width: NonNegLength = 0.05

    @model_validator(mode="after")
    def _bounded_points(self) -> GuillocheElement:
        if self.lines * self.samples > MAX_GUILLOCHE_POINTS:
            raise ValueError(
                f"lines × samples = {self.lines * self.samples:,} is "
                + limit_message("MAX_GUILLOCHE_POINTS", MAX_GUILLOCHE_POINTS, "curve points of one guilloche")
            )
        return self


class RectElement(ElementBase):
    type: Literal["rect"]
    box: BoxValue
    radius: NonNegLength = 0.0
    fill: ColorValue = None
    stroke: ColorValue = None
    stroke_width: NonNegLength = 0.1
    dash: list[DashLength] | None = Field(None, max_length=16)
    opacity: UnitFraction = 1.0


class LineElement(ElementBase):
    type: Literal["line"]
    points: list[PointValue] = Field(min_length=2, max_length=MAX_POINTS)
    stroke: ColorValue = BLACK
    stroke_width: NonNegLength = 0.1
    dash: list[DashLength] | None = Field(None, max_length=16)


class PathElement(ElementBase):
    type: Literal["path"]
    points: list[PointValue] = Field(min_length=2, max_length=MAX_POINTS)
    closed: bool = True
    fill: ColorValue = BLACK
    stroke: ColorValue = None
    stroke_width: NonNegLength = 0.1


class QrElement(ElementBase):
    type: Literal["qr"]
    box: BoxValue
    value: str = Field(description="jinja2 template of the encoded text")
    ec: Literal["L", "M", "Q", "H"] = Field("M", description="error-correction level (ISO/IEC 18004)")
    quiet_zone: int = Field(4, ge=0, le=MAX_QR_QUIET_ZONE, description="light margin in modules; 4 per ISO/IEC 18004 §7.3.7")
    color: ColorValue = BLACK
    background: ColorValue = WHITE


class GroupElement(ElementBase):
    type: Literal["group"]
    origin: PointValue = (0.0, 0.0)
    children: list[Element]


Element = Annotated[
    TextElement
    | ImageElement
    | RectElement
    | LineElement
    | PathElement
    | QrElement
    | MicrotextElement
    | GuillocheElement
    | GroupElement,
    Field(discriminator="type"),
]
GroupElement.model_rebuild()


class Card(Strict):
    size: Literal["ID-1"] | tuple[CardLength, CardLength] = "ID-1"
    corner_radius: NonNegLength = ID1_CORNER_RADIUS_MM
    bleed: BleedLength = 2.0
    safe_margin: NonNegLength = 2.0

    @property
    def width(self) -> float:
        return ID1_WIDTH_MM if self.size == "ID-1" else self.size[0]

    @property
    def height(self) -> float:
        return ID1_HEIGHT_MM if self.size == "ID-1" else self.size[1]


class Units(Strict):
    px_dpi: float | None = Field(None, gt=0, le=100_000, description="resolution that bare 'px' lengths refer to")


class KeepOutZone(Strict):
    id: ElementId
    face: Literal["front", "back"]
    box: BoxValue
    source: str = Field(description="where the zone's figures come from")


class LintRules(Strict):
    min_text_size: SizePt = Field(6.0, description="smallest type size allowed anywhere on the card (universal design floor)")


class SpecialLayer(Strict):
    """A layer made by its own process.

    ``process: spot`` (varnish, UV ink, die line): a spot separation in print files, overprinting.
    ``process: engrave``: laser engraving, so it goes to the engraving bitmap and not to print files.
    ``visible: false``: invisible in daylight (UV ink): left out of normal previews and proofs and shown,
    in ``glow`` colour, only in the UV-light preview.
    """

    process: Literal["spot", "engrave"] = "spot"
    spot: str | None = Field(None, description="separation (plate) name in print files; defaults to the layer name")
    color: ColorValue = Field(None, description="CMYK look of the ink in proofs and previews")
    visible: bool = Field(True, description="false for inks seen only under UV light")
    glow: ColorValue = Field(None, description="colour the layer shows in the UV-light preview")
    description: str | None = None


class PrintColour(Strict):
    """How print files turn RGB colours and images into the output intent's CMYK (ICC rendering intent)."""

    intent: RenderingIntent = Field(
        "relative-colorimetric", description="ICC rendering intent from sRGB (or an image's own profile) to the output intent"
    )
    black_point_compensation: bool = Field(
        True, description="map the source black to the press's black instead of clipping shadows"
    )


class Layout(Strict):
    version: Literal[1] = 1
    name: str | None = None
    card: Card = Card()
    units: Units = Units(px_dpi=None)
    fonts: dict[str, list[str]] = Field(default_factory=dict, description="named font stacks, fallback in order")
    vars: dict[str, Any] = Field(
        default_factory=dict, description="layout switches and constants, visible to templates as vars.NAME"
    )
    layers: dict[str, SpecialLayer] = Field(default_factory=dict)
    print_colour: PrintColour = PrintColour(intent="relative-colorimetric", black_point_compensation=True)
    lint: LintRules = LintRules(min_text_size=6.0)
    keep_out: list[KeepOutZone] = Field(default_factory=list)
    front: list[Element] = Field(default_factory=list)
    back: list[Element] = Field(default_factory=list)

    def face_elements(self, face: str) -> list[Element]:
        return self.front if face == "front" else self.back


def json_schema() -> dict[str, Any]:
    schema = Layout.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "faceprint layout"
    props = schema.setdefault("properties", {})
    props["extends"] = {"type": "string", "description": "path of a layout this one builds on"}
    props["remove"] = {
        "type": "array",
        "items": {"type": "string"},
        "description": "ids of inherited elements or keep-out zones to drop",
    }
    return schema

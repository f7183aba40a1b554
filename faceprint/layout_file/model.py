"""The layout file format as typed models: the single source of truth for validation and schema.

In: plain mappings read from YAML (with units still as strings such as ``12mm``). Out: frozen
pydantic models whose lengths are floats in mm, type sizes floats in pt, colours ``Color``s.
``faceprint schema`` prints the JSON Schema generated from these models. Each element kind's model
lives in its module in ``kinds/`` (value types in ``layout_types``); this module holds the rest of the
format and assembles the ``Element`` union from the registered kinds.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal, Union

from pydantic import Field, GetCoreSchemaHandler, GetPydanticSchema
from pydantic_core import CoreSchema

from ..color import RenderingIntent
from ..kinds import base as kinds
from ..kinds.guilloche import GuillocheElement
from ..kinds.image import ImageElement
from ..kinds.microtext import MicrotextElement
from ..kinds.qr import QrElement
from ..kinds.shapes import LineElement, PathElement, RectElement
from ..kinds.text import Ruby, TextElement
from ..layout_types import (
    BleedLength,
    BoxValue,
    CardLength,
    ColorValue,
    ElementBase,
    ElementId,
    NonNegLength,
    PointValue,
    SizePt,
    Strict,
)

# The built-in kinds' models keep their old home here for importers; a new kind's model is imported
# from its own module.
__all__ = [
    "BASE_LAYERS",
    "ID1_CORNER_RADIUS_MM",
    "ID1_HEIGHT_MM",
    "ID1_WIDTH_MM",
    "BoxValue",
    "Card",
    "Element",
    "ElementBase",
    "GroupElement",
    "GuillocheElement",
    "ImageElement",
    "KeepOutZone",
    "Layout",
    "LineElement",
    "LintRules",
    "MicrotextElement",
    "PathElement",
    "PrintColour",
    "QrElement",
    "RectElement",
    "Ruby",
    "SpecialLayer",
    "TextElement",
    "Units",
    "json_schema",
]

# ISO/IEC 7810 ID-1 nominal size, card-standards §1.
ID1_WIDTH_MM = 85.60
ID1_HEIGHT_MM = 53.98
ID1_CORNER_RADIUS_MM = 3.18  # ISO/IEC 7813 nominal, card-standards §1
BASE_LAYERS = ("artwork", "personalisation", "tactile", "guide")


class GroupElement(ElementBase):
    type: Literal["group"]
    origin: PointValue = (0.0, 0.0)
    children: list[Element]


def _element_schema(source: Any, handler: GetCoreSchemaHandler) -> CoreSchema:
    """Any registered kind's model, or a group, told apart by ``type``: built when a model using it is."""
    return handler(Annotated[Union[(*kinds.element_models(), GroupElement)], Field(discriminator="type")])


# An element of a face: typed as the base every kind's model extends; validated (and shown in the
# JSON Schema) as the union of the registered kinds, asked of the registry each time a model is built.
Element = Annotated[ElementBase, GetPydanticSchema(_element_schema)]
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


def _rebuild() -> None:
    """A kind registered (or forgotten) after the format was built: the models holding elements learn it."""
    GroupElement.model_rebuild(force=True)
    Layout.model_rebuild(force=True)


kinds.on_change(_rebuild)

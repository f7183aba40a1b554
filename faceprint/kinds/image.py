"""Images: the portrait and artwork, cropped and fitted to their box, with screens and tints."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from pydantic import Field, model_validator

from ..errors import DataError
from ..images import ImageLoadError, apply_effects, load_pixels
from ..layout_types import BoxValue, ColorValue, ElementBase, NonNegLength, ScreenPitch, UnitFraction
from ..limits import MAX_IMAGE_PIXELS, limit_message
from ..records_limits import portrait_problem
from ..scene import Box, ImageItem, Item
from ..template_fields import field_of, template_is_static
from ..units import MM_PER_INCH
from .base import ElementKind, register

if TYPE_CHECKING:
    from ..resolve import Resolver


PORTRAIT_ROLE = "portrait"  # the image the photo tools prepare and the record checks measure


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


def image_items(
    r: Resolver, el: ImageElement, box: Box, layer: str, ctx: Mapping[str, Any], base_dirs: Sequence[Path]
) -> list[Item]:
    src = r.render_template(el.src, ctx, el.id, "src").strip()
    if not src:
        return []
    candidates = [Path(src)] if Path(src).is_absolute() else [d / src for d in base_dirs]
    path = next((p for p in candidates if p.is_file()), candidates[0])
    if el.role == PORTRAIT_ROLE and (too_small := portrait_problem(path, box.w, box.h)) is not None:
        raise DataError(too_small, field=field_of(el.src), element_id=el.id)
    try:
        pixels, dest = load_pixels(
            path,
            box=box,
            fit=el.fit,
            position=el.position,
            crop=el.crop,
            greyscale=el.greyscale,
            max_dpi=el.max_dpi,
        )
    except ImageLoadError as exc:
        if template_is_static(el.src):  # artwork named by the layout itself: the layout's error, found once
            raise r.layout_error(el.id, "src", str(exc)) from None
        raise DataError(str(exc), field=field_of(el.src), element_id=el.id) from None
    pixels = apply_effects(
        pixels,
        dest.w,
        tint=el.tint.to_rgb8() if el.tint is not None else None,
        screen=el.screen,
        screen_pitch_mm=el.screen_pitch,
        vignette_mm=el.vignette,
    )
    return [ImageItem(el.id, layer, dest, pixels, opacity=el.opacity)]


IMAGE = register(ElementKind("image", ImageElement, image_items, content=True, rank=20))

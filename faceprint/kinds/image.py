"""Images: the portrait and artwork, cropped and fitted to their box, with screens and tints."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import DataError
from ..images import ImageLoadError, apply_effects, load_pixels
from ..layout_file import PORTRAIT_ROLE
from ..layout_file.model import ImageElement
from ..records_limits import portrait_problem
from ..scene import Box, ImageItem, Item
from ..template_fields import field_of, template_is_static
from .base import ElementKind, register

if TYPE_CHECKING:
    from ..resolve import Resolver


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


IMAGE = register(ElementKind("image", ImageElement, image_items, content=True))

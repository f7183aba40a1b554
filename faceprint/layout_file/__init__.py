"""Layout files: reading, inheritance, validation and the JSON Schema of the format."""

from __future__ import annotations

from ..errors import LayoutError
from .loader import LoadedLayout, load_layout
from .model import ImageElement, Layout, json_schema

PORTRAIT_ROLE = "portrait"


def _walk_images(elements: list[object]) -> list[ImageElement]:
    out: list[ImageElement] = []
    for el in elements:
        if isinstance(el, ImageElement):
            out.append(el)
        children = getattr(el, "children", None)
        if isinstance(children, list):
            out.extend(_walk_images(children))
    return out


def photo_box_mm(layout_path: str) -> tuple[float, float, int]:
    """Width and height (mm) of the layout's portrait box and the dpi its pixels are kept at.

    The portrait is the image element with ``role: portrait`` (front face first).
    """
    loaded = load_layout(layout_path)
    for face in ("front", "back"):
        for image in _walk_images(list(loaded.layout.face_elements(face))):
            if image.role == PORTRAIT_ROLE:
                return image.box[2], image.box[3], image.max_dpi
    raise LayoutError("no image element with 'role: portrait'", file=str(loaded.path))


__all__ = ["Layout", "LoadedLayout", "json_schema", "load_layout", "photo_box_mm"]

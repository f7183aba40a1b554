"""Layout files: reading, inheritance, validation and the JSON Schema of the format."""

from __future__ import annotations

from ..errors import LayoutError
from ..kinds.image import PORTRAIT_ROLE
from .loader import LoadedLayout, load_layout
from .model import ImageElement, Layout, json_schema
from .walk import walk_elements


def photo_box_mm(layout_path: str) -> tuple[float, float, int]:
    """Width and height (mm) of the layout's portrait box and the dpi its pixels are kept at.

    The portrait is the image element with ``role: portrait`` (front face first).
    """
    loaded = load_layout(layout_path)
    for face in ("front", "back"):
        for el, _dx, _dy, _layer in walk_elements(loaded.layout.face_elements(face)):
            if isinstance(el, ImageElement) and el.role == PORTRAIT_ROLE:
                return el.box[2], el.box[3], el.max_dpi
    raise LayoutError("no image element with 'role: portrait'", file=str(loaded.path))


__all__ = ["PORTRAIT_ROLE", "Layout", "LoadedLayout", "json_schema", "load_layout", "photo_box_mm"]

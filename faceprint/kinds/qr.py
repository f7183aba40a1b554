"""QR codes: a template encoded as a module matrix centred in its box with its quiet zone."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from pydantic import Field

from ..color import BLACK, WHITE
from ..errors import DataError
from ..layout_types import BoxValue, ColorValue, ElementBase
from ..limits import MAX_QR_QUIET_ZONE, MIN_QR_MODULE_MM, QR_VERSION_1_MODULES
from ..qr import QrError, qr_matrix
from ..scene import Box, Item, QrItem
from ..template_fields import field_of, template_is_static
from .base import ElementKind, register

if TYPE_CHECKING:
    from ..resolve import Resolver


class QrElement(ElementBase):
    type: Literal["qr"]
    box: BoxValue
    value: str = Field(description="jinja2 template of the encoded text")
    ec: Literal["L", "M", "Q", "H"] = Field("M", description="error-correction level (ISO/IEC 18004)")
    quiet_zone: int = Field(4, ge=0, le=MAX_QR_QUIET_ZONE, description="light margin in modules; 4 per ISO/IEC 18004 §7.3.7")
    color: ColorValue = BLACK
    background: ColorValue = WHITE


def qr_items(r: Resolver, el: QrElement, box: Box, layer: str, ctx: Mapping[str, Any], base_dirs: Sequence[Path]) -> list[Item]:
    value = r.render_template(el.value, ctx, el.id, "value")
    if not value:
        return []
    try:
        matrix = qr_matrix(value, el.ec)
    except QrError as exc:
        raise DataError(f"cannot encode as QR: {exc}", field=field_of(el.value), element_id=el.id) from None
    n = len(matrix) + 2 * el.quiet_zone
    module = min(box.w, box.h) / n
    if module < MIN_QR_MODULE_MM:
        reason = (
            f"a QR code of {n} modules (with its quiet zone) in a {box.w:g} × {box.h:g} mm box has modules of "
            f"{module:.3f} mm, under the limit MIN_QR_MODULE_MM = {MIN_QR_MODULE_MM} (no camera resolves them)"
        )
        smallest = min(box.w, box.h) / (QR_VERSION_1_MODULES + 2 * el.quiet_zone)
        if smallest < MIN_QR_MODULE_MM or template_is_static(el.value):  # the box holds no QR code at all
            raise r.layout_error(el.id, "box", reason)
        raise DataError(reason + ": the value is too long for the box", field=field_of(el.value), element_id=el.id)
    x0 = box.x + (box.w - module * n) / 2.0 + el.quiet_zone * module
    y0 = box.y + (box.h - module * n) / 2.0 + el.quiet_zone * module
    return [QrItem(el.id, layer, x0, y0, module, matrix, el.color or BLACK, el.background, el.quiet_zone)]


QR = register(ElementKind("qr", QrElement, qr_items, content=True, rank=60))

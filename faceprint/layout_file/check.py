"""``faceprint validate``'s second half: the layout resolved against the built-in specimen record.

Reading and model validation catch what a layout says; some mistakes only show when its templates
run: a ``when:`` naming a variable no record has (``vars.numbr_qr`` silently dropped the number's
QR code), artwork that is not there, a font stack whose fallback face is missing, a template that
runs over a limit. The specimen (``faceprint.lint.specimen_record``) has every record field, so a
name it lacks is the layout's error. What depends on a record's values (text that does not fit,
a glyph a font lacks) stays with ``faceprint lint``; here such data errors are passed over.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from ..errors import DataError
from ..resolve import Resolver
from ..scene import Box, Item
from .loader import LoadedLayout
from .model import Element, ImageElement, MicrotextElement, QrElement, TextElement


class _SpecimenResolver(Resolver):
    """Resolves with a complete record: unknown names are layout errors; data errors are lint's business."""

    strict_names = True

    def _pass_over(self, fn: Callable[[], list[Item]]) -> list[Item]:
        try:
            return fn()
        except DataError:
            return []

    def _text(self, el: TextElement, box: Box, layer: str, ctx: Mapping[str, Any]) -> list[Item]:
        return self._pass_over(lambda: super(_SpecimenResolver, self)._text(el, box, layer, ctx))

    def _image(self, el: ImageElement, box: Box, layer: str, ctx: Mapping[str, Any], base_dirs: Sequence[Path]) -> list[Item]:
        return self._pass_over(lambda: super(_SpecimenResolver, self)._image(el, box, layer, ctx, base_dirs))

    def _qr(self, el: QrElement, box: Box, layer: str, ctx: Mapping[str, Any]) -> list[Item]:
        return self._pass_over(lambda: super(_SpecimenResolver, self)._qr(el, box, layer, ctx))

    def _microtext(
        self, el: MicrotextElement, points: list[tuple[float, float]], layer: str, ctx: Mapping[str, Any]
    ) -> list[Item]:
        return self._pass_over(lambda: super(_SpecimenResolver, self)._microtext(el, points, layer, ctx))

    def _when(self, el: Element, ctx: Mapping[str, Any]) -> bool:
        try:
            return super()._when(el, ctx)
        except DataError:
            return False

    def _render(self, template: str, ctx: Mapping[str, Any], element_id: str, prop: str) -> str:
        try:
            return super()._render(template, ctx, element_id, prop)
        except DataError:
            return ""


def check_with_specimen(loaded: LoadedLayout) -> None:
    """Resolve both faces with the specimen record; raise the first ``LayoutError`` found."""
    from ..lint import SPECIMEN_ID, specimen_record

    record = specimen_record()
    _SpecimenResolver(loaded).resolve(record.template_context(), record_id=SPECIMEN_ID)

"""The annotation area (追記欄) of a layout: where its lines lie, and the text an entry prints as.

In: a loaded layout whose text element with ``role: annotation_area`` is the area. Out:
``AnnotationArea`` (face, box in card mm with group origins applied, line pitch = size × line_height,
number of lines, font stack, fit steps) and ``EntryFormatter``, which writes an entry through the
element's own value template, so the date form, the separator and the order are the layout's.

Lines are counted from the top of the box, as the layout sets its entries (valign top): a line
printed alone lands exactly where the full card would put it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..errors import DataError, LayoutError, UsageError
from ..layout_file.loader import LoadedLayout
from ..layout_file.model import Element, TextElement
from ..layout_file.walk import walk_elements
from ..resolve import Resolver
from ..rules import dates
from ..scene import Box
from ..templating import TemplateFailure, Templates
from ..text.fit import FitStep, block_height_mm
from ..text.fonts import FontFace
from ..tolerances import LENGTH_EPS_MM
from ..units import pt_to_mm

ROLE = "annotation_area"


@dataclass(frozen=True)
class AnnotationArea:
    layout_name: str
    element: TextElement
    face: str
    box: Box  # on the face, group origins applied
    layer: str
    stack: tuple[FontFace, ...]
    lines: int

    @property
    def element_id(self) -> str:
        return self.element.id

    @property
    def size_pt(self) -> float:
        return self.element.size

    @property
    def line_height(self) -> float:
        return self.element.line_height

    @property
    def pitch(self) -> float:
        """Distance between two lines' tops in mm (the ruled lines' spacing in the shipped layouts)."""
        return pt_to_mm(self.size_pt) * self.line_height

    @property
    def steps(self) -> tuple[FitStep, ...]:
        return self.element.fit

    def line_top(self, line: int) -> float:
        """Top of the em box of 1-based ``line``."""
        return self.box.y + (line - 1) * self.pitch


def _walk(
    elements: Sequence[Element], dx: float, dy: float, parent_layer: str | None
) -> list[tuple[TextElement, float, float, str]]:
    """Text elements with the area role, their group offset and their layer as the resolver decides it."""
    found: list[tuple[TextElement, float, float, str]] = []
    for el, ox, oy, layer in walk_elements(elements, dx=dx, dy=dy, parent_layer=parent_layer):
        if isinstance(el, TextElement) and el.role == ROLE:
            found.append((el, ox, oy, layer))
    return found


def _line_count(el: TextElement, height: float) -> int:
    """``lines`` as declared, else as many lines as the box is tall."""
    if el.lines is not None:
        return el.lines
    n = 1
    while block_height_mm(n + 1, el.size, el.line_height) <= height + LENGTH_EPS_MM:
        n += 1
    return n


def find_area(loaded: LoadedLayout, resolver: Resolver) -> AnnotationArea:
    layout = loaded.layout
    found = [(face, *hit) for face in ("front", "back") for hit in _walk(layout.face_elements(face), 0.0, 0.0, None)]
    if not found:
        raise LayoutError(f"no text element with 'role: {ROLE}': this layout has no annotation area", file=str(loaded.path))
    if len(found) > 1:
        ids = ", ".join(f"'{hit[1].id}'" for hit in found)
        file, line = loaded.where(found[1][1].id)
        raise LayoutError(
            f"more than one annotation area ({ids}); a card has one", file=file, line=line, element_id=found[1][1].id
        )
    face, el, dx, dy, layer = found[0]
    box = Box(*el.box).offset(dx, dy)
    if block_height_mm(1, el.size, el.line_height) > box.h + LENGTH_EPS_MM:
        file, line = loaded.where(el.id)
        raise LayoutError(
            "the annotation area is lower than one line of its type", file=file, line=line, element_id=el.id, prop="box"
        )
    stack = tuple(resolver.stack(el.font, bold=el.bold, element_id=el.id))
    name = layout.name or loaded.path.parent.name
    return AnnotationArea(name, el, face, box, layer, stack, _line_count(el, box.h))


def _date_filter(pattern: str) -> Callable[..., str]:
    """A ``western_date``/``era_date`` stand-in that writes every date in ``pattern``, era or Western by its tokens."""
    era = dates.is_era_pattern(pattern)

    def write(value: dt.date | str | None, _pattern: object = None, gannen: bool = True) -> str:
        if value is None:
            raise ValueError("the entry's date is missing")
        return dates.era_date(value, pattern, gannen=gannen) if era else dates.western_date(value, pattern)

    return write


def check_date_pattern(pattern: str) -> str:
    """The pattern, or a usage error saying what is wrong with it (checked before anything is fitted)."""
    try:
        _date_filter(pattern)(dt.date(2019, 5, 1))
    except ValueError as exc:
        raise UsageError(f"date pattern {pattern!r}: {exc}") from None
    return pattern


class EntryFormatter:
    """Writes entries through the area's value template, the date in the configured form.

    Whether entry dates are Western or era is a setting (comment 47): ``date_pattern`` (a flag, or the
    layout's ``vars.annotation_date``) wins over the filter the template names, so a layout whose
    template says ``western_date(vars.annotation_date)`` still prints era dates when the setting is
    ``EEN年M月D日``. Without a pattern the template is rendered as written (today's card: era dates).
    """

    def __init__(self, loaded: LoadedLayout, area: AnnotationArea, date_pattern: str | None) -> None:
        self.loaded = loaded
        self.area = area
        filters = (
            {} if date_pattern is None else {"western_date": _date_filter(date_pattern), "era_date": _date_filter(date_pattern)}
        )
        self.templates = Templates(filters)

    def text(self, ctx: Mapping[str, Any], entries: Sequence[Mapping[str, Any]]) -> str:
        """The area's text for ``entries`` (``{date, text}``), with the rest of the record as context."""
        full = {**ctx, "annotations": list(entries), "vars": self.loaded.layout.vars}
        try:
            return self.templates.render(self.area.element.value, full).strip()
        except TemplateFailure as exc:
            if exc.kind in ("sandbox", "syntax"):
                file, line = self.loaded.where(self.area.element_id)
                raise LayoutError(str(exc), file=file, line=line, element_id=self.area.element_id, prop="value") from None
            raise DataError(str(exc), element_id=self.area.element_id) from None


def layout_date_pattern(loaded: LoadedLayout) -> str | None:
    """The layout's own setting for entry dates (``vars.annotation_date``), if it has one."""
    value = loaded.layout.vars.get("annotation_date")
    if value is None:
        return None
    if not isinstance(value, str):
        raise LayoutError(
            f"vars.annotation_date must be a date pattern such as 'YYYY年M月D日', got {value!r}", file=str(loaded.path)
        )
    return value

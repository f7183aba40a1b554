"""Text: a template set in a box with its fitting rules and ruby (furigana)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from pydantic import Field

from ..color import BLACK
from ..errors import DataError, LabelDoesNotFit
from ..layout_types import BoxValue, ColorValue, ElementBase, FitSteps, NonNegLength, SizePt, Strict
from ..limits import MAX_LINE_HEIGHT
from ..scene import Box, Item
from ..template_fields import field_of, template_is_static
from ..text.fit import MIN_HSCALE, FitRequest, TextDoesNotFit, fit_text, label_steps
from ..text.setting import RubySpec, set_text
from ..text.shaping import Cluster, MissingGlyph, shape
from ..tolerances import SCALE_EPS
from ..units import pt_to_mm
from .base import ElementKind, Problem, register

if TYPE_CHECKING:
    from ..resolve import Resolver


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


def text_items(
    r: Resolver, el: TextElement, box: Box, layer: str, ctx: Mapping[str, Any], base_dirs: Sequence[Path]
) -> list[Item]:
    text = r.render_template(el.value, ctx, el.id, "value").strip()
    if not text:
        return []
    reading = r.render_template(el.ruby.value, ctx, el.id, "ruby.value").strip() if el.ruby is not None else ""
    if not is_label(el):
        return _set_text(r, el, box, layer, text, reading, label=False)
    # Labels and other texts that read no record field are the same on every card: set them once.
    return r.memo(("text", el.id, box, layer, text, reading), lambda: _set_text(r, el, box, layer, text, reading, label=True))


def set_label(r: Resolver, el: TextElement, box: Box, layer: str, ctx: Mapping[str, Any]) -> list[Item]:
    """Set a label (static text) as every card shows it; ``LabelDoesNotFit`` if it cannot be."""
    text = r.render_template(el.value, ctx, el.id, "value").strip()
    reading = r.render_template(el.ruby.value, ctx, el.id, "ruby.value").strip() if el.ruby is not None else ""
    return _set_text(r, el, box, layer, text, reading, label=True) if text else []


def _set_text(r: Resolver, el: TextElement, box: Box, layer: str, text: str, reading: str, *, label: bool) -> list[Item]:
    """Shape, fit and place one text. A label (no record content) is never condensed or shrunk:
    if it does not fit at its size, the layout is wrong (``LabelDoesNotFit``), whatever the record."""
    stack = r.stack(el.font, bold=el.bold, element_id=el.id)
    field = field_of(el.value)
    try:
        clusters = shape(text, stack, ivs_fallback=el.ivs_fallback)
    except MissingGlyph as exc:
        raise DataError(str(exc), field=field, element_id=el.id) from None
    ruby: RubySpec | None = None
    reserved = 0.0
    if el.ruby is not None and reading:
        ruby_stack = r.stack(el.ruby.font, bold=False, element_id=el.id, prop="ruby.font") if el.ruby.font else stack
        try:
            ruby_clusters: list[Cluster] = shape(reading, ruby_stack)
        except MissingGlyph as exc:
            raise DataError(str(exc), field=field_of(el.ruby.value), element_id=el.id) from None
        ruby = RubySpec(tuple(ruby_clusters), el.ruby.size, el.ruby.gap, el.ruby.color or el.color or BLACK)
        reserved = pt_to_mm(el.ruby.size) + el.ruby.gap
    request = FitRequest(
        width=box.w,
        height=box.h,
        size_pt=el.size,
        line_height=el.line_height,
        max_lines=el.lines,
        steps=label_steps(el.fit) if label else el.fit,
        reserved_top=reserved,
    )
    try:
        fitted = fit_text(clusters, request)
        runs = set_text(
            element_id=el.id,
            layer=layer,
            box=box,
            fitted=fitted,
            align=el.align,
            valign=el.valign,
            line_height=el.line_height,
            ascent_em=stack[0].ascent_em,
            color=el.color or BLACK,
            ruby=ruby,
        )
    except TextDoesNotFit as exc:
        if label:
            file, line = r.loaded.where(el.id)
            natural = sum(c.advance_em for c in clusters) * pt_to_mm(el.size)
            raise LabelDoesNotFit(
                f"label 「{text}」 does not fit its {box.w:.2f} × {box.h:.2f} mm box at {el.size:g}pt "
                f"({natural:.2f} mm on one line); labels are never condensed or shrunk: "
                "widen the box or shorten the label",
                file=file,
                line=line,
                element_id=el.id,
                prop="box",
            ) from None
        raise DataError(str(exc), field=field, element_id=el.id) from None
    return list(runs)


def is_label(el: TextElement) -> bool:
    """Static text: reads nothing from the record (its reading neither), the same on every card."""
    return template_is_static(el.value) and (el.ruby is None or template_is_static(el.ruby.value))


def text_layout_checks(el: TextElement, min_text_size_pt: float) -> Iterator[Problem]:
    """Lint before any record: sizes below the layout's floor, condense floors below the width floor,
    and fitting steps on a label, which are ignored (labels are never condensed or shrunk)."""
    sizes = [("size", el.size)]
    sizes += [("fit shrink floor", s.floor) for s in el.fit if s.kind == "shrink" and s.floor is not None]
    if el.ruby is not None:
        sizes.append(("ruby size", el.ruby.size))
    for what, size in sizes:
        if size < min_text_size_pt - SCALE_EPS:
            yield "error", "min-size", f"{what} {size:g}pt is below the minimum {min_text_size_pt:g}pt"
    label = is_label(el)
    for step in [] if label else el.fit:  # a label's steps are all ignored (below)
        if step.kind == "condense" and step.floor is not None and step.floor < MIN_HSCALE - SCALE_EPS:
            yield (
                "warning",
                "condense-floor",
                f"condense floor {step.floor:.0%} is below the {MIN_HSCALE:.0%} width floor; "
                f"it is raised to {MIN_HSCALE:.0%}",
            )
    if label and any(st.kind != "wrap" for st in el.fit):
        yield (
            "warning",
            "label-steps",
            "a label (no record content) is never condensed or shrunk: its condense/shrink steps are ignored",
        )


TEXT = register(
    ElementKind("text", TextElement, text_items, content=True, layout_checks=text_layout_checks, rank=10)
)

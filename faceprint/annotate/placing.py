"""Fitting an entry into the next free line(s) of the annotation area, and drawing entries as glyph runs.

In: the area, the card state and an entry's text. Out: where the entry goes (``Slot``: first line,
lines taken, half, size, condensing) or a refusal; and, for any entry in the state, its glyph runs at
card coordinates. Measuring, line breaking (kinsoku), fitting and setting are ``faceprint.text``'s,
with the area element's own font stack and fit steps and their floors.

Rules: entries go oldest first, each from the top of a fresh line (seed ⑥; the layouts' comment).
A long entry wraps onto at most ``ENTRY_MAX_LINES`` lines or condenses down to the layout's floor,
in the layout's order. In compact mode a short entry is set in half-height type in the upper half
of a line, and the next short entry in the lower half of the same line (comment 58: two lines of
text in one line of the area); "short" means it fits half a line as it is, since condensing type
already at half height would make it illegible, so a longer entry is printed at full height.
An entry that fits no free line is refused: the card must be reissued (comment 52;
docs/reference/product-brief.md).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..color import BLACK
from ..errors import DataError
from ..scene import Box, GlyphRun
from ..text.fit import FitRequest, FitResult, TextDoesNotFit, block_height_mm, fit_text, legible_steps, wrap
from ..text.setting import set_text
from ..text.shaping import Cluster, MissingGlyph, shape
from ..units import pt_to_mm
from .area import AnnotationArea
from .state import CardState, Entry, Half

# Issue #5: "a long entry wraps onto two lines or condenses within the floors". More lines for one
# entry would fill the area sooner, which is what the enlarged area is meant to prevent (comment 52).
ENTRY_MAX_LINES = 2
# Comment 58 (追記欄の１行に２行文): two lines of text in one line of the area, so each at half the
# size and half the pitch. This is below the layouts' 6 pt universal-design floor, so it is opt-in.
COMPACT_SCALE = 0.5


class AreaFull(DataError):
    """No free line (or half-line) holds the entry: the card must be reissued."""


@dataclass(frozen=True, slots=True)
class Slot:
    line: int  # 1-based first line
    span: int
    half: Half
    size_pt: float
    hscale: float


def shape_entry(area: AnnotationArea, text: str) -> list[Cluster]:
    try:
        return shape(text, area.stack, ivs_fallback=area.element.ivs_fallback)
    except MissingGlyph as exc:
        raise DataError(str(exc), element_id=area.element_id) from None


def _fit(area: AnnotationArea, clusters: Sequence[Cluster], *, size_pt: float, max_lines: int, steps: bool) -> FitResult | None:
    """The layout's fitting within ``max_lines`` lines, or (``steps`` False) the text as it is."""
    request = FitRequest(
        width=area.box.w,
        height=block_height_mm(max_lines, size_pt, area.line_height),
        size_pt=size_pt,
        line_height=area.line_height,
        max_lines=max_lines,
        steps=area.steps if steps else (),
    )
    try:
        return fit_text(clusters, request)
    except TextDoesNotFit:
        return None


def _describe_floors(area: AnnotationArea) -> str:
    steps = legible_steps(area.steps)  # as the fitter applies them: no condensing below 75 %
    parts = [s.kind if s.floor is None else f"{s.kind} to {s.floor:g}{'pt' if s.kind == 'shrink' else ''}" for s in steps]
    return ", ".join(parts) or "no fit steps"


def place_entry(area: AnnotationArea, state: CardState, clusters: Sequence[Cluster], *, compact: bool) -> tuple[Slot, str | None]:
    """Where a new entry goes, and a note when compact mode had to fall back to full-height type.

    Raises ``AreaFull`` when it fits no free line, and ``DataError`` when it would not fit even an
    empty area (then it is too long, and reissuing would not help).
    """
    used, total = state.used_lines, area.lines
    note: str | None = None
    if compact:
        half = _fit(area, clusters, size_pt=area.size_pt * COMPACT_SCALE, max_lines=1, steps=False)
        if half is not None:
            upper = state.open_half
            if upper is not None:
                return Slot(upper.line, 1, "lower", half.size_pt, half.hscale), None
            if used < total:
                return Slot(used + 1, 1, "upper", half.size_pt, half.hscale), None
        else:
            note = "too long for a half line, so it is printed in full-height type"
    free = total - used
    if free > 0:
        fitted = _fit(area, clusters, size_pt=area.size_pt, max_lines=min(ENTRY_MAX_LINES, free), steps=True)
        if fitted is not None:
            return Slot(used + 1, len(fitted.lines), None, fitted.size_pt, fitted.hscale), note
    fresh = _fit(area, clusters, size_pt=area.size_pt, max_lines=min(ENTRY_MAX_LINES, total), steps=True)
    if fresh is None:
        n = sum(1 for c in clusters if not c.is_break)
        raise DataError(
            f"the entry ({n} characters with its date) does not fit {min(ENTRY_MAX_LINES, total)} lines of the "
            f"{area.box.w:.2f} mm annotation area even after {_describe_floors(area)}; shorten it",
            element_id=area.element_id,
        )
    needs = f" and the entry needs {len(fresh.lines)} lines" if free > 0 else ""
    raise AreaFull(f"annotation area full: {used} of {total} lines used{needs}; the card must be reissued")


def seed_slots(area: AnnotationArea, block: Sequence[Cluster], entries: Sequence[Sequence[Cluster]]) -> list[Slot]:
    """Where the record's entries were printed when the card was issued: the layout set them as one block.

    The block is fitted as the resolver fits the element (one size and condensing for all of it), then
    each entry takes the lines its own text breaks into at that size, one after the other.
    """
    request = FitRequest(area.box.w, area.box.h, area.size_pt, area.line_height, area.lines, area.steps)
    try:
        fitted = fit_text(block, request)
    except TextDoesNotFit as exc:
        raise DataError(
            f"the record's annotations do not fit the layout's annotation area: {exc}", element_id=area.element_id
        ) from None
    slots: list[Slot] = []
    line = 1
    for clusters in entries:
        lines = _lines(area, clusters, fitted.size_pt, fitted.hscale)
        span = max(len(lines), 1)
        slots.append(Slot(line, span, None, fitted.size_pt, fitted.hscale))
        line += span
    if line - 1 != len(fitted.lines):
        raise DataError(
            f"the annotation template does not write one entry per line ({len(entries)} entries set as {len(fitted.lines)} "
            f"lines, {line - 1} expected)",
            element_id=area.element_id,
        )
    return slots


def _lines(area: AnnotationArea, clusters: Sequence[Cluster], size_pt: float, hscale: float) -> list[tuple[Cluster, ...]]:
    lines = wrap(clusters, area.box.w, size_pt, hscale)
    if lines is None:
        raise DataError(f"an entry no longer fits the {area.box.w:.2f} mm area at its recorded size", element_id=area.element_id)
    return lines


def entry_runs(area: AnnotationArea, entry: Entry) -> list[GlyphRun]:
    """The entry's glyph runs where it is on the card: each line on its own line of the area."""
    clusters = shape_entry(area, entry.printed)
    lines = _lines(area, clusters, entry.size_pt, entry.hscale)
    if len(lines) != entry.span:
        raise DataError(
            f"entry of {entry.date.isoformat()} on line {entry.line} now breaks into {len(lines)} lines, not the "
            f"{entry.span} recorded (have the fonts changed?)",
            element_id=area.element_id,
        )
    el = area.element
    slot_h = area.pitch * COMPACT_SCALE if entry.half else area.pitch
    shift = area.pitch * COMPACT_SCALE if entry.half == "lower" else 0.0
    runs: list[GlyphRun] = []
    for j, line in enumerate(lines):
        box = Box(area.box.x, area.line_top(entry.line + j) + shift, area.box.w, max(slot_h, pt_to_mm(entry.size_pt)))
        runs += set_text(
            element_id=el.id,
            layer=area.layer,
            box=box,
            fitted=FitResult(entry.size_pt, entry.hscale, (line,)),
            align=el.align,
            valign="top",
            line_height=el.line_height,
            ascent_em=area.stack[0].ascent_em,
            color=el.color or BLACK,
        )
    return runs

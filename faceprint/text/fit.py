"""Fitting text into its box: wrap, condense (長体) and shrink, in the layout's order, with floors.

In: shaped clusters, the box, the nominal size and the element's fit steps. Out: the chosen size,
horizontal scale and broken lines, or ``TextDoesNotFit`` when even every floor is not enough.
Text is never clipped. Each step is exhausted before the next is tried; after a later step
finds what it needs, earlier steps are relaxed again as far as they can be (e.g. once a size is
found, the widest condensing that still fits at that size is kept).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

from ..units import pt_to_mm
from .linebreak import break_allowed_after
from .shaping import Cluster

EPS_MM = 1e-6
CONDENSE_STEP = 0.01  # 1 % steps of horizontal scale
SHRINK_STEP_PT = 0.1  # 0.1 pt steps of type size

StepKind = Literal["wrap", "condense", "shrink"]


@dataclass(frozen=True, slots=True)
class FitStep:
    kind: StepKind
    floor: float | None = None  # condense: smallest scale (0.6 = 60 %); shrink: smallest size in pt


@dataclass(frozen=True, slots=True)
class FitRequest:
    width: float  # mm
    height: float  # mm
    size_pt: float
    line_height: float  # line pitch as a multiple of the size
    max_lines: int | None  # wrapped or not; None = as many as the height allows
    steps: tuple[FitStep, ...]
    reserved_top: float = 0.0  # mm reserved above the first line (the ruby line and its gap)


@dataclass(frozen=True, slots=True)
class FitResult:
    size_pt: float
    hscale: float
    lines: tuple[tuple[Cluster, ...], ...]


class TextDoesNotFit(ValueError):
    """No combination of the allowed steps above their floors fits the box."""


def line_width_mm(line: Sequence[Cluster], size_pt: float, hscale: float) -> float:
    em = pt_to_mm(size_pt) * hscale
    return sum(c.advance_em for c in line) * em


def block_height_mm(n_lines: int, size_pt: float, line_height: float, reserved_top: float = 0.0) -> float:
    """Em box of the first line, plus one pitch per further line, plus reserved space above."""
    size = pt_to_mm(size_pt)
    return reserved_top + size + max(n_lines - 1, 0) * size * line_height


def _trim(line: list[Cluster]) -> tuple[Cluster, ...]:
    start, end = 0, len(line)
    while start < end and (line[start].is_space or line[start].is_break):
        start += 1
    while end > start and (line[end - 1].is_space or line[end - 1].is_break):
        end -= 1
    return tuple(line[start:end])


def hard_lines(clusters: Sequence[Cluster]) -> list[tuple[Cluster, ...]]:
    lines: list[tuple[Cluster, ...]] = []
    cur: list[Cluster] = []
    for c in clusters:
        if c.is_break:
            lines.append(_trim(cur))
            cur = []
        else:
            cur.append(c)
    lines.append(_trim(cur))
    return lines


def wrap(clusters: Sequence[Cluster], width_mm: float, size_pt: float, hscale: float) -> list[tuple[Cluster, ...]] | None:
    """Greedy line filling at kinsoku-legal breaks; None if some unbreakable run is too wide."""
    em = pt_to_mm(size_pt) * hscale
    limit = width_mm / em + EPS_MM if em > 0 else float("inf")
    allowed = break_allowed_after(clusters)
    lines: list[tuple[Cluster, ...]] = []
    start = 0
    n = len(clusters)
    while start < n:
        width = 0.0
        last_break = -1
        i = start
        end: int | None = None
        while i < n:
            c = clusters[i]
            if c.is_break:
                end = i + 1
                break
            if not c.is_space:
                # trailing spaces do not count against the width
                trial = width + c.advance_em
                if trial > limit:
                    if last_break >= start:
                        end = last_break + 1
                        break
                    return None
            width += c.advance_em
            if allowed[i]:
                last_break = i
            i += 1
        if end is None:
            end = n
        lines.append(_trim(list(clusters[start:end])))
        start = end
        # a line never starts with the spaces that ended the previous one
        while start < n and clusters[start].is_space:
            start += 1
    if not lines or (clusters and clusters[-1].is_break):
        lines.append(())
    return lines


def _lines_for(
    clusters: Sequence[Cluster], req: FitRequest, size: float, hscale: float, wrapping: bool
) -> list[tuple[Cluster, ...]] | None:
    if wrapping:
        lines = wrap(clusters, req.width, size, hscale)
        if lines is None:
            return None
    else:
        lines = hard_lines(clusters)
        if any(line_width_mm(line, size, hscale) > req.width + EPS_MM for line in lines):
            return None
    # the line limit holds for the value's own line breaks too, not only for wrapped lines
    if req.max_lines is not None and len(lines) > req.max_lines:
        return None
    if block_height_mm(len(lines), size, req.line_height, req.reserved_top) > req.height + EPS_MM:
        return None
    return lines


def _grid(top: float, floor: float, step: float) -> list[float]:
    values = []
    k = 0
    while True:
        v = round(top - k * step, 6)
        if v < floor - 1e-9:
            break
        values.append(v)
        k += 1
    if not values or abs(values[-1] - floor) > 1e-9:
        values.append(floor)
    return values


def _largest_fitting(values: list[float], fits: Callable[[float], bool]) -> float | None:
    """Binary search for the first (largest) value that fits; fitting is monotone in the value."""
    if not values or not fits(values[-1]):
        return None
    lo, hi = 0, len(values) - 1  # values[hi] fits
    while lo < hi:
        mid = (lo + hi) // 2
        if fits(values[mid]):
            hi = mid
        else:
            lo = mid + 1
    return values[lo]


def fit_text(clusters: Sequence[Cluster], req: FitRequest) -> FitResult:
    size, hscale, wrapping = req.size_pt, 1.0, False
    condense_floor: float | None = None

    def attempt(s: float, h: float, w: bool) -> list[tuple[Cluster, ...]] | None:
        return _lines_for(clusters, req, s, h, w)

    def by_scale(s: float, w: bool) -> Callable[[float], bool]:
        return lambda h: attempt(s, h, w) is not None

    def by_size(h: float, w: bool) -> Callable[[float], bool]:
        return lambda s: attempt(s, h, w) is not None

    lines = attempt(size, hscale, wrapping)
    if lines is not None:
        return FitResult(size, hscale, tuple(lines))
    for step in req.steps:
        if step.kind == "wrap":
            wrapping = True
            if hscale < 1.0:
                # a condense step before it failed: on more lines less condensing (often none) may do
                relaxed = _largest_fitting(_grid(1.0, hscale, CONDENSE_STEP), by_scale(size, wrapping))
                if relaxed is not None:
                    hscale = relaxed
            lines = attempt(size, hscale, wrapping)
        elif step.kind == "condense":
            assert step.floor is not None
            condense_floor = step.floor
            grid = _grid(1.0, step.floor, CONDENSE_STEP)
            best = _largest_fitting(grid, by_scale(size, wrapping))
            if best is None:
                hscale = step.floor
                continue
            hscale = best
            lines = attempt(size, hscale, wrapping)
        elif step.kind == "shrink":
            assert step.floor is not None
            grid = _grid(req.size_pt, min(step.floor, req.size_pt), SHRINK_STEP_PT)
            best = _largest_fitting(grid, by_size(hscale, wrapping))
            if best is None:
                size = min(step.floor, req.size_pt)
                continue
            size = best
            if condense_floor is not None:
                # relax the condensing again: at the smaller size less of it may be needed
                regrid = _grid(1.0, hscale, CONDENSE_STEP)
                relaxed = _largest_fitting(regrid, by_scale(size, wrapping))
                if relaxed is not None:
                    hscale = relaxed
            lines = attempt(size, hscale, wrapping)
        if lines is not None:
            return FitResult(size, hscale, tuple(lines))
    n_chars = sum(1 for c in clusters if not c.is_break)
    floors = (
        ", ".join(
            s.kind if s.floor is None else f"{s.kind} to {s.floor:g}{'pt' if s.kind == 'shrink' else ''}" for s in req.steps
        )
        or "no fit steps"
    )
    raise TextDoesNotFit(
        f"text of {n_chars} characters does not fit its {req.width:.2f} × {req.height:.2f} mm box "
        f"at {req.size_pt:g}pt even after {floors}"
    )

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

from ..tolerances import LENGTH_EPS_MM, SCALE_EPS
from ..units import pt_to_mm
from .linebreak import Break, attached_span, break_classes, katakana_runs
from .shaping import Cluster

# Issue 12 §5 (project choice, no published standard): no glyph narrower than 75 % of its natural
# width. A layout's condense floor below it is raised to it (``faceprint lint`` warns), never obeyed.
MIN_HSCALE = 0.75
# Issue 12 §6 (project choice): a value that fits on one line at 90 % width or wider is set on one
# line, condensed a little, rather than wrapped.
ONE_LINE_MIN_HSCALE = 0.90
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


# Costs of the line breaker's choices (project choice, issue 12 §6): the number of lines first,
# then the class of each break, then how much of each line is left empty.
BREAK_COST = {Break.SPACE: 0.0, Break.UNIT: 2.0, Break.PHRASE: 6.0, Break.CHAR: 18.0}
SLACK_COST = 4.0  # × (empty fraction of a line)²; the last line of a paragraph may be short
LINE_COST = 1000.0  # above any sum of the other costs: the fewest lines always win
CANDIDATES_PER_CLASS = 3  # per line, the furthest breaks of each class the search considers (speed)


@dataclass(frozen=True, slots=True)
class _Paragraph:
    """What the wrapper needs of a text, computed once per fit (wrap runs once per trial scale)."""

    clusters: Sequence[Cluster]
    classes: list[Break]
    prefix: list[float]  # prefix[k]: advance of clusters[:k] in em
    katakana: list[tuple[int, int]]
    words: list[tuple[int, int]]  # (first, last) of each space-separated word of two or more clusters
    trimmed: list[int]  # trimmed[e]: end of a line [s, e) without its trailing spaces
    next_start: list[int]  # next_start[i]: where the line after a break after clusters[i] starts
    hard: list[bool]  # the value's own line breaks


def _paragraph(clusters: Sequence[Cluster]) -> _Paragraph:
    n = len(clusters)
    prefix = [0.0]
    for c in clusters:
        prefix.append(prefix[-1] + c.advance_em)
    blank = [c.is_space or c.is_break for c in clusters]
    space = [c.is_space for c in clusters]
    trimmed = list(range(n + 1))
    for e in range(1, n + 1):
        trimmed[e] = trimmed[e - 1] if blank[e - 1] else e
    next_start = [n] * n
    following = n
    for i in range(n - 1, -1, -1):
        next_start[i] = following
        if not space[i]:
            following = i  # a line never starts with the spaces that ended the previous one
    return _Paragraph(
        clusters,
        break_classes(clusters),
        prefix,
        katakana_runs(clusters),
        _words(blank),
        trimmed,
        next_start,
        [c.is_break for c in clusters],
    )


def _words(blank: list[bool]) -> list[tuple[int, int]]:
    words: list[tuple[int, int]] = []
    start: int | None = None
    for i, b in enumerate([*blank, True]):
        if not b and start is None:
            start = i
        elif b and start is not None:
            if i - 1 > start:
                words.append((start, i - 1))
            start = None
    return words


def wrap(
    clusters: Sequence[Cluster],
    width_mm: float,
    size_pt: float,
    hscale: float,
    *,
    max_lines: int | None = None,
    paragraph: _Paragraph | None = None,
    worst: Break = Break.CHAR,
) -> list[tuple[Cluster, ...]] | None:
    """Break into lines no wider than the box, choosing the best breaks; None if impossible.

    First without plain character breaks (spaces, address units and phrases only), and only if
    that fails (or needs more than ``max_lines``) with them too, as the last resort; ``worst``
    Break.PHRASE forbids that resort (the fitter condenses first). At each level the fewest lines
    come first; among those, breaks are ranked (``linebreak.Break``) and chosen for the whole text
    at once (a small dynamic programme, as Knuth–Plass does for paragraphs), so a line ends early
    at a good break rather than fully at a bad one. A katakana word that fits on a line is never
    broken; nor is a space-separated word (a name's part, a building name) that fits, unless
    keeping it whole costs a line. The result does not depend on ``max_lines`` except through the
    level, so an annotation entry wraps the same alone as in its block.
    """
    n = len(clusters)
    if n == 0:
        return [()]
    para = paragraph if paragraph is not None and paragraph.clusters is clusters else _paragraph(clusters)
    em = pt_to_mm(size_pt) * hscale
    limit = width_mm / em + LENGTH_EPS_MM if em > 0 else float("inf")
    plain = hard_lines(clusters)
    if all(sum(c.advance_em for c in line) <= limit for line in plain):
        return plain  # nothing to break: the fast path of most trial scales
    for level in (Break.PHRASE, Break.CHAR):
        if level > worst:
            break
        ends = _wrap_at(para, limit, max_lines, level)
        if ends is not None:
            lines = [
                _trim(list(clusters[start:end]))
                for start, end in zip([0, *(para.next_start[e - 1] for e in ends[:-1])], ends, strict=True)
            ]
            if para.hard[-1]:
                lines.append(())
            return lines
    return None


def _wrap_at(para: _Paragraph, limit: float, max_lines: int | None, level: Break) -> list[int] | None:
    """Line ends using breaks no worse than ``level``; katakana words (and, free, all words) whole."""
    base = [c if c <= level else Break.NEVER for c in para.classes]
    katakana = _keeping(para, base, para.katakana, limit)
    fewest = _fewest_lines(para, katakana, limit)
    if fewest is None or (max_lines is not None and fewest > max_lines):
        return None
    classes = katakana
    if para.words:
        whole = _keeping(para, katakana, para.words, limit)
        if _fewest_lines(para, whole, limit) == fewest:
            classes = whole
    return _best_breaks(para, classes, limit)


def _keeping(para: _Paragraph, classes: list[Break], keep: list[tuple[int, int]], limit: float) -> list[Break]:
    """``classes`` with no break inside the ``keep`` spans that fit on a line."""
    out = list(classes)
    prefix = para.prefix
    for first, last in keep:
        lo, hi = attached_span(para.classes, first, last)
        if prefix[para.trimmed[hi + 1]] - prefix[lo] <= limit:  # a space after it vanishes at a break
            for i in range(first, last):
                out[i] = Break.NEVER
    return out


def _fewest_lines(para: _Paragraph, classes: list[Break], limit: float) -> int | None:
    """The least number of lines (each as full as the legal breaks allow); None if a run is too wide."""
    n = len(classes)
    s, count = 0, 0
    while s < n:
        furthest = -1
        for i in range(s, n):
            e = para.trimmed[i + 1]
            if e > s and para.prefix[e] - para.prefix[s] > limit:
                break
            if classes[i] != Break.NEVER:
                furthest = i
            if para.hard[i]:
                break
        if furthest < 0:
            return None
        count += 1
        s = para.next_start[furthest]
    return count


def _best_breaks(para: _Paragraph, classes: list[Break], limit: float) -> list[int]:
    """Line ends (exclusive) of the least-cost breaking; the fewest lines first (``LINE_COST``).

    Fewest lines first makes the result the same whatever bound the caller has (a bound either
    admits the fewest lines or nothing), and each of the value's own lines independent of the
    others, so an annotation entry breaks the same alone as in its block. Call only when
    ``_fewest_lines`` found a breaking.
    """
    n = len(classes)
    inf = float("inf")
    best: dict[int, float] = {0: 0.0}
    back: dict[int, tuple[int, int]] = {}  # start of a line -> (start of the previous line, its end)
    prefix, trimmed, next_start, hard = para.prefix, para.trimmed, para.next_start, para.hard
    for s in range(n):
        cost = best.get(s)
        if cost is None:
            continue
        candidates: dict[Break, list[tuple[int, float]]] = {}
        for i in range(s, n):
            e = trimmed[i + 1]
            width = prefix[e] - prefix[s] if e > s else 0.0
            if width > limit:
                break
            cls = classes[i]
            if cls != Break.NEVER:
                kept = candidates.setdefault(cls, [])
                kept.append((i, width))
                if len(kept) > CANDIDATES_PER_CLASS:
                    del kept[0]  # only the furthest few of each class can be worth their line
            if hard[i]:
                break
        for cls, kept in candidates.items():
            for i, width in kept:
                nxt = next_start[i]
                last = nxt >= n or hard[i]
                slack = 0.0 if last else (1.0 - width / limit) ** 2 * SLACK_COST
                total = cost + BREAK_COST[cls] + slack + LINE_COST
                if total < best.get(nxt, inf):
                    best[nxt] = total
                    back[nxt] = (s, i + 1)
    ends: list[int] = []
    pos = n
    while pos > 0:
        pos, end = back[pos]
        ends.append(end)
    ends.reverse()
    return ends


def max_lines_for(req: FitRequest, size_pt: float) -> int:
    """How many lines the box takes at this size: its height and the layout's ``lines`` both bound it."""
    size = pt_to_mm(size_pt)
    room = req.height + LENGTH_EPS_MM - req.reserved_top - size
    by_height = 0 if room < 0 else 1 + (int(room / (size * req.line_height)) if req.line_height > 0 else 0)
    return by_height if req.max_lines is None else min(by_height, req.max_lines)


def _lines_for(
    clusters: Sequence[Cluster],
    req: FitRequest,
    size: float,
    hscale: float,
    wrapping: bool,
    paragraph: _Paragraph | None = None,
    worst: Break = Break.CHAR,
) -> list[tuple[Cluster, ...]] | None:
    if wrapping:
        budget = max_lines_for(req, size)
        if budget < 1:
            return None
        lines = wrap(clusters, req.width, size, hscale, max_lines=budget, paragraph=paragraph, worst=worst)
        if lines is None:
            return None
    else:
        lines = hard_lines(clusters)
        if any(line_width_mm(line, size, hscale) > req.width + LENGTH_EPS_MM for line in lines):
            return None
    # the line limit holds for the value's own line breaks too, not only for wrapped lines
    if req.max_lines is not None and len(lines) > req.max_lines:
        return None
    if block_height_mm(len(lines), size, req.line_height, req.reserved_top) > req.height + LENGTH_EPS_MM:
        return None
    return lines


def _grid(top: float, floor: float, step: float) -> list[float]:
    values = []
    k = 0
    while True:
        v = round(top - k * step, 6)
        if v < floor - SCALE_EPS:
            break
        values.append(v)
        k += 1
    if not values or abs(values[-1] - floor) > SCALE_EPS:
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


def legible_steps(steps: Sequence[FitStep]) -> tuple[FitStep, ...]:
    """The layout's steps with every condense floor raised to ``MIN_HSCALE`` (never below it)."""
    return tuple(
        FitStep("condense", max(s.floor, MIN_HSCALE)) if s.kind == "condense" and s.floor is not None else s for s in steps
    )


def label_steps(steps: Sequence[FitStep]) -> tuple[FitStep, ...]:
    """Static text (a label) is never condensed or shrunk: only its wrap step, if any, is kept."""
    return tuple(s for s in steps if s.kind == "wrap")


def fit_text(clusters: Sequence[Cluster], req: FitRequest) -> FitResult:
    """Fit by the layout's steps, within the legibility floors; wrap if the layout allows lines.

    Condense floors below ``MIN_HSCALE`` are raised to it. Before a wrap step, a value that fits
    on one line at ``ONE_LINE_MIN_HSCALE`` or wider (and the layout allows condensing that far)
    stays on one line. When the steps run out and the layout allows more than one line (``lines``)
    but has no wrap step, the steps are tried once more, wrapping from the start. Plain character
    breaks are allowed only when no plan fits without them.
    """
    steps = legible_steps(req.steps)
    as_is = _lines_for(clusters, req, req.size_pt, 1.0, False)
    if as_is is not None:
        return FitResult(req.size_pt, 1.0, tuple(as_is))  # most values: no breaks to rank
    paragraph: _Paragraph | None = None
    if any(s.kind == "wrap" for s in steps) or (req.max_lines or 1) > 1:
        paragraph = _paragraph(clusters)
    plans = [steps]
    if (req.max_lines or 1) > 1 and not any(s.kind == "wrap" for s in steps):
        plans.append((FitStep("wrap"), *steps))
    # Plain character breaks are the last resort: every plan is tried without them first, so a
    # value is condensed or shrunk (within the floors) before it is broken inside a word.
    for worst in (Break.PHRASE, Break.CHAR) if paragraph is not None else (Break.CHAR,):
        for plan in plans:
            result = _fit_steps(clusters, req, plan, paragraph, worst)
            if result is not None:
                return result
    n_chars = sum(1 for c in clusters if not c.is_break)
    floors = (
        ", ".join(s.kind if s.floor is None else f"{s.kind} to {s.floor:g}{'pt' if s.kind == 'shrink' else ''}" for s in steps)
        or "no fit steps"
    )
    raise TextDoesNotFit(
        f"text of {n_chars} characters does not fit its {req.width:.2f} × {req.height:.2f} mm box "
        f"at {req.size_pt:g}pt even after {floors}"
    )


def _fit_steps(
    clusters: Sequence[Cluster], req: FitRequest, steps: Sequence[FitStep], paragraph: _Paragraph | None, worst: Break
) -> FitResult | None:
    size, hscale, wrapping = req.size_pt, 1.0, False
    condense_floor: float | None = None
    condense = next((s.floor for s in steps if s.kind == "condense" and s.floor is not None), None)

    tried: dict[tuple[float, float, bool], list[tuple[Cluster, ...]] | None] = {}

    def attempt(s: float, h: float, w: bool) -> list[tuple[Cluster, ...]] | None:
        key = (s, h, w)  # the searches ask again for what they found: remember it
        if key not in tried:
            tried[key] = _lines_for(clusters, req, s, h, w, paragraph, worst)
        return tried[key]

    def by_scale(s: float, w: bool) -> Callable[[float], bool]:
        return lambda h: attempt(s, h, w) is not None

    def by_size(h: float, w: bool) -> Callable[[float], bool]:
        return lambda s: attempt(s, h, w) is not None

    lines = attempt(size, hscale, wrapping)
    if lines is not None:
        return FitResult(size, hscale, tuple(lines))
    for step in steps:
        if step.kind == "wrap":
            if condense is not None and hscale > ONE_LINE_MIN_HSCALE and not wrapping:
                # a short value condensed a little reads better than the same value wrapped
                grid = _grid(hscale, max(ONE_LINE_MIN_HSCALE, condense), CONDENSE_STEP)
                one_line = _largest_fitting(grid, by_scale(size, False))
                if one_line is not None:
                    return FitResult(size, one_line, tuple(hard_lines(clusters)))
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
    return None

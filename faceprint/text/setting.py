"""Placing fitted lines in their box: alignment, vertical alignment and ruby (furigana).

In: fitted lines (``fit.FitResult``) and the element's alignment. Out: ``GlyphRun`` scene items
with every glyph's pen position in mm. Alignment is left, centre, right or ``justify``
(均等割付: the characters spread evenly across the full width, the way card labels such as
氏　名 are set). Ruby is set above the base text, centred over each space-separated word when
base and reading have the same number of words (山田 太郎 / やまだ たろう), otherwise over the
whole line; a reading wider than its word is condensed down to ``RUBY_MIN_HSCALE`` (the global
legibility floor, ``fit.MIN_HSCALE``) and then allowed to overhang, as JIS X 4051 permits, but
never beyond the box.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from ..color import Color
from ..scene import Box, Glyph, GlyphRun
from ..tolerances import LENGTH_EPS_MM
from ..units import pt_to_mm
from .fit import MIN_HSCALE, FitResult, TextDoesNotFit
from .shaping import Cluster

Align = Literal["left", "center", "right", "justify"]
VAlign = Literal["top", "middle", "bottom"]

RUBY_MIN_HSCALE = MIN_HSCALE  # JIS X 4051 §5.3 leaves this open; issue 12 §5: no glyph below 75 % width


@dataclass(frozen=True, slots=True)
class RubySpec:
    clusters: tuple[Cluster, ...]
    size_pt: float
    gap: float  # mm between the reading's em box and the base text's em box
    color: Color


def _runs_from_positions(
    element_id: str,
    layer: str,
    placed: Sequence[tuple[Cluster, float, float]],
    size_pt: float,
    hscale: float,
    baseline_y: float,
    color: Color,
) -> list[GlyphRun]:
    """Group consecutive glyphs of one face into runs. ``placed`` = (cluster, x, advance)."""
    runs: list[GlyphRun] = []
    cur: list[tuple[Cluster, float, float]] = []

    def flush() -> None:
        if cur:
            face = cur[0][0].face
            runs.append(
                GlyphRun(
                    element_id=element_id,
                    layer=layer,
                    font=face.ref,
                    size_pt=size_pt,
                    hscale=hscale,
                    baseline_y=baseline_y,
                    glyphs=tuple(Glyph(c.gid, x, c.text) for c, x, _ in cur),
                    color=color,
                    advances=tuple(a for _, _, a in cur),
                )
            )
            cur.clear()

    for item in placed:
        if item[0].is_space:
            flush()
            continue
        if cur and cur[-1][0].face is not item[0].face:
            flush()
        cur.append(item)
    flush()
    return runs


def _place_line(
    line: Sequence[Cluster], x0: float, width: float, size_pt: float, hscale: float, align: Align
) -> list[tuple[Cluster, float, float]]:
    em = pt_to_mm(size_pt) * hscale
    advances = [c.advance_em * em for c in line]
    natural = sum(advances)
    gap = 0.0
    if align == "justify" and len(line) > 1:
        gap = max(width - natural, 0.0) / (len(line) - 1)
        start = x0
    elif align == "right":
        start = x0 + width - natural
    elif align == "center" or align == "justify":
        start = x0 + (width - natural) / 2.0
    else:
        start = x0
    placed = []
    x = start
    for c, adv in zip(line, advances, strict=True):
        placed.append((c, x, adv))
        x += adv + gap
    return placed


def _words(line: Sequence[Cluster]) -> list[list[int]]:
    """Indices of the clusters of each space-separated word."""
    words: list[list[int]] = []
    cur: list[int] = []
    for i, c in enumerate(line):
        if c.is_space:
            if cur:
                words.append(cur)
                cur = []
        else:
            cur.append(i)
    if cur:
        words.append(cur)
    return words


def _split_words(clusters: Sequence[Cluster]) -> list[list[Cluster]]:
    return [[clusters[i] for i in w] for w in _words(clusters)]


def set_text(
    *,
    element_id: str,
    layer: str,
    box: Box,
    fitted: FitResult,
    align: Align,
    valign: VAlign,
    line_height: float,
    ascent_em: float,
    color: Color,
    ruby: RubySpec | None = None,
) -> list[GlyphRun]:
    size = pt_to_mm(fitted.size_pt)
    n = len(fitted.lines)
    ruby_size_pt = 0.0
    ruby_block = 0.0
    if ruby is not None and ruby.clusters:
        ruby_size_pt = ruby.size_pt
        ruby_block = pt_to_mm(ruby_size_pt) + ruby.gap
    block = ruby_block + size + max(n - 1, 0) * size * line_height
    if valign == "top":
        top = box.y
    elif valign == "bottom":
        top = box.bottom - block
    else:
        top = box.y + (box.h - block) / 2.0
    runs: list[GlyphRun] = []
    first_line_placed: list[tuple[Cluster, float, float]] = []
    for i, line in enumerate(fitted.lines):
        em_top = top + ruby_block + i * size * line_height
        baseline = em_top + ascent_em * size
        placed = _place_line(line, box.x, box.w, fitted.size_pt, fitted.hscale, align)
        if i == 0:
            first_line_placed = placed
        runs.extend(_runs_from_positions(element_id, layer, placed, fitted.size_pt, fitted.hscale, baseline, color))
    if ruby is not None and ruby.clusters:
        if n != 1:
            raise TextDoesNotFit("ruby (furigana) needs its base text on one line, but the text was wrapped")
        runs.extend(_set_ruby(element_id, layer, box, first_line_placed, ruby, ruby_size_pt, top, ascent_em))
    return runs


def _set_ruby(
    element_id: str,
    layer: str,
    box: Box,
    base_placed: Sequence[tuple[Cluster, float, float]],
    ruby: RubySpec,
    ruby_size_pt: float,
    top: float,
    ascent_em: float,
) -> list[GlyphRun]:
    base_line = [c for c, _, _ in base_placed]
    base_words = _words(base_line)
    ruby_words = _split_words(ruby.clusters)
    if len(base_words) != len(ruby_words) or not base_words:
        base_words = [[i for i, c in enumerate(base_line) if not c.is_space]]
        ruby_words = [[c for c in ruby.clusters if not c.is_space]] if len(ruby_words) != 1 else ruby_words
        if len(ruby_words) != 1:
            ruby_words = [list(ruby.clusters)]
    ruby_em = pt_to_mm(ruby_size_pt)
    baseline = top + ascent_em * ruby_em
    runs: list[GlyphRun] = []
    for word_idx, reading in zip(base_words, ruby_words, strict=True):
        if not word_idx or not reading:
            continue
        x_left = base_placed[word_idx[0]][1]
        x_right = base_placed[word_idx[-1]][1] + base_placed[word_idx[-1]][2]
        span = x_right - x_left
        natural = sum(c.advance_em for c in reading) * ruby_em
        hscale = 1.0
        if natural > span + LENGTH_EPS_MM:
            hscale = max(RUBY_MIN_HSCALE, span / natural)
        width = natural * hscale
        start = x_left + (span - width) / 2.0
        start = min(max(start, box.x), box.right - width)
        if start < box.x - LENGTH_EPS_MM or width > box.w + LENGTH_EPS_MM:
            raise TextDoesNotFit(f"the reading of {len(reading)} characters is wider than the box ({box.w:.2f} mm)")
        placed = []
        x = start
        for c in reading:
            adv = c.advance_em * ruby_em * hscale
            placed.append((c, x, adv))
            x += adv
        runs.extend(_runs_from_positions(element_id, layer, placed, ruby_size_pt, hscale, baseline, ruby.color))
    return runs

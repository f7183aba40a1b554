"""Glyph runs as PDF text: one BT…ET per run, glyphs by CID with TJ offsets to the scene's x.

Horizontal scaling (長体) is the text state's ``Tz``; where a glyph's scene position differs
from where the previous advance leaves the pen (justification, ruby spreading), the TJ array
carries the difference, so the PDF places every glyph exactly where the scene says.

A run's code is built as parts: text, and placeholders for what only the document knows (the
font's resource name, each glyph's CID, both assigned in order of first use). ``static`` keeps
the parts of the runs every card repeats and only fills in the placeholders per card.
"""

from __future__ import annotations

import math
from typing import NamedTuple

from ...scene import GlyphRun
from ...text.fonts import FontRef
from ...text.sfnt import open_sfnt
from ...tolerances import LENGTH_EPS_MM
from ...units import MM_PER_INCH, PT_PER_INCH
from .device import PdfDevice
from .fonts import FontRegistry

TJ_EPSILON = 0.01  # thousandths of an em; smaller corrections are rounding noise


class FontName(NamedTuple):
    """Placeholder: the resource name (``FP1``…) the document gives ``font``."""

    font: FontRef


class Cid(NamedTuple):
    """Placeholder: the CID the document gives glyph ``key`` = (gid, text) of ``font``, as ``<XXXX>``."""

    font: FontRef
    key: tuple[int, str]


Part = str | FontName | Cid


def fill_parts(fonts: FontRegistry, parts: tuple[Part, ...] | list[Part]) -> str:
    """The code with the document's names and CIDs in place (assigned in order, as drawing does)."""
    out: list[str] = []
    append = out.append
    ref: FontRef | None = None
    font = None
    for part in parts:
        kind = type(part)
        if kind is str:
            append(part)  # type: ignore[arg-type]  # narrowed by the exact type check
        elif kind is Cid:
            if part.font is not ref or font is None:  # type: ignore[union-attr]
                ref = part.font  # type: ignore[union-attr]
                font = fonts.get(ref)
            append(font.cid_code(part.key))  # type: ignore[union-attr]
        else:
            assert isinstance(part, FontName)
            append(fonts.get(part.font).resource_name)
    return "".join(out)


def draw_glyph_run(device: PdfDevice, fonts: FontRegistry, run: GlyphRun) -> None:
    if not run.glyphs:
        return
    fonts.get(run.font)  # the font is named when its first run is drawn, as before any CID
    colour = device.begin_item(run.layer, run.color, None)
    device.literal(fill_parts(fonts, glyph_run_parts(device, run, colour)))
    device.end_item(run.layer)


def glyph_run_parts(device: PdfDevice, run: GlyphRun, colour: str) -> list[Part]:
    """The run's BT…ET, with ``colour``'s operators, as parts (see ``fill_parts``)."""
    if any(g.y is not None or g.angle for g in run.glyphs):
        return _on_path_parts(device, run, colour)
    src = open_sfnt(run.font.path, run.font.index)
    per_unit = 1.0 / src.units_per_em
    advances = src.advances
    size = run.size_pt
    tz = run.hscale * 100.0
    font = run.font
    x = device.x(run.glyphs[0].x)
    y = device.y(run.baseline_y)
    parts: list[Part] = ["BT /", FontName(font), f" {size:.4g} Tf {tz:.4g} Tz {colour} 1 0 0 1 {x:.3f} {y:.3f} Tm ["]
    pen = run.glyphs[0].x
    sep = ""
    for glyph in run.glyphs:
        delta_mm = glyph.x - pen
        if abs(delta_mm) > LENGTH_EPS_MM:
            # TJ numbers are thousandths of text space, scaled by the size and by Tz.
            adjust = -device.length(delta_mm) * 1000.0 / (size * run.hscale)
            if abs(adjust) > TJ_EPSILON:
                parts.append(f"{sep}{adjust:.3f}")
                sep = " "
        if sep:
            parts.append(sep)
        parts.append(Cid(font, (glyph.gid, glyph.text)))
        sep = " "
        # pt to mm, multiplied then divided in this order (a precomputed mm-per-pt rounds differently)
        natural_mm = advances[glyph.gid] * 1000.0 * per_unit / 1000.0 * size * run.hscale * MM_PER_INCH / PT_PER_INCH
        pen = glyph.x + natural_mm
    parts.append("] TJ ET")
    return parts


def _on_path_parts(device: PdfDevice, run: GlyphRun, colour: str) -> list[Part]:
    """Glyphs each with their own position and angle (microtext along a path): one Tm per glyph."""
    parts: list[Part] = ["BT /", FontName(run.font), f" {run.size_pt:.4g} Tf {run.hscale * 100:.4g} Tz {colour}"]
    for glyph in run.glyphs:
        theta = math.radians(glyph.angle)
        cos, sin = math.cos(theta), math.sin(theta)
        y = run.baseline_y if glyph.y is None else glyph.y
        # clockwise on the y-down page is a turn by -θ in PDF's y-up space
        parts.append(f" {cos:.5f} {-sin:.5f} {sin:.5f} {cos:.5f} {device.x(glyph.x):.3f} {device.y(y):.3f} Tm ")
        parts.append(Cid(run.font, (glyph.gid, glyph.text)))
        parts.append(" Tj")
    parts.append(" ET")
    return parts

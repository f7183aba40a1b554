"""Glyph runs as PDF text: one BT…ET per run, glyphs by CID with TJ offsets to the scene's x.

Horizontal scaling (長体) is the text state's ``Tz``; where a glyph's scene position differs
from where the previous advance leaves the pen (justification, ruby spreading), the TJ array
carries the difference, so the PDF places every glyph exactly where the scene says.
"""

from __future__ import annotations

import math

from ...scene import GlyphRun
from .device import PdfDevice
from .fonts import EmbeddedFont, FontRegistry

TJ_EPSILON = 0.01  # thousandths of an em; smaller corrections are rounding noise


def draw_glyph_run(device: PdfDevice, fonts: FontRegistry, run: GlyphRun) -> None:
    if not run.glyphs:
        return
    font = fonts.get(run.font)
    if any(g.y is not None or g.angle for g in run.glyphs):
        _draw_on_path(device, font, run)
        return
    size = run.size_pt
    tz = run.hscale * 100.0
    parts: list[str] = []
    pen = run.glyphs[0].x
    for glyph in run.glyphs:
        cid = font.cid(glyph.gid, glyph.text)
        delta_mm = glyph.x - pen
        if abs(delta_mm) > 1e-6:
            # TJ numbers are thousandths of text space, scaled by the size and by Tz.
            adjust = -device.length(delta_mm) * 1000.0 / (size * run.hscale)
            if abs(adjust) > TJ_EPSILON:
                parts.append(f"{adjust:.3f}")
        parts.append(f"<{cid:04X}>")
        natural_mm = font.width_1000(glyph.gid) / 1000.0 * size * run.hscale * 25.4 / 72.0
        pen = glyph.x + natural_mm
    x = device.x(run.glyphs[0].x)
    y = device.y(run.baseline_y)
    colour = device.begin_item(run.layer, run.color, None)
    device.literal(
        f"BT /{font.resource_name} {size:.4g} Tf {tz:.4g} Tz {colour} 1 0 0 1 {x:.3f} {y:.3f} Tm [{' '.join(parts)}] TJ ET"
    )
    device.end_item(run.layer)


def _draw_on_path(device: PdfDevice, font: EmbeddedFont, run: GlyphRun) -> None:
    """Glyphs each with their own position and angle (microtext along a path): one Tm per glyph."""
    colour = device.begin_item(run.layer, run.color, None)
    parts = [f"BT /{font.resource_name} {run.size_pt:.4g} Tf {run.hscale * 100:.4g} Tz {colour}"]
    for glyph in run.glyphs:
        theta = math.radians(glyph.angle)
        cos, sin = math.cos(theta), math.sin(theta)
        y = run.baseline_y if glyph.y is None else glyph.y
        cid = font.cid(glyph.gid, glyph.text)
        # clockwise on the y-down page is a turn by -θ in PDF's y-up space
        parts.append(f"{cos:.5f} {-sin:.5f} {sin:.5f} {cos:.5f} {device.x(glyph.x):.3f} {device.y(y):.3f} Tm <{cid:04X}> Tj")
    parts.append("ET")
    device.literal(" ".join(parts))
    device.end_item(run.layer)

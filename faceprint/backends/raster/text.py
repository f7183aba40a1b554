"""Glyph runs rasterised by FreeType from the scene's glyph ids.

Glyphs load unhinted (``FT_LOAD_NO_HINTING``) with embedded bitmaps off, so the PNG shows the
same outlines as the PDF; horizontal scaling (長体) is FreeType's transform matrix; the pen
position keeps its sub-pixel fraction through the transform's delta, so glyphs land where the
scene says to 1/64 px. Rendered glyphs are cached per (face, glyph, size, scale, sub-pixel phase).
"""

from __future__ import annotations

import ctypes
import math
import threading
from functools import lru_cache

import freetype
from PIL import Image

from ...scene import GlyphRun
from ...text.fonts import FontRef
from .device import Device

SUBPIXEL_STEPS = 4  # horizontal phases cached per glyph (quarter pixels)
LOAD_FLAGS = freetype.FT_LOAD_NO_HINTING | freetype.FT_LOAD_NO_BITMAP | freetype.FT_LOAD_RENDER

_faces: dict[FontRef, freetype.Face] = {}
_lock = threading.RLock()


def _face(ref: FontRef) -> freetype.Face:
    face = _faces.get(ref)
    if face is None:
        with _lock:
            face = _faces.get(ref)
            if face is None:
                face = freetype.Face(ref.path, index=ref.index)
                _faces[ref] = face
    return face


def _coverage_bytes(bm: freetype.Bitmap) -> bytes:
    """The bitmap's rows, ``width`` bytes each. Read straight from FreeType's buffer: freetype-py's
    ``Bitmap.buffer`` builds a Python list of every byte first (most of a new glyph's cost)."""
    pitch, rows, width = bm.pitch, bm.rows, bm.width
    if pitch <= 0:  # bottom-up rows (not what FT_LOAD_RENDER gives for grey glyphs): the slow, general way
        buffer = bm.buffer
        return b"".join(bytes(buffer[r * pitch : r * pitch + width]) for r in range(rows))
    raw = ctypes.string_at(bm._FT_Bitmap.buffer, pitch * rows)
    if pitch == width:
        return raw
    return b"".join(raw[r * pitch : r * pitch + width] for r in range(rows))


@lru_cache(maxsize=8192)
def _glyph_bitmap(
    ref: FontRef, gid: int, size_26_6: int, dpi: int, hscale_1000: int, phase_x: int, phase_y: int, angle_1000: int = 0
) -> tuple[Image.Image | None, int, int]:
    """(coverage mask, left, top) of one glyph; ``phase_*`` in 1/64 px, ``angle`` in 1/1000 degree."""
    with _lock:
        face = _face(ref)
        face.set_char_size(size_26_6, 0, dpi, dpi)
        hs = hscale_1000 / 1000
        # the scene turns glyphs clockwise on a y-down page; FreeType's y points up, so the turn is -θ
        theta = math.radians(angle_1000 / 1000)
        cos, sin = math.cos(theta), math.sin(theta)
        matrix = freetype.Matrix(round(cos * hs * 65536), round(sin * 65536), round(-sin * hs * 65536), round(cos * 65536))
        face.set_transform(matrix, freetype.Vector(phase_x, phase_y))
        face.load_glyph(gid, LOAD_FLAGS)
        slot = face.glyph
        bm = slot.bitmap
        if bm.width == 0 or bm.rows == 0:
            return None, 0, 0
        mask = Image.frombytes("L", (bm.width, bm.rows), _coverage_bytes(bm))
        return mask, slot.bitmap_left, slot.bitmap_top


def draw_glyph_run(device: Device, run: GlyphRun) -> None:
    dpi = round(device.dpi)
    size_26_6 = round(run.size_pt * 64)
    hscale = round(run.hscale * 1000)
    color = run.color.to_rgb8()
    y = device.y(run.baseline_y)
    y_int = math.floor(y)
    # FreeType's y axis points up: a baseline lower by a fraction of a pixel is a negative shift.
    phase_y = -round((y - y_int) * SUBPIXEL_STEPS) * 64 // SUBPIXEL_STEPS
    image = device.image
    for glyph in run.glyphs:
        x = device.x(glyph.x)
        x_int = math.floor(x)
        phase = round((x - x_int) * SUBPIXEL_STEPS)
        if phase == SUBPIXEL_STEPS:
            x_int, phase = x_int + 1, 0
        if glyph.y is not None:  # a glyph on a path: its own baseline and angle
            gy = device.y(glyph.y)
            y_int = math.floor(gy)
            phase_y = -round((gy - y_int) * SUBPIXEL_STEPS) * 64 // SUBPIXEL_STEPS
        mask, left, top = _glyph_bitmap(
            run.font, glyph.gid, size_26_6, dpi, hscale, phase * 64 // SUBPIXEL_STEPS, phase_y, round(glyph.angle * 1000)
        )
        if mask is None:
            continue
        image.paste(color, (x_int + left, y_int - top), mask)

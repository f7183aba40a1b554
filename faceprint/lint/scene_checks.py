"""Checks on one record's resolved scene: type set below the floors, colliding ink, low contrast.

What the fitter chose and where ink landed depend on the record, so these read the scene the
renderer would draw rather than the layout file.
"""

from __future__ import annotations

from ..layout_file.loader import LoadedLayout
from ..scene import GUIDE_LAYER, GlyphRun, Scene
from ..text.fit import MIN_HSCALE
from ..tolerances import SCALE_EPS
from .contrast import CONTRAST_DPI, CONTRAST_ERROR, CONTRAST_WARNING, SECURITY_TEXT_KINDS, text_contrast
from .findings import Finding, Severity
from .ink import ink_boxes, overlap

CONTENT_KINDS = ("text", "image", "qr")  # elements carrying information; rects, lines and paths are the art under them


def lint_scene(loaded: LoadedLayout, scene: Scene, *, contrast_dpi: float = CONTRAST_DPI) -> list[Finding]:
    """Checks on one record's render: type below the floor, colliding ink, low text contrast."""
    floor = loaded.layout.lint.min_text_size
    kinds = {eb.element_id: eb.kind for face in scene.faces for eb in face.boxes}
    findings: list[Finding] = []

    def add(severity: Severity, code: str, el_id: str, face: str, message: str) -> None:
        file, line = loaded.where(el_id)
        findings.append(Finding(severity, code, el_id, face, message, file, line, scene.record_id))

    for face in scene.faces:
        small: dict[str, GlyphRun] = {}
        narrow: dict[str, GlyphRun] = {}
        for item in face.items:
            if not isinstance(item, GlyphRun) or item.layer == GUIDE_LAYER or kinds.get(item.element_id) in SECURITY_TEXT_KINDS:
                continue
            if item.size_pt < floor - SCALE_EPS and (
                item.element_id not in small or item.size_pt < small[item.element_id].size_pt
            ):
                small[item.element_id] = item
            if item.hscale < MIN_HSCALE - SCALE_EPS and (
                item.element_id not in narrow or item.hscale < narrow[item.element_id].hscale
            ):
                narrow[item.element_id] = item
        for el_id, run in small.items():
            add("error", "min-size", el_id, face.name, f"set at {_effective(run)}, below {floor:g}pt")
        for el_id, run in narrow.items():
            add(
                "error",
                "min-width",
                el_id,
                face.name,
                f"set at {_effective(run)}, narrower than the {MIN_HSCALE:.0%} width floor "
                f"(at least {max(run.size_pt, floor) * MIN_HSCALE:.2f}pt effective)",
            )
        ink = [(el_id, box) for el_id, box in ink_boxes(face).items() if kinds.get(el_id) in CONTENT_KINDS]
        for i, (a, abox) in enumerate(ink):
            for b, bbox in ink[i + 1 :]:
                hit = overlap(abox, bbox)
                if hit is not None:
                    add("error", "overlap", b, face.name, f"its ink overlaps '{a}' by {hit.w:.2f} × {hit.h:.2f} mm")
        for el_id, ratio in text_contrast(face, contrast_dpi).items():
            if ratio < CONTRAST_ERROR:
                add(
                    "error",
                    "contrast",
                    el_id,
                    face.name,
                    f"contrast {ratio:.1f}:1 with what is under it (at least {CONTRAST_ERROR:g}:1)",
                )
            elif ratio < CONTRAST_WARNING:
                add(
                    "warning",
                    "contrast",
                    el_id,
                    face.name,
                    f"contrast {ratio:.1f}:1 with what is under it ({CONTRAST_WARNING:g}:1 advised)",
                )
    return findings


def _effective(run: GlyphRun) -> str:
    """``6.1pt × 52% width = 3.17pt effective``: the size and the width a reader gets."""
    return f"{run.size_pt:g}pt × {run.hscale:.0%} width = {run.size_pt * run.hscale:.2f}pt effective"

"""Checks that need no record: keep-out zones, the safe area, type sizes, labels, microtext per printer.

They read the layout alone (plus a printer's dpi for microtext), so they run once per layout, not
once per record, and report where a designer must change the file whatever data it will carry.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from ..errors import DataError
from ..kinds import kind_of
from ..kinds.text import is_label, set_label
from ..layout_file.loader import LoadedLayout
from ..layout_file.model import Element, GroupElement, MicrotextElement, TextElement
from ..resolve import Resolver
from ..scene import GUIDE_LAYER, Box
from ..units import MM_PER_INCH, mm_to_px
from .findings import Finding, Severity
from .ink import flatten_elements, overlap

if TYPE_CHECKING:
    from ..text.fonts import FontDatabase


def _group_whens(elements: Iterable[Element], inherited: tuple[str, ...] = ()) -> dict[str, tuple[str, ...]]:
    """Each element's ``when`` conditions, its groups' included: an element is drawn only if all hold."""
    out: dict[str, tuple[str, ...]] = {}
    for el in elements:
        conds = (*inherited, el.when) if el.when else inherited
        out[el.id] = conds
        if isinstance(el, GroupElement):
            out.update(_group_whens(el.children, conds))
    return out


def lint_layout(loaded: LoadedLayout) -> list[Finding]:
    """Checks that need no record: keep-out, safe area, minimum sizes, overlapping content boxes."""
    layout = loaded.layout
    card = layout.card
    floor = layout.lint.min_text_size
    safe = Box(card.safe_margin, card.safe_margin, card.width - 2 * card.safe_margin, card.height - 2 * card.safe_margin)
    findings: list[Finding] = []

    def add(severity: Severity, code: str, el_id: str, face: str, message: str) -> None:
        file, line = loaded.where(el_id)
        findings.append(Finding(severity, code, el_id, face, message, file, line))

    invisible = {name for name, spec in layout.layers.items() if not spec.visible}
    for face in ("front", "back"):
        zones = [z for z in layout.keep_out if z.face == face]
        whens = _group_whens(layout.face_elements(face))
        content: list[tuple[Element, Box]] = []
        for el, box, layer in flatten_elements(layout.face_elements(face)):
            if layer == GUIDE_LAYER:
                continue
            for zone in zones:
                zbox = Box(*zone.box)
                if box.intersects(zbox):
                    add("error", "keep-out", el.id, face, f"overlaps the keep-out zone '{zone.id}' ({zone.source})")
            if not el.bleed and not safe.contains(box):
                add(
                    "error",
                    "safe-area",
                    el.id,
                    face,
                    f"leaves the safe area ({card.safe_margin:g} mm from the trim); "
                    "mark artwork meant to bleed with 'bleed: true'",
                )
            for severity, code, message in kind_of(el).layout_checks(el, floor):
                add(severity, code, el.id, face, message)
            if kind_of(el).content and layer not in invisible:
                content.append((el, box))  # UV ink cannot hide daylight content: it may lie under it
        # Declared boxes only warn: two boxes may share space that neither's ink reaches, and two
        # conditional elements may never be drawn together (the record checks see the real ink).
        for i, (a, abox) in enumerate(content):
            for b, bbox in content[i + 1 :]:
                if whens.get(a.id) and whens.get(b.id) and whens[a.id] != whens[b.id]:
                    continue  # both conditional, on different conditions: decided per record
                if overlap(abox, bbox) is not None:
                    add("warning", "overlap", b.id, face, f"its box overlaps the box of '{a.id}'")
    return findings


def lint_labels(loaded: LoadedLayout, *, fonts: FontDatabase | None = None) -> list[Finding]:
    """Every label that does not fit its box at its size (whatever its ``when``): a layout error."""
    from ..errors import LabelDoesNotFit, LayoutError

    resolver = Resolver(loaded, fonts=fonts)
    ctx = {"vars": loaded.layout.vars}
    findings: list[Finding] = []
    for face in ("front", "back"):
        for el, box, layer in flatten_elements(loaded.layout.face_elements(face)):
            if not isinstance(el, TextElement) or not is_label(el):
                continue
            try:
                set_label(resolver, el, box, layer, ctx)
            except LabelDoesNotFit as exc:
                file, line = loaded.where(el.id)
                findings.append(Finding("error", "label-fit", el.id, face, exc.reason, file, line))
            except (LayoutError, DataError):
                continue  # reported by the other checks (an unknown font, a character no font draws)
    return findings


# A glyph needs about eight device dots over its em to keep the strokes of kana and simple kanji
# apart under a loupe. Project choice, UNCONFIRMED: no standard for microtext legibility was found.
MICROTEXT_MIN_DOTS_PER_EM = 8.0


def lint_microtext_resolution(loaded: LoadedLayout, dpi: float, printer: str) -> list[Finding]:
    """Warn where a printer at ``dpi`` cannot resolve the layout's microtext (issue 8)."""
    findings: list[Finding] = []
    for face in ("front", "back"):
        for el, _box, _layer in flatten_elements(loaded.layout.face_elements(face)):
            if isinstance(el, MicrotextElement):
                dots = mm_to_px(el.height, dpi)
                if dots < MICROTEXT_MIN_DOTS_PER_EM:
                    file, line = loaded.where(el.id)
                    findings.append(
                        Finding(
                            "warning",
                            "microtext-resolution",
                            el.id,
                            face,
                            f"{el.height:g} mm microtext is {dots:.1f} dots high on {printer} at {dpi:g} dpi; "
                            f"at least {MICROTEXT_MIN_DOTS_PER_EM:g} are needed to keep it legible "
                            f"(use {MICROTEXT_MIN_DOTS_PER_EM * MM_PER_INCH / el.height:.0f} dpi or taller text)",
                            file,
                            line,
                        )
                    )
    return findings

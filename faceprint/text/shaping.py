"""Characters → glyphs, one font stack at a time, with per-character fallback.

Every character is looked up in the stack's faces in order (fontTools cmaps) before anything is
drawn; a character that no face draws is an error naming it and its code point, never a box.
An ideographic variation sequence (base + U+E0100–E01EF) is kept as one cluster and resolved
through the face's cmap format 14, so the variant glyph is chosen in both backends.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from .fonts import FontFace, is_variation_selector

HARD_BREAK = "\n"
SPACES = frozenset(" \u3000")


class MissingGlyph(ValueError):
    """No face in the stack can draw a character (or variation sequence)."""


@dataclass(frozen=True, slots=True)
class Cluster:
    text: str
    face: FontFace
    gid: int
    advance_em: float

    @property
    def is_space(self) -> bool:
        return self.text in SPACES

    @property
    def is_break(self) -> bool:
        return self.text == HARD_BREAK


def describe(text: str) -> str:
    """``'葛󠄀' (U+845B U+E0100)``: what an error message shows for a cluster."""
    return f"'{text}' (" + " ".join(f"U+{ord(c):04X}" for c in text) + ")"


def split_clusters(text: str) -> list[str]:
    """Base characters with their trailing variation selectors."""
    out: list[str] = []
    for ch in text:
        if out and is_variation_selector(ord(ch)) and out[-1] != HARD_BREAK:
            out[-1] += ch
        else:
            out.append(ch)
    return out


def _stack_names(stack: Sequence[FontFace]) -> str:
    return ", ".join(f.full_name for f in stack)


def shape(text: str, stack: Sequence[FontFace], *, ivs_fallback: bool = False) -> list[Cluster]:
    """Resolve every cluster to a face and glyph; raise ``MissingGlyph`` naming the first gap.

    ``ivs_fallback`` allows the base glyph when no face has the variant: off by default,
    because on an identity card the variant of a name's kanji is part of the name.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    clusters: list[Cluster] = []
    hard_break_face = stack[0]
    for piece in split_clusters(text):
        if piece == HARD_BREAK:
            clusters.append(Cluster(piece, hard_break_face, 0, 0.0))
            continue
        base = ord(piece[0])
        if unicodedata.category(piece[0]) in ("Cc", "Cs") or is_variation_selector(base):
            raise MissingGlyph(f"character {describe(piece)} cannot be set as text")
        selector = ord(piece[1]) if len(piece) > 1 else None
        if len(piece) > 2:
            raise MissingGlyph(f"cluster {describe(piece)} has more than one variation selector")
        chosen: tuple[FontFace, int] | None = None
        for face in stack:
            gid = face.glyph_for(base, selector)
            if gid is not None:
                chosen = (face, gid)
                break
        if chosen is None and selector is not None and ivs_fallback:
            for face in stack:
                gid = face.glyph_for(base)
                if gid is not None:
                    chosen = (face, gid)
                    break
        if chosen is None:
            what = "variation sequence" if selector is not None else "character"
            raise MissingGlyph(f"no font in [{_stack_names(stack)}] draws the {what} {describe(piece)}")
        face, gid = chosen
        clusters.append(Cluster(piece, face, gid, face.advance_em(gid)))
    return clusters

"""Font faces found by name, with the metrics and cmaps the text engine needs.

Faces come from the bundled ``fonts/`` folder first, then from ``FACEPRINT_FONT_PATH`` and the
usual system font folders (so IPAmj Mincho from Debian's ``fonts-ipamj-mincho`` is found by
name). Names match a family (name ID 1/16), a full name (ID 4) or a PostScript name (ID 6),
ignoring case and spaces: ``BIZ UD Mincho`` and ``BIZ UDMincho`` are the same face.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from fontTools.ttLib import TTCollection, TTFont

from .sfnt import Cmap14, CmapFormat12, SfntSource, open_sfnt, read_cmap12, read_cmap14

BUNDLED_FONT_DIR = Path(__file__).resolve().parent.parent.parent / "fonts"
SYSTEM_FONT_DIRS = (
    Path("/usr/share/fonts"),
    Path("/usr/local/share/fonts"),
    Path.home() / ".local/share/fonts",
    Path.home() / ".fonts",
)
FONT_SUFFIXES = (".ttf", ".otf", ".ttc")

# Ideographic em box when a font carries no usable typo metrics: 0.88 em above the baseline and
# 0.12 em below, the convention of Japanese TrueType fonts (e.g. BIZ UD fonts' hhea 1802/-246 at
# 2048 units per em).
DEFAULT_ASCENT_EM = 0.88


def normalise_name(name: str) -> str:
    return "".join(name.split()).casefold()


def is_variation_selector(cp: int) -> bool:
    """VS1–VS16 (U+FE00–FE0F) and the ideographic VS17–VS256 (U+E0100–E01EF)."""
    return 0xFE00 <= cp <= 0xFE0F or 0xE0100 <= cp <= 0xE01EF


@dataclass(frozen=True, slots=True)
class FontRef:
    """Identifies one face in one file; what the scene stores and backends open."""

    path: str
    index: int
    postscript_name: str


@dataclass(eq=False)
class FontFace:
    """One face with lazily loaded cmap, cmap 14 (variation sequences) and advances."""

    ref: FontRef
    family: str
    subfamily: str
    full_name: str
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @cached_property
    def ttfont(self) -> TTFont:
        return TTFont(self.ref.path, fontNumber=self.ref.index, lazy=True)

    @cached_property
    def sfnt(self) -> SfntSource:
        return open_sfnt(self.ref.path, self.ref.index)

    @cached_property
    def units_per_em(self) -> int:
        return self.sfnt.units_per_em

    @cached_property
    def cmap(self) -> CmapFormat12 | dict[int, int]:
        """Code point → glyph id (format 12 read directly; other cmaps through fontTools)."""
        fast = read_cmap12(self.sfnt)
        if fast is not None:
            return fast
        font = self.ttfont
        best = font.getBestCmap() or {}
        return {cp: font.getGlyphID(name) for cp, name in best.items()}

    @cached_property
    def variation_sequences(self) -> Cmap14 | None:
        """The face's variation sequences (cmap format 14), if it has any."""
        return read_cmap14(self.sfnt)

    @cached_property
    def advances(self) -> Sequence[int]:
        """Advance width per glyph id, in font units."""
        return self.sfnt.advances

    @cached_property
    def ascent_em(self) -> float:
        """Top of the ideographic em box above the baseline, as a fraction of the em."""
        src = self.sfnt
        total = src.ascent - src.descent
        if total > 0:
            return src.ascent / total
        return DEFAULT_ASCENT_EM

    def glyph_for(self, base: int, selector: int | None = None) -> int | None:
        """The glyph for a character or a variation sequence, None when this face lacks it."""
        if selector is None:
            gid = self.cmap.get(base)
            return gid if gid else None
        sequences = self.variation_sequences
        gid = sequences.lookup(base, selector) if sequences is not None else None
        if gid is None:
            return None
        if gid == 0:  # a default sequence: the base character's own glyph
            gid = self.cmap.get(base)
        return gid if gid else None

    def advance_em(self, gid: int) -> float:
        return self.advances[gid] / self.units_per_em


def _name(font: TTFont, *ids: int) -> str:
    table = font["name"]
    for name_id in ids:
        for rec in table.names:
            if rec.nameID == name_id and rec.platformID == 3 and rec.langID == 0x409:
                return str(rec.toUnicode())
        rec = table.getName(name_id, 3, 1, 0x409) or table.getName(name_id, 1, 0, 0)
        if rec is not None:
            return str(rec.toUnicode())
    return ""


def _faces_in_file(path: Path) -> list[FontFace]:
    faces: list[FontFace] = []
    try:
        if path.suffix.lower() == ".ttc":
            fonts = list(TTCollection(str(path), lazy=True).fonts)
        else:
            fonts = [TTFont(str(path), lazy=True)]
    except Exception:  # an unreadable file in a system folder must not stop the scan
        return faces
    for index, font in enumerate(fonts):
        try:
            family = _name(font, 16, 1)
            subfamily = _name(font, 17, 2) or "Regular"
            full = _name(font, 4) or f"{family} {subfamily}"
            ps = _name(font, 6) or normalise_name(full)
        except Exception:
            continue
        faces.append(FontFace(FontRef(str(path), index, ps), family, subfamily, full))
    return faces


class FontNotFound(LookupError):
    pass


class FontDatabase:
    """Finds faces by name; scans the bundled folder first and the system only when needed."""

    def __init__(self, extra_dirs: list[Path] | None = None, *, scan_system: bool = True) -> None:
        env_dirs = [Path(p) for p in os.environ.get("FACEPRINT_FONT_PATH", "").split(os.pathsep) if p]
        self._first_dirs = [BUNDLED_FONT_DIR, *(extra_dirs or []), *env_dirs]
        self._scan_system = scan_system
        self._by_name: dict[str, list[FontFace]] = {}
        self._system_scanned = False
        self._lock = threading.Lock()
        for d in self._first_dirs:
            self._scan_dir(d)

    def _scan_dir(self, directory: Path) -> None:
        if not directory.is_dir():
            return
        for path in sorted(directory.rglob("*")):
            if path.suffix.lower() in FONT_SUFFIXES and path.is_file():
                for face in _faces_in_file(path):
                    self._add(face)

    def _add(self, face: FontFace) -> None:
        keys = {normalise_name(face.family), normalise_name(face.full_name), normalise_name(face.ref.postscript_name)}
        for key in keys:
            bucket = self._by_name.setdefault(key, [])
            if all(f.ref != face.ref for f in bucket):
                bucket.append(face)

    def _ensure_system(self) -> None:
        with self._lock:
            if self._system_scanned or not self._scan_system:
                return
            self._system_scanned = True
            for d in SYSTEM_FONT_DIRS:
                self._scan_dir(d)

    def find(self, name: str, *, bold: bool = False) -> FontFace:
        """The face called ``name`` (bold picks the family's Bold face)."""
        key = normalise_name(name)
        faces = self._by_name.get(key)
        if not faces:
            self._ensure_system()
            faces = self._by_name.get(key)
        if not faces:
            raise FontNotFound(f"no font named '{name}' in {BUNDLED_FONT_DIR} or the system font folders")
        wanted = "bold" if bold else "regular"
        for face in faces:
            if normalise_name(face.subfamily) == wanted:
                return face
        if not bold and len(faces) == 1:
            return faces[0]
        if not bold:
            # A full/PostScript name match (e.g. "BIZ UDGothic Bold") names the face exactly.
            for face in faces:
                if normalise_name(face.full_name) == key or normalise_name(face.ref.postscript_name) == key:
                    return face
            return faces[0]
        raise FontNotFound(f"font '{name}' has no Bold face (faces: {', '.join(f.subfamily for f in faces)})")

    def available(self) -> list[FontFace]:
        self._ensure_system()
        seen: dict[FontRef, FontFace] = {}
        for bucket in self._by_name.values():
            for face in bucket:
                seen.setdefault(face.ref, face)
        return sorted(seen.values(), key=lambda f: (f.family, f.subfamily))


_default_db: FontDatabase | None = None


def default_database() -> FontDatabase:
    global _default_db
    if _default_db is None:
        _default_db = FontDatabase()
    return _default_db

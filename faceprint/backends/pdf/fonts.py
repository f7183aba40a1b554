"""Fonts embedded as Type 0 / CIDFontType2 subsets whose text extracts as the original characters.

Each distinct (glyph, characters) pair the document draws gets its own CID; the CIDToGIDMap
sends CIDs to glyph ids and the ToUnicode CMap sends each CID to its full character sequence:
a variant kanji's glyph maps back to base + selector (葛 U+845B U+E0100), a character beyond the
BMP to its surrogate pair (𠮷 U+20BB7). reportlab's own TrueType path cannot do either (it draws
the selector as an extra glyph and cuts non-BMP code points to 16 bits; see
docs/reference/library-behaviour.md), so faceprint writes these objects itself and reportlab
only assembles the file.
"""

from __future__ import annotations

import hashlib

from reportlab.pdfbase import pdfdoc

from ...cache import ByteBudgetCache
from ...text.fonts import FontRef
from ...text.sfnt import open_sfnt, subset
from .deflate import deflate


class EmbeddedFont:
    """The glyphs one document uses from one face, and their PDF objects."""

    def __init__(self, ref: FontRef, resource_name: str) -> None:
        self.ref = ref
        self.resource_name = resource_name
        self.src = open_sfnt(ref.path, ref.index)
        self._cids: dict[tuple[int, str], int] = {}
        self._gid_of_cid: list[int] = [0]
        self._text_of_cid: list[str] = [""]
        self._codes: dict[tuple[int, str], str] = {}  # (gid, text) → its CID as a show-text operand

    def cid(self, gid: int, text: str) -> int:
        key = (gid, text)
        cid = self._cids.get(key)
        if cid is None:
            cid = len(self._gid_of_cid)
            self._cids[key] = cid
            self._gid_of_cid.append(gid)
            self._text_of_cid.append(text)
        return cid

    def cid_code(self, key: tuple[int, str]) -> str:
        """The glyph's CID as it goes into a string to show, ``<XXXX>`` (assigned on first use)."""
        code = self._codes.get(key)
        if code is None:
            code = self._codes[key] = f"<{self.cid(*key):04X}>"
        return code

    def width_1000(self, gid: int) -> float:
        return self.src.advances[gid] * 1000.0 / self.src.units_per_em

    # -- PDF objects -------------------------------------------------------------------------------
    def _tag(self) -> str:
        digest = hashlib.blake2b(repr((self.ref.postscript_name, self._gid_of_cid)).encode(), digest_size=8).digest()
        return "".join(chr(ord("A") + b % 26) for b in digest[:6])

    def _to_unicode(self, base_font: str) -> bytes:
        lines = [
            "/CIDInit /ProcSet findresource begin",
            "12 dict begin",
            "begincmap",
            "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
            f"/CMapName /{base_font.replace('+', '-')}-UCS def",
            "/CMapType 2 def",
            "1 begincodespacerange",
            "<0000> <FFFF>",
            "endcodespacerange",
        ]
        entries = [(cid, text) for cid, text in enumerate(self._text_of_cid) if cid and text]
        for start in range(0, len(entries), 100):  # at most 100 entries per block (CMap syntax)
            block = entries[start : start + 100]
            lines.append(f"{len(block)} beginbfchar")
            lines.extend(f"<{cid:04X}> <{text.encode('utf-16-be').hex().upper()}>" for cid, text in block)
            lines.append("endbfchar")
        lines += ["endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end"]
        return "\n".join(lines).encode("ascii")

    def add_to(self, doc: pdfdoc.PDFDocument) -> None:
        """Create the font objects and list the font in the document's shared font resources."""
        src = self.src
        base_font = f"{self._tag()}+{self.ref.postscript_name}"
        scale = 1000.0 / src.units_per_em
        font_file = _compressed_stream(_cached_font_file(self.ref, tuple(sorted(set(self._gid_of_cid)))))
        descriptor = pdfdoc.PDFDictionary(
            {
                "Type": pdfdoc.PDFName("FontDescriptor"),
                "FontName": pdfdoc.PDFName(base_font),
                "Flags": 4,  # symbolic: glyphs are addressed by CID, not by a standard encoding
                "FontBBox": pdfdoc.PDFArray([round(v * scale) for v in src.bbox]),
                "ItalicAngle": 0,
                "Ascent": round(src.ascent * scale),
                "Descent": round(src.descent * scale),
                "CapHeight": round(src.cap_height * scale),
                "StemV": 80,  # not derivable from the font program; viewers use it only to fake fonts
                "FontFile2": doc.Reference(font_file),
            }
        )
        widths = " ".join(f"{self.width_1000(g):.6g}" for g in self._gid_of_cid[1:])
        cid_to_gid = b"".join(g.to_bytes(2, "big") for g in self._gid_of_cid)
        cid_font = pdfdoc.PDFDictionary(
            {
                "Type": pdfdoc.PDFName("Font"),
                "Subtype": pdfdoc.PDFName("CIDFontType2"),
                "BaseFont": pdfdoc.PDFName(base_font),
                "CIDSystemInfo": pdfdoc.PDFDictionary(
                    {
                        "Registry": pdfdoc.PDFString("Adobe"),
                        "Ordering": pdfdoc.PDFString("Identity"),
                        "Supplement": 0,
                    }
                ),
                "FontDescriptor": doc.Reference(descriptor),
                "DW": 1000,
                # written as one literal: reportlab's generic array formatting costs ~3 µs per number
                "W": _Raw(f"[1 [{widths}]]".encode("ascii")) if widths else _Raw(b"[]"),
                "CIDToGIDMap": doc.Reference(_flate_stream(cid_to_gid)),
            }
        )
        type0 = pdfdoc.PDFDictionary(
            {
                "Type": pdfdoc.PDFName("Font"),
                "Subtype": pdfdoc.PDFName("Type0"),
                "BaseFont": pdfdoc.PDFName(base_font),
                "Encoding": pdfdoc.PDFName("Identity-H"),
                "DescendantFonts": pdfdoc.PDFArray([doc.Reference(cid_font)]),
                "ToUnicode": doc.Reference(_flate_stream(self._to_unicode(base_font))),
            }
        )
        doc.idToObject[pdfdoc.BasicFonts].dict[self.resource_name] = doc.Reference(type0, f"FaceprintFont.{self.resource_name}")


class _Raw(pdfdoc.PDFObject):  # type: ignore[misc]  # reportlab ships no type hints
    """A PDF object already written out (a number array, here)."""

    def __init__(self, text: bytes) -> None:
        self.text = text

    def format(self, document: pdfdoc.PDFDocument) -> bytes:
        return self.text


def _flate_stream(data: bytes) -> pdfdoc.PDFStream:
    return _compressed_stream(deflate(data))


def _compressed_stream(compressed: bytes) -> pdfdoc.PDFStream:
    stream = pdfdoc.PDFStream(dictionary=pdfdoc.PDFDictionary({"Filter": pdfdoc.PDFName("FlateDecode")}), content=compressed)
    stream.filters = []
    stream.__RefOnly__ = 1
    return stream


# Compressed font subsets kept per process (faceprint.cache). The ones every card repeats (labels,
# digits) are used on every card and so stay at the young end; one-off subsets (every name its own)
# age out. 3 MB: see the README's issue-15 memory figures (8 MB held ~5 MB of one-off subsets).
SUBSET_BUDGET = 3 * 2**20
_subsets: ByteBudgetCache[bytes] = ByteBudgetCache(SUBSET_BUDGET, len)


def _cached_font_file(ref: FontRef, gids: tuple[int, ...]) -> bytes:
    """A subset's font program, already compressed: cards that use the same glyphs (every label,
    repeated names) share both the subsetting and the deflate work (measured: zlib at level 6 on the
    font programs was 7 % of the next-gen card's PDF CPU; ISA-L, ``deflate``, takes a twentieth)."""
    return _subsets.get_or_make((ref, gids), lambda: deflate(subset(open_sfnt(ref.path, ref.index), gids)))


class FontRegistry:
    """The fonts of one PDF document, named /FP1, /FP2, … in its resources."""

    def __init__(self) -> None:
        self._fonts: dict[FontRef, EmbeddedFont] = {}

    def get(self, ref: FontRef) -> EmbeddedFont:
        font = self._fonts.get(ref)
        if font is None:
            font = EmbeddedFont(ref, f"FP{len(self._fonts) + 1}")
            self._fonts[ref] = font
        return font

    def add_to(self, doc: pdfdoc.PDFDocument) -> None:
        for font in self._fonts.values():
            font.add_to(doc)

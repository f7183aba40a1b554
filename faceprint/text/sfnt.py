"""A fast TrueType subsetter for PDF embedding: only the glyphs a document uses, ids unchanged.

fontTools' general subsetter re-parses and rebuilds every table, which costs tens of
milliseconds per font per document: too slow for batches of hundreds of thousands of cards.
A CIDFontType2 program needs only glyf, loca, head, hhea, hmtx and maxp (plus cvt, fpgm and prep
for hinted fonts; ISO 32000-1 §9.9, table 126), and with glyph ids kept as they are (the PDF's
CIDToGIDMap maps to the original ids) the subset is a byte copy of the used glyphs' outlines.
Composite glyphs pull in their components. Unused glyphs become empty (zero-length loca entries),
and the font ends at the highest glyph id used (maxp.numGlyphs shrinks to it): no glyph beyond it is
ever referenced, and loca/hmtx for the other tens of thousands of glyphs would only take space.
"""

from __future__ import annotations

import array
import bisect
import itertools
import mmap
import struct
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache

KEEP_TABLES = (b"cvt ", b"fpgm", b"prep")

# Composite glyph flags (OpenType spec, 'glyf' table, composite glyph description).
ARG_1_AND_2_ARE_WORDS = 0x0001
WE_HAVE_A_SCALE = 0x0008
MORE_COMPONENTS = 0x0020
WE_HAVE_AN_X_AND_Y_SCALE = 0x0040
WE_HAVE_A_TWO_BY_TWO = 0x0080


class SfntError(ValueError):
    pass


def _big_endian(code: str, data: bytes | mmap.mmap, offset: int, count: int) -> array.array[int]:
    """``count`` big-endian items of ``code`` ('H', 'h', 'I') from ``offset``, as a native array."""
    out = array.array(code)
    out.frombytes(data[offset : offset + out.itemsize * count])
    if sys.byteorder == "little":
        out.byteswap()
    return out


@dataclass(frozen=True)
class SfntSource:
    """One face of a TrueType file, its tables located once (the file is memory-mapped)."""

    data: bytes | mmap.mmap
    tables: dict[bytes, tuple[int, int]]  # tag → (offset, length)
    # Per-glyph tables as machine arrays, not tuples of ints: a 60,000-glyph face's three tables took
    # ~6 MB of int objects in every process (tracemalloc), and 0.5 MB this way (issue 15, memory).
    loca: array.array[int]
    advances: array.array[int]
    lsbs: array.array[int]
    units_per_em: int
    bbox: tuple[int, int, int, int]
    ascent: int
    descent: int
    cap_height: int

    def table(self, tag: bytes) -> bytes:
        off, length = self.tables[tag]
        return bytes(self.data[off : off + length])

    def glyph_bytes(self, gid: int) -> bytes:
        off = self.tables[b"glyf"][0]
        start, end = self.loca[gid], self.loca[gid + 1]
        return bytes(self.data[off + start : off + end])


@lru_cache(maxsize=32)
def open_sfnt(path: str, index: int = 0) -> SfntSource:
    with open(path, "rb") as fh:
        data = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
    base = 0
    if data[:4] == b"ttcf":
        (count,) = struct.unpack(">I", data[8:12])
        if index >= count:
            raise SfntError(f"{path} has {count} faces, no face {index}")
        (base,) = struct.unpack(">I", data[12 + 4 * index : 16 + 4 * index])
    (num_tables,) = struct.unpack(">H", data[base + 4 : base + 6])
    tables: dict[bytes, tuple[int, int]] = {}
    for i in range(num_tables):
        rec = data[base + 12 + 16 * i : base + 28 + 16 * i]
        tag, _checksum, offset, length = struct.unpack(">4sIII", rec)
        tables[tag] = (offset, length)
    if b"glyf" not in tables:
        raise SfntError(f"{path} has no TrueType outlines (glyf); CFF fonts are not supported")
    head_off = tables[b"head"][0]
    units_per_em = struct.unpack(">H", data[head_off + 18 : head_off + 20])[0]
    bbox = struct.unpack(">hhhh", data[head_off + 36 : head_off + 44])
    loc_format = struct.unpack(">h", data[head_off + 50 : head_off + 52])[0]
    maxp_off = tables[b"maxp"][0]
    (num_glyphs,) = struct.unpack(">H", data[maxp_off + 4 : maxp_off + 6])
    loca_off, _ = tables[b"loca"]
    if loc_format == 0:
        loca = array.array("I", (v * 2 for v in _big_endian("H", data, loca_off, num_glyphs + 1)))
    else:
        loca = _big_endian("I", data, loca_off, num_glyphs + 1)
    hhea_off = tables[b"hhea"][0]
    ascent, descent = struct.unpack(">hh", data[hhea_off + 4 : hhea_off + 8])
    (num_hmetrics,) = struct.unpack(">H", data[hhea_off + 34 : hhea_off + 36])
    hmtx_off = tables[b"hmtx"][0]
    advances = _big_endian("H", data, hmtx_off, 2 * num_hmetrics)[0::2]
    lsbs = _big_endian("h", data, hmtx_off, 2 * num_hmetrics)[1::2]
    rest = num_glyphs - num_hmetrics
    if rest > 0:
        advances.extend(array.array("H", [advances[-1]]) * rest)
        lsbs.extend(_big_endian("h", data, hmtx_off + 4 * num_hmetrics, rest))
    cap_height = ascent
    if b"OS/2" in tables:
        os2_off, os2_len = tables[b"OS/2"]
        (version,) = struct.unpack(">H", data[os2_off : os2_off + 2])
        if version >= 2 and os2_len >= 90:
            (cap_height,) = struct.unpack(">h", data[os2_off + 88 : os2_off + 90])
    return SfntSource(
        data,
        tables,
        loca,
        advances,
        lsbs,
        units_per_em,
        (bbox[0], bbox[1], bbox[2], bbox[3]),
        ascent,
        descent,
        cap_height,
    )


def _components(glyph: bytes) -> list[int]:
    if len(glyph) < 10 or struct.unpack(">h", glyph[:2])[0] >= 0:
        return []
    out: list[int] = []
    pos = 10
    while True:
        flags, gid = struct.unpack(">HH", glyph[pos : pos + 4])
        out.append(gid)
        pos += 4 + (4 if flags & ARG_1_AND_2_ARE_WORDS else 2)
        if flags & WE_HAVE_A_SCALE:
            pos += 2
        elif flags & WE_HAVE_AN_X_AND_Y_SCALE:
            pos += 4
        elif flags & WE_HAVE_A_TWO_BY_TWO:
            pos += 8
        if not flags & MORE_COMPONENTS:
            return out


def _checksum(data: bytes) -> int:
    words = array.array("I", data + b"\0" * (-len(data) % 4))
    if sys.byteorder == "little":
        words.byteswap()
    return sum(words) & 0xFFFFFFFF


def _pad4(data: bytes) -> bytes:
    return data + b"\0" * (-len(data) % 4)


def subset(src: SfntSource, gids: Iterable[int]) -> bytes:
    """A TrueType program holding the glyphs ``gids`` (and .notdef and any components), ids kept."""
    wanted = {0, *gids}
    todo = list(wanted)
    while todo:
        for comp in _components(src.glyph_bytes(todo.pop())):
            if comp not in wanted:
                wanted.add(comp)
                todo.append(comp)
    last = max(wanted)
    order = sorted(wanted)
    glyf_parts = [_pad4(src.glyph_bytes(gid)) for gid in order]
    # loca: every glyph id up to the last needs an entry; unused ones repeat the running offset.
    offset = sum(len(p) for p in glyf_parts)
    short_loca = offset < 0x20000  # offsets/2 fit 16 bits: half the loca table
    unit = 2 if short_loca else 1  # short loca stores offset/2 (glyphs are padded to 4 bytes, so exact)
    steps = array.array("H" if short_loca else "I", bytes((2 if short_loca else 4) * (last + 2)))
    hmtx_buf = bytearray(4 * (last + 1))
    for gid, part in zip(order, glyf_parts, strict=True):
        steps[gid + 1] = len(part) // unit
        struct.pack_into(">Hh", hmtx_buf, 4 * gid, src.advances[gid], src.lsbs[gid])
    loca = array.array(steps.typecode, itertools.accumulate(steps))
    if sys.byteorder == "little":
        loca.byteswap()  # the font's tables are big-endian
    hmtx = bytes(hmtx_buf)
    head = bytearray(src.table(b"head"))
    head[8:12] = b"\0\0\0\0"  # checkSumAdjustment, recomputed below
    head[50:52] = struct.pack(">h", 0 if short_loca else 1)
    hhea = bytearray(src.table(b"hhea"))
    hhea[34:36] = struct.pack(">H", last + 1)
    maxp = bytearray(src.table(b"maxp"))
    maxp[4:6] = struct.pack(">H", last + 1)
    loca_table = loca.tobytes()
    tables: dict[bytes, bytes] = {
        b"glyf": b"".join(glyf_parts),
        b"head": bytes(head),
        b"hhea": bytes(hhea),
        b"hmtx": hmtx,
        b"loca": loca_table,
        b"maxp": bytes(maxp),
    }
    for tag in KEEP_TABLES:
        if tag in src.tables:
            tables[tag] = src.table(tag)
    return _assemble(tables)


def _assemble(tables: dict[bytes, bytes]) -> bytes:
    tags = sorted(tables)
    n = len(tags)
    entry_selector = max(i for i in range(16) if 2**i <= n)
    search_range = 16 * 2**entry_selector
    header = struct.pack(">IHHHH", 0x00010000, n, search_range, entry_selector, n * 16 - search_range)
    offset = 12 + 16 * n
    directory = b""
    body = b""
    for tag in tags:
        data = tables[tag]
        directory += struct.pack(">4sIII", tag, _checksum(data), offset + len(body), len(data))
        body += _pad4(data)
    font = bytearray(header + directory + body)
    adjustment = (0xB1B0AFBA - _checksum(bytes(font))) & 0xFFFFFFFF
    head_offset = offset + sum(len(_pad4(tables[t])) for t in tags[: tags.index(b"head")])
    font[head_offset + 8 : head_offset + 12] = struct.pack(">I", adjustment)
    return bytes(font)


@dataclass(frozen=True)
class CmapFormat12:
    """A (3,10) or (0,4) format 12 cmap as sorted group arrays, looked up by bisection.

    Building a full dict of a 60,000-glyph font costs ~0.2 s per process through fontTools; the
    group arrays take a few milliseconds and a lookup is a binary search.
    """

    starts: array.array[int]
    ends: array.array[int]
    glyphs: array.array[int]

    def get(self, cp: int) -> int | None:
        i = bisect.bisect_right(self.starts, cp) - 1
        if i >= 0 and cp <= self.ends[i]:
            return self.glyphs[i] + (cp - self.starts[i])
        return None


def _cmap_subtables(src: SfntSource, encodings: tuple[tuple[int, int], ...], fmt: int) -> Iterator[int]:
    """Offsets (into the file) of the cmap subtables with one of ``encodings`` and format ``fmt``."""
    if b"cmap" not in src.tables:
        return
    base, _ = src.tables[b"cmap"]
    data = src.data
    (num,) = struct.unpack(">H", data[base + 2 : base + 4])
    for i in range(num):
        platform, encoding, offset = struct.unpack(">HHI", data[base + 4 + 8 * i : base + 12 + 8 * i])
        if (platform, encoding) in encodings and struct.unpack(">H", data[base + offset : base + offset + 2])[0] == fmt:
            yield base + offset


def read_cmap12(src: SfntSource) -> CmapFormat12 | None:
    data = src.data
    for sub in _cmap_subtables(src, ((3, 10), (0, 4), (0, 6)), 12):
        (n_groups,) = struct.unpack(">I", data[sub + 12 : sub + 16])
        flat = _big_endian("I", data, sub + 16, 3 * n_groups)
        return CmapFormat12(flat[0::3], flat[1::3], flat[2::3])
    return None


@dataclass(frozen=True)
class Cmap14:
    """Unicode variation sequences (cmap format 14), read straight from the font.

    fontTools builds Python objects for every sequence, about a second for IPAmj Mincho's tens of
    thousands; here each selector keeps its default ranges (use the base glyph) and its explicit
    base → glyph mappings, read in a few milliseconds.
    """

    default: dict[int, tuple[tuple[int, ...], tuple[int, ...]]]  # selector → (range starts, range ends)
    explicit: dict[int, dict[int, int]]  # selector → base → glyph id

    def lookup(self, base: int, selector: int) -> int | None:
        """Glyph id for the sequence, 0 for a default sequence (use the base's glyph), None if absent."""
        mapped = self.explicit.get(selector)
        if mapped is not None and base in mapped:
            return mapped[base]
        ranges = self.default.get(selector)
        if ranges is not None:
            starts, ends = ranges
            i = bisect.bisect_right(starts, base) - 1
            if i >= 0 and base <= ends[i]:
                return 0
        return None


def read_cmap14(src: SfntSource) -> Cmap14 | None:
    data = src.data
    for sub in _cmap_subtables(src, ((0, 5),), 14):
        _fmt, _length, n_records = struct.unpack(">HII", data[sub : sub + 10])
        default: dict[int, tuple[tuple[int, ...], tuple[int, ...]]] = {}
        explicit: dict[int, dict[int, int]] = {}
        for r in range(n_records):
            rec = data[sub + 10 + 11 * r : sub + 21 + 11 * r]
            selector = int.from_bytes(rec[0:3], "big")
            default_off, explicit_off = struct.unpack(">II", rec[3:11])
            if default_off:
                p = sub + default_off
                (count,) = struct.unpack(">I", data[p : p + 4])
                block = data[p + 4 : p + 4 + 4 * count]
                starts = tuple(int.from_bytes(block[4 * k : 4 * k + 3], "big") for k in range(count))
                ends = tuple(s + block[4 * k + 3] for k, s in enumerate(starts))
                default[selector] = (starts, ends)
            if explicit_off:
                p = sub + explicit_off
                (count,) = struct.unpack(">I", data[p : p + 4])
                block = data[p + 4 : p + 4 + 5 * count]
                explicit[selector] = {
                    int.from_bytes(block[5 * k : 5 * k + 3], "big"): int.from_bytes(block[5 * k + 3 : 5 * k + 5], "big")
                    for k in range(count)
                }
        return Cmap14(default, explicit)
    return None

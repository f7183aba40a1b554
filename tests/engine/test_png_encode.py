"""The PNG encoder: whatever it writes decodes (by Pillow and by zlib's own checks) to the very
pixels it was given, with the dpi recorded; modes it does not handle go to Pillow."""

from __future__ import annotations

import io
import random
import struct
import zlib

from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from faceprint.atomic import png_bytes
from faceprint.png_encode import png_encode


def _idat_rows(data: bytes, stride: int) -> list[bytes]:
    """The filtered rows, inflated by the standard library's zlib (which checks the Adler-32 sum),
    each chunk's CRC checked on the way."""
    pos, idat = 8, b""
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind, body = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + length]
        assert struct.unpack(">I", data[pos + 8 + length : pos + 12 + length])[0] == zlib.crc32(kind + body)
        idat += body if kind == b"IDAT" else b""
        pos += 12 + length
    raw = zlib.decompress(idat)
    return [raw[i : i + stride + 1] for i in range(0, len(raw), stride + 1)]


def _decoded(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()  # decoding checks every chunk's CRC and the zlib stream's checksum
    return image


@settings(max_examples=60, deadline=None)
@given(
    mode=st.sampled_from(["L", "RGB", "RGBA"]),
    width=st.integers(1, 150),
    height=st.integers(1, 150),
    seed=st.integers(0, 2**32 - 1),
    dpi=st.sampled_from([72, 300, 600, 1200]),
)
def test_round_trip_keeps_every_pixel(mode: str, width: int, height: int, seed: int, dpi: int) -> None:
    rng = random.Random(seed)
    raw = bytes(rng.choice((0, 255, rng.randrange(256))) for _ in range(width * height * len(mode)))
    image = Image.frombytes(mode, (width, height), raw)
    data = png_encode(image, dpi)
    rows = _idat_rows(data, width * len(mode))
    assert len(rows) == height and b"".join(row[1:] for row in rows) == raw
    out = _decoded(data)
    assert out.mode == mode and out.size == (width, height)
    assert out.tobytes() == raw
    assert tuple(round(v) for v in out.info["dpi"]) == (dpi, dpi)


def test_many_rows_cross_the_block_boundary() -> None:
    """More rows than one zlib call takes: the rows stay in order."""
    image = Image.linear_gradient("L").resize((37, 301))
    assert _decoded(png_bytes(image, 600)).tobytes() == image.tobytes()


def test_other_modes_and_metadata_go_to_pillow() -> None:
    one_bit = Image.new("1", (9, 5), 1)
    one_bit.putpixel((3, 2), 0)
    assert _decoded(png_encode(one_bit, 300)).tobytes() == one_bit.tobytes()
    with_icc = Image.new("RGB", (4, 4), (10, 20, 30))
    with_icc.info["icc_profile"] = b"not checked by the writer"
    assert _decoded(png_encode(with_icc, 300)).info.get("icc_profile") == b"not checked by the writer"

"""A JPEG photo that needs no colour change goes into a proof PDF as the file's own bytes (no
decode, resample or second JPEG generation), scaled and clipped so it shows exactly what the PNG
shows; anything else (an RGB photo on a greyscale layout, a print file, a heavy crop) is drawn
from the fitted pixels as before."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pikepdf
import pytest
from engine_support import pdf_pages
from PIL import Image, ImageDraw

from faceprint.backends.pdf import PdfOptions, render_pdf
from faceprint.images import load_pixels, to_pil
from faceprint.scene import Box, Face, ImageItem, Scene

DPI = 300
BOX = Box(10.0, 8.0, 22.0, 27.5)  # the next-gen portrait box, mm


def _photo(tmp_path: Path, size: tuple[int, int], mode: str) -> Path:
    """A photo with edges and gradients that a misplaced or mis-scaled image would not match."""
    img = Image.linear_gradient("L").resize(size)
    draw = ImageDraw.Draw(img)
    draw.ellipse((size[0] * 0.2, size[1] * 0.15, size[0] * 0.8, size[1] * 0.7), fill=30)
    draw.rectangle((0, size[1] * 0.8, size[0] * 0.5, size[1]), fill=230)
    for y in range(0, size[1], 40):  # sharp stripes: a shift of a few pixels shows
        draw.rectangle((size[0] * 0.85, y, size[0], y + 19), fill=0)
    if mode == "RGB":
        img = Image.merge("RGB", (img, img.point(lambda v: 255 - v), img))
    path = tmp_path / f"photo-{mode}.jpg"
    img.save(path, "JPEG", quality=92)
    return path


def _scene(path: Path, *, greyscale: bool, fit: str = "cover") -> tuple[Scene, ImageItem]:
    pixels, dest = load_pixels(path, box=BOX, fit=fit, position=(0.5, 0.4), crop=None, greyscale=greyscale, max_dpi=600)
    item = ImageItem("photo", "personalisation", dest, pixels)
    face = Face("front", 85.6, 53.98, (item,), (), (), 0.0, 0.0, 0.0)
    return Scene("r1", (face,)), item


def _images(pdf: bytes) -> list[bytes]:
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        return [bytes(x.read_raw_bytes()) for page in doc.pages for _, x in page.Resources.get("/XObject", {}).items()]


@pytest.mark.parametrize("size", [(520, 650), (600, 820)], ids=["exact", "cover-crop"])
def test_a_greyscale_jpeg_goes_in_as_its_file_and_shows_what_the_png_shows(tmp_path: Path, size: tuple[int, int]) -> None:
    path = _photo(tmp_path, size, "L")
    scene, item = _scene(path, greyscale=True)
    assert item.pixels.source is not None
    pdf = render_pdf(scene)
    assert _images(pdf) == [path.read_bytes()]
    page = np.asarray(pdf_pages(pdf, DPI)[0].convert("L"), dtype=np.int16)
    x0, y0 = round(BOX.x / 25.4 * DPI), round(BOX.y / 25.4 * DPI)
    size = (round(BOX.w / 25.4 * DPI), round(BOX.h / 25.4 * DPI))
    expected = np.asarray(to_pil(item.pixels).resize(size, Image.Resampling.LANCZOS))
    shown = page[y0 : y0 + expected.shape[0], x0 : x0 + expected.shape[1]]
    inner = (slice(2, -2), slice(2, -2))  # the box's edge pixels are anti-aliased differently
    diff = np.abs(shown[inner] - expected[inner])
    # measured: 1.9 mean, 3 at the 95th percentile (resampling at the stripes' edges); the file
    # placed 0.5 mm off (its crop measured from the wrong edge): 15 and 122
    assert diff.mean() <= 4 and np.percentile(diff, 95) <= 12
    # nothing outside the box: the cropped strips of the file are clipped away
    assert page[: y0 - 1].min() >= 250 and page[y0 + expected.shape[0] + 1 :].min() >= 250


def test_a_colour_change_a_print_file_or_a_heavy_crop_draws_the_fitted_pixels(tmp_path: Path) -> None:
    rgb = _photo(tmp_path, (520, 650), "RGB")
    scene, item = _scene(rgb, greyscale=True)  # the layout prints the photo greyscale
    assert item.pixels.source is None
    assert _images(render_pdf(scene)) != [rgb.read_bytes()]
    grey = _photo(tmp_path, (520, 650), "L")
    scene, item = _scene(grey, greyscale=True)
    assert item.pixels.source is not None
    assert grey.read_bytes() not in _images(render_pdf(scene, PdfOptions(print_ready=True)))
    wide = _photo(tmp_path, (1000, 650), "L")  # cover shows 40 % of it
    scene, item = _scene(wide, greyscale=True)
    assert item.pixels.source is None


def test_the_fitted_pixels_are_the_same_whether_or_not_the_pdf_carries_the_file(tmp_path: Path) -> None:
    path = _photo(tmp_path, (600, 771), "L")
    _, item = _scene(path, greyscale=True)
    with Image.open(path) as im:
        left_top = ((600 - 600) / 2, (771 - 750) * 0.4)
        direct = im.resize((520, 650), Image.Resampling.LANCZOS, box=(*left_top, 600.0, left_top[1] + 750))
    assert (item.pixels.width, item.pixels.height) == (520, 650)
    assert item.pixels.data == direct.tobytes()

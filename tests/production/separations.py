"""Helpers for the colour tests: the CMYK output profile, and Ghostscript as an independent RIP.

Ghostscript's ``tiffsep`` device writes one greyscale TIFF per plate and page (``N(Cyan).tif``…,
spot plates under their separation names); 255 is no ink and 0 is full ink. Both the profile
(Debian ``libgs-common``) and ``gs`` (Debian ``ghostscript``) are installed by ``.ci/system-deps``:
a machine without them fails these tests with the fix in the message rather than skipping them.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import numpy as np
from PIL import Image, ImageCms

ICC = Path("/usr/share/color/icc/ghostscript/default_cmyk.icc")  # Artifex CMYK SWOP (CGATS TR 001)
WIDE_RGB_ICC = Path("/usr/share/color/icc/ghostscript/a98.icc")  # an Adobe RGB (1998)-compatible profile
RIP_DPI = 100  # enough for 1 mm regions (3.9 px/mm), fast enough to run on every test run
PROCESS = {"Cyan", "Magenta", "Yellow", "Black"}


def require_profile(path: Path = ICC) -> Path:
    assert path.is_file(), f"{path} missing: install Debian libgs-common (.ci/system-deps does)"
    return path


def require_gs() -> str:
    gs = shutil.which("gs")
    assert gs is not None, "Ghostscript missing: install Debian ghostscript (.ci/system-deps does)"
    return gs


def separate(pdf: bytes, workdir: Path, dpi: int = RIP_DPI) -> dict[int, dict[str, np.ndarray]]:
    """Every page's plates as ink coverage 0..1 (array rows are y down), read by Ghostscript.

    Fails on any message from Ghostscript: a print file must be read without a warning.
    """
    gs = require_gs()
    workdir.mkdir(parents=True, exist_ok=True)
    src = workdir / "in.pdf"
    src.write_bytes(pdf)
    result = subprocess.run(
        [gs, "-q", "-dNOPAUSE", "-dBATCH", "-dSAFER", "-sDEVICE=tiffsep", f"-r{dpi}", f"-sOutputFile={workdir}/p%d.tif", src],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0 and not result.stdout.strip() and not result.stderr.strip(), (
        f"Ghostscript complained (exit {result.returncode}): {result.stdout}{result.stderr}"
    )
    pages: dict[int, dict[str, np.ndarray]] = {}
    for tif in workdir.glob("p*(*).tif"):
        m = re.fullmatch(r"p(\d+)\((.+)\)\.tif", tif.name)
        assert m, tif.name
        with Image.open(tif) as im:
            pages.setdefault(int(m[1]), {})[m[2]] = 1.0 - np.asarray(im.convert("L"), dtype=np.float64) / 255.0
    return pages


def region(plate: np.ndarray, box_mm: tuple[float, float, float, float], margin_mm: float, dpi: int = RIP_DPI) -> np.ndarray:
    """The pixels of ``plate`` inside a trim-space box (x, y, w, h in mm), one pixel in from each edge."""
    x, y, w, h = box_mm
    px = dpi / 25.4
    x0, y0 = round((x + margin_mm) * px) + 1, round((y + margin_mm) * px) + 1
    x1, y1 = round((x + w + margin_mm) * px) - 1, round((y + h + margin_mm) * px) - 1
    return plate[y0:y1, x0:x1]


def lab(img: Image.Image, profile: ImageCms.ImageCmsProfile, mode: str) -> tuple[float, float, float]:
    """CIELAB (relative colorimetric) of a 1-pixel image in ``profile``."""
    t = ImageCms.buildTransform(profile, ImageCms.createProfile("LAB"), mode, "LAB", ImageCms.Intent.RELATIVE_COLORIMETRIC)
    l8, a8, b8 = t.apply(img).tobytes()[:3]
    signed = lambda v: v - 256 if v > 127 else v  # noqa: E731  # Pillow stores a*, b* as signed bytes
    return l8 * 100 / 255, float(signed(a8)), float(signed(b8))


def composite(pdf: bytes, workdir: Path, dpi: int = RIP_DPI) -> Image.Image:
    """Page 1 as Ghostscript shows it on screen: the CMYK through its default (the output) profile to sRGB."""
    gs = require_gs()
    workdir.mkdir(parents=True, exist_ok=True)
    (workdir / "in.pdf").write_bytes(pdf)
    out = workdir / "page.png"
    cmd = [gs, "-q", "-dNOPAUSE", "-dBATCH", "-dSAFER", "-sDEVICE=png16m", f"-r{dpi}", "-dFirstPage=1", "-dLastPage=1"]
    result = subprocess.run([*cmd, f"-sOutputFile={out}", workdir / "in.pdf"], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0 and not (result.stdout + result.stderr).strip(), result.stdout + result.stderr
    with Image.open(out) as im:
        return im.convert("RGB")

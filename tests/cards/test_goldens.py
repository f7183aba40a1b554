"""Golden PNGs per layout (small, 100 dpi), compared with a tolerance.

Regenerate after an intended change with ``FACEPRINT_UPDATE_GOLDENS=1 pytest tests/cards/test_goldens.py``
and look at the new images before committing them. On a mismatch the actual image and a diff land in
``tests/_failures/``.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageChops

from faceprint.backends.raster import paint

from .conftest import LAYOUTS, ROOT, SAMPLE_FILES, scene_of

GOLDEN_DIR = Path(__file__).parent / "goldens"
FAILURE_DIR = ROOT / "tests" / "_failures"
GOLDEN_DPI = 100
CHANNEL_TOLERANCE = 40  # per-channel difference tolerated at glyph edges (FreeType/zlib versions)
MIN_AGREEMENT = 0.995  # share of pixels within the tolerance
GOLDEN_SAMPLE = "01"  # the first sample (file name prefix)


def _sample() -> Path:
    for path in SAMPLE_FILES:
        if path.name.startswith(GOLDEN_SAMPLE):
            return path
    pytest.skip("golden sample missing")


@pytest.mark.parametrize("layout", list(LAYOUTS))
@pytest.mark.parametrize("face_index", [0, 1], ids=["front", "back"])
def test_golden(layout: str, face_index: int) -> None:
    face = scene_of(layout, _sample()).faces[face_index]
    actual = paint(face, GOLDEN_DPI)
    golden_path = GOLDEN_DIR / f"{layout}-{face.name}.png"
    if os.environ.get("FACEPRINT_UPDATE_GOLDENS") == "1" or not golden_path.exists():
        if os.environ.get("CI") and not golden_path.exists():
            pytest.fail(f"golden {golden_path.name} is missing")
        golden_path.parent.mkdir(parents=True, exist_ok=True)
        actual.save(golden_path, optimize=True)
    expected = Image.open(golden_path).convert("RGB")
    assert expected.size == actual.size
    diff = np.asarray(ImageChops.difference(actual, expected)).max(axis=2)
    agreement = float((diff <= CHANNEL_TOLERANCE).mean())
    if agreement < MIN_AGREEMENT:
        FAILURE_DIR.mkdir(parents=True, exist_ok=True)
        actual.save(FAILURE_DIR / f"{layout}-{face.name}-actual.png")
        Image.fromarray((diff > CHANNEL_TOLERANCE).astype(np.uint8) * 255).save(FAILURE_DIR / f"{layout}-{face.name}-diff.png")
    assert agreement >= MIN_AGREEMENT, f"{agreement:.4f} of pixels agree"

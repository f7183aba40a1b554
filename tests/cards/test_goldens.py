"""Golden text-with-positions and pixels per layout and face (``golden_compare`` says what is compared).

A missing golden fails. Regenerate after an intended change with ``make goldens`` (which runs this file
with ``FACEPRINT_REGEN_GOLDENS=1``) and review the text diff and the images before committing them. On a
mismatch the actual image lands in ``tests/_failures/``. ``test_golden_mutations.py`` shows that the
comparison fails on a wrong character, a wrong date, a wrong collation digit and a 0.1 mm move.
"""

from __future__ import annotations

import functools
from pathlib import Path

import pytest

from . import golden_compare
from .conftest import LAYOUTS, ROOT, SAMPLE_FILES, scene_of

FAILURE_DIR = ROOT / "tests" / "_failures"
GOLDEN_SAMPLE = "01"  # the first sample (file name prefix)


def golden_sample() -> Path:
    """The sample record the goldens show; its absence is a failure, not a skip."""
    found = [p for p in SAMPLE_FILES if p.name.startswith(GOLDEN_SAMPLE)]
    assert found, f"no sample record samples/records/{GOLDEN_SAMPLE}*.json for the goldens"
    return found[0]


@functools.cache
def rendered(layout: str) -> list[golden_compare.Rendered]:
    return golden_compare.render_faces(scene_of(layout, golden_sample()))


@pytest.mark.parametrize("layout", list(LAYOUTS))
@pytest.mark.parametrize("face_index", [0, 1], ids=["front", "back"])
def test_golden(layout: str, face_index: int) -> None:
    actual = rendered(layout)[face_index]
    if golden_compare.regenerating():
        golden_compare.write_golden(layout, actual)
    found = golden_compare.mismatches(layout, actual)
    if found:
        FAILURE_DIR.mkdir(parents=True, exist_ok=True)
        actual.image.save(FAILURE_DIR / f"{layout}-{actual.face.name}-actual.png")
    assert found == []

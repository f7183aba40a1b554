"""A card's PDF is the same byte for byte whether its repeated items' code came from the cache
(``backends.pdf.static``) or was formatted afresh: the cache reuses text and fills in each
document's own font names and CIDs, whatever card came before (so whatever CIDs that card's text
took first), in proofs and in print files with spot separations."""

from __future__ import annotations

from pathlib import Path

import pytest

from faceprint.backends.pdf import PdfOptions, render_pdf
from faceprint.backends.pdf import static as pdf_static
from faceprint.records import load_record
from faceprint.render import CardRenderer

ROOT = Path(__file__).resolve().parents[2]
LAYOUTS = ("next-gen", "current")
SAMPLES = sorted((ROOT / "samples" / "records").glob("*.json"))[:4]

OPTIONS = {"proof": PdfOptions(), "print": PdfOptions(print_ready=True)}


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("kind", sorted(OPTIONS))
def test_cached_code_gives_the_bytes_drawing_gives(layout: str, kind: str) -> None:
    options = OPTIONS[kind]
    renderer = CardRenderer(ROOT / "layouts" / layout / "card.yaml")
    scenes = [renderer.scene(load_record(path)) for path in SAMPLES]
    assert len({scene.record_id for scene in scenes}) == 4
    warm = []
    for scene in scenes + scenes[::-1]:  # every card after a different one, then after itself
        warm.append(render_pdf(scene, options))
    for scene, pdf in zip(scenes + scenes[::-1], warm, strict=True):
        pdf_static._cache.clear()
        assert render_pdf(scene, options) == pdf, f"{scene.record_id}: cached code differs from a fresh drawing"
    assert any(entry for entry in pdf_static._cache.values()), "nothing went through the cache"

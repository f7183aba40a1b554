"""The cached static artwork: a card drawn over a copy of the cached canvas has exactly the pixels
it has when drawn from scratch, whatever cards came before it, and a card that differs inside the
cached run (a label moved) is not drawn over the stale canvas."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from PIL import Image, ImageChops

from faceprint.backends.raster import paint, static
from faceprint.records import load_record
from faceprint.render import CardRenderer
from faceprint.scene import Face, GlyphRun

ROOT = Path(__file__).resolve().parents[2]
DPI = 150  # small canvases: the cache logic does not depend on the resolution


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    static._cache.clear()


def _faces(layout: str, sample: str) -> tuple[Face, ...]:
    renderer = CardRenderer(ROOT / "layouts" / layout / "card.yaml")
    return renderer.scene(load_record(ROOT / "samples/records" / sample)).faces


def _from_scratch(face: Face) -> Image.Image:
    static._cache.clear()
    image = paint(face, DPI)
    static._cache.clear()
    return image


def _same(a: Image.Image, b: Image.Image) -> bool:
    return a.size == b.size and ImageChops.difference(a, b).getbbox() is None


def test_cards_after_other_cards_match_cards_drawn_from_scratch() -> None:
    samples = ["01-short-name.json", "05-ivs-name.json", "11-katakana-foreign-name.json"]
    faces = [f for s in samples for f in _faces("next-gen", s)]
    expected = [_from_scratch(f) for f in faces]
    for _ in range(2):  # the first pass fills the cache, the second is drawn over cached canvases
        for face, want in zip(faces, expected, strict=True):
            assert _same(paint(face, DPI), want), face.name
    assert any(prefix for prefix, _ in static._cache.values()), "no static run was cached"


def test_a_change_inside_the_cached_run_is_drawn() -> None:
    front = _faces("current", "01-short-name.json")[0]
    paint(front, DPI)
    paint(_faces("current", "05-ivs-name.json")[0], DPI)  # the cache now holds what both share
    ((prefix, _),) = static._cache.values()
    label = next(i for i in prefix if isinstance(i, GlyphRun))
    moved = dataclasses.replace(label, glyphs=tuple(dataclasses.replace(g, x=g.x + 3.0) for g in label.glyphs))
    changed = dataclasses.replace(front, items=tuple(moved if i == label else i for i in front.items))
    image = paint(changed, DPI)
    assert _same(image, _from_scratch(changed))
    assert not _same(image, _from_scratch(front))


def test_different_layouts_do_not_share_a_canvas() -> None:
    a = _faces("current", "01-short-name.json")[1]
    b = _faces("next-gen-2024", "01-short-name.json")[1]
    want_a, want_b = _from_scratch(a), _from_scratch(b)
    for _ in range(2):
        assert _same(paint(a, DPI), want_a)
        assert _same(paint(b, DPI), want_b)

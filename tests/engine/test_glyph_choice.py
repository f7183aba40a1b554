"""Which glyph each character gets: per-character fallback through a font stack, ideographic
variation sequences resolved to their variant glyph in both outputs, and missing glyphs refused."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import engine_support
import numpy as np
import pytest
from PIL import Image

from faceprint.backends.pdf import render_pdf
from faceprint.backends.raster import paint
from faceprint.errors import DataError
from faceprint.outputs import OutputSpec
from faceprint.render import CardRenderer
from faceprint.scene import Scene
from faceprint.text.fonts import default_database
from faceprint.text.shaping import MissingGlyph, shape

KATSU = "葛"  # U+845B
VS17 = "\U000e0100"
YOSHI = "\U00020bb7"  # 𠮷: IPAmj Mincho has it, BIZ UDMincho does not
IVS_DPI = 150


# -- per-character fallback ------------------------------------------------------------------------
def test_a_stack_falls_back_per_character() -> None:
    db = default_database()
    stack = [db.find("BIZ UDMincho"), db.find("IPAmjMincho")]
    clusters = shape(f"{YOSHI}田太郎", stack)
    assert [c.face.ref.postscript_name for c in clusters] == ["IPAmjMincho"] + ["BIZUDMincho-Regular"] * 3


def test_fallback_splits_glyph_runs_by_font(layout_file: Callable[..., Path]) -> None:
    path = layout_file("""
        fonts:
          mincho: [BIZ UDMincho, IPAmjMincho]
        front:
          - id: name
            type: text
            box: [5mm, 5mm, 70mm, 10mm]
            font: mincho
            size: 12pt
            value: "{{ name }}"
        """)
    front = engine_support.face(engine_support.resolve(path, {"name": f"山{YOSHI}田"}))
    runs = engine_support.runs(front, "name")
    assert [(r.font.postscript_name, engine_support.run_text(r)) for r in runs] == [
        ("BIZUDMincho-Regular", "山"),
        ("IPAmjMincho", YOSHI),
        ("BIZUDMincho-Regular", "田"),
    ]
    # the fallback glyph continues the line where the first font's glyph ends
    assert runs[1].glyphs[0].x == pytest.approx(runs[0].glyphs[0].x + runs[0].advances[0])


# -- ideographic variation sequences ---------------------------------------------------------------
@pytest.fixture(scope="module")
def ivs_scene() -> Scene:
    return engine_support.resolve("ivs.yaml", {"base": KATSU, "variant": KATSU + VS17})


@pytest.fixture(scope="module")
def control_scene() -> Scene:
    return engine_support.resolve("ivs.yaml", {"base": KATSU, "variant": KATSU})


def test_the_variant_glyph_is_chosen_in_the_scene(ivs_scene: Scene) -> None:
    front = engine_support.face(ivs_scene)
    (base,) = engine_support.runs(front, "base")
    (variant,) = engine_support.runs(front, "variant")
    assert [g.text for g in variant.glyphs] == [KATSU + VS17]  # one glyph for the sequence, no extra one
    assert base.glyphs[0].gid != variant.glyphs[0].gid
    assert (base.glyphs[0].gid, variant.glyphs[0].gid) == (2445, 12547)  # BIZ UDMincho's uni845B / its IVS glyph


def _glyph_areas(image: Image.Image, scene: Scene) -> tuple[np.ndarray, np.ndarray]:
    front = engine_support.face(scene)
    boxes = {eb.element_id: eb.box for eb in front.boxes}
    return engine_support.crop_mm(image, boxes["base"], IVS_DPI), engine_support.crop_mm(image, boxes["variant"], IVS_DPI)


def _differing(a: np.ndarray, b: np.ndarray) -> int:
    return int((np.abs(a - b).max(axis=-1) > 64).sum())


def test_the_variant_differs_from_the_base_in_the_png(ivs_scene: Scene, control_scene: Scene) -> None:
    base, variant = _glyph_areas(paint(engine_support.face(ivs_scene), IVS_DPI), ivs_scene)
    assert (base < 128).any() and (variant < 128).any()  # both glyphs were drawn
    assert _differing(base, variant) > 500  # ~1,580 pixels differ at 150 dpi
    same_a, same_b = _glyph_areas(paint(engine_support.face(control_scene), IVS_DPI), control_scene)
    assert _differing(same_a, same_b) < 5  # the two boxes are comparable: equal text, equal pixels


def test_the_variant_differs_from_the_base_in_the_pdf(ivs_scene: Scene, control_scene: Scene) -> None:
    pdf = render_pdf(ivs_scene)
    base, variant = _glyph_areas(engine_support.pdf_pages(pdf, IVS_DPI)[0], ivs_scene)
    assert (base < 128).any() and (variant < 128).any()
    assert _differing(base, variant) > 500  # ~1,580 pixels differ at 150 dpi
    same_a, same_b = _glyph_areas(engine_support.pdf_pages(render_pdf(control_scene), IVS_DPI)[0], control_scene)
    assert _differing(same_a, same_b) < 10  # PDFium may snap the two origins differently by a pixel edge
    assert KATSU + VS17 in engine_support.pdf_page_texts(pdf)[0]  # and the selector is kept for extraction


# -- missing glyphs ------------------------------------------------------------------------------
def test_a_character_no_font_has_is_refused_by_code_point() -> None:
    stack = [default_database().find("BIZ UDMincho"), default_database().find("IPAmjMincho")]
    with pytest.raises(MissingGlyph, match=r"U\+E000"):
        shape("山\ue000田", stack)
    with pytest.raises(MissingGlyph, match=r"U\+845B U\+E01EF"):
        shape(KATSU + "\U000e01ef", stack)  # a variation sequence no font has
    (fallback,) = shape(KATSU + "\U000e01ef", stack, ivs_fallback=True)
    assert fallback.gid == 2445  # allowed only when the layout says so


@dataclass
class StubRecord:
    """What ``CardRenderer`` needs of a record: an id and a template context."""

    id: str
    context: dict[str, Any]

    def template_context(self, *, derive_romaji: bool = False) -> dict[str, Any]:
        return self.context


def test_a_missing_glyph_is_a_data_error_and_nothing_is_written(layout_file: Callable[..., Path], tmp_path: Path) -> None:
    path = layout_file("""
        front:
          - id: address
            type: text
            box: [5mm, 5mm, 70mm, 10mm]
            font: BIZ UDGothic
            size: 9pt
            value: "{{ address }}"
        """)
    renderer = CardRenderer(path)
    out = tmp_path / "out"
    with pytest.raises(DataError) as info:
        renderer.render(StubRecord("r9", {"address": "東京都\ue000区"}), out, OutputSpec())  # type: ignore[arg-type]
    err = info.value
    assert "U+E000" in str(err)
    assert (err.record_id, err.field, err.element_id) == ("r9", "address", "address")
    assert not out.exists() or list(out.iterdir()) == []
    # the same layout renders a good record, so the failure above was the glyph's
    written = renderer.render(StubRecord("r10", {"address": "東京都千代田区"}), out, OutputSpec(dpi=72))  # type: ignore[arg-type]
    assert sorted(p.name for p in written) == ["r10-back.png", "r10-front.png", "r10.pdf"]

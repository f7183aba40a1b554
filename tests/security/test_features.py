"""Anti-counterfeiting features: microtext, guilloche, ghost portrait, blurred edge, UV and laser layers."""

from __future__ import annotations

import dataclasses
import io
import itertools
from pathlib import Path

import numpy as np
import pikepdf
import pypdfium2 as pdfium
import pytest
from PIL import Image, ImageDraw, ImageFilter

from faceprint.backends.pdf import PdfOptions, render_pdf
from faceprint.backends.raster import paint, paint_uv
from faceprint.engrave import engraving_bitmap
from faceprint.layout_file import load_layout
from faceprint.lint import lint_layout
from faceprint.records import load_record
from faceprint.render import CardRenderer
from faceprint.scene import Box, GlyphRun, ImageItem, PathItem
from faceprint.units import mm_to_pt

ROOT = Path(__file__).resolve().parents[2]
LAYOUT = ROOT / "layouts" / "next-gen" / "card.yaml"
RECORD = ROOT / "samples" / "records" / "08-hepburn-namba.json"
FEATURES = {"guilloche-rosette", "guilloche-waves", "microtext-rule", "ghost-portrait", "uv-emblem"}


@pytest.fixture(scope="module")
def renderer() -> CardRenderer:
    return CardRenderer(LAYOUT)


@pytest.fixture(scope="module")
def record():  # type: ignore[no-untyped-def]
    return load_record(RECORD)


@pytest.fixture(scope="module")
def scene(renderer: CardRenderer, record):  # type: ignore[no-untyped-def]
    return renderer.scene(record)


def _items(scene, element_id: str) -> list:  # type: ignore[no-untyped-def]
    return [i for f in scene.faces for i in f.items if i.element_id == element_id]


def _ops(page: pikepdf.Page) -> list[tuple[list[object], str]]:
    return [(list(o), str(op)) for o, op in pikepdf.parse_content_stream(page)]


def test_microtext_is_real_text_at_its_height(scene) -> None:  # type: ignore[no-untyped-def]
    (run,) = _items(scene, "microtext-rule")
    assert isinstance(run, GlyphRun) and run.size_pt == pytest.approx(mm_to_pt(0.25))
    assert len(run.glyphs) > 100  # repeated to fill the 80 mm rule
    pdf = render_pdf(scene)
    with pikepdf.Pdf.open(io.BytesIO(pdf)) as doc:
        sizes = [float(o[1]) for o, op in _ops(doc.pages[0]) if op == "Tf"]
        assert any(abs(s - mm_to_pt(0.25)) < 1e-3 for s in sizes)
    text = pdfium.PdfDocument(pdf)[0].get_textpage().get_text_range()
    assert "JAPAN日本国INDIVIDUALNUMBERCARD個人番号カード" in "".join(text.split())


def test_microtext_follows_a_path_round_corners(renderer: CardRenderer, record, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    layout = tmp_path / "border.yaml"
    layout.write_text(
        f"extends: {LAYOUT}\nfront:\n  - {{id: micro-border, type: microtext, closed: true, font: gothic, height: 0.3mm,"
        " value: 'JAPAN ', points: [[3mm, 3mm], [82mm, 3mm], [82mm, 50mm], [3mm, 50mm]]}\n",
        encoding="utf-8",
    )
    (run,) = _items(CardRenderer(layout).scene(record), "micro-border")
    angles = {round(g.angle) % 360 for g in run.glyphs}
    assert angles == {0, 90, 180, 270}


def test_guilloche_is_deterministic_and_vector(renderer: CardRenderer, record) -> None:  # type: ignore[no-untyped-def]
    a = renderer.scene(record)
    b = CardRenderer(LAYOUT).scene(record)
    assert _items(a, "guilloche-rosette") == _items(b, "guilloche-rosette")
    assert render_pdf(a) == render_pdf(b)  # same parameters, same bytes
    paths = _items(a, "guilloche-rosette")
    assert len(paths) == 12 and all(isinstance(p, PathItem) and p.stroke is not None for p in paths)
    with pikepdf.Pdf.open(io.BytesIO(render_pdf(a))) as doc:
        assert sum(1 for _, op in _ops(doc.pages[0]) if op == "l") > 12 * 590  # drawn as lines, not an image


def test_modulated_guilloche_changes_with_the_record(renderer: CardRenderer, record) -> None:  # type: ignore[no-untyped-def]
    other = dataclasses.replace(record, collation_number="123457")
    assert _items(renderer.scene(record), "guilloche-rosette") != _items(renderer.scene(other), "guilloche-rosette")
    # the unmodulated wave band stays the same
    assert _items(renderer.scene(record), "guilloche-waves") == _items(renderer.scene(other), "guilloche-waves")


def test_ghost_portrait_is_faded_and_drawn_with_its_opacity(scene) -> None:  # type: ignore[no-untyped-def]
    (ghost,) = _items(scene, "ghost-portrait")
    assert isinstance(ghost, ImageItem) and ghost.opacity == pytest.approx(0.35)
    with pikepdf.Pdf.open(io.BytesIO(render_pdf(scene))) as doc:
        page = doc.pages[0]
        gstates = page.obj.Resources.ExtGState
        images = {str(k) for k in page.obj.Resources.XObject}
        assert len(images) == 2  # the portrait and its ghost
        alpha = None
        for operands, op in _ops(page):
            if op == "gs":
                alpha = gstates[str(operands[0])].get("/ca", alpha)
            if op == "Do" and alpha is not None and float(alpha) < 1:
                assert float(alpha) == pytest.approx(0.35)
                break
        else:
            pytest.fail("no image drawn at reduced opacity")


def test_blurred_edge_fades_the_photo(record) -> None:  # type: ignore[no-untyped-def]
    scene = CardRenderer(ROOT / "layouts" / "current" / "card.yaml").scene(record)
    (photo,) = _items(scene, "photo")
    img = __import__("faceprint.images", fromlist=["to_pil"]).to_pil(photo.pixels)
    edge = [img.getpixel((x, img.height // 2)) for x in range(3)]
    assert min(edge) > 240  # faded into white at the very edge


def test_uv_layer_is_hidden_in_daylight_and_a_spot_in_print(scene) -> None:  # type: ignore[no-untyped-def]
    front = scene.faces[0]
    assert "uv" in front.invisible_layers
    no_uv = dataclasses.replace(front, items=tuple(i for i in front.items if i.layer != "uv"))
    assert paint(front, 100).tobytes() == paint(no_uv, 100).tobytes()  # invisible in the normal preview
    assert paint_uv(front, scene.inks, 100).tobytes() != paint_uv(no_uv, scene.inks, 100).tobytes()
    with pikepdf.Pdf.open(io.BytesIO(render_pdf(scene, PdfOptions(print_ready=True)))) as doc:
        spots = {str(s[1]) for s in doc.pages[0].obj.Resources.ColorSpace.values() if str(s[0]) == "/Separation"}
        assert "/UV" in spots
    with pikepdf.Pdf.open(io.BytesIO(render_pdf(scene))) as doc:  # the proof shows daylight only
        assert "/ColorSpace" not in doc.pages[0].obj.Resources or not any(
            str(s[1]) == "/UV" for s in doc.pages[0].obj.Resources.ColorSpace.values()
        )


def test_laser_layer_goes_to_the_engraving_not_to_print(scene) -> None:  # type: ignore[no-untyped-def]
    front = scene.faces[0]
    assert "laser" in front.engrave_layers
    with pikepdf.Pdf.open(io.BytesIO(render_pdf(scene, PdfOptions(print_ready=True)))) as doc:
        assert len(list(doc.pages[0].obj.Resources.XObject.keys())) == 1  # the portrait only, no ghost
    bitmap = engraving_bitmap(front, 300, 8)
    (ghost,) = _items(scene, "ghost-portrait")
    box = ghost.box
    crop = bitmap.crop(tuple(round(v / 25.4 * 300) for v in (box.x, box.y, box.right, box.bottom)))
    assert crop.getextrema()[0] < 200  # the ghost is in the engraving bitmap


def _bounds(item) -> Box:  # type: ignore[no-untyped-def]
    if isinstance(item, PathItem):
        pts = [a for op, a in item.ops if op != "Z"]
        xs, ys = [p[0] for p in pts], [p[1] for p in pts]
        return Box(min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys))
    if isinstance(item, GlyphRun):
        ys = [g.y if g.y is not None else item.baseline_y for g in item.glyphs]
        xs = [g.x for g in item.glyphs]
        em = item.size_pt * 25.4 / 72
        return Box(min(xs), min(ys) - em, max(xs) - min(xs) + em, max(ys) - min(ys) + 2 * em)
    return item.box


def test_no_feature_enters_a_keep_out_zone(scene) -> None:  # type: ignore[no-untyped-def]
    for face in scene.faces:
        for item in face.items:
            if item.element_id in FEATURES:
                for zone in face.keep_out:
                    assert not _bounds(item).intersects(zone.box), f"{item.element_id} enters {zone.zone_id}"


def test_lint_refuses_a_feature_over_the_chip(tmp_path: Path) -> None:
    layout = tmp_path / "bad.yaml"
    layout.write_text(
        f"extends: {LAYOUT}\nback:\n  - {{id: back-rosette, type: guilloche, kind: rosette, box: [5mm, 15mm, 20mm, 20mm]}}\n",
        encoding="utf-8",
    )
    found = [(f.element_id, f.code) for f in lint_layout(load_layout(layout))]
    assert ("back-rosette", "keep-out") in found


def test_lint_warns_when_a_printer_cannot_resolve_the_microtext(capsys: pytest.CaptureFixture[str]) -> None:
    from faceprint.cli import main
    from faceprint.lint import lint_microtext_resolution

    loaded = load_layout(LAYOUT)
    low = lint_microtext_resolution(loaded, 300, "a 300 dpi dye-sublimation printer")
    assert [(f.element_id, f.code, f.severity) for f in low] == [("microtext-rule", "microtext-resolution", "warning")]
    assert lint_microtext_resolution(loaded, 1200, "a 1200 dpi press") == []
    assert main(["lint", str(LAYOUT), "--printer", "default"]) == 0  # a warning, not an error
    assert "microtext-resolution" in capsys.readouterr().out


LEGIBLE_DPI = 1200
INK_LEVEL = 200  # grey value below which a pixel carries ink (paper is 255)
INK_SHARE = (0.10, 0.80)  # a glyph cell is neither blank nor a solid block: strokes with paper between
DISTINCT_LEVELS = 12.0  # mean grey difference between the cells of two different characters


def microtext_legibility_problems(image: Image.Image, run: GlyphRun, dpi: float) -> list[str]:
    """Why the microtext run in ``image`` could not be read under a loupe; empty when it can.

    Each glyph's cell (its advance × the em box) must hold strokes with paper between them, and the
    cells of two different characters must look different: a grey bar, a smear or blanks fail.
    """
    grey = np.asarray(image.convert("L"), dtype=np.int16)
    scale, em = dpi / 25.4, run.size_pt * 25.4 / 72.0
    top, bottom = round((run.baseline_y - 0.88 * em) * scale), round((run.baseline_y + 0.12 * em) * scale)
    problems, cells = [], {}
    for glyph, advance in zip(run.glyphs, run.advances, strict=True):
        left = round(glyph.x * scale)
        cell = grey[top:bottom, left : left + max(1, round(advance * scale))]
        share = float((cell < INK_LEVEL).mean())
        if not INK_SHARE[0] <= share <= INK_SHARE[1]:
            problems.append(f"{glyph.text!r} at {glyph.x:.3f} mm: {share:.0%} of its cell is ink")
        cells.setdefault(glyph.text, cell)
    for (a, cell_a), (b, cell_b) in itertools.combinations(cells.items(), 2):
        width = min(cell_a.shape[1], cell_b.shape[1])
        if float(np.abs(cell_a[:, :width] - cell_b[:, :width]).mean()) < DISTINCT_LEVELS:
            problems.append(f"{a!r} and {b!r} look the same")
    return problems


def _microtext_alone(scene) -> tuple[GlyphRun, Image.Image]:  # type: ignore[no-untyped-def]
    (run,) = _items(scene, "microtext-rule")
    return run, paint(dataclasses.replace(scene.faces[0], items=(run,)), LEGIBLE_DPI)


def test_microtext_stays_legible_at_1200_dpi(scene) -> None:  # type: ignore[no-untyped-def]
    """Each glyph of the 0.25 mm rule is drawn with real strokes at 1200 dpi (about 12 px per em)."""
    run, image = _microtext_alone(scene)
    assert len({g.text for g in run.glyphs}) >= 20  # Latin and kanji: enough different shapes to tell apart
    assert microtext_legibility_problems(image, run, LEGIBLE_DPI) == []


@pytest.mark.parametrize("grey", [40, 128, 190])
def test_a_uniform_grey_bar_is_not_legible_microtext(scene, grey: int) -> None:  # type: ignore[no-untyped-def]
    run, image = _microtext_alone(scene)
    em, scale = run.size_pt * 25.4 / 72.0, LEGIBLE_DPI / 25.4
    bar = image.copy()
    right = run.glyphs[-1].x + run.advances[-1]
    ImageDraw.Draw(bar).rectangle(
        (0, round((run.baseline_y - em) * scale), round(right * scale), round((run.baseline_y + em) * scale)), fill=(grey,) * 3
    )
    problems = microtext_legibility_problems(bar, run, LEGIBLE_DPI)
    assert len(problems) > len(run.glyphs)  # every cell, and every pair of different characters


def test_smeared_microtext_is_not_legible(scene) -> None:  # type: ignore[no-untyped-def]
    """What a printer below the microtext's resolution gives: the strokes merge into a smear."""
    run, image = _microtext_alone(scene)
    smeared = image.filter(ImageFilter.BoxBlur(4))
    assert any("look the same" in p for p in microtext_legibility_problems(smeared, run, LEGIBLE_DPI))

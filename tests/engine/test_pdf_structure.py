"""The print PDF's structure, read back with pikepdf and fontTools: page size and order, fonts
embedded as Type 0 / CIDFontType2 subsets whose programs hold the outlines the scene uses."""

from __future__ import annotations

import io
import os
import re
import subprocess
from pathlib import Path

import engine_support
import pikepdf
import pytest
import required
from fontTools.ttLib import TTFont

from faceprint.scene import GlyphRun, Scene
from faceprint.units import pt_to_mm

SUBSET_TAG = re.compile(r"^/[A-Z]{6}\+(?P<ps>.+)$")


def _fonts(pdf: pikepdf.Pdf) -> dict[str, pikepdf.Dictionary]:
    """Every font named in any page's resources, by BaseFont."""
    out: dict[str, pikepdf.Dictionary] = {}
    for page in pdf.pages:
        for _, font in page.Resources.get("/Font", pikepdf.Dictionary()).items():
            out[str(font.BaseFont)] = font
    return out


def _used_gids(scene: Scene) -> dict[str, tuple[str, set[int]]]:
    """PostScript name → (source file, glyph ids the scene draws with it)."""
    used: dict[str, tuple[str, set[int]]] = {}
    for face in scene.faces:
        for item in face.items:
            if isinstance(item, GlyphRun):
                _, gids = used.setdefault(item.font.postscript_name, (item.font.path, set()))
                gids.update(g.gid for g in item.glyphs)
    return used


def test_pages_are_the_id1_trim_size_front_then_back(card_pdf: bytes) -> None:
    with pikepdf.open(io.BytesIO(card_pdf)) as pdf:
        assert len(pdf.pages) == 2
        for page in pdf.pages:
            x0, y0, x1, y1 = (float(v) for v in page.MediaBox)
            assert (x0, y0) == (0.0, 0.0)
            assert pt_to_mm(x1) == pytest.approx(85.60, abs=0.01)
            assert pt_to_mm(y1) == pytest.approx(53.98, abs=0.01)
    front, back = engine_support.pdf_page_texts(card_pdf)
    assert "かつしか" in front and "個" in front  # the ruby and the label are on the front
    assert "テスト用" in back and "かつしか" not in back


def test_every_font_is_an_embedded_cid_truetype_subset(card_pdf: bytes, card_scene: Scene) -> None:
    used = _used_gids(card_scene)
    with pikepdf.open(io.BytesIO(card_pdf)) as pdf:
        fonts = _fonts(pdf)
        assert {SUBSET_TAG.match(name)["ps"] for name in fonts if SUBSET_TAG.match(name)} == set(used)
        for name, font in fonts.items():
            assert SUBSET_TAG.match(name), f"{name} has no six-letter subset tag"
            assert font.Subtype == "/Type0" and font.Encoding == "/Identity-H"
            (cid_font,) = font.DescendantFonts
            assert cid_font.Subtype == "/CIDFontType2"
            assert "/ToUnicode" in font
            assert "/FontFile2" in cid_font.FontDescriptor, f"{name} is not embedded"
        # no other font object anywhere in the file (reportlab's default Helvetica included)
        kinds = {str(obj.Subtype) for obj in pdf.objects if isinstance(obj, pikepdf.Dictionary) and obj.get("/Type") == "/Font"}
        assert kinds == {"/Type0", "/CIDFontType2"}


def test_embedded_programs_are_small_subsets_with_the_used_outlines(card_pdf: bytes, card_scene: Scene) -> None:
    used = _used_gids(card_scene)
    with pikepdf.open(io.BytesIO(card_pdf)) as pdf:
        for name, font in _fonts(pdf).items():
            ps = SUBSET_TAG.match(name)["ps"]
            source_path, gids = used[ps]
            program = font.DescendantFonts[0].FontDescriptor.FontFile2.read_bytes()
            assert len(program) < os.path.getsize(source_path) / 10, f"{ps}: {len(program)} bytes is no subset"
            subset = TTFont(io.BytesIO(program))
            source = TTFont(source_path, lazy=True)
            sub_glyf, src_glyf = subset["glyf"], source["glyf"]
            sub_order, src_order = subset.getGlyphOrder(), source.getGlyphOrder()
            for gid in gids:
                glyph = sub_glyf[sub_order[gid]]
                assert glyph.numberOfContours != 0, f"{ps}: glyph {gid} lost its outline"
                sub_coords = glyph.getCoordinates(sub_glyf)[0]
                src_coords = src_glyf[src_order[gid]].getCoordinates(src_glyf)[0]
                assert list(sub_coords) == list(src_coords), f"{ps}: glyph {gid} differs from the source"
            unused = next(g for g in range(1, len(sub_order)) if g not in gids)
            assert sub_glyf[sub_order[unused]].numberOfContours == 0  # everything else is dropped


def test_the_pdf_passes_qpdf_check(card_pdf: bytes, tmp_path: Path) -> None:
    qpdf = required.tool("qpdf", "qpdf")
    path = tmp_path / "card.pdf"
    path.write_bytes(card_pdf)
    result = subprocess.run([qpdf, "--check", str(path)], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


def test_reportlab_settings_are_per_document_and_restored(card_scene: Scene) -> None:
    """faceprint's reportlab settings (no ASCII85, its own page deflate) hold while it writes a
    file and are reportlab's own again afterwards, for other reportlab users in the process."""
    from reportlab import rl_config
    from reportlab.pdfbase import pdfdoc

    from faceprint.backends.pdf import render_pdf

    before = rl_config.useA85, pdfdoc.PDFZCompress
    rl_config.useA85 = 1  # as reportlab ships it
    try:
        data = render_pdf(card_scene)
        assert (rl_config.useA85, pdfdoc.PDFZCompress) == (1, before[1])
    finally:
        rl_config.useA85 = before[0]
    with pikepdf.open(io.BytesIO(data)) as pdf:
        filters = set()
        for obj in pdf.objects:
            if isinstance(obj, pikepdf.Stream):
                f = obj.get("/Filter")
                filters.update([str(f)] if isinstance(f, pikepdf.Name) else [str(x) for x in f or ()])
                if f is not None and "/DCTDecode" not in str(f):
                    assert obj.read_bytes()  # every deflated stream decodes
    assert "/ASCII85Decode" not in filters and "/FlateDecode" in filters

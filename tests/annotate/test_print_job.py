"""The print job holds the new entry and nothing else, on a page the card's trim size, moved exactly by the
printer profile; outputs are owner-only and never carry the individual number."""

from __future__ import annotations

import io
import json
import stat
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pikepdf
import pytest
from PIL import Image

from faceprint.annotate import plan_annotation
from faceprint.annotate.printer import PrinterProfile, apply
from faceprint.backends.pdf.device import PdfDevice
from faceprint.layout_file.model import ID1_HEIGHT_MM, ID1_WIDTH_MM
from faceprint.units import mm_to_pt

from .conftest import annotate, annotate_argv, char_boxes, content_operators, pdf_text, request, run, squeeze, state_of

ENTRY = "東京都千代田区見本町一丁目２番３号"
# What a page of nothing but text may hold: graphics state, the profile's matrix, text objects and colour.
TEXT_ONLY_OPERATORS = {"q", "Q", "cm", "BT", "ET", "Tf", "Tz", "Tm", "TJ", "g", "rg", "k"}


def _job(tmp_path: Path, record: Path, layout: str = "next-gen", printer: str | None = None) -> tuple[bytes, bytes]:
    """The print job's PDF and PNG for one entry on a blank card (its own state file per call)."""
    out = tmp_path / "out"
    annotate(record, out, ENTRY, layout, files=True, kind="新住所", state=tmp_path / "state.json", printer=printer)
    return (out / "S01-entry1.pdf").read_bytes(), (out / "S01-entry1.png").read_bytes()


def test_the_print_job_holds_only_the_new_entry(
    record: Callable[..., Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rec = record()
    assert run(annotate_argv("next-gen", rec, tmp_path / "out", ENTRY, "--kind", "新住所"), capsys).code == 0
    pdf = (tmp_path / "out" / "S01-entry1.pdf").read_bytes()
    printed = state_of(rec)["entries"][0]["printed"]
    assert squeeze(pdf_text(pdf)) == squeeze(printed)
    ops = {op for op, _ in content_operators(pdf)}
    assert ops <= TEXT_ONLY_OPERATORS, f"drawing operators in the job: {ops - TEXT_ONLY_OPERATORS}"
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        assert len(doc.pages) == 1
        page = doc.pages[0]
        assert [float(v) for v in page.MediaBox] == pytest.approx([0, 0, mm_to_pt(ID1_WIDTH_MM), mm_to_pt(ID1_HEIGHT_MM)])
        resources = page.Resources
        assert "/XObject" not in resources and "/Shading" not in resources and "/Pattern" not in resources
        fonts = resources.Font
        assert all(
            fonts[name].Subtype == "/Type0" and "/FontFile2" in fonts[name].DescendantFonts[0].FontDescriptor for name in fonts
        )


def test_the_preview_shows_the_whole_card_but_the_job_nothing_of_it(record: Callable[..., Path], tmp_path: Path) -> None:
    plan = plan_annotation(request(record(), tmp_path / "out", ENTRY))
    assert {item.element_id for item in plan.job.items} == {"annotations"}
    preview_front = {item.element_id for item in plan.preview.faces[0].items}
    assert {"background", "name", "photo", "annotations"} <= preview_front
    assert [f.name for f in plan.preview.faces] == ["front", "back"]


def test_coordinates_shift_exactly_by_the_profile_offsets(
    record: Callable[..., Path], profile: Callable[..., Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    dx, dy = 1.25, -0.8
    shifted_profile = profile(f"offset_x = {dx}\noffset_y = {dy}\n")
    plain_pdf, plain_png = _job(tmp_path / "a", record())
    shifted_pdf, shifted_png = _job(tmp_path / "b", record(), printer=str(shifted_profile))
    # the operator: one translation, in points, y up
    (cm,) = [args for op, args in content_operators(shifted_pdf) if op == "cm" and [float(a) for a in args] != [1, 0, 0, 1, 0, 0]]
    assert [float(a) for a in cm] == pytest.approx([1, 0, 0, 1, mm_to_pt(dx), -mm_to_pt(dy)], abs=1e-4)
    # its effect: every character drawn exactly that far away
    plain, shifted = np.array(char_boxes(plain_pdf)), np.array(char_boxes(shifted_pdf))
    assert plain.shape == shifted.shape and len(plain) > 10
    expected = np.array([mm_to_pt(dx), -mm_to_pt(dy), mm_to_pt(dx), -mm_to_pt(dy)])
    assert np.allclose(shifted - plain, expected, atol=1e-3)
    # the PNG at the profile's 300 dpi: the ink moves by the same millimetres, to within the raster's
    # glyph phases (quarter pixels across, and each phase's own anti-aliased coverage): measured 0.34 px
    # on the two-line entry that the card's date style (2025年6月20日) makes of ENTRY
    dpi = 300.0
    a, b = (_ink_centroid(png) for png in (plain_png, shifted_png))
    assert b[0] - a[0] == pytest.approx(dx * dpi / 25.4, abs=0.5)
    assert b[1] - a[1] == pytest.approx(dy * dpi / 25.4, abs=0.5)


def _ink_centroid(png: bytes) -> tuple[float, float]:
    image = Image.open(io.BytesIO(png))
    ink = 255.0 - np.asarray(image.convert("L"), dtype=np.float64)
    ys, xs = np.mgrid[0 : ink.shape[0], 0 : ink.shape[1]]
    return float((xs * ink).sum() / ink.sum()), float((ys * ink).sum() / ink.sum())


def test_the_png_follows_the_profiles_dpi(
    record: Callable[..., Path], profile: Callable[..., Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, png = _job(tmp_path, record(), printer=str(profile("dpi = 600\n")))
    image = Image.open(io.BytesIO(png))
    assert image.size == (round(ID1_WIDTH_MM * 600 / 25.4), round(ID1_HEIGHT_MM * 600 / 25.4))
    assert image.info["dpi"] == pytest.approx((600, 600), abs=0.01)


@pytest.mark.parametrize(
    ("flip", "corner"),
    [
        ("none", (0.0, 0.0)),
        ("horizontal", (ID1_WIDTH_MM, 0.0)),
        ("vertical", (0.0, ID1_HEIGHT_MM)),
        ("both", (ID1_WIDTH_MM, ID1_HEIGHT_MM)),
    ],
)
def test_a_duplex_flip_mirrors_the_face_on_the_page(flip: str, corner: tuple[float, float]) -> None:
    p = PrinterProfile("t", "t", duplex_flip=flip, offset_x=0.5)  # type: ignore[arg-type]
    t = p.transform(ID1_WIDTH_MM, ID1_HEIGHT_MM)
    x, y = apply(t, 0.0, 0.0)
    mirrored_x = flip in ("horizontal", "both")
    assert (x, y) == pytest.approx((corner[0] - 0.5 if mirrored_x else corner[0] + 0.5, corner[1]))


def test_a_turned_back_prints_the_entry_upside_down_on_the_page(
    record: Callable[..., Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """next-gen-2024 has the area on the back; the shipped duplex profile turns it by 180°."""
    plain, _ = _job(tmp_path / "a", record(), "next-gen-2024")
    turned, _ = _job(tmp_path / "b", record(), "next-gen-2024", printer="duplex-back")
    w, h = mm_to_pt(ID1_WIDTH_MM), mm_to_pt(ID1_HEIGHT_MM)

    def glyph_boxes(pdf: bytes) -> np.ndarray:
        boxes = np.array([box for box in char_boxes(pdf) if box[2] - box[0] > 0.01])  # PDFium adds empty spaces
        return boxes[np.lexsort((boxes[:, 1].round(2), boxes[:, 0].round(2)))]

    a = glyph_boxes(plain)
    # (left, bottom, right, top) turned by 180° about the page centre: (w − right, h − top, w − left, h − bottom)
    expected = np.stack([w - a[:, 2], h - a[:, 3], w - a[:, 0], h - a[:, 1]], axis=1)
    expected = expected[np.lexsort((expected[:, 1].round(2), expected[:, 0].round(2)))]
    assert len(a) > 10 and np.allclose(glyph_boxes(turned), expected, atol=0.05)


def test_rotation_turns_clockwise_about_the_card_centre() -> None:
    t = PrinterProfile("t", "t", rotation=90.0 / 18, scale=1.0).transform(80.0, 40.0)
    cx, cy = apply(t, 40.0, 20.0)
    assert (cx, cy) == pytest.approx((40.0, 20.0))
    assert apply(t, 80.0, 20.0)[1] > 20.0  # the right edge goes down: clockwise on a card drawn with y down
    identity = PdfDevice(None, 40.0).affine_cm(PrinterProfile("t", "t").transform(80.0, 40.0), translation_digits=6)
    assert identity == "1.000000 0.000000 0.000000 1.000000 0.000000 0.000000 cm"


def test_outputs_are_owner_only_and_never_hold_the_individual_number(
    record: Callable[..., Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rec = record()
    number = json.loads(rec.read_text(encoding="utf-8"))["my_number"]
    out = tmp_path / "out"
    result = run(annotate_argv("next-gen", rec, out, ENTRY, "--date", "2025-06-20"), capsys)
    assert result.code == 0
    written = [Path(line) for line in result.out.splitlines() if line.startswith("/")]
    assert len(written) == 6  # job PDF and PNG, two previews, the job ticket, the state
    for path in written:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
    assert number not in result.out + result.err
    assert number not in rec.with_name("S01.annotations.json").read_text(encoding="utf-8")
    job_pdf = (out / "S01-entry1.pdf").read_bytes()
    assert number not in pdf_text(job_pdf) and number.encode() not in job_pdf

"""Imposition (grid, duplex mirroring, crop marks per card) and engraving bitmaps (size, depth)."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pikepdf
import pypdfium2 as pdfium
import pytest
from PIL import Image

from faceprint.backends.pdf import PdfOptions
from faceprint.backends.pdf.prepress import crop_mark_lines
from faceprint.cli import main
from faceprint.engrave import engraving_bitmap
from faceprint.errors import UsageError
from faceprint.production.impose import GUTTER_MM, SHEETS, impose_pdf, parse_sheet, plan_grid
from faceprint.record_checks import validate_record
from faceprint.render import CardRenderer

from .conftest import LAYOUT, SAMPLES, many_rows

PT = 72 / 25.4


@pytest.fixture(scope="module")
def scenes():
    renderer = CardRenderer(LAYOUT)
    return [renderer.scene(validate_record(row, base_dir=SAMPLES)) for row in many_rows(11)]


def test_sheet_names_and_custom_sizes() -> None:
    assert parse_sheet("SRA3") == (320.0, 450.0) and parse_sheet("a4") == (210.0, 297.0)
    assert parse_sheet("330x480mm") == (330.0, 480.0)


def test_grid_fills_the_sheet_without_overlap() -> None:
    grid = plan_grid(SHEETS["SRA3"], 85.6, 53.98, 2.0)
    assert grid.per_sheet >= 15
    boxes = [grid.position(i, back=False) for i in range(grid.per_sheet)]
    for i, (x, y) in enumerate(boxes):
        # inside the sheet with its bleed, and a full gutter away from every other card's bleed
        assert x - 2.0 >= 10.0 - 1e-9 and y - 2.0 >= 10.0 - 1e-9
        assert x + 85.6 + 2.0 <= grid.sheet_w - 10.0 + 1e-9 and y + 53.98 + 2.0 <= grid.sheet_h - 10.0 + 1e-9
        for j, (x2, y2) in enumerate(boxes):
            if i < j:
                apart_x = abs(x2 - x) >= 85.6 + 4.0 + GUTTER_MM - 1e-9
                apart_y = abs(y2 - y) >= 53.98 + 4.0 + GUTTER_MM - 1e-9
                assert apart_x or apart_y


def test_backs_are_mirrored_for_duplex() -> None:
    grid = plan_grid(SHEETS["A4"], 85.6, 53.98, 2.0)
    for i in range(grid.per_sheet):
        (fx, fy), (bx, by) = grid.position(i, back=False), grid.position(i, back=True)
        assert fy == by
        assert fx + bx + 85.6 == pytest.approx(grid.sheet_w)  # turned over the long edge: x ↦ W − x − w


def _text_x(page: pdfium.PdfPage, needle: str) -> float:
    text = page.get_textpage()
    searcher = text.search(needle)
    found = searcher.get_next()
    assert found, f"{needle!r} not on the page"
    left, _, _, _ = text.get_charbox(found[0])
    return left / PT


def test_imposed_pdf_puts_each_back_behind_its_front(scenes, tmp_path: Path) -> None:
    data, report = impose_pdf(scenes, SHEETS["A4"])
    per = report["per_sheet"]
    assert report["sheets"] == -(-len(scenes) // per)
    doc = pdfium.PdfDocument(data)
    assert len(doc) == 2 * report["sheets"]
    rows = many_rows(len(scenes))
    sheet_w = report["sheet_mm"][0]
    for index in (0, 1, per - 1):
        number = str(rows[index]["my_number"])[:4]  # type: ignore[index]
        collation = str(rows[index]["collation_number"])[:3]  # type: ignore[index]
        front_x, _ = report["positions_front"][index]
        back_x, _ = report["positions_back"][index]
        assert back_x == pytest.approx(sheet_w - front_x - 85.6)
        # the card's collation number sits inside its front cell; its individual number inside its back cell
        cx = _text_x(doc[0], collation)
        assert front_x <= cx <= front_x + 85.6
        nx = _text_x(doc[1], number)
        assert back_x <= nx <= back_x + 85.6


def test_impose_cli_reports_sheets(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in many_rows(5)), encoding="utf-8")
    assert main(["impose", str(LAYOUT), str(src), "--sheet", "A4", "--out", str(tmp_path)]) == 0
    assert "5 cards on 1 sheet(s)" in capsys.readouterr().out
    with pikepdf.Pdf.open(tmp_path / "sheets.pdf") as pdf:
        w = float(pdf.pages[0].MediaBox[2]) / PT
        h = float(pdf.pages[0].MediaBox[3]) / PT
        assert sorted((round(w, 2), round(h, 2))) == [210.0, 297.0]


@pytest.mark.parametrize("bits", [1, 8])
def test_engraving_bitmap_size_and_depth(scenes, bits: int) -> None:
    face = scenes[0].faces[0]
    image = engraving_bitmap(face, 1000, bits)  # type: ignore[arg-type]
    assert image.size == (round(85.6 / 25.4 * 1000), round(53.98 / 25.4 * 1000)) == (3370, 2125)
    assert image.mode == ("1" if bits == 1 else "L")


def test_engraving_holds_only_the_personalisation(scenes) -> None:
    face = scenes[0].faces[0]
    image = engraving_bitmap(face, 150, 8)
    # the header band is artwork: white in the engraving (left of the lasered ghost portrait at its right
    # end); the photo box is personalisation: not white
    header = image.crop((0, 0, round(75 / 25.4 * 150), round(5 / 25.4 * 150)))
    assert header.getextrema() == (255, 255) or header.getextrema()[0] > 250
    photo = image.crop((round(62 / 25.4 * 150), round(12 / 25.4 * 150), round(78 / 25.4 * 150), round(30 / 25.4 * 150)))
    assert photo.getextrema()[0] < 128


def test_render_engrave_tiff_cli(tmp_path: Path) -> None:
    record = SAMPLES / "records" / "01-short-name.json"
    assert (
        main(["render", str(LAYOUT), str(record), "--out", str(tmp_path), "--format", "engrave", "--dpi", "300", "--bits", "1"])
        == 0
    )
    with Image.open(tmp_path / "S01-front-engrave.tif") as im:
        assert im.mode == "1" and im.size == (1011, 638) and im.info["compression"] == "group4"
        assert round(im.info["dpi"][0]) == 300
    data = (tmp_path / "S01-front-engrave.tif").read_bytes()
    assert Image.open(io.BytesIO(data)).size == (1011, 638)


def _mark_segments(page: pikepdf.Page) -> set[tuple[float, ...]]:
    """The stroked lines painted in the registration colour ('All'), in pt as written (3 decimals)."""
    spaces = page.obj.Resources.ColorSpace
    registration = {str(name) for name, space in spaces.items() if str(space[1]) == "/All"}
    segments: set[tuple[float, ...]] = set()
    in_marks, start = False, (0.0, 0.0)
    for operands, op in pikepdf.parse_content_stream(page):
        name = str(op)
        if name == "CS":
            in_marks = str(operands[0]) in registration
        elif in_marks and name == "m":
            start = (float(operands[0]), float(operands[1]))
        elif in_marks and name == "l":
            segments.add((*start, float(operands[0]), float(operands[1])))
        elif name == "S":
            in_marks = False
    return segments


def _expected_marks(scenes, length: float, offset: float) -> set[tuple[float, ...]]:  # type: ignore[no-untyped-def]
    face = scenes[0].faces[0]
    grid = plan_grid(SHEETS["SRA3"], face.width, face.height, face.bleed)
    expected: set[tuple[float, ...]] = set()
    for index in range(min(len(scenes), grid.per_sheet)):
        x, y = grid.position(index, back=False)
        for x0, y0, x1, y1 in crop_mark_lines(face.width, face.height, face.bleed, length, offset):
            points = ((x + x0) * PT, (grid.sheet_h - y - y0) * PT, (x + x1) * PT, (grid.sheet_h - y - y1) * PT)
            expected.add(points)
    return expected


@pytest.mark.parametrize(
    ("options", "length", "offset"),
    [
        (PdfOptions(), GUTTER_MM / 2 - 1.0, 1.0),  # the default 5 mm marks, capped by the 8 mm gutter
        (PdfOptions(mark_length=2.0, mark_offset=1.5), 2.0, 1.5),  # the options' own marks, as render draws them
        (PdfOptions(mark_length=9.0, mark_offset=0.5), GUTTER_MM / 2 - 0.5, 0.5),
    ],
)
def test_imposed_crop_marks_follow_the_print_options(scenes, options: PdfOptions, length: float, offset: float) -> None:  # type: ignore[no-untyped-def]
    data, _ = impose_pdf(scenes, SHEETS["SRA3"], print_options=options)
    with pikepdf.Pdf.open(io.BytesIO(data)) as doc:
        found = _mark_segments(doc.pages[0])
    expected = _expected_marks(scenes, length, offset)
    assert len(found) == len(expected)
    for segment in expected:  # each expected mark is drawn, to the 0.001 pt the content stream keeps
        assert any(max(abs(a - b) for a, b in zip(segment, f, strict=True)) < 0.002 for f in found), segment


def test_crop_marks_that_leave_no_room_in_the_gutter_are_refused(scenes) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(UsageError, match="gutter"):
        impose_pdf(scenes, SHEETS["SRA3"], print_options=PdfOptions(mark_offset=GUTTER_MM / 2))

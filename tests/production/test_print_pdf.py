"""Print-ready PDFs: boxes, crop marks, spot separations with overprint, no RGB, fonts, qpdf."""

from __future__ import annotations

import io
import re
import subprocess
from pathlib import Path

import pikepdf
import pytest
import required

from faceprint.backends.pdf import PdfOptions, render_pdf
from faceprint.backends.pdf.prepress import crop_mark_lines
from faceprint.records import load_record
from faceprint.render import CardRenderer

from .conftest import LAYOUT, SAMPLES, box_mm
from .separations import require_profile


@pytest.fixture(scope="module")
def scene():
    return CardRenderer(LAYOUT).scene(load_record(SAMPLES / "records" / "08-hepburn-namba.json"))


@pytest.fixture(scope="module")
def print_pdf(scene) -> bytes:
    return render_pdf(scene, PdfOptions(print_ready=True))


def _ops(page: pikepdf.Page) -> list[tuple[list[object], str]]:
    return [(list(operands), str(op)) for operands, op in pikepdf.parse_content_stream(page)]


def test_boxes_to_a_hundredth_of_a_millimetre(print_pdf: bytes) -> None:
    with pikepdf.Pdf.open(io.BytesIO(print_pdf)) as doc:
        assert len(doc.pages) == 2
        for page in doc.pages:
            tx0, ty0, tx1, ty1 = box_mm(page, "/TrimBox")
            bx0, by0, bx1, by1 = box_mm(page, "/BleedBox")
            mx0, my0, mx1, my1 = box_mm(page, "/MediaBox")
            assert tx1 - tx0 == pytest.approx(85.60, abs=0.01) and ty1 - ty0 == pytest.approx(53.98, abs=0.01)
            assert tx0 - bx0 == pytest.approx(2.0, abs=0.01) and bx1 - tx1 == pytest.approx(2.0, abs=0.01)
            assert ty0 - by0 == pytest.approx(2.0, abs=0.01) and by1 - ty1 == pytest.approx(2.0, abs=0.01)
            assert mx0 < bx0 and my0 < by0 and mx1 > bx1 and my1 > by1


def test_proof_pdf_stays_trim_sized(scene) -> None:
    with pikepdf.Pdf.open(io.BytesIO(render_pdf(scene))) as doc:
        x0, y0, x1, y1 = box_mm(doc.pages[0], "/MediaBox")
        assert (x1 - x0, y1 - y0) == (pytest.approx(85.60, abs=0.01), pytest.approx(53.98, abs=0.01))


def test_crop_marks_lie_outside_the_bleed(print_pdf: bytes) -> None:
    with pikepdf.Pdf.open(io.BytesIO(print_pdf)) as doc:
        page = doc.pages[0]
        bx0, by0, bx1, by1 = (v / (25.4 / 72) for v in box_mm(page, "/BleedBox"))
        ops = _ops(page)
        # the marks are the stroked lines painted in the registration colour (the 'All' separation)
        cs = page.obj.Resources.ColorSpace
        all_names = {name for name, space in cs.items() if str(space[1]) == "/All"}
        assert all_names, "no registration colour"
        segments = []
        in_marks = False
        for operands, op in ops:
            if op == "CS" and str(operands[0]) in all_names:
                in_marks = True
            if in_marks and op == "m":
                start = (float(operands[0]), float(operands[1]))
            if in_marks and op == "l":
                segments.append((start, (float(operands[0]), float(operands[1]))))
            if in_marks and op == "S":
                break
        assert len(segments) == 8
        for (x0, y0), (x1, y1) in segments:
            for x, y in ((x0, y0), (x1, y1)):
                inside = bx0 < x < bx1 and by0 < y < by1
                assert not inside, f"mark point {(x, y)} inside the bleed box"


def test_crop_mark_geometry() -> None:
    lines = crop_mark_lines(85.6, 53.98, 2.0, 5.0, 1.0)
    assert len(lines) == 8
    for x0, y0, x1, y1 in lines:
        assert x0 == x1 or y0 == y1  # horizontal or vertical
        # in line with a trim edge, starting 1 mm beyond the 2 mm bleed
        on_edge = (x0 == x1 and x0 in (0.0, 85.6)) or (y0 == y1 and y0 in (0.0, 53.98))
        assert on_edge
        # every point at least bleed + offset (3 mm) away from the trim, on the outside
        for x, y in ((x0, y0), (x1, y1)):
            outside = max(-x, x - 85.6, -y, y - 53.98)
            assert outside >= 3.0 - 1e-9


def test_special_layer_is_an_overprinting_spot_separation(print_pdf: bytes) -> None:
    with pikepdf.Pdf.open(io.BytesIO(print_pdf)) as doc:
        back = doc.pages[1]
        spaces = {str(name): space for name, space in back.obj.Resources.ColorSpace.items()}
        spots = {str(s[1]) for s in spaces.values() if str(s[0]) == "/Separation"}
        assert "/TactileVarnish" in spots
        tactile_cs = next(n for n, s in spaces.items() if str(s[1]) == "/TactileVarnish")
        gstates = back.obj.Resources.ExtGState
        ops = _ops(back)
        # follow the graphics state (q/Q nesting, gs updates) up to the fill of the tactile mark
        stack: list[dict[str, object]] = [{}]
        colour = None
        for operands, op in ops:
            if op == "q":
                stack.append(dict(stack[-1]))
            elif op == "Q":
                stack.pop()
            elif op == "gs":
                stack[-1].update({str(k): v for k, v in gstates[str(operands[0])].items()})
            elif op == "cs":
                colour = str(operands[0])
            elif op == "f" and colour == tactile_cs:
                break
        else:
            pytest.fail("the tactile mark is never filled in its separation")
        state = stack[-1]
        assert bool(state.get("/op")) and bool(state.get("/OP")) and int(state.get("/OPM", 0)) == 1


def test_print_pdf_has_no_rgb(print_pdf: bytes) -> None:
    with pikepdf.Pdf.open(io.BytesIO(print_pdf)) as doc:
        for page in doc.pages:
            ops = {op for _, op in _ops(page)}
            assert not ops & {"rg", "RG"}
            for _, image in page.get_images().items():
                assert str(image.ColorSpace) in ("/DeviceGray", "/DeviceCMYK")


def test_fonts_embedded_as_subsets(print_pdf: bytes) -> None:
    with pikepdf.Pdf.open(io.BytesIO(print_pdf)) as doc:
        for page in doc.pages:
            for _, font in page.obj.Resources.Font.items():
                assert re.fullmatch(r"/[A-Z]{6}\+.+", str(font.BaseFont))
                descendant = font.DescendantFonts[0]
                assert "/FontFile2" in descendant.FontDescriptor


def test_output_intent_with_a_profile(scene, tmp_path: Path) -> None:
    data = render_pdf(scene, PdfOptions(print_ready=True, output_intent=require_profile(), output_condition="SWOP"))
    with pikepdf.Pdf.open(io.BytesIO(data)) as doc:
        intent = doc.Root.OutputIntents[0]
        assert str(intent.S) == "/GTS_PDFX" and str(intent.OutputConditionIdentifier) == "SWOP"
        assert int(intent.DestOutputProfile.N) == 4
        assert b"PDF/X-4" in doc.Root.Metadata.read_bytes()
        assert doc.pdf_version >= "1.6"


def test_qpdf_check(print_pdf: bytes, tmp_path: Path) -> None:
    qpdf = required.tool("qpdf", "qpdf")
    path = tmp_path / "card.pdf"
    path.write_bytes(print_pdf)
    result = subprocess.run([qpdf, "--check", str(path)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr

"""``faceprint diff`` and the preview's bleed-margin painting."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from PIL import Image, ImageChops

from faceprint.backends.raster import paint
from faceprint.cli import main
from faceprint.layout_file import load_layout
from faceprint.lint import specimen_record
from faceprint.preview.diff import compare_layouts, diff_layouts
from faceprint.preview.raster import IncrementalPainter, margin_px, paint_with_bleed
from faceprint.render import CardRenderer

from .conftest import ROOT, Workspace

NEXT_GEN = ROOT / "layouts" / "next-gen" / "card.yaml"


@pytest.mark.parametrize("dpi", [100, 200, 333])
def test_trim_area_is_the_backends_render(dpi: float) -> None:
    """The preview paints what ``render`` paints (same pixel grid), with the bleed around it."""
    for face in CardRenderer(NEXT_GEN).scene(specimen_record()).faces:
        grown = paint_with_bleed(face, dpi)
        m = margin_px(face, dpi)
        plain = paint(face, dpi)
        assert grown.size == (plain.width + 2 * m, plain.height + 2 * m)
        diff = ImageChops.difference(grown.crop((m, m, m + plain.width, m + plain.height)), plain)
        assert max(hi for _, hi in diff.getextrema()) <= 2  # anti-aliasing may round a level differently
        if face.name == "front":  # the background is marked to bleed: the margin is painted, not white
            assert grown.getpixel((1, grown.height // 2)) != (255, 255, 255)


def test_incremental_painting_gives_the_same_pixels() -> None:
    """Resuming from the kept canvas draws exactly what painting from scratch draws."""
    painter = IncrementalPainter()
    renderer = CardRenderer(NEXT_GEN)
    base = specimen_record()
    for address in ("東京都千代田区見本町一丁目２番３号", "大阪府大阪市見本区二丁目", "東京都千代田区見本町一丁目２番３号"):
        scene = renderer.scene(replace(base, address=address))
        for face in scene.faces:
            fresh = paint_with_bleed(face, 150)
            assert ImageChops.difference(painter.paint(face, 150), fresh).getbbox() is None
    assert painter._kept, "next-gen's guilloche is heavy enough to keep"


LAYOUT_A = """\
card: {size: ID-1, bleed: 2mm, safe_margin: 2mm}
fonts: {gothic: [BIZ UDGothic]}
front:
  - {id: background, type: rect, bleed: true, box: [-2mm, -2mm, 89.6mm, 57.98mm], fill: "#f4f7fb"}
  - {id: name, type: text, box: [10mm, 8mm, 50mm, 7mm], font: gothic, size: 13pt, value: "{{ name.kanji }}"}
  - {id: birth-date, type: text, box: [10mm, 20mm, 42mm, 4mm], font: gothic, size: 9pt, value: "{{ birth_date }}"}
  - {id: rule, type: line, points: [[10mm, 30mm], [60mm, 30mm]], stroke: "#9aa9b8", stroke_width: 0.2mm}
back:
  - {id: mark, type: path, points: [[70mm, 45mm], [75mm, 45mm], [72.5mm, 41mm]], fill: "#b9c4cf"}
"""


def _pair(tmp_path: Path) -> tuple[Path, Path]:
    a = tmp_path / "a.yaml"
    a.write_text(LAYOUT_A, encoding="utf-8")
    b_text = (
        LAYOUT_A.replace("box: [10mm, 20mm, 42mm, 4mm]", "box: [11mm, 20mm, 41mm, 4mm]")  # birth-date moved and narrowed
        .replace("size: 13pt", "size: 12pt")  # name restyled
        .replace('fill: "#b9c4cf"', 'fill: "#8090a0"')  # mark restyled
        .replace('  - {id: rule, type: line, points: [[10mm, 30mm], [60mm, 30mm]], stroke: "#9aa9b8", stroke_width: 0.2mm}\n', "")
        .replace("back:\n", "  - {id: logo, type: rect, box: [65mm, 36mm, 6mm, 3mm], fill: '#c00000'}\nback:\n")  # added
    )
    b = tmp_path / "b.yaml"
    b.write_text(b_text, encoding="utf-8")
    return a, b


def test_compare_layouts_names_every_kind_of_change(tmp_path: Path) -> None:
    a, b = _pair(tmp_path)
    changes = compare_layouts(load_layout(a), load_layout(b))
    assert {(c.kind, c.element_id, c.face) for c in changes} == {
        ("moved", "birth-date", "front"),
        ("restyled", "name", "front"),
        ("added", "logo", "front"),
        ("removed", "rule", "front"),
        ("restyled", "mark", "back"),
    }
    by_id = {c.element_id: c for c in changes}
    assert by_id["birth-date"].detail == "x 10 → 11 mm, width 42 → 41 mm"
    assert by_id["name"].detail == "size 13 → 12"
    assert by_id["mark"].detail == "fill #b9c4cf → #8090a0"


def test_diff_marks_the_changed_pixels(tmp_path: Path) -> None:
    a, b = _pair(tmp_path)
    result = diff_layouts(load_layout(a), load_layout(b), dpi=100)
    front, back = result.faces
    assert front.changed_pixels > 0 and back.changed_pixels > 0
    same = diff_layouts(load_layout(a), load_layout(a), dpi=100)
    assert [f.changed_pixels for f in same.faces] == [0, 0] and same.changes == []
    # The sheet: two rows (front, back) of three panels; new ink in blue, ink gone in red.
    assert result.image.width > 3 * front.total_pixels**0.5
    colours = {c for _, c in result.image.getcolors(1 << 20) or []}
    assert (0, 90, 255) in colours and (230, 0, 40) in colours


def test_diff_command(workspace: Workspace, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    a, b = _pair(tmp_path)
    out = tmp_path / "diff.png"
    code = main(["diff", str(a), str(b), "--data", str(workspace.record), "--out", str(out)])
    printed = capsys.readouterr().out
    assert code == 0, printed
    assert "added    front 'logo'" in printed and "removed  front 'rule'" in printed
    assert "moved    front 'birth-date': x 10 → 11 mm" in printed
    assert "restyled front 'name': size 13 → 12" in printed
    assert "front:" in printed and "pixels changed" in printed
    with Image.open(out) as image:
        assert image.format == "PNG"
    assert out.stat().st_mode & 0o777 == 0o600  # card outputs are owner-only
    assert main(["diff", str(a), str(b), "--data", str(workspace.records), "--out", str(out)]) == 2  # one record, not a folder


def test_preview_command_refuses_bad_arguments(workspace: Workspace, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["preview", str(workspace.root / "nope.yaml")]) == 2
    assert main(["preview", str(workspace.layout), "--data", str(workspace.root / "nope")]) == 2
    assert main(["preview", str(workspace.layout), "--port", "70000"]) == 2
    assert "port" in capsys.readouterr().err

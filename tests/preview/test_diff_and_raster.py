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

from .conftest import ROOT, Workspace, save

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


def _variant(workspace: Workspace) -> Path:
    text = workspace.parent.read_text(encoding="utf-8")
    text = text.replace("box: [15.5mm, 21.4mm, 42mm, 4.2mm]", "box: [16.5mm, 21.4mm, 41mm, 4.2mm]")  # birth-date moved
    text = text.replace('    size: 13pt\n    value: "{{ name.kanji }}"', '    size: 12pt\n    value: "{{ name.kanji }}"')  # name
    text = text.replace(
        "  - {id: photo-frame,", "  - {id: logo, type: rect, box: [40mm, 36mm, 6mm, 3mm], fill: '#c00000'}\n  - {id: photo-frame,"
    )
    text = text.replace('fill: "#b9c4cf"', 'fill: "#8090a0"')  # tactile-mark restyled
    lines = [ln for ln in text.splitlines(keepends=True) if "id: annotation-rule-2" not in ln]
    variant = workspace.root / "layouts" / "next-gen" / "variant.yaml"
    save(variant, "".join(lines))
    return variant


def test_compare_layouts_names_every_kind_of_change(workspace: Workspace) -> None:
    changes = compare_layouts(load_layout(workspace.parent), load_layout(_variant(workspace)))
    found = {(c.kind, c.element_id) for c in changes}
    assert found == {
        ("moved", "birth-date"),
        ("restyled", "name"),
        ("added", "logo"),
        ("removed", "annotation-rule-2"),
        ("restyled", "tactile-mark"),
    }
    by_id = {c.element_id: c for c in changes}
    assert by_id["birth-date"].detail == "x 15.5 → 16.5 mm, width 42 → 41 mm"
    assert by_id["name"].detail == "size 13 → 12"
    assert by_id["tactile-mark"].detail == "fill #b9c4cf → #8090a0"


def test_diff_marks_the_changed_pixels(workspace: Workspace) -> None:
    result = diff_layouts(load_layout(workspace.parent), load_layout(_variant(workspace)), dpi=100)
    front, back = result.faces
    assert front.changed_pixels > 0 and back.changed_pixels > 0
    same = diff_layouts(load_layout(workspace.parent), load_layout(workspace.parent), dpi=100)
    assert [f.changed_pixels for f in same.faces] == [0, 0] and same.changes == []
    # The sheet: two rows (front, back) of three panels; the marked panel shows new ink in blue.
    assert result.image.width > 3 * front.total_pixels**0.5
    colours = {c for _, c in result.image.getcolors(1 << 20) or []}
    assert (0, 90, 255) in colours and (230, 0, 40) in colours


def test_diff_command(workspace: Workspace, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "diff.png"
    code = main(["diff", str(workspace.parent), str(_variant(workspace)), "--data", str(workspace.record), "--out", str(out)])
    printed = capsys.readouterr().out
    assert code == 0, printed
    assert "added    front 'logo'" in printed and "removed  front 'annotation-rule-2'" in printed
    assert "moved    front 'birth-date': x 15.5 → 16.5 mm" in printed
    assert "restyled front 'name': size 13 → 12" in printed
    assert "front:" in printed and "pixels changed" in printed
    with Image.open(out) as image:
        assert image.format == "PNG"
    assert out.stat().st_mode & 0o777 == 0o600  # card outputs are owner-only
    assert main(["diff", str(workspace.parent), str(workspace.parent), "--data", str(workspace.records), "--out", str(out)]) == 2


def test_preview_command_refuses_bad_arguments(workspace: Workspace, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["preview", str(workspace.root / "nope.yaml")]) == 2
    assert main(["preview", str(workspace.layout), "--data", str(workspace.root / "nope")]) == 2
    assert main(["preview", str(workspace.layout), "--port", "70000"]) == 2
    assert "port" in capsys.readouterr().err

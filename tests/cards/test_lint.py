"""``faceprint lint``: keep-out zones, safe area and minimum type size."""

from __future__ import annotations

from pathlib import Path

from faceprint.cli import main
from faceprint.layout_file import load_layout
from faceprint.lint import lint_layout

from .conftest import LAYOUTS


def _variant(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "variant.yaml"
    path.write_text(f"extends: {LAYOUTS['next-gen']}\n{body}", encoding="utf-8")
    return path


def test_element_over_the_chip_is_an_error(tmp_path: Path) -> None:
    path = _variant(tmp_path, "back:\n  - {id: logo, type: rect, box: [10mm, 20mm, 5mm, 5mm], fill: '#ff0000'}\n")
    findings = lint_layout(load_layout(path))
    hits = [f for f in findings if f.code == "keep-out"]
    assert [(f.element_id, f.face, f.severity) for f in hits] == [("logo", "back", "error")]
    assert "chip" in hits[0].message and hits[0].file == str(path) and hits[0].line == 3


def test_guide_layer_may_cover_a_keep_out_zone(tmp_path: Path) -> None:
    path = _variant(tmp_path, "back:\n  - {id: note, type: rect, layer: guide, box: [10mm, 20mm, 5mm, 5mm], stroke: '#ff0000'}\n")
    assert [f for f in lint_layout(load_layout(path)) if f.code == "keep-out"] == []


def test_outside_the_safe_area_unless_marked_to_bleed(tmp_path: Path) -> None:
    path = _variant(
        tmp_path,
        "front:\n  - {id: edge, type: rect, box: [0.5mm, 20mm, 5mm, 5mm], fill: '#ff0000'}\n"
        "  - {id: edge-bleed, type: rect, bleed: true, box: [-2mm, 20mm, 5mm, 5mm], fill: '#ff0000'}\n",
    )
    codes = {(f.element_id, f.code) for f in lint_layout(load_layout(path))}
    assert ("edge", "safe-area") in codes and ("edge-bleed", "safe-area") not in codes


def test_text_below_the_floor_including_fit_floors(tmp_path: Path) -> None:
    path = _variant(
        tmp_path,
        "front:\n  - {id: tiny, type: text, box: [10mm, 20mm, 20mm, 4mm], font: gothic, size: 5pt, value: x}\n"
        "  - {id: shrinky, type: text, box: [10mm, 25mm, 20mm, 4mm], font: gothic, size: 8pt, value: x,"
        " fit: [{shrink: 4pt}]}\n",
    )
    found = {(f.element_id, f.code) for f in lint_layout(load_layout(path))}
    assert ("tiny", "min-size") in found and ("shrinky", "min-size") in found


def test_cli_exit_codes(tmp_path: Path, capsys: object) -> None:
    assert main(["lint", str(LAYOUTS["next-gen"])]) == 0
    bad = _variant(tmp_path, "back:\n  - {id: logo, type: rect, box: [10mm, 20mm, 5mm, 5mm], fill: '#ff0000'}\n")
    assert main(["lint", str(bad)]) == 1

"""``faceprint lint``: keep-out zones, safe area and minimum type size."""

from __future__ import annotations

from pathlib import Path

import pytest

from faceprint.cli import main
from faceprint.layout_file import load_layout
from faceprint.lint import Finding, contrast_ratio, lint_all, lint_layout, load_records_for_lint

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


# -- checks on the rendered records (issue #7) ----------------------------------------------------
# A small layout of its own, so these tests do not depend on where the shipped layouts put things.

S01 = Path(__file__).resolve().parents[2] / "samples" / "records" / "01-short-name.json"
STANDALONE = """\
card: {size: ID-1, bleed: 2mm, safe_margin: 2mm}
fonts: {gothic: [BIZ UDGothic, IPAmjMincho]}
front:
  - {id: background, type: rect, bleed: true, box: [-2mm, -2mm, 89.6mm, 57.98mm], fill: "#f4f7fb"}
  - {id: address, type: text, box: [15mm, 26mm, 42mm, 8mm], font: gothic, size: 7pt, fit: [wrap], value: "{{ address }}"}
  - {id: photo, type: image, box: [60mm, 8mm, 22mm, 27.5mm], src: "{{ photo }}", greyscale: true}
"""


def _standalone(tmp_path: Path, extra: str) -> Path:
    path = tmp_path / "standalone.yaml"
    path.write_text(STANDALONE + extra, encoding="utf-8")
    return path


def _rendered(path: Path, records: list[Path] | None = None) -> list[Finding]:
    loaded = load_layout(path)
    return lint_all(loaded, load_records_for_lint(records) if records else None)


def test_the_standalone_layout_is_clean(tmp_path: Path) -> None:
    assert _rendered(_standalone(tmp_path, ""), [S01]) == []


def test_overflow_and_missing_glyphs_are_all_listed_per_record(tmp_path: Path) -> None:
    path = _standalone(
        tmp_path,
        "  - {id: long, type: text, box: [15mm, 40mm, 5mm, 2.2mm], font: gothic, size: 6pt, value: '長い{{ name.kanji }}'}\n"
        "  - {id: label, type: text, box: [15mm, 44mm, 5mm, 2.2mm], font: gothic, size: 6pt, value: とても長いラベル}\n"
        "  - {id: pua, type: text, box: [30mm, 40mm, 10mm, 2.2mm], font: gothic, size: 6pt, value: x\ue000y}\n",
    )
    found = {(f.code, f.element_id, f.record) for f in _rendered(path, [S01])}
    assert ("overflow", "long", "S01") in found and ("missing-glyph", "pua", "S01") in found
    assert ("label-fit", "label", None) in found  # static text: a layout error, not a record's
    # Without records the built-in specimen is rendered, so the same problems show.
    assert {("overflow", "long"), ("missing-glyph", "pua")} <= {(f.code, f.element_id) for f in _rendered(path)}


def test_ink_overlap_is_an_error_and_box_overlap_a_warning(tmp_path: Path) -> None:
    path = _standalone(
        tmp_path,
        "  - {id: clash, type: text, box: [16mm, 26.5mm, 30mm, 4mm], font: gothic, size: 8pt, value: 重なる}\n"
        "  - {id: left, type: text, box: [15mm, 40mm, 22mm, 2.4mm], font: gothic, size: 6pt, value: x}\n"
        "  - {id: right, type: text, box: [26mm, 40mm, 11mm, 2.4mm], font: gothic, size: 6pt, value: y, align: right}\n",
    )
    findings = _rendered(path, [S01])
    clash = [f for f in findings if f.element_id == "clash" and f.code == "overlap"]
    assert [(f.severity, f.record) for f in clash] == [("error", "S01")] and "'address'" in clash[0].message
    # The two boxes overlap, the ink of the two letters does not: a warning only.
    overlaps = [(f.severity, f.element_id) for f in findings if f.code == "overlap" and f.element_id != "clash"]
    assert overlaps == [("warning", "right")]


def test_low_contrast_text(tmp_path: Path) -> None:
    path = _standalone(
        tmp_path,
        "  - {id: pale, type: text, box: [15mm, 40mm, 10mm, 3mm], font: gothic, size: 8pt, value: 淡, color: '#d8dde3'}\n"
        "  - {id: greyish, type: text, box: [30mm, 40mm, 10mm, 3mm], font: gothic, size: 8pt, value: 灰色, color: '#767b82'}\n"
        "  - {id: on-photo, type: text, box: [62mm, 20mm, 15mm, 4mm], font: gothic, size: 8pt, value: 写真, color: '#707070'}\n",
    )
    findings = {f.element_id: f for f in _rendered(path, [S01]) if f.code == "contrast"}
    assert findings["pale"].severity == "error" and "1." in findings["pale"].message
    assert findings["greyish"].severity == "warning"
    assert findings["on-photo"].severity == "error"  # grey text over the portrait's grey tones
    assert "address" not in findings


def test_contrast_ratio_is_wcags() -> None:
    assert contrast_ratio((0, 0, 0), (255, 255, 255)) == pytest.approx(21.0)
    assert contrast_ratio((119, 119, 119), (255, 255, 255)) == pytest.approx(4.48, abs=0.01)


def test_same_problem_in_several_records_is_listed_once(tmp_path: Path) -> None:
    path = _standalone(
        tmp_path,
        "  - {id: pale, type: text, box: [15mm, 40mm, 10mm, 3mm], font: gothic, size: 8pt, value: x, color: '#eeeeee'}\n",
    )
    records = sorted((Path(__file__).resolve().parents[2] / "samples" / "records").glob("0[1-3]*.json"))
    pale = [f for f in _rendered(path, records) if f.element_id == "pale" and f.code == "contrast"]
    assert len(pale) == 1 and "and 2 more" in pale[0].message


def test_cli_renders_the_specimen_without_data(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _standalone(
        tmp_path, "  - {id: pua, type: text, box: [30mm, 40mm, 10mm, 2.2mm], font: gothic, size: 6pt, value: \ue000}\n"
    )
    assert main(["lint", str(path)]) == 1
    out = capsys.readouterr().out
    assert "[missing-glyph]" in out and "built-in specimen" in out


def test_an_undefined_field_in_microtext_is_a_finding_like_in_text(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Both elements read a field the record lacks: lint lists both as data findings and goes on."""
    path = _variant(
        tmp_path,
        "front:\n"
        "  - {id: micro-name, type: microtext, points: [[10mm, 40mm], [60mm, 40mm]], value: '{{ nosuch }}',"
        " height: 0.25mm, font: gothic}\n"
        "  - {id: text-name, type: text, box: [10mm, 42mm, 30mm, 4mm], font: gothic, size: 7pt, value: '{{ nosuch }}'}\n",
    )
    assert main(["lint", str(path), "--data", str(S01)]) == 1
    out = capsys.readouterr().out
    for element, line in (("micro-name", 3), ("text-name", 4)):
        assert f"{path}:{line}: error: front '{element}': undefined field: 'nosuch' is undefined (field 'nosuch')" in out
    assert "error: record" not in out  # not one raw error that stops the run
    assert "2 errors" in out

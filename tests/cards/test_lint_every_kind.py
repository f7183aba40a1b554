"""``faceprint lint`` reports a record's data error in any element kind as a finding and goes on.

The resolver's error policy (``faceprint.resolve_policy``) is applied in one place around every
element, so no kind can be forgotten: lint once stopped with a raw error when a microtext element
(or a guilloche's ``modulate``) read a field the record lacks, while a text element in the same case
was reported as a finding.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from faceprint.errors import DataError, LayoutError
from faceprint.layout_file import load_layout
from faceprint.layout_file.check import check_with_specimen
from faceprint.lint import RecordLinter
from faceprint.records import load_record
from faceprint.render import CardRenderer

from .conftest import LAYOUTS

ROOT = Path(__file__).resolve().parents[2]
RECORD = ROOT / "samples" / "records" / "01-short-name.json"
MISSING = "{{ alias.kanji }}"  # S01 has no 通称: a field this record lacks (a data error, not a typo)
TYPO = "{{ no_such_field }}"  # a name no record has: the layout's error

# each kind that reads a record field, reading one the record lacks (in the next-gen back's free area)
KINDS = {
    "text": f"{{id: probe, type: text, box: [40mm, 2mm, 20mm, 4mm], font: gothic, size: 8pt, value: '{MISSING}'}}",
    "microtext": (
        f"{{id: probe, type: microtext, points: [[40mm, 3mm], [70mm, 3mm]], height: 0.3mm, font: gothic, value: '{MISSING}'}}"
    ),
    "qr": f"{{id: probe, type: qr, box: [40mm, 2mm, 12mm, 12mm], value: '{MISSING}'}}",
    "image": f"{{id: probe, type: image, box: [40mm, 2mm, 10mm, 10mm], src: '{MISSING}'}}",
    "guilloche": f"{{id: probe, type: guilloche, kind: wave, box: [40mm, 2mm, 30mm, 6mm], modulate: '{MISSING}'}}",
}


def _variant(tmp_path: Path, element: str) -> Path:
    """The next-gen layout with one more element on the back."""
    path = tmp_path / "variant.yaml"
    path.write_text(f"extends: {LAYOUTS['next-gen']}\nback:\n  - {element}\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_a_missing_field_in_any_kind_is_a_finding_and_the_card_goes_on(tmp_path: Path, kind: str) -> None:
    loaded = load_layout(_variant(tmp_path, KINDS[kind]))
    findings = RecordLinter(loaded).lint(load_record(RECORD))
    probe = [f for f in findings if f.element_id == "probe" and f.severity == "error"]
    assert len(probe) == 1, findings
    assert "alias" in probe[0].message and probe[0].record == "S01" and probe[0].code == "data"
    # rendering the same record stops at this element with a data error naming the field
    with pytest.raises(DataError) as info:
        CardRenderer(loaded).scene(load_record(RECORD))
    assert (info.value.field or "").startswith("alias") and info.value.element_id == "probe"
    # validate's complete specimen has an alias: nothing to report
    check_with_specimen(loaded)


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_a_name_no_record_has_is_a_layout_error_in_any_kind(tmp_path: Path, kind: str) -> None:
    loaded = load_layout(_variant(tmp_path, KINDS[kind].replace(MISSING, TYPO)))
    for check in (check_with_specimen, lambda layout: CardRenderer(layout).scene(load_record(RECORD))):
        with pytest.raises(LayoutError, match="'no_such_field', which is neither a record field nor 'vars'") as info:
            check(loaded)
        assert info.value.element_id == "probe"


def test_a_when_that_fails_on_the_data_is_a_finding_and_hides_the_element(tmp_path: Path) -> None:
    element = "{id: probe, type: rect, box: [40mm, 2mm, 5mm, 5mm], fill: '#000000', when: 'name.kanji > 3'}"
    loaded = load_layout(_variant(tmp_path, element))
    findings = RecordLinter(loaded).lint(load_record(RECORD))
    assert [f.element_id for f in findings if f.element_id == "probe" and f.severity == "error"] == ["probe"]

"""Mutation tests for the goldens: each wrong card below must fail the golden comparison.

Each test renders the golden sample with one thing wrong (a record field, or the drawn name moved) and
asserts that ``golden_compare.mismatches`` reports it, in the text (the character or position that
changed) and, where a pixel can show it, in the pixels of the element that changed. Each first checks
that the unchanged card matches the goldens, so a stale golden cannot make a mutation "fail" for the
wrong reason.
"""

from __future__ import annotations

import dataclasses
import json
from datetime import date, timedelta
from pathlib import Path

import pytest

from faceprint.records import load_record
from faceprint.scene import Face, GlyphRun, Scene

from . import golden_compare
from .conftest import renderer
from .test_goldens import golden_sample, rendered

LAYOUT = "next-gen"


@pytest.fixture(scope="module", autouse=True)
def _unchanged_card_matches_the_goldens() -> None:
    for face in rendered(LAYOUT):
        assert golden_compare.mismatches(LAYOUT, face) == [], "goldens are stale: run `make goldens`"


def _front_with(tmp_path: Path, **changes: str) -> golden_compare.Rendered:
    """The golden sample's front with record fields replaced (the photo path made absolute)."""
    source = golden_sample()
    data = json.loads(source.read_text(encoding="utf-8"))
    data["photo"] = str((source.parent / data["photo"]).resolve())
    data.update(changes)
    path = tmp_path / source.name
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return golden_compare.render_faces(renderer(LAYOUT).scene(load_record(path)))[0]


def _moved(scene: Scene, element_id: str, dx: float) -> Scene:
    """The scene with every glyph of ``element_id`` drawn ``dx`` mm further right (a placement bug)."""

    def move(item: object) -> object:
        if isinstance(item, GlyphRun) and item.element_id == element_id:
            return dataclasses.replace(item, glyphs=tuple(dataclasses.replace(g, x=g.x + dx) for g in item.glyphs))
        return item

    faces = tuple(dataclasses.replace(f, items=tuple(move(i) for i in f.items)) for f in scene.faces)
    return dataclasses.replace(scene, faces=faces)


def _field(face: Face, element_id: str) -> str:
    return "".join(g.text for i in face.items if isinstance(i, GlyphRun) and i.element_id == element_id for g in i.glyphs)


def _entries(found: list[str], sign: str) -> list[list[str]]:
    """The text mismatches removed (``-``, golden) or added (``+``, actual) as [x, y, U+XXXX, char]."""
    return [line[len("text: -") :].split() for line in found if line.startswith(f"text: {sign}")]


def _sample_field(name: str) -> str:
    value = json.loads(golden_sample().read_text(encoding="utf-8"))[name]
    assert isinstance(value, str)
    return value


def test_the_wrong_last_address_character_fails(tmp_path: Path) -> None:
    address = _sample_field("address")
    wrong = address[:-1] + ("目" if address[-1] != "目" else "号")
    actual = _front_with(tmp_path, address=wrong)
    assert _field(actual.face, "address").endswith(wrong[-1])
    found = golden_compare.mismatches(LAYOUT, actual)
    assert any(line.startswith("text: -") and line.endswith(f" {address[-1]}") for line in found), found
    assert any(line.startswith("text: +") and line.endswith(f" {wrong[-1]}") for line in found), found
    assert any(line.startswith("pixels: address:") for line in found), found


def test_the_birth_date_off_by_one_day_fails(tmp_path: Path) -> None:
    next_day = date.fromisoformat(_sample_field("birth_date")) + timedelta(days=1)
    actual = _front_with(tmp_path, birth_date=next_day.isoformat())
    found = golden_compare.mismatches(LAYOUT, actual)
    assert any(line.startswith("text: +") and line.endswith(f" {next_day.day % 10}") for line in found), found
    assert any(line.startswith("pixels: birth-date:") for line in found), found


def test_a_changed_collation_digit_fails(tmp_path: Path) -> None:
    number = _sample_field("collation_number")
    wrong = number[:-1] + str((int(number[-1]) + 1) % 10)
    actual = _front_with(tmp_path, collation_number=wrong)
    assert _field(actual.face, "collation") == wrong
    found = golden_compare.mismatches(LAYOUT, actual)
    (removed,) = _entries(found, "-")  # exactly one character differs
    (added,) = _entries(found, "+")
    assert added[:2] == removed[:2] and (removed[-1], added[-1]) == (number[-1], wrong[-1])  # same place
    assert any(line.startswith("pixels: collation:") for line in found), found


@pytest.mark.parametrize("dx", [0.5, 0.1])
def test_the_name_moved_fails(dx: float) -> None:
    scene = _moved(renderer(LAYOUT).scene(load_record(golden_sample())), "name", dx)
    actual = golden_compare.render_faces(scene)[0]
    found = golden_compare.mismatches(LAYOUT, actual)
    name = _field(actual.face, "name")
    moved = _entries(found, "+")
    assert "".join(entry[-1] for entry in moved) == name  # every character of the name, nothing else
    for before, after in zip(_entries(found, "-"), moved, strict=True):
        assert float(after[0]) - float(before[0]) == pytest.approx(dx, abs=0.011)
        assert after[1:] == before[1:]  # same baseline, same character
    if dx >= 0.5:  # 2 px at the golden resolution: the pixels see it too
        assert any(line.startswith("pixels: name:") for line in found), found


def test_a_missing_golden_fails_and_is_not_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(golden_compare, "GOLDEN_DIR", tmp_path)
    monkeypatch.delenv(golden_compare.REGEN_VARIABLE, raising=False)
    monkeypatch.delenv("CI", raising=False)
    found = golden_compare.mismatches(LAYOUT, rendered(LAYOUT)[0])
    names = f"{LAYOUT}-front.txt, {LAYOUT}-front.png"
    assert found == [f"golden {names} missing: run `make goldens` (FACEPRINT_REGEN_GOLDENS=1) and review it"]
    assert list(tmp_path.iterdir()) == []

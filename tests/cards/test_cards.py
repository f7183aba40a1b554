"""The shipped cards: every sample renders with every layout, and the next card shows what the
task force decided (and nothing it removed)."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from faceprint.layout_file import load_layout
from faceprint.rules import dates, mynumber
from faceprint.scene import GlyphRun

from .conftest import LAYOUTS, SAMPLE_FILES, pdf_of, pdftotext, renderer, sample, scene_of, squeeze


def test_there_are_at_least_twelve_samples() -> None:
    """Twelve different people (ids), each a record that loads; never skipped, so too few fails."""
    assert len({sample(path).id for path in SAMPLE_FILES}) >= 12, [p.name for p in SAMPLE_FILES]


@pytest.mark.parametrize("layout", list(LAYOUTS))
def test_every_sample_renders_with_every_layout(layout: str, sample_path: Path) -> None:
    scene = scene_of(layout, sample_path)
    assert [f.name for f in scene.faces] == ["front", "back"]
    assert any(isinstance(i, GlyphRun) for i in scene.faces[0].items)
    pdf = pdf_of(layout, sample_path)
    assert pdf.startswith(b"%PDF-") and len(pdfium.PdfDocument(pdf)) == 2


def _pdfium_text(pdf: bytes) -> str:
    doc = pdfium.PdfDocument(pdf)
    return "\n".join(doc[i].get_textpage().get_text_range() for i in range(len(doc)))


def test_next_gen_pdf_text_holds_the_card_fields(sample_path: Path) -> None:
    record = sample(sample_path)
    pdf = pdf_of("next-gen", sample_path)
    for text in (pdftotext(pdf), _pdfium_text(pdf)):
        flat = squeeze(text)
        # multi-word fields are checked word by word: furigana words are separate runs that a
        # reader may order among other text on the same line
        for field in (record.name.kanji, record.name.kana, record.name_romaji):
            for word in field.split():
                assert word in flat, f"{word!r} of {field!r} missing"
        assert dates.western_date(record.birth_date, "YYYY年M月D日") in flat
        # the number in 4-4-4 groups, with the gaps read back as spaces
        assert mynumber.groups(record.my_number) in " ".join(text.split())


def test_next_gen_never_prints_sex(sample_path: Path) -> None:
    """Sex stays in the chip only (seed ②, comments 8–21): changing it changes nothing on the card."""
    record = sample(sample_path)
    other = dataclasses.replace(record, sex="F" if record.sex == "M" else "M")
    r = renderer("next-gen")
    assert r.scene(record) == r.scene(other)
    text = pdftotext(pdf_of("next-gen", sample_path))
    assert "性別" not in text and not re.search(r"\bSex\b", text)


def _templates(elements: list) -> list[str]:
    out: list[str] = []
    for el in elements:
        for attr in ("value", "when", "src"):
            if isinstance(getattr(el, attr, None), str):
                out.append(getattr(el, attr))
        ruby = getattr(el, "ruby", None)
        if ruby is not None:
            out.append(ruby.value)
        out.extend(_templates(getattr(el, "children", []) or []))
    return out


def test_next_gen_templates_do_not_read_sex() -> None:
    layout = load_layout(LAYOUTS["next-gen"]).layout
    templates = _templates(layout.front) + _templates(layout.back)
    assert len(templates) > 20
    assert [t for t in templates if re.search(r"\bsex(_kanji)?\b", t)] == []


def test_current_card_prints_sex_and_era_date() -> None:
    path = SAMPLE_FILES[0]
    record = sample(path)
    text = squeeze(pdftotext(pdf_of("current", path)))
    assert "性別" in text
    assert dates.era_date(record.birth_date, "EEN年M月D日") in text


@pytest.mark.parametrize("layout", list(LAYOUTS))
def test_shipped_layouts_lint_clean(layout: str) -> None:
    from faceprint.lint import lint_layout, lint_records, load_records_for_lint

    loaded = load_layout(LAYOUTS[layout])
    findings = lint_layout(loaded) + lint_records(loaded, load_records_for_lint(SAMPLE_FILES))
    assert [str(f) for f in findings if f.severity == "error"] == []


def test_next_gen_2024_is_a_small_extension() -> None:
    text = LAYOUTS["next-gen-2024"].read_text(encoding="utf-8")
    assert "extends: ../next-gen/card.yaml" in text
    loaded = load_layout(LAYOUTS["next-gen-2024"])
    back_ids = {el.id for el in loaded.layout.back}
    front_ids = {el.id for el in loaded.layout.front}
    assert "annotations-back" in back_ids and "annotations" not in front_ids

"""Issue 12 on the shipped faces, read back from the PDFs: romaji only from the record, a blank organ box,
annotation dates in the card's date style, the issuer from the record."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from faceprint.backends.pdf import render_pdf
from faceprint.errors import DataError
from faceprint.records import Name, Record
from faceprint.render import CardRenderer
from faceprint.rules import dates
from faceprint.scene import Scene

from .conftest import LAYOUTS, SAMPLE_FILES, pdftotext, renderer, sample, scene_of, squeeze

MM_TO_PT = 72 / 25.4


def _sample(prefix: str) -> Record:
    (path,) = [p for p in SAMPLE_FILES if p.name.startswith(prefix)]
    return sample(path)


def _text(record: Record, layout: str = "next-gen", *, derive: bool = False) -> str:
    scene = CardRenderer(LAYOUTS[layout], derive_romaji=derive).scene(record) if derive else renderer(layout).scene(record)
    return squeeze(pdftotext(render_pdf(scene)))


# -- §7: romaji only when the record holds it -----------------------------------------------------------


def test_a_record_without_romaji_prints_no_romaji_line() -> None:
    s06 = _sample("06")  # 𠮷田 結衣: no passport spelling on the record
    assert s06.name.romaji is None
    text = _text(s06)
    assert "YOSHIDA" not in text and "YUI" not in text
    # the same record with its spelling prints it
    with_romaji = dataclasses.replace(s06, name=Name(s06.name.kanji, s06.name.kana, "YOSHIDA YUI"))
    assert "YOSHIDAYUI" in _text(with_romaji)


def test_inoue_only_when_explicit() -> None:
    s07 = _sample("07")  # 井上 誠 / イノウエ マコト, explicit INOUE MAKOTO
    assert "INOUEMAKOTO" in _text(s07)
    bare = dataclasses.replace(s07, name=Name(s07.name.kanji, s07.name.kana, None))
    text = _text(bare)
    assert "INOUE" not in text and "INOE" not in text and "MAKOTO" not in text


def test_derivation_is_opt_in_and_refuses_what_kana_cannot_decide() -> None:
    s06 = _sample("06")
    assert "YOSHIDAYUI" in _text(s06, derive=True)
    bare = dataclasses.replace(_sample("07"), name=Name("井上 誠", "イノウエ マコト", None))
    with pytest.raises(DataError) as info:
        _text(bare, derive=True)
    assert info.value.record_id == "S07" and info.value.field == "name.romaji"
    assert "explicit" in str(info.value)


def test_samples_that_print_romaji_carry_it_explicitly() -> None:
    """Every sample's romaji comes from its record; none is left for the kana rule to guess."""
    for path in SAMPLE_FILES:
        record = sample(path)
        assert record.name_romaji == (record.name.romaji or "")


# -- §1: the organ box shows nothing from the record -------------------------------------------------------


def _organ_text(scene: Scene, pdf: bytes) -> list[str]:
    """The PDF text inside the organ box's elements (ids ``organ…``), per face that has them."""
    doc = pdfium.PdfDocument(pdf)
    out = []
    for index, face in enumerate(scene.faces):
        boxes = [b.box for b in face.boxes if b.element_id.startswith("organ")]
        if not boxes:
            continue
        page = doc[index]
        height = page.get_size()[1]
        x0, y0 = min(b.x for b in boxes), min(b.y for b in boxes)
        x1, y1 = max(b.x + b.w for b in boxes), max(b.y + b.h for b in boxes)
        text = page.get_textpage().get_text_bounded(x0 * MM_TO_PT, height - y1 * MM_TO_PT, x1 * MM_TO_PT, height - y0 * MM_TO_PT)
        out.append(squeeze(text))
    return out


@pytest.mark.parametrize("layout", list(LAYOUTS))
def test_the_organ_box_is_the_same_blank_artwork_for_every_record(layout: str) -> None:
    texts = set()
    for path in SAMPLE_FILES:
        scene = scene_of(layout, path)
        organ = _organ_text(scene, render_pdf(scene))
        assert len(organ) == 1, f"{layout}: expected one face with the organ box"
        assert "本人署名" in organ[0] and "臓器提供" in organ[0]
        record = sample(path)
        for value in (record.name.kanji.split()[0], record.id):
            assert value not in organ[0]
        on_personal_layer = [
            i for f in scene.faces for i in f.items if getattr(i, "element_id", "").startswith("organ") and i.layer != "artwork"
        ]
        assert on_personal_layer == []
        texts.add(organ[0])
    assert len(texts) == 1, f"{layout}: the organ box differs between records"


# -- §9 / §8: annotation dates in the card's date style, main fields as at issue ---------------------------


@pytest.mark.parametrize(
    ("layout", "pattern"),
    [("next-gen", "YYYY年M月D日"), ("next-gen-2024", "YYYY年M月D日"), ("current", "EEN年M月D日")],
)
def test_annotation_dates_are_in_the_cards_date_style(layout: str, pattern: str) -> None:
    s02 = _sample("02")
    text = _text(s02, layout)
    for entry in s02.annotations:
        written = dates.era_date(entry.date, pattern) if "E" in pattern else dates.western_date(entry.date, pattern)
        assert written in text
        assert dates.western_date(entry.date, "YYYY.MM.DD") not in text
    # the card's own dates use the same style: the validity on the next card, in 年月日
    if layout != "current":
        assert dates.western_date(s02.valid_until, pattern) in text


def test_main_address_is_the_issue_time_one() -> None:
    for path in SAMPLE_FILES:
        record = sample(path)
        assert record.issued_on is not None and record.issuer
        for entry in record.annotations:
            assert entry.date >= record.issued_on
            assert record.address not in entry.text, f"{record.id}: an annotation repeats the main address"
            if record.former_surname:
                assert record.former_surname not in entry.text, f"{record.id}: 旧氏 in both places"
            assert dates.western_date(record.valid_until, "YYYY年M月D日") not in entry.text, f"{record.id}: validity twice"


# -- §4: the issuer from the record ---------------------------------------------------------------------------


def _issuer_layout(tmp: Path) -> Path:
    path = tmp / "issuer.yaml"
    path.write_text(
        f"extends: {LAYOUTS['current']}\nname: current-issuer\nfront:\n  - {{id: issuer, value: '{{{{ issuer }}}}'}}\n",
        encoding="utf-8",
    )
    return path


def test_the_issuer_comes_from_the_record(tmp_path: Path) -> None:
    layout = CardRenderer(_issuer_layout(tmp_path))
    s08 = _sample("08")
    assert s08.issuer == "千代田区長"
    assert "千代田区長" in squeeze(pdftotext(render_pdf(layout.scene(s08))))
    s01 = _sample("01")
    text = squeeze(pdftotext(render_pdf(layout.scene(s01))))
    assert "札幌市長" in text and "千代田区長" not in text
    with pytest.raises(DataError) as info:
        layout.scene(dataclasses.replace(s01, issuer=None))
    assert info.value.record_id == "S01" and info.value.field == "issuer"
    assert "None" not in str(info.value)


def _nth_birthday_after(birth: dt.date, issued: dt.date, n: int) -> dt.date:
    """Today's card rule (card-standards §10a): the n-th birthday after the issue date (29 Feb kept in leap years)."""
    found = 0
    year = issued.year
    while True:
        try:
            day = birth.replace(year=year)
        except ValueError:  # 29 February in a common year
            day = dt.date(year, 3, 1)
        if day > issued:
            found += 1
            if found == n:
                return day
        year += 1


def test_sample_validity_follows_the_issue_date() -> None:
    for path in SAMPLE_FILES:
        record = sample(path)
        assert record.issued_on is not None
        if record.id == "S11":  # a period of stay, not a birthday
            continue
        age = (record.issued_on - record.birth_date).days // 365.25
        expected = _nth_birthday_after(record.birth_date, record.issued_on, 10 if age >= 18 else 5)
        assert record.valid_until == expected, f"{record.id}: issued {record.issued_on}, valid to {record.valid_until}"

"""The card faces an issuer could hand out (issue 12): a blank organ box the holder can write in, on the
back of every layout; today's card as it is (通称/旧氏, the record's issuer, no made-up security code);
the details a reviewer checks (validity said once, English labels as proposals, QR quiet zone, the
stripe keep-out on the guide layer). Read from the PDFs (text and character positions) and pixels."""

from __future__ import annotations

import dataclasses
import itertools
import re
from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from faceprint.backends.pdf import render_pdf
from faceprint.backends.raster import paint
from faceprint.errors import DataError
from faceprint.layout_file import load_layout
from faceprint.layout_file.model import GroupElement, QrElement
from faceprint.scene import GUIDE_LAYER, GlyphRun

from .conftest import LAYOUTS, ROOT, SAMPLE_FILES, pdf_of, pdftotext, renderer, sample, scene_of, squeeze

PT_TO_MM = 25.4 / 72
WRITING_LINE_MM = 4.0  # issue 12 §1: the holder writes in ballpoint on lines at least this tall
SIGNATURE_ROOM_MM = 25.0  # free after each signature label
ORGAN_LINES = (
    "臓器提供意思表示欄",
    "《1から3のいずれかの番号を○で囲んでください。》",
    "1. 私は、脳死後及び心臓が停止した死後のいずれでも、",
    "3. 私は、臓器を提供しません。",
    "《1又は2を選んだ方で、提供したくない臓器があれば、×をつけてください。》",
    "【心臓・肺・肝臓・腎臓・膵臓・小腸・眼球】",
    "〔特記欄：",
    "署名年月日：",
    "本人署名（自筆）：",
    "家族署名（自筆）：",
)


def _path(stem: str) -> Path:
    return next(p for p in SAMPLE_FILES if p.stem.startswith(stem))


@dataclass(frozen=True)
class Char:
    text: str
    left: float  # mm from the page's left edge
    top: float  # mm from the page's top edge (the font's em box, PDFium "loose")
    right: float
    bottom: float


def _chars(pdf: bytes, page_index: int) -> list[Char]:
    page = pdfium.PdfDocument(pdf)[page_index]
    height = page.get_height()
    text = page.get_textpage()
    out = []
    for i in range(text.count_chars()):
        left, bottom, right, top = text.get_charbox(i, loose=True)
        out.append(
            Char(
                text.get_text_range(i, 1),
                left * PT_TO_MM,
                (height - top) * PT_TO_MM,
                right * PT_TO_MM,
                (height - bottom) * PT_TO_MM,
            )
        )
    return out


def _find(chars: list[Char], phrase: str) -> list[Char]:
    joined = "".join(c.text for c in chars)
    at = joined.find(phrase)
    assert at >= 0, f"{phrase!r} not on the page"
    return chars[at : at + len(phrase)]


def test_no_layout_reads_the_records_organ_data() -> None:
    for path in LAYOUTS.values():
        assert "organ_donation" not in path.read_text(encoding="utf-8"), path


@pytest.mark.parametrize("layout", list(LAYOUTS))
def test_the_organ_box_is_the_full_standard_wording_each_line_whole(layout: str) -> None:
    pdf = pdf_of(layout, _path("01"))
    lines = {squeeze(line) for line in pdftotext(pdf).splitlines()}
    for expected in ORGAN_LINES:
        assert any(squeeze(expected) in line for line in lines), f"{expected!r} is not one whole line"
    # the long sentences run on one line each (choice 2 broken only at its comma where it must be)
    flat = squeeze(pdftotext(pdf))
    assert "移植の為に臓器を提供します。" in flat
    for broken in ("心臓｜が停止", "提｜供しません"):
        assert broken.replace("｜", "\n") not in pdftotext(pdf)


# That the box prints nothing from a record: records cannot carry organ data at all (refused at load), and
# the box's text is the same on every sample's card: tests/cards/test_record_faces.py.


@pytest.mark.parametrize("layout", list(LAYOUTS))
def test_the_holder_can_write_in_the_box(layout: str) -> None:
    pdf = pdf_of(layout, _path("01"))
    chars = _chars(pdf, 1)  # every shipped layout has the organ box on the back
    safe_right = scene_of(layout, _path("01")).faces[1].width - 2.0
    rows = [_find(chars, p) for p in ("×をつけてください。》", "〔特記欄：", "本人署名（自筆）：", "家族署名（自筆）：")]
    # each writing line is at least 4 mm below the line above it
    tops = [row[0].top for row in rows]
    for above, below in itertools.pairwise(tops):
        assert below - above >= WRITING_LINE_MM - 0.01
    # after each signature label: at least 25 mm with no other text on its line
    for label in rows[2:]:
        end, row_top, row_bottom = label[-1].right, label[0].top, label[0].bottom
        assert safe_right - end >= SIGNATURE_ROOM_MM
        beside = [c for c in chars if c.left >= end - 0.01 and c.top < row_bottom and c.bottom > row_top and c.text.strip()]
        assert beside == []
    # the 特記欄 has room between its label and its closing bracket
    note = rows[1]
    close = next(c for c in chars if c.text == "〕" and abs(c.top - note[0].top) < 0.5)
    assert close.left - note[-1].right >= 15.0


def test_current_prints_alias_former_surname_and_the_records_issuer() -> None:
    s04 = dataclasses.replace(sample(_path("04")), annotations=())  # its 旧氏記載 entry says 高橋 too
    front = squeeze(pdftotext(render_pdf(renderer("current").scene(s04))).split("\f")[0])
    assert "旧氏" in front and "高橋" in front and s04.issuer and s04.issuer in front
    s03 = squeeze(pdftotext(pdf_of("current", _path("03"))).split("\f")[0])
    assert "通称" in s03 and "田中マリア" in s03
    record = dataclasses.replace(sample(_path("01")), issuer="港区長")
    assert "港区長" in squeeze(pdftotext(render_pdf(renderer("current").scene(record))))


def test_current_without_an_issuer_is_a_data_error_naming_it() -> None:
    record = dataclasses.replace(sample(_path("01")), issuer=None)
    with pytest.raises(DataError, match="issuer"):
        renderer("current").scene(record)


@pytest.mark.parametrize("layout", list(LAYOUTS))
def test_no_made_up_security_code_and_validity_said_once(layout: str, sample_path: Path) -> None:
    text = squeeze(pdftotext(pdf_of(layout, sample_path)))
    assert "セキュリティコード" not in text
    assert not re.search(r"有効期限(Validuntil)?\d{4}年\d{1,2}月\d{1,2}日まで有効", text)
    if layout != "current":  # the next card: the label says it, the date stands alone
        assert "有効期限Validuntil" in text and "まで有効" not in text


@pytest.mark.parametrize("layout", ["next-gen", "next-gen-2024"])
def test_english_labels_are_stated_as_proposals(layout: str) -> None:
    header = LAYOUTS[layout].read_text(encoding="utf-8").split("\nversion:")[0].split("\nextends:")[0]
    assert "proposal" in header.lower()


def test_the_collation_number_is_called_a_card_access_number() -> None:
    assert "Cardaccessnumber" in squeeze(pdftotext(pdf_of("next-gen", _path("01"))))


def _qr_elements(elements: list) -> list[QrElement]:
    found: list[QrElement] = []
    for el in elements:
        if isinstance(el, QrElement):
            found.append(el)
        elif isinstance(el, GroupElement):
            found.extend(_qr_elements(el.children))
    return found


@pytest.mark.parametrize("layout", list(LAYOUTS))
def test_qr_codes_keep_the_iso_quiet_zone(layout: str) -> None:
    layout_model = load_layout(LAYOUTS[layout]).layout
    qrs = _qr_elements(layout_model.front) + _qr_elements(layout_model.back)
    assert qrs and all(q.quiet_zone >= 4 for q in qrs)


def test_the_stripe_keep_out_is_shown_on_the_guide_layer_only() -> None:
    back = scene_of("next-gen", _path("01")).faces[1]
    (stripe,) = [z for z in back.keep_out if z.zone_id == "stripe"]
    guide_text = [i for i in back.items if isinstance(i, GlyphRun) and i.layer == GUIDE_LAYER]
    assert guide_text and all(stripe.box.y <= g.baseline_y <= stripe.box.bottom for g in guide_text)
    assert "magnetic" not in pdftotext(pdf_of("next-gen", _path("01")))  # never printed
    with_guides = paint(back, 100, guides=True)
    without_guide_layer = paint(
        dataclasses.replace(back, items=tuple(i for i in back.items if i.layer != GUIDE_LAYER)), 100, guides=True
    )
    assert with_guides.tobytes() != without_guide_layer.tobytes()


def test_the_2024_variant_has_both_boxes_on_the_back() -> None:
    loaded = load_layout(LAYOUTS["next-gen-2024"])
    front = scene_of("next-gen-2024", _path("02")).faces[0]
    assert not any(b.element_id.startswith(("organ", "annotation")) for b in front.boxes)
    back_text = squeeze(pdftotext(pdf_of("next-gen-2024", _path("02"))).split("\f")[1])
    assert "追記欄" in back_text and "臓器提供意思表示欄" in back_text and "家族署名（自筆）：" in back_text
    assert "見本町１５番地" in back_text  # S02's issued annotations, on the back
    assert [z.id for z in loaded.layout.keep_out] == ["chip"]


def test_readme_pictures_exist() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in ("next-gen-front", "next-gen-back", "next-gen-2024-back"):
        assert f"docs/{name}.png" in readme and (ROOT / "docs" / f"{name}.png").is_file()

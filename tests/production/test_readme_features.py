"""README features, each checked on its real output: ``--layers``, ``--guides``, ``--prepare-photo``,
``batch --combine impose``, ``faceprint fonts`` and the batch's progress display."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import numpy as np
import pikepdf
import pypdfium2 as pdfium
import pytest
from PIL import Image

from faceprint.cli import main
from faceprint.outputs import OutputSpec
from faceprint.production.batch import BatchJob, run_batch
from faceprint.production.report import Progress
from faceprint.records import load_record
from faceprint.render import CardRenderer

from .conftest import LAYOUT, ROOT, many_rows, write_jsonl

RECORD = ROOT / "samples" / "records" / "01-short-name.json"
MM_PER_PT = 25.4 / 72


def _texts(path: Path) -> list[str]:
    doc = pdfium.PdfDocument(str(path))
    try:
        return ["".join(doc[i].get_textpage().get_text_range().split()) for i in range(len(doc))]
    finally:
        doc.close()


def _separations(path: Path) -> set[str]:
    """Names of the Separation colour spaces the pages use."""
    names: set[str] = set()
    with pikepdf.Pdf.open(path) as pdf:
        for page in pdf.pages:
            spaces = page.obj.get("/Resources", {}).get("/ColorSpace", {})
            for space in spaces.values():
                if isinstance(space, pikepdf.Array) and str(space[0]) == "/Separation":
                    names.add(str(space[1]).lstrip("/"))
    return names


def test_layers_writes_one_pdf_per_layer_holding_only_that_layer(tmp_path: Path) -> None:
    argv = ["render", str(LAYOUT), str(RECORD), "--out", str(tmp_path), "--format", "pdf", "--print"]
    assert main([*argv, "--layers", "artwork,personalisation,tactile"]) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "S01-layer-artwork.pdf",
        "S01-layer-personalisation.pdf",
        "S01-layer-tactile.pdf",
        "S01.pdf",
    ]
    record = json.loads(RECORD.read_text(encoding="utf-8"))
    address, name = record["address"], "".join(record["name"]["kanji"].split())
    art_front, art_back = _texts(tmp_path / "S01-layer-artwork.pdf")
    person_front, person_back = _texts(tmp_path / "S01-layer-personalisation.pdf")
    assert "個人番号カード" in art_front and "氏名" in art_front  # the printed artwork: title, labels
    assert address not in art_front and name not in art_front and record["my_number"] not in art_back
    assert address in person_front and name in person_front and record["my_number"] in person_back
    assert "個人番号カード" not in person_front
    assert _texts(tmp_path / "S01-layer-tactile.pdf") == ["", ""]  # the varnish marker: no text
    assert "TactileVarnish" in _separations(tmp_path / "S01-layer-tactile.pdf")
    assert "TactileVarnish" not in _separations(tmp_path / "S01-layer-personalisation.pdf")
    full_front, _ = _texts(tmp_path / "S01.pdf")
    assert address in full_front and "個人番号カード" in full_front


def test_guides_draw_bleed_trim_keep_out_and_element_boxes(tmp_path: Path) -> None:
    dpi = 150
    argv = ["render", str(LAYOUT), str(RECORD), "--format", "png", "--dpi", str(dpi)]
    assert main([*argv, "--out", str(tmp_path / "plain")]) == 0
    assert main([*argv, "--out", str(tmp_path / "guides"), "--guides"]) == 0
    plain = np.asarray(Image.open(tmp_path / "plain" / "S01-front.png").convert("RGB"), dtype=int)
    guides = np.asarray(Image.open(tmp_path / "guides" / "S01-front.png").convert("RGB"), dtype=int)
    face = CardRenderer(LAYOUT).scene(load_record(RECORD)).faces[0]
    px = dpi / 25.4
    margin = face.bleed * px  # the guides' image shows the bleed around the trimmed card
    assert plain.shape[:2] == (round(face.height * px), round(face.width * px))
    assert guides.shape[:2] == (round((face.height + 2 * face.bleed) * px), round((face.width + 2 * face.bleed) * px))

    def pos(mm: float) -> int:
        return round(margin + mm * px)

    top_band = guides[1 : int(margin) - 1, pos(10) : pos(face.width - 10)].reshape(-1, 3).mean(axis=0)
    inside = plain[: round(3 * px), round(10 * px) : round((face.width - 10) * px)].reshape(-1, 3).mean(axis=0)
    assert inside[2] > inside[0]  # the card's edge is bluish; under the yellow tint of the bleed band...
    assert top_band[2] < top_band[0] - 10 and top_band[2] < top_band[1] - 10  # ...blue is the weakest
    assert guides[pos(0) - 1 : pos(0) + 2, pos(20)].min() < 80  # the trim line, in black
    back = CardRenderer(LAYOUT).scene(load_record(RECORD)).faces[1]
    back_guides = np.asarray(Image.open(tmp_path / "guides" / "S01-back.png").convert("RGB"), dtype=int)
    assert back.keep_out, "the next-gen layout declares keep-out zones on the back (chip, stripe)"
    back_plain = np.asarray(Image.open(tmp_path / "plain" / "S01-back.png").convert("RGB"), dtype=int)
    for zone in back.keep_out:
        x_mm, y_mm = zone.box.x + zone.box.w / 2, zone.box.y + zone.box.h / 2
        r, g, b = back_guides[pos(y_mm), pos(x_mm)] - back_plain[round(y_mm * px), round(x_mm * px)]
        assert r > g + 15 and r > b + 15, zone.zone_id  # keep-out zones are shaded red over the card
    (name_box,) = [b.box for b in face.boxes if b.element_id == "name"]
    edge = guides[pos(name_box.y) - 2 : pos(name_box.y) + 2, pos(name_box.x) : pos(name_box.right)]
    magenta = (edge[..., 0] - edge[..., 1] > 50) & (edge[..., 2] - edge[..., 1] > 40)  # personalisation: (200, 0, 160)
    assert magenta.any(axis=0).mean() > 0.9  # the name's box, drawn along its whole top edge
    top = round(name_box.y * px)
    bare = plain[top - 2 : top + 2, round(name_box.x * px) : round(name_box.right * px)]
    assert not ((bare[..., 0] - bare[..., 1] > 50) & (bare[..., 2] - bare[..., 1] > 40)).any()  # not without guides


def _small_head_photo(path: Path) -> Path:
    """The compliant test photo shrunk to 60 % on its background: the head far too small for the card."""
    with Image.open(ROOT / "tests" / "photo" / "data" / "d01_compliant_base.png") as src:
        base = src.convert("RGB")
    small = base.resize((round(base.width * 0.6), round(base.height * 0.6)), Image.Resampling.LANCZOS)
    canvas = Image.new("RGB", base.size, base.getpixel((10, 10)))
    canvas.paste(small, ((base.width - small.width) // 2, 27))
    canvas.save(path)
    return path


def test_prepare_photo_places_the_face_before_layout(tmp_path: Path) -> None:
    pytest.importorskip("mediapipe", reason="install with: pip install --no-deps mediapipe==0.10.21")
    from faceprint.photo import prepare_portrait

    record = json.loads(RECORD.read_text(encoding="utf-8"))
    record["photo"] = str(_small_head_photo(tmp_path / "small.png"))
    (tmp_path / "rec.json").write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    dpi = 150
    argv = ["render", str(LAYOUT), str(tmp_path / "rec.json"), "--format", "png", "--dpi", str(dpi)]
    assert main([*argv, "--out", str(tmp_path / "as-is")]) == 0
    assert main([*argv, "--out", str(tmp_path / "prepared"), "--prepare-photo"]) == 0
    (photo,) = [b for b in CardRenderer(LAYOUT).scene(load_record(RECORD)).faces[0].boxes if b.element_id == "photo"]
    px = dpi / 25.4
    crop = (round(photo.box.x * px), round(photo.box.y * px), round(photo.box.right * px), round(photo.box.bottom * px))
    with Image.open(record["photo"]) as src:
        expected = prepare_portrait(src, photo.box.w, photo.box.h, dpi)
    expected_px = np.asarray(expected.resize((crop[2] - crop[0], crop[3] - crop[1])), dtype=float).ravel()

    def likeness(folder: str) -> float:
        with Image.open(tmp_path / folder / "S01-front.png") as card:
            region = np.asarray(card.convert("L").crop(crop), dtype=float).ravel()
        return float(np.corrcoef(region, expected_px)[0, 1])

    assert likeness("prepared") > 0.9  # the card shows the photo as prepare_portrait places it
    assert likeness("as-is") < likeness("prepared") - 0.2  # and without the switch it does not


def test_batch_combine_impose_writes_duplex_sheets(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rows = many_rows(3)
    src = write_jsonl(tmp_path / "in.jsonl", rows)
    out = tmp_path / "out"
    argv = ["batch", str(LAYOUT), str(src), "--out", str(out), "--format", "pdf", "--combine", "impose", "--sheet", "A4"]
    assert main(argv) == 0
    sheet = out / "sheets-00001.pdf"
    assert str(sheet) in capsys.readouterr().out.splitlines()
    with pikepdf.Pdf.open(sheet) as pdf:
        assert len(pdf.pages) == 2  # the fronts, then the backs
        for page in pdf.pages:
            box = page.MediaBox
            assert sorted(round(float(v) * MM_PER_PT, 1) for v in (box[2], box[3])) == [210.0, 297.0]
    fronts, backs = _texts(sheet)
    for row in rows:
        assert str(row["collation_number"]) in fronts
        assert str(row["my_number"]) in backs and str(row["my_number"]) not in fronts


def test_fonts_lists_the_bundled_fonts_by_family(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["fonts"]) == 0
    rows = [line.split("\t") for line in capsys.readouterr().out.splitlines()]
    assert rows and all(len(row) == 4 and Path(row[3]).is_file() for row in rows)
    listed = {(family, style, Path(path).name) for family, style, _, path in rows}
    bundled = {(f, s, Path(p).name) for f, s, _, p in rows if Path(p).parent == ROOT / "fonts"}
    assert {("BIZ UDMincho", "Regular"), ("BIZ UDGothic", "Regular"), ("BIZ UDGothic", "Bold")} <= {
        (f, s) for f, s, _ in bundled
    }
    assert bundled <= listed


PLAIN_LINE = re.compile(r"^(\d+)/3 records, \d+\.\d/s, ETA \d+ s$")


def test_progress_without_a_terminal_writes_plain_lines(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(Progress, "PLAIN_INTERVAL_S", 0.0)  # a line per record instead of every 5 s
    src = write_jsonl(tmp_path / "in.jsonl", many_rows(3))
    stream = io.StringIO()
    result = run_batch(BatchJob(LAYOUT, src, tmp_path / "out", OutputSpec(formats=("pdf",))), Progress(3, stream))
    assert result.exit_code == 0
    lines = stream.getvalue().splitlines()
    assert [int(m.group(1)) for m in map(PLAIN_LINE.match, lines) if m] == [1, 2, 3], lines
    assert len(lines) == 3


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_on_a_terminal_draws_a_bar_on_its_stream(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = write_jsonl(tmp_path / "in.jsonl", many_rows(3))
    stream = _Terminal()
    result = run_batch(BatchJob(LAYOUT, src, tmp_path / "out", OutputSpec(formats=("pdf",))), Progress(3, stream))
    assert result.exit_code == 0
    drawn = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", stream.getvalue())  # without the terminal's control codes
    assert re.search(r"cards .*3/3", drawn), drawn
    assert capsys.readouterr().out == ""  # the bar stays on its stream (stderr), out of stdout

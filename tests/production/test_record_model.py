"""Issue 12's record model through the commands: organ data refused in every input form, issue time
against later entries, and romaji derivation only on request (``--derive-romaji``, ``vars.derive_romaji``)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
import pytest

from faceprint.cli import main
from faceprint.record_checks import validate_record
from faceprint.records import RecordError
from faceprint.render import CardRenderer

from .conftest import LAYOUT, SAMPLES, sample_rows, write_jsonl

ORGAN = {"choice": 1, "signature": "見本 太郎", "date": "2025-07-01"}


def _report(out: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in (out / "errors.jsonl").read_text(encoding="utf-8").splitlines()]


def _pdf_text(path: Path) -> str:
    doc = pdfium.PdfDocument(path)
    return "".join("".join(doc[i].get_textpage().get_text_range().split()) for i in range(len(doc)))


def _record_file(tmp_path: Path, row: dict[str, Any]) -> Path:
    path = tmp_path / f"{row['id']}.json"
    path.write_text(json.dumps(row, ensure_ascii=False), encoding="utf-8")
    return path


# -- §1: organ data is refused, naming the field, in JSON, JSONL and CSV ----------------------------------


def test_render_refuses_a_record_with_organ_data(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    row = {**sample_rows()[0], "organ_donation": ORGAN}
    err = io.StringIO()
    status = main(["render", str(LAYOUT), str(_record_file(tmp_path, row)), "--out", str(tmp_path / "out")], stderr=err)
    message = err.getvalue() + capsys.readouterr().err
    assert status == 1
    assert "organ_donation" in message and "S01" in message and "printed blank" in message
    assert "見本 太郎" not in message
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").iterdir())


def test_jsonl_batch_refuses_organ_data_per_record_and_renders_the_rest(tmp_path: Path) -> None:
    rows = sample_rows()[:3]
    rows[1] = {**rows[1], "organ_donation": ORGAN}
    out = tmp_path / "out"
    status = main(["batch", str(LAYOUT), str(write_jsonl(tmp_path / "in.jsonl", rows)), "--out", str(out), "--format", "pdf"])
    assert status == 1
    assert sorted(p.name for p in out.glob("*.pdf")) == ["S01.pdf", "S03.pdf"]
    assert [(e["record"], e["field"]) for e in _report(out)] == [("S02", "organ_donation")]


def test_csv_batch_refuses_organ_columns(tmp_path: Path) -> None:
    rows = sample_rows()[:2]
    columns = ["id", "name.kanji", "name.kana", "birth_date", "sex", "address", "photo", "my_number", "valid_until"]
    columns += ["collation_number", "organ_donation.choice"]
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    for row, choice in zip(rows, ["", "3"], strict=True):  # an empty organ cell is no organ data
        flat = {key: row[key] for key in columns if "." not in key}
        flat |= {"name.kanji": row["name"]["kanji"], "name.kana": row["name"]["kana"], "organ_donation.choice": choice}  # type: ignore[index]
        writer.writerow(flat)
    src = tmp_path / "in.csv"
    src.write_text(buffer.getvalue(), encoding="utf-8")
    out = tmp_path / "out"
    assert main(["batch", str(LAYOUT), str(src), "--out", str(out), "--format", "pdf"]) == 1
    assert [p.name for p in out.glob("*.pdf")] == ["S01.pdf"]
    assert [(e["record"], e["field"]) for e in _report(out)] == [("S02", "organ_donation")]


# -- §8: printed fields at issue, annotations later ---------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "field", "reason"),
    [
        ({"issued_on": None}, "issued_on", "missing: annotations are entries made after issue"),
        ({"issued_on": "2026-01-01"}, "annotations.0.date", "before issued_on 2026-01-01"),
        ({"issued_on": "1920-01-01"}, "issued_on", "before birth_date"),
        ({"issued_on": "2034-01-01"}, "valid_until", "after issued_on"),
    ],
)
def test_issue_time_and_later_entries(changes: dict[str, Any], field: str, reason: str) -> None:
    row = {**sample_rows()[1], **changes}  # S02: issued 2024-02-05, entries 2024-09-02 and 2025-06-20
    row = {key: value for key, value in row.items() if value is not None}
    with pytest.raises(RecordError) as info:
        validate_record(row, base_dir=SAMPLES)
    assert info.value.problems[0][0] == field
    assert reason in str(info.value)


def test_entries_are_listed_oldest_first() -> None:
    row = sample_rows()[1]
    row["annotations"] = list(reversed(row["annotations"]))  # type: ignore[call-overload]
    with pytest.raises(RecordError, match="oldest first") as info:
        validate_record(row, base_dir=SAMPLES)
    assert info.value.problems[0][0] == "annotations.1.date"


def test_a_record_without_annotations_needs_no_issue_date() -> None:
    row = {key: value for key, value in sample_rows()[0].items() if key != "issued_on"}
    assert validate_record(row, base_dir=SAMPLES).issued_on is None


# -- §7: --derive-romaji and vars.derive_romaji -------------------------------------------------------------


def _without_romaji(row: dict[str, Any], kana: str | None = None) -> dict[str, Any]:
    name = {key: value for key, value in row["name"].items() if key != "romaji"}
    if kana is not None:
        name["kana"] = kana
    return {**row, "name": name}


def test_render_derives_only_with_the_flag(tmp_path: Path) -> None:
    path = _record_file(tmp_path, _without_romaji(sample_rows()[8]))  # S09 ほっち まお, no explicit spelling
    assert main(["render", str(LAYOUT), str(path), "--out", str(tmp_path / "plain"), "--format", "pdf"]) == 0
    assert "HOTCHI" not in _pdf_text(tmp_path / "plain" / "S09.pdf")
    assert main(["render", str(LAYOUT), str(path), "--out", str(tmp_path / "d"), "--format", "pdf", "--derive-romaji"]) == 0
    assert "HOTCHIMAO" in _pdf_text(tmp_path / "d" / "S09.pdf")


def test_batch_reports_each_reading_that_needs_an_explicit_spelling(tmp_path: Path) -> None:
    rows = sample_rows()
    batch = [
        _without_romaji(rows[0]),  # いち じ: derivable
        _without_romaji(rows[6]),  # イノウエ マコト: 井上 may be INOUE
        _without_romaji(rows[9]),  # せのお しょう: SENOO / SHO only the register knows
        rows[6],  # the same person with the passport spelling: printed as given
    ]
    batch[3] = {**batch[3], "id": "S07b"}
    out = tmp_path / "out"
    src = write_jsonl(tmp_path / "in.jsonl", batch)
    assert main(["batch", str(LAYOUT), str(src), "--out", str(out), "--format", "pdf", "--derive-romaji"]) == 1
    assert sorted(p.name for p in out.glob("*.pdf")) == ["S01.pdf", "S07b.pdf"]
    report = _report(out)
    assert [(e["record"], e["field"]) for e in report] == [("S07", "name.romaji"), ("S10", "name.romaji")]
    assert all("explicit" in e["reason"] for e in report)
    assert "ICHIJI" in _pdf_text(out / "S01.pdf") and "INOUEMAKOTO" in _pdf_text(out / "S07b.pdf")


def test_a_layout_can_opt_in_and_must_say_true_or_false(tmp_path: Path) -> None:
    opt_in = tmp_path / "proof.yaml"
    opt_in.write_text(f"extends: {LAYOUT}\nname: proof\nvars: {{derive_romaji: true}}\n", encoding="utf-8")
    record = validate_record(_without_romaji(sample_rows()[8]), base_dir=SAMPLES)
    assert CardRenderer(opt_in).derive_romaji and not CardRenderer(LAYOUT).derive_romaji
    bad = tmp_path / "bad.yaml"
    bad.write_text(f"extends: {LAYOUT}\nname: bad\nvars: {{derive_romaji: 'yes'}}\n", encoding="utf-8")
    assert main(["render", str(bad), str(_record_file(tmp_path, _without_romaji(sample_rows()[8]))), "--out", str(tmp_path)]) == 2
    assert record.card_romaji(derive=CardRenderer(opt_in).derive_romaji) == "HOTCHI MAO"


def test_lint_reports_a_reading_the_layout_cannot_derive(tmp_path: Path) -> None:
    from faceprint.layout_file.loader import load_layout
    from faceprint.lint import lint_records

    opt_in = tmp_path / "proof.yaml"
    opt_in.write_text(f"extends: {LAYOUT}\nname: proof\nvars: {{derive_romaji: true}}\n", encoding="utf-8")
    inoue = validate_record(_without_romaji(sample_rows()[6]), base_dir=SAMPLES)
    findings = lint_records(load_layout(opt_in), [("S07.json", inoue)])
    errors = [f for f in findings if f.severity == "error"]
    assert len(errors) == 1 and "name.romaji" in str(errors[0]) and "S07" in str(errors[0])
    assert [f for f in lint_records(load_layout(LAYOUT), [("S07.json", inoue)]) if f.severity == "error"] == []

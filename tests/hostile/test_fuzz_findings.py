"""What the long fuzz runs found, kept as plain regression tests."""

from __future__ import annotations

import json
from pathlib import Path

from faceprint.backends.raster.device import Device
from faceprint.backends.raster.qr import draw_qr
from faceprint.color import BLACK, WHITE
from faceprint.qr import qr_matrix
from faceprint.scene import QrItem

from .support import assert_clean_failure, place_sample_record, run_cli, written_files

SHIPPED = Path(__file__).resolve().parents[2] / "layouts" / "next-gen" / "card.yaml"


def test_qr_modules_under_a_pixel_draw_nothing_instead_of_crashing() -> None:
    device = Device(20.0, 20.0, 50, (255, 255, 255))  # 50 dpi: a 0.2 mm module is 0.4 px
    matrix = qr_matrix("010101", "M")
    draw_qr(device, QrItem("qr", "personalisation", 2.0, 2.0, 0.2, matrix, BLACK, WHITE, 4))
    assert device.image.getextrema() != ((0, 0), (0, 0), (0, 0))  # drew without raising, not all black


def test_a_record_value_too_long_for_any_card_is_a_data_error(tmp_path: Path) -> None:
    record = place_sample_record(tmp_path / "data")
    data = json.loads(record.read_text(encoding="utf-8"))
    data["former_surname"] = "A" * 150_000
    record.write_text(json.dumps(data), encoding="utf-8")
    out = tmp_path / "out"
    outcome = run_cli(["render", str(SHIPPED), str(record), "--out", str(out), "--format", "pdf"])
    assert_clean_failure(outcome, {1})
    # refused by the record's own limit, before any template runs (records_limits.MAX_TEXT_CHARS)
    assert "field 'former_surname'" in outcome.err and "MAX_TEXT_CHARS" in outcome.err
    assert written_files(out) == []


def test_a_record_nested_1986_deep_is_a_data_error_not_a_recursion_error(tmp_path: Path) -> None:
    """The long run's record finding: JSON nested 1,986 deep under a field ended in a RecursionError."""
    record = place_sample_record(tmp_path / "data")
    data = json.loads(record.read_text(encoding="utf-8"))
    text = json.dumps(data, ensure_ascii=False)
    record.write_text(text[:-1] + ', "alias": ' + "[" * 1986 + "]" * 1986 + "}", encoding="utf-8")
    out = tmp_path / "out"
    outcome = run_cli(["render", str(SHIPPED), str(record), "--out", str(out), "--format", "pdf"])
    assert_clean_failure(outcome, {1})
    assert "MAX_JSON_DEPTH" in outcome.err and "record" in outcome.err
    assert written_files(out) == []

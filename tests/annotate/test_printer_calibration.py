"""Printer profiles (TOML) and the calibration card: profiles are checked, the shipped ones load, the card
puts its marks where it says and goes through the profile, and the readings' sums undo a misprint."""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path

import pytest

from faceprint.annotate.calibrate import READINGS, TOP_SCALES_X, calibration_face, corrected
from faceprint.annotate.printer import PRINTER_DIR, Affine, PrinterProfile, apply, compose, invert, load_profile
from faceprint.errors import UsageError
from faceprint.layout_file.model import ID1_HEIGHT_MM, ID1_WIDTH_MM
from faceprint.scene import PathItem
from faceprint.units import mm_to_pt

from .conftest import annotate_argv, content_operators, run

W, H = ID1_WIDTH_MM, ID1_HEIGHT_MM


def test_the_shipped_profiles_load() -> None:
    names = sorted(p.stem for p in PRINTER_DIR.glob("*.toml"))
    assert {"default", "duplex-back"} <= set(names)
    for name in names:
        loaded = load_profile(name)
        assert loaded.dpi == 300 and loaded.face in ("front", "back")
    assert load_profile("duplex-back").duplex_flip == "both"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("offset_x = 'left'\n", "'offset_x' must be a number (mm)"),
        ("offset_y = 25\n", "'offset_y' must lie between -10 and 10 mm"),
        ("rotation = 30\n", "'rotation' must lie between -5 and 5 degrees"),
        ("scale = 2\n", "'scale' must lie between 0.9 and 1.1"),
        ("dpi = true\n", "'dpi' must be a number"),
        ("duplex_flip = 'sideways'\n", "'duplex_flip' must be one of none, horizontal, vertical, both"),
        ("face = 'inside'\n", '\'face\' must be "front" or "back"'),
        ("offset = 1\n", "unknown key 'offset'"),
        ("offset_x = \n", "not a valid TOML printer profile"),
    ],
)
def test_a_bad_profile_is_a_usage_error_naming_file_and_key(text: str, message: str, profile: Callable[..., Path]) -> None:
    path = profile(text)
    with pytest.raises(UsageError) as info:
        load_profile(str(path))
    assert str(path) in str(info.value) and message in str(info.value)


def test_an_unknown_profile_name_lists_the_shipped_ones() -> None:
    with pytest.raises(UsageError, match=r"printer profile 'nosuch' not found.*default"):
        load_profile("nosuch")


def test_a_profile_for_the_other_face_is_refused(
    record: Callable[..., Path], profile: Callable[..., Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    back = profile('face = "back"\n')
    result = run(annotate_argv("next-gen", record(), tmp_path / "out", "見本町", "--printer", back), capsys)
    assert result.code == 2 and "is for the back of the card, but this print goes on the front" in result.err
    assert not (tmp_path / "out").exists()


def test_transforms_compose_and_invert() -> None:
    p = PrinterProfile("t", "t", offset_x=0.4, offset_y=-0.3, rotation=1.2, scale=1.01, duplex_flip="both")
    t = p.transform(W, H)
    round_trip = compose(invert(t), t)
    assert round_trip == pytest.approx((1, 0, 0, 1, 0, 0), abs=1e-12)
    # offsets are in the face's own frame, then the face is turned: the centre lands at the turned, shifted centre
    assert apply(t, W / 2, H / 2) == pytest.approx((W / 2 - 0.4, H / 2 + 0.3))


def test_the_calibration_card_puts_its_crosshairs_where_it_labels_them() -> None:
    face = calibration_face(load_profile("default"), "front")
    assert (face.width, face.height) == (W, H)
    horizontal = {
        (round(op[0][1][0] + 2.5, 3), round(op[0][1][1], 3))
        for op in (item.ops for item in face.items if isinstance(item, PathItem))
        if len(op) == 2 and op[0][1][1] == op[1][1][1] and round(op[1][1][0] - op[0][1][0], 3) == 5.0
    }
    assert {(12.0, 12.0), (W - 12.0, 12.0), (12.0, H - 12.0), (W - 12.0, H - 12.0), (W / 2, H / 2)} <= horizontal


def _reading(printed: Affine, name: str) -> float:
    """What an operator reads off a card printed through ``printed``: the scale value at the physical edge."""
    y_lr = H / 2  # calibration_face draws the left and right scales on the centre line
    points = {
        "L": (lambda v: (v, y_lr), 0, 0.0),
        "R": (lambda v: (W - v, y_lr), 0, W),
        "T1": (lambda v: (TOP_SCALES_X[0], v), 1, 0.0),
        "T2": (lambda v: (TOP_SCALES_X[1], v), 1, 0.0),
        "B1": (lambda v: (TOP_SCALES_X[0], H - v), 1, H),
        "B2": (lambda v: (TOP_SCALES_X[1], H - v), 1, H),
    }
    at, axis, edge = points[name]
    p0, p1 = apply(printed, *at(0.0))[axis], apply(printed, *at(1.0))[axis]
    return (edge - p0) / (p1 - p0)  # the mapping is affine along the scale: solve for the edge


@pytest.mark.parametrize(
    "error",
    [
        PrinterProfile("err", "", offset_x=0.6, offset_y=-0.4),
        PrinterProfile("err", "", rotation=0.4),
        PrinterProfile("err", "", scale=1.006),
        PrinterProfile("err", "", offset_x=-0.9, offset_y=0.7, rotation=-0.3, scale=0.995),
    ],
)
def test_the_readings_sums_undo_a_misprinting_printer(error: PrinterProfile) -> None:
    """A printer that adds ``error`` to everything; one calibration round brings every point within 0.02 mm."""
    start = PrinterProfile("office", "office.toml", offset_x=0.2)
    misprint = error.transform(W, H)

    def printed(p: PrinterProfile) -> Affine:
        return compose(misprint, p.transform(W, H))

    readings = {name: _reading(printed(start), name) for name in READINGS}
    assert not all(math.isclose(v, 0.0, abs_tol=1e-3) for v in readings.values())
    fixed = corrected(start, readings)
    for point in ((0.0, 0.0), (W, 0.0), (0.0, H), (W, H), (W / 2, H / 2)):
        assert apply(printed(fixed), *point) == pytest.approx(point, abs=0.02)
    assert all(abs(_reading(printed(fixed), name)) < 0.02 for name in READINGS)


def test_calibrate_writes_the_card_through_the_profile(
    profile: Callable[..., Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = profile("name = 'Counter 2'\noffset_x = 0.5\noffset_y = 0.25\n", name="counter2.toml")
    result = run(["calibrate", "--printer", path, "--out", tmp_path / "cal"], capsys)
    assert result.code == 0, result.err
    pdf = tmp_path / "cal" / "calibration-counter2-front.pdf"
    assert pdf.is_file() and (tmp_path / "cal" / "calibration-counter2-front.png").is_file()
    assert "offset_x += (L - R) / 2" in result.out
    (cm,) = [
        args for op, args in content_operators(pdf.read_bytes()) if op == "cm" and [float(a) for a in args] != [1, 0, 0, 1, 0, 0]
    ]
    assert [float(a) for a in cm] == pytest.approx([1, 0, 0, 1, mm_to_pt(0.5), -mm_to_pt(0.25)], abs=1e-4)


def test_calibrate_readings_print_the_corrected_values(profile: Callable[..., Path], capsys: pytest.CaptureFixture[str]) -> None:
    path = profile("offset_x = 0.5\n")
    result = run(
        ["calibrate", "--printer", path, "--readings", "L=-0.3", "R=0.3", "T1=0.1", "T2=0.1", "B1=-0.1", "B2=-0.1"], capsys
    )
    assert result.code == 0, result.err
    assert "offset_x = 0.20" in result.out and "offset_y = 0.10" in result.out and "scale = 1.00000" in result.out
    result = run(["calibrate", "--printer", path, "--readings", "L=1"], capsys)
    assert result.code == 2 and "missing R, T1, T2, B1, B2" in result.err

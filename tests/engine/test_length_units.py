"""Lengths: every unit the layout format accepts, converted once to mm from 25.4 mm/in and 72 pt/in."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from faceprint.units import UnitError, mm_to_pt, mm_to_px, parse_length_mm, parse_size_pt, pt_to_mm, px_to_mm


def test_a_point_is_exactly_one_72nd_of_an_inch() -> None:
    assert pt_to_mm(72) == 25.4
    assert mm_to_pt(25.4) == 72.0
    assert mm_to_px(25.4, 600) == 600.0 and px_to_mm(600, 600) == 25.4


@pytest.mark.parametrize(
    ("text", "mm"),
    [
        ("12mm", 12.0),
        (" 12.5 mm ", 12.5),
        ("-3mm", -3.0),
        (".5mm", 0.5),
        ("8pt", 8 * 25.4 / 72),
        ("1.2cm", 12.0),
        ("1in", 25.4),
        ("600px@600dpi", 25.4),
        ("120px @ 300dpi", 120 * 25.4 / 300),
        ("7", 7.0),
        (7, 7.0),
        (2.5, 2.5),
    ],
)
def test_units(text: object, mm: float) -> None:
    assert parse_length_mm(text) == pytest.approx(mm, abs=1e-12)


def test_px_uses_the_layout_dpi_and_an_inline_dpi_wins() -> None:
    assert parse_length_mm("300px", px_dpi=300) == pytest.approx(25.4)
    assert parse_length_mm("300px@600dpi", px_dpi=300) == pytest.approx(12.7)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("12furlongs", "expected a length"),
        ("120px", "needs a resolution"),
        ("12mm@300dpi", "only applies to px"),
        (True, "expected a length"),
        (None, "expected a length"),
        ("", "expected a length"),
    ],
)
def test_bad_lengths_say_what_was_expected(text: object, words: str) -> None:
    with pytest.raises(UnitError, match=words):
        parse_length_mm(text)


def test_type_sizes_are_points_and_read_exactly() -> None:
    assert parse_size_pt(9) == 9.0
    assert parse_size_pt("9") == 9.0  # a quoted bare number is points too, not mm
    assert parse_size_pt("12pt") == 12.0  # exactly, not 11.999999999999998
    assert parse_size_pt("25.4mm") == pytest.approx(72.0)
    assert parse_size_pt("50px@600dpi") == pytest.approx(6.0)


@given(size=st.floats(min_value=0.1, max_value=200, allow_nan=False))
def test_type_sizes_round_trip(size: float) -> None:
    assert parse_size_pt(f"{size!r}pt") == size


finite = st.floats(min_value=-1000, max_value=1000, allow_nan=False, allow_infinity=False)


@given(value=finite, unit=st.sampled_from(["mm", "cm", "pt", "in", ""]))
def test_format_then_parse_round_trips(value: float, unit: str) -> None:
    factor = {"mm": 1.0, "cm": 10.0, "pt": 25.4 / 72, "in": 25.4, "": 1.0}[unit]
    text = f"{value!r}{unit}"
    if "e" in text.lower():
        text = f"{value:.17f}{unit}"  # the format has no exponents
    assert parse_length_mm(text) == pytest.approx(value * factor, rel=1e-12, abs=1e-12)


@given(mm=st.floats(min_value=0, max_value=1000, allow_nan=False), dpi=st.sampled_from([72, 300, 600, 1200]))
def test_px_round_trips_through_its_resolution(mm: float, dpi: int) -> None:
    px = mm_to_px(mm, dpi)
    assert parse_length_mm(f"{px:.12f}px@{dpi}dpi") == pytest.approx(mm, rel=1e-9, abs=1e-9)
    assert parse_length_mm(f"{px:.12f}px", px_dpi=dpi) == pytest.approx(mm, rel=1e-9, abs=1e-9)

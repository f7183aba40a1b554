"""Fitting policies and their floors, in exact arithmetic with the test font.

Every kanji and kana of the test font is 1 em wide and every ASCII character ½ em, so a 72 pt box
holds exactly 8 characters of 9 pt, 10 characters of 7.2 pt, or 10 characters of 9 pt at 80 %.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence

import engine_support
import pytest

from faceprint.color import BLACK
from faceprint.errors import DataError
from faceprint.scene import Box, GlyphRun
from faceprint.text import linebreak
from faceprint.text.fit import FitRequest, FitResult, FitStep, TextDoesNotFit, fit_text
from faceprint.text.fonts import FontDatabase, FontFace
from faceprint.text.linebreak import NO_LINE_END, NO_LINE_START
from faceprint.text.setting import Align, VAlign, set_text
from faceprint.text.shaping import Cluster, shape
from faceprint.units import pt_to_mm

KANJI = "".join(chr(0x4E00 + i) for i in range(60))  # 一丁丂七…: no kinsoku classes among them
WRAP = FitStep("wrap")


def condense(floor: float) -> FitStep:
    return FitStep("condense", floor)


def shrink(floor_pt: float) -> FitStep:
    return FitStep("shrink", floor_pt)


def request(
    *steps: FitStep, width_pt: float = 72, height_pt: float = 12, size: float = 9, lines: int | None = None
) -> FitRequest:
    return FitRequest(
        width=pt_to_mm(width_pt), height=pt_to_mm(height_pt), size_pt=size, line_height=1.25, max_lines=lines, steps=tuple(steps)
    )


def texts(result: FitResult) -> list[str]:
    return ["".join(c.text for c in line) for line in result.lines]


Shaper = Callable[[str], list[Cluster]]


@pytest.fixture(scope="module")
def clusters(test_face: FontFace) -> Shaper:
    """Text → clusters in the test font."""

    def make(text: str) -> list[Cluster]:
        return shape(text, [test_face])

    return make


@pytest.fixture
def no_phrases(monkeypatch: pytest.MonkeyPatch) -> None:
    """Kinsoku and line filling on their own: BudouX's phrase model finds no phrases in these texts."""
    monkeypatch.setattr(linebreak, "phrase_ends", lambda text: frozenset())


# -- no step needed, wrap --------------------------------------------------------------------------
def test_text_that_fits_is_left_alone(clusters: Shaper) -> None:
    result = fit_text(clusters(KANJI[:8]), request(WRAP, condense(0.5), shrink(5)))
    assert (result.size_pt, result.hscale, texts(result)) == (9, 1.0, [KANJI[:8]])


@pytest.mark.usefixtures("no_phrases")
def test_with_no_better_break_lines_are_filled(clusters: Shaper) -> None:
    result = fit_text(clusters(KANJI[:20]), request(WRAP, height_pt=36))
    assert texts(result) == [KANJI[:8], KANJI[8:16], KANJI[16:20]]
    assert (result.size_pt, result.hscale) == (9, 1.0)


def test_wrap_respects_max_lines(clusters: Shaper) -> None:
    with pytest.raises(TextDoesNotFit):
        fit_text(clusters(KANJI[:20]), request(WRAP, height_pt=36, lines=2))


def test_wrap_breaks_latin_only_at_spaces_and_hyphens(clusters: Shaper) -> None:
    # 16 half-width characters per line: a word that fits on a line is kept whole…
    result = fit_text(clusters("Taro YAMADA-SUZUKI"), request(WRAP, height_pt=36))
    assert texts(result) == ["Taro", "YAMADA-SUZUKI"]
    # …and one that does not breaks after its hyphen, never inside a run of letters
    result = fit_text(clusters("Taro YAMADA-SUZUKIMOTO"), request(WRAP, height_pt=36))
    assert texts(result) == ["Taro YAMADA-", "SUZUKIMOTO"]


@pytest.mark.parametrize("closing", list("、。」）"))
@pytest.mark.usefixtures("no_phrases")
def test_kinsoku_no_line_starts_with_closing_punctuation(clusters: Shaper, closing: str) -> None:
    # the 9th character would start line 2; the break moves back one so the closing mark stays attached
    text = KANJI[:8] + closing + KANJI[8:10]
    result = fit_text(clusters(text), request(WRAP, height_pt=36))
    assert texts(result) == [KANJI[:7], KANJI[7] + closing + KANJI[8:10]]


@pytest.mark.usefixtures("no_phrases")
def test_kinsoku_an_opening_bracket_never_ends_a_line(clusters: Shaper) -> None:
    text = KANJI[:7] + "「" + KANJI[7:10] + "」"
    result = fit_text(clusters(text), request(WRAP, height_pt=36))
    assert texts(result) == [KANJI[:7], "「" + KANJI[7:10] + "」"]
    for line in texts(result):
        assert line[0] not in NO_LINE_START and line[-1] not in NO_LINE_END


@pytest.mark.usefixtures("no_phrases")
def test_kinsoku_holds_across_spaces(clusters: Shaper) -> None:
    # a space vanishes at a break, so breaking there would start a line with 、 or end one with 「
    comma = fit_text(clusters(KANJI[:7] + " 、" + KANJI[7]), request(WRAP, height_pt=36))
    assert texts(comma) == [KANJI[:6], KANJI[6] + " 、" + KANJI[7]]
    bracket = fit_text(clusters(KANJI[:6] + "「 " + KANJI[6:8]), request(WRAP, height_pt=36))
    assert texts(bracket) == [KANJI[:6], "「 " + KANJI[6:8]]


def test_max_lines_counts_the_values_own_line_breaks(clusters: Shaper) -> None:
    three_lines = clusters("\n".join(KANJI[:3]))
    with pytest.raises(TextDoesNotFit):
        fit_text(three_lines, request(height_pt=36, lines=2))
    assert texts(fit_text(three_lines, request(height_pt=36, lines=3))) == list(KANJI[:3])


# -- condense, shrink and their floors -------------------------------------------------------------
def test_condense_goes_as_far_as_needed(clusters: Shaper) -> None:
    result = fit_text(clusters(KANJI[:10]), request(condense(0.7)))
    assert (result.size_pt, result.hscale) == (9, pytest.approx(0.8))


def test_condense_stops_at_its_floor(clusters: Shaper) -> None:
    with pytest.raises(TextDoesNotFit):
        fit_text(clusters(KANJI[:10]), request(condense(0.85)))


def test_shrink_goes_as_far_as_needed(clusters: Shaper) -> None:
    result = fit_text(clusters(KANJI[:10]), request(shrink(6)))
    assert (result.size_pt, result.hscale) == (pytest.approx(7.2), 1.0)


def test_shrink_stops_at_its_floor(clusters: Shaper) -> None:
    with pytest.raises(TextDoesNotFit):
        fit_text(clusters(KANJI[:10]), request(shrink(8)))


def test_the_order_of_the_steps_matters(clusters: Shaper) -> None:
    condense_first = fit_text(clusters(KANJI[:10]), request(condense(0.9), shrink(6)))
    shrink_first = fit_text(clusters(KANJI[:10]), request(shrink(6), condense(0.9)))
    # condensing to its 90 % floor is not enough, so the size then drops to 8 pt (10 × 8 × 0.9 = 72)
    assert (condense_first.size_pt, condense_first.hscale) == (pytest.approx(8.0), pytest.approx(0.9))
    # shrinking alone is enough: 7.2 pt and no condensing at all
    assert (shrink_first.size_pt, shrink_first.hscale) == (pytest.approx(7.2), 1.0)


def test_condensing_is_relaxed_after_shrinking(clusters: Shaper) -> None:
    # An 8 pt high box: no condensing helps at 9 pt, so condense runs to its 70 % floor; shrink
    # then finds 8 pt, at which 90 % is enough (10 × 8 pt × 0.9 = 72 pt), so 90 % is kept.
    result = fit_text(clusters(KANJI[:10]), request(condense(0.7), shrink(6), height_pt=8))
    assert (result.size_pt, result.hscale) == (pytest.approx(8.0), pytest.approx(0.9))


@pytest.mark.usefixtures("no_phrases")
def test_wrap_then_condense_uses_the_line_budget(clusters: Shaper) -> None:
    result = fit_text(clusters(KANJI[:20]), request(WRAP, condense(0.7), height_pt=30, lines=2))
    assert texts(result) == [KANJI[:10], KANJI[10:20]]
    assert result.hscale == pytest.approx(0.8)


def test_beyond_every_floor_is_a_data_error_naming_element_and_length(test_fonts: FontDatabase) -> None:
    with pytest.raises(DataError) as info:
        engine_support.resolve("testfont_text.yaml", {"text": KANJI[:60]}, fonts=test_fonts, record_id="r3")
    err = info.value
    assert (err.record_id, err.field, err.element_id) == ("r3", "text", "field")
    assert "text of 60 characters does not fit" in str(err)
    assert "wrap, condense to 0.8, shrink to 7pt" in str(err)
    # the same element takes 20 characters (two lines of ten at 80 %)
    scene = engine_support.resolve("testfont_text.yaml", {"text": KANJI[:20]}, fonts=test_fonts)
    runs = engine_support.runs(engine_support.face(scene), "field")
    assert [len(r.glyphs) for r in runs] == [10, 10]
    assert [r.hscale for r in runs] == [pytest.approx(0.8)] * 2


# -- alignment ---------------------------------------------------------------------------------------
BOX = Box(10.0, 5.0, pt_to_mm(72), pt_to_mm(30))


def _set(clusters: Sequence[Cluster], align: Align = "left", valign: VAlign = "top", size: float = 9) -> list[GlyphRun]:
    fitted = FitResult(size, 1.0, (tuple(clusters),))
    return set_text(
        element_id="t",
        layer="artwork",
        box=BOX,
        fitted=fitted,
        align=align,
        valign=valign,
        line_height=1.25,
        ascent_em=0.88,
        color=BLACK,
    )


def _extent(runs: list[GlyphRun]) -> tuple[float, float]:
    glyphs = [(g.x, a) for r in runs for g, a in zip(r.glyphs, r.advances, strict=True)]
    return glyphs[0][0], glyphs[-1][0] + glyphs[-1][1]


def test_justify_spans_the_full_width(clusters: Shaper) -> None:
    runs = _set(clusters("氏名"), "justify")
    assert _extent(runs) == (pytest.approx(BOX.x), pytest.approx(BOX.right))
    four = _set(clusters("個人番号"), "justify")
    xs = [g.x for r in four for g in r.glyphs]
    gaps = {round(b - a, 9) for a, b in itertools.pairwise(xs)}
    assert len(gaps) == 1  # evenly spread (均等割付)
    assert _extent(four) == (pytest.approx(BOX.x), pytest.approx(BOX.right))


def test_right_and_center_alignment(clusters: Shaper) -> None:
    width = 3 * pt_to_mm(9)
    assert _extent(_set(clusters("山田太"), "right")) == (pytest.approx(BOX.right - width), pytest.approx(BOX.right))
    left, right = _extent(_set(clusters("山田太"), "center"))
    assert left - BOX.x == pytest.approx(BOX.right - right)
    assert _extent(_set(clusters("山田太"), "left"))[0] == pytest.approx(BOX.x)


@pytest.mark.parametrize(
    ("valign", "em_top"),
    [
        ("top", BOX.y),
        ("middle", BOX.y + (BOX.h - pt_to_mm(9)) / 2),
        ("bottom", BOX.bottom - pt_to_mm(9)),
    ],
)
def test_vertical_alignment(clusters: Shaper, valign: VAlign, em_top: float) -> None:
    (run,) = _set(clusters("山田"), valign=valign)
    assert run.baseline_y == pytest.approx(em_top + 0.88 * pt_to_mm(9))


def test_vertical_alignment_of_several_lines(clusters: Shaper) -> None:
    fitted = fit_text(clusters(KANJI[:20]), request(WRAP, height_pt=36))
    runs = set_text(
        element_id="t",
        layer="artwork",
        box=BOX,
        fitted=fitted,
        align="left",
        valign="bottom",
        line_height=1.25,
        ascent_em=0.88,
        color=BLACK,
    )
    baselines = [r.baseline_y for r in runs]
    assert baselines == sorted(baselines) and len(set(baselines)) == 3
    assert baselines[1] - baselines[0] == pytest.approx(1.25 * pt_to_mm(9))
    assert baselines[-1] + 0.12 * pt_to_mm(9) == pytest.approx(BOX.bottom)  # last em box ends on the box


def test_wrap_after_a_failed_condense_relaxes_the_condensing(clusters: Shaper) -> None:
    """[condense, wrap]: one line if condensing to the floor does it, else wrapped with no more condensing
    than the lines need (here none: 14 characters on two lines of 8, balanced 7 + 7 by the line chooser)."""
    one = fit_text(clusters(KANJI[:9]), request(condense(0.8), WRAP, height_pt=24, lines=2))
    assert (len(one.lines), one.hscale) == (1, pytest.approx(8 / 9, abs=0.011))
    two = fit_text(clusters(KANJI[:14]), request(condense(0.8), WRAP, height_pt=24, lines=2))
    assert (texts(two), two.hscale) == ([KANJI[:7], KANJI[7:14]], 1.0)

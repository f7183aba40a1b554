"""Ruby (furigana) placement, with the test font (every kana and kanji 1 em): above the base text,
smaller, centred over each word when the word counts match, condensed when wider than its word,
and never outside the element's box."""

from __future__ import annotations

import engine_support
import pytest

from faceprint.scene import Box, GlyphRun
from faceprint.text.fonts import FontDatabase
from faceprint.units import pt_to_mm

BOX = Box(10.0, 10.0, 60.0, 12.0)  # layouts/ruby.yaml
BASE_PT, RUBY_PT, GAP = 12.0, 5.0, 0.5


def _runs(test_fonts: FontDatabase, kanji: str, kana: str) -> tuple[list[GlyphRun], list[GlyphRun]]:
    scene = engine_support.resolve("ruby.yaml", {"kanji": kanji, "kana": kana}, fonts=test_fonts)
    runs = engine_support.runs(engine_support.face(scene), "name")
    return [r for r in runs if r.size_pt == BASE_PT], [r for r in runs if r.size_pt != BASE_PT]


def _span(run: GlyphRun) -> tuple[float, float]:
    return run.glyphs[0].x, run.glyphs[-1].x + run.advances[-1]


def _centre(run: GlyphRun) -> float:
    left, right = _span(run)
    return (left + right) / 2


def test_reading_sits_above_the_base_smaller_and_inside_the_box(test_fonts: FontDatabase) -> None:
    base, ruby = _runs(test_fonts, "山田 太郎", "やまだ たろう")
    assert [engine_support.run_text(r) for r in ruby] == ["やまだ", "たろう"]
    for r in ruby:
        assert r.size_pt == RUBY_PT < BASE_PT
        # the reading's em box ends exactly the gap above the base's em box
        ruby_em_bottom = r.baseline_y + 0.12 * pt_to_mm(RUBY_PT)
        base_em_top = base[0].baseline_y - 0.88 * pt_to_mm(BASE_PT)
        assert ruby_em_bottom + GAP == pytest.approx(base_em_top)
        assert BOX.contains(engine_support.ink_box(r))
    assert all(BOX.contains(engine_support.ink_box(b)) for b in base)


def test_each_reading_is_centred_over_its_word(test_fonts: FontDatabase) -> None:
    base, ruby = _runs(test_fonts, "山田 太郎", "やまだ たろう")
    assert [engine_support.run_text(r) for r in base] == ["山田", "太郎"]
    for word, reading in zip(base, ruby, strict=True):
        assert _centre(reading) == pytest.approx(_centre(word))
        assert reading.hscale == 1.0  # three 5 pt kana are narrower than two 12 pt kanji


def test_mismatched_word_counts_centre_the_reading_over_the_line(test_fonts: FontDatabase) -> None:
    base, ruby = _runs(test_fonts, "山田太郎", "やまだ たろう")
    (line,) = base
    left, right = _span(ruby[0])[0], _span(ruby[-1])[1]
    assert (left + right) / 2 == pytest.approx(_centre(line))


def test_a_reading_wider_than_its_word_is_condensed_to_the_word(test_fonts: FontDatabase) -> None:
    (word,), (reading,) = _runs(test_fonts, "東", "ひがし")  # 3 × 5 pt against 12 pt: 80 %
    assert reading.hscale == pytest.approx(0.8)
    assert _span(reading) == (pytest.approx(_span(word)[0]), pytest.approx(_span(word)[1]))


def test_a_reading_beyond_the_condense_limit_overhangs_but_stays_in_the_box(test_fonts: FontDatabase) -> None:
    (word,), (reading,) = _runs(test_fonts, "田", "たたたたたた")  # 6 × 5 pt at most 75 % = 22.5 pt > 12 pt
    assert reading.hscale == pytest.approx(0.75)
    left, right = _span(reading)
    assert right - left > _span(word)[1] - _span(word)[0]  # it overhangs its word…
    assert left == pytest.approx(BOX.x)  # …but is pushed inside the box rather than past its left edge

"""``faceprint annotate`` run after run on one card: lines fill in order, long entries wrap or condense,
compact entries share a line, dates follow the setting, a full area is refused without a trace, and
issued entries are seeded from the record where the layout printed them."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterable
from pathlib import Path

import pytest

from faceprint.annotate import AnnotateRequest, plan_annotation
from faceprint.annotate.placing import COMPACT_SCALE, ENTRY_MAX_LINES
from faceprint.records import load_record
from faceprint.render import CardRenderer
from faceprint.rules.dates import is_era_pattern
from faceprint.scene import GlyphRun
from faceprint.units import pt_to_mm

from .conftest import LAYOUTS, annotate, annotate_argv, loaded, request, run, state_of

NEXT_GEN_PITCH = pt_to_mm(6) * 1.32  # layouts/next-gen: annotations at 6 pt, line_height 1.32
NEXT_GEN_LINES = 6
SHORT = "見本市見本町１－２"
# two lines of next-gen's 51.5 mm area only when condensed (126 mm at full width with its date and kind)
LONG = "東京都千代田区見本町一丁目７番１号　見本町グランドタワーレジデンス・イーストウイング２０１２号室"


def _baselines(items: Iterable[object]) -> list[float]:
    return sorted({round(r.baseline_y, 9) for r in items if isinstance(r, GlyphRun)})


def test_entries_fill_the_lines_in_order_across_runs(
    record: Callable[..., Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rec = record()  # S01: no annotations on the issued card; today's card has three lines
    out = tmp_path / "out"
    for i, day in enumerate(("2025-04-01", "2025-05-01", "2025-06-01"), start=1):
        result = run(annotate_argv("current", rec, out, f"{SHORT}{i}", "--date", day), capsys)
        assert result.code == 0, result.err
        assert f"entry {i} on line {i} of the annotation area" in result.out
    entries = state_of(rec)["entries"]
    assert [(e["line"], e["span"], e["half"]) for e in entries] == [(1, 1, None), (2, 1, None), (3, 1, None)]
    assert [e["date"] for e in entries] == ["2025-04-01", "2025-05-01", "2025-06-01"]
    assert {p.name for p in out.iterdir()} == {
        *(f"S01-entry{i}.{ext}" for i in (1, 2, 3) for ext in ("pdf", "png", "job.json")),
        "S01-preview-front.png",
        "S01-preview-back.png",
    }
    assert "the area is now full" in result.out


def test_each_line_lands_one_pitch_below_the_last(record: Callable[..., Path], tmp_path: Path) -> None:
    rec = record()
    tops = [_baselines(annotate(rec, tmp_path / "out", f"{SHORT}{i}").job.items) for i in range(3)]
    assert [len(t) for t in tops] == [1, 1, 1]
    assert tops[1][0] - tops[0][0] == pytest.approx(NEXT_GEN_PITCH)
    assert tops[2][0] - tops[1][0] == pytest.approx(NEXT_GEN_PITCH)


def test_a_line_printed_alone_lands_where_the_full_card_puts_it(record: Callable[..., Path], tmp_path: Path) -> None:
    """S04's issued entry, printed by annotate onto a blank area, matches the layout's own rendering glyph for glyph."""
    issued = load_record(record("04-former-surname"))
    front = CardRenderer(loaded("next-gen")).scene(issued).faces[0]
    card_runs = [r for r in front.items if isinstance(r, GlyphRun) and r.element_id == "annotations"]
    (entry,) = issued.annotations
    blank = record("04-former-surname", annotations=None)
    plan = plan_annotation(request(blank, tmp_path / "out", entry.text, date=entry.date))
    assert list(plan.job.items) == card_runs


def test_a_typical_address_change_takes_one_line(record: Callable[..., Path], tmp_path: Path) -> None:
    """The enlarged area is sized for one address change per line, condensed no further than 75 %."""
    plan = plan_annotation(request(record(), tmp_path / "out", "東京都世田谷区太子堂四丁目1番1号", kind="新住所"))
    assert plan.entry.span == 1 and 0.75 <= plan.entry.hscale < 1.0


def test_a_long_entry_wraps_onto_two_lines(record: Callable[..., Path], tmp_path: Path) -> None:
    """Too long for one line at 75 %: it wraps, and on two lines it needs no condensing at all."""
    text = "東京都千代田区見本町一丁目２番３号　見本町ハイツ"
    plan = plan_annotation(request(record(), tmp_path / "out", text, kind="新住所"))
    assert (plan.entry.line, plan.entry.span, plan.entry.hscale) == (1, 2, 1.0)
    baselines = _baselines(plan.job.items)
    assert len(baselines) == 2 and baselines[1] - baselines[0] == pytest.approx(NEXT_GEN_PITCH)


def test_a_longer_entry_condenses_within_the_floor_rather_than_take_a_third_line(
    record: Callable[..., Path], tmp_path: Path
) -> None:
    plan = plan_annotation(request(record(), tmp_path / "out", LONG, kind="新住所"))
    assert plan.entry.span == ENTRY_MAX_LINES
    assert 0.75 <= plan.entry.hscale < 1.0  # layouts/next-gen: fit [{condense: 75%}, wrap]
    assert {r.hscale for r in plan.job.items if isinstance(r, GlyphRun)} == {plan.entry.hscale}


def test_an_entry_too_long_even_for_an_empty_area_is_a_data_error(
    record: Callable[..., Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    result = run(annotate_argv("next-gen", record(), tmp_path / "out", LONG * 2), capsys)
    assert result.code == 1
    assert "does not fit 2 lines" in result.err and "shorten it" in result.err and "reissued" not in result.err
    assert not (tmp_path / "out").exists()


def test_compact_mode_sets_two_short_entries_in_one_line(record: Callable[..., Path], tmp_path: Path) -> None:
    rec = record()
    plans = [annotate(rec, tmp_path / "out", text, compact=True) for text in ("転入", "氏変更", "転出")]
    assert [(p.entry.line, p.entry.half) for p in plans] == [(1, "upper"), (1, "lower"), (2, "upper")]
    assert {p.entry.size_pt for p in plans} == {6 * COMPACT_SCALE}
    (up,), (down,), (next_line,) = (_baselines(p.job.items) for p in plans)
    assert down - up == pytest.approx(NEXT_GEN_PITCH / 2)  # half-height type, half a pitch apart
    assert next_line - up == pytest.approx(NEXT_GEN_PITCH)
    # the preview holds all three, the first two in one line
    preview = [r for r in plans[-1].preview.faces[0].items if isinstance(r, GlyphRun) and r.element_id == "annotations"]
    assert _baselines(preview) == [up, down, next_line]
    assert [e["half"] for e in state_of(rec)["entries"]] == ["upper", "lower", "upper"]


def test_the_compact_flag_works_from_the_command_line(
    record: Callable[..., Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    result = run(annotate_argv("next-gen", record(), tmp_path / "out", "転入", "--compact"), capsys)
    assert result.code == 0 and "on line 1 (upper half)" in result.out


def test_a_compact_entry_too_long_for_half_a_line_is_printed_full_height(record: Callable[..., Path], tmp_path: Path) -> None:
    plan = plan_annotation(request(record(), tmp_path / "out", LONG, compact=True))
    assert plan.entry.half is None and plan.entry.size_pt == 6 and plan.entry.span == 2
    assert "full-height" in plan.summary()


@pytest.mark.parametrize(
    ("layout", "pattern", "prefix"),
    [
        ("next-gen", None, "2025年6月20日"),  # the next card's setting: vars.annotation_date, its own date style
        ("next-gen", "EEN年M月D日", "令和7年6月20日"),
        ("next-gen", "ENN.MM.DD", "R07.06.20"),
        ("current", None, "令和7年6月20日"),  # today's card writes entry dates in the era (comment 47)
        ("current", "YYYY.MM.DD", "2025.06.20"),
    ],
)
def test_entry_dates_are_western_or_era_by_the_setting(
    layout: str, pattern: str | None, prefix: str, record: Callable[..., Path], tmp_path: Path
) -> None:
    plan = plan_annotation(request(record(), tmp_path / "out", SHORT, layout, date_pattern=pattern))
    assert plan.entry.printed == f"{prefix}\u3000{SHORT}"


@pytest.mark.parametrize(("flag", "prefix"), [("--era", "令和7年6月20日"), ("--western", "2025年6月20日")])
def test_the_era_and_western_flags(
    flag: str, prefix: str, record: Callable[..., Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rec = record()
    assert run(annotate_argv("current", rec, tmp_path / "out", SHORT, "--date", "2025-06-20", flag), capsys).code == 0
    assert state_of(rec)["entries"][-1]["printed"] == f"{prefix}\u3000{SHORT}"


def test_an_era_setting_in_the_layout_wins_over_the_filter_its_template_names(
    record: Callable[..., Path], tmp_path: Path
) -> None:
    """next-gen's template says western_date(vars.annotation_date); the setting must still switch to the era."""
    layout = tmp_path / "era.yaml"
    layout.write_text(
        f'extends: {LAYOUTS["next-gen"]}\nname: next-gen-era\nvars: {{annotation_date: "EEN年M月D日"}}\n', encoding="utf-8"
    )
    rec = record(issued_on="2019-04-26")  # issued before the entry's date (an entry is a later one)
    plan = plan_annotation(AnnotateRequest(layout, rec, SHORT, tmp_path / "out", date=dt.date(2019, 5, 1)))
    assert plan.entry.printed == f"令和元年5月1日\u3000{SHORT}"


def test_the_full_area_is_refused_and_nothing_is_written(
    record: Callable[..., Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rec = record()
    out = tmp_path / "out"
    for i in range(NEXT_GEN_LINES):
        annotate(rec, out, f"{SHORT}{i}", files=i == NEXT_GEN_LINES - 1)
    state = rec.with_name("S01.annotations.json")
    before = (state.read_bytes(), os.stat(state).st_mtime_ns, sorted(p.name for p in out.iterdir()))
    result = run(annotate_argv("next-gen", rec, out, "もう一件", "--date", "2025-07-01"), capsys)
    assert result.code == 1
    assert "annotation area full: 6 of 6 lines used; the card must be reissued" in result.err
    assert result.out == ""
    assert (state.read_bytes(), os.stat(state).st_mtime_ns, sorted(p.name for p in out.iterdir())) == before
    assert not list(out.glob(".*")) and not list(state.parent.glob(".*"))  # no temporary files left either


def test_an_entry_needing_more_lines_than_are_free_is_refused(
    record: Callable[..., Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rec = record()
    for i in range(NEXT_GEN_LINES - 1):
        annotate(rec, tmp_path / "out", f"{SHORT}{i}")
    result = run(annotate_argv("next-gen", rec, tmp_path / "out2", LONG, "--kind", "新住所"), capsys)
    assert result.code == 1
    assert "annotation area full: 5 of 6 lines used and the entry needs 2 lines; the card must be reissued" in result.err
    assert not (tmp_path / "out2").exists()


def test_issued_entries_are_seeded_from_the_record_where_the_layout_printed_them(
    record: Callable[..., Path], tmp_path: Path
) -> None:
    """S02 was issued with two entries, one line each on next-gen-2024's 66 mm lines: the new one goes on line 3."""
    rec = record("02-long-japanese-name")
    plan = plan_annotation(request(rec, tmp_path / "out", SHORT, "next-gen-2024", date=dt.date(2025, 9, 1)))
    seeded = plan.state.entries[:2]
    assert [(e.line, e.span, e.source) for e in seeded] == [(1, 1, "record"), (2, 1, "record")]
    assert (plan.entry.line, plan.entry.source) == (3, "annotate")
    # the preview draws the issued entries exactly where the issued card has them
    issued = CardRenderer(loaded("next-gen-2024")).scene(load_record(rec)).faces[1]
    as_issued = [r for r in issued.items if isinstance(r, GlyphRun) and r.element_id == "annotations-back"]
    preview = [r for r in plan.preview.faces[1].items if isinstance(r, GlyphRun) and r.element_id == "annotations-back"]
    assert preview[: len(as_issued)] == as_issued
    assert plan.state.free_lines == 2


def test_a_card_issued_with_a_full_area_is_refused(
    record: Callable[..., Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rec = record("02-long-japanese-name")  # two entries fill today's card's three lines
    result = run(annotate_argv("current", rec, tmp_path / "out", SHORT), capsys)
    assert result.code == 1 and "3 of 3 lines used; the card must be reissued" in result.err
    assert not rec.with_name("S02.annotations.json").exists()


def test_a_date_before_the_last_entry_is_a_usage_error(
    record: Callable[..., Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rec = record()
    annotate(rec, tmp_path / "out", SHORT, date=dt.date(2025, 6, 20))
    result = run(annotate_argv("next-gen", rec, tmp_path / "out", SHORT, "--date", "2025-06-19"), capsys)
    assert result.code == 2 and "before the last entry's date 2025-06-20" in result.err


def test_a_character_no_font_draws_names_its_code_point(
    record: Callable[..., Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    result = run(annotate_argv("next-gen", record(), tmp_path / "out", "見本\ue000町"), capsys)
    assert result.code == 1 and "U+E000" in result.err and "record 'S01'" in result.err
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--date", "2025-13-01"], "no such calendar day"),
        (["--date-pattern", "YYYY.QQ"], "unknown token"),
        (["--era", "--western"], "not allowed with argument"),
    ],
)
def test_bad_dates_and_patterns_exit_2(
    extra: list[str], message: str, record: Callable[..., Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    result = run(annotate_argv("next-gen", record(), tmp_path / "out", SHORT, *extra), capsys)
    assert result.code == 2 and message in result.err


def test_a_multi_line_entry_text_is_a_usage_error(
    record: Callable[..., Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    result = run(annotate_argv("next-gen", record(), tmp_path / "out", "一行目\n二行目"), capsys)
    assert result.code == 2 and "control character U+000A" in result.err


@pytest.mark.parametrize(
    ("pattern", "era"), [("YYYY.MM.DD", False), ("DD MON YYYY", False), ("EEN年M月D日", True), ("ENN.MM.DD", True)]
)
def test_a_date_pattern_says_whether_it_is_an_era_date(pattern: str, era: bool) -> None:
    assert is_era_pattern(pattern) is era

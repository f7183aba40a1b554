"""How many typical address changes each shipped layout's annotation area holds, measured the way a
municipal office meets it: ``faceprint annotate`` run after run on a freshly issued card until it
refuses with "annotation area full". The README states these figures; this test keeps them true.

Seed ⑥ (comments 52–58): the next card's area is enlarged so that a holder who moves is not sent back
for a new card as soon as today; the target is at least twice today's card, at the 6 pt floor, and
more with ``--compact`` (comment 58)."""

from __future__ import annotations

import contextlib
import io
import json
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from faceprint.cli import main

from .conftest import LAYOUTS, ROOT, SAMPLES, annotate_argv, pdf_text, squeeze, state_of

CHANGE = "東京都世田谷区太子堂四丁目1番1号"  # a typical new address (issue 12 §2), with --kind 新住所
MAX_RUNS = 30  # far beyond any shipped area: a loop that never refuses is a failure, not a hang


@dataclass(frozen=True)
class Capacity:
    lines: int
    changes: int


def _issued_card(folder: Path) -> Path:
    """S01 as just issued: nothing in the annotation area."""
    data = json.loads((SAMPLES / "01-short-name.json").read_text(encoding="utf-8"))
    data["photo"] = str((SAMPLES / data["photo"]).resolve())
    data.pop("annotations", None)
    data.pop("organ_donation", None)
    folder.mkdir(parents=True)
    path = folder / "S01.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def _fill(layout: str, folder: Path, compact: bool) -> Capacity:
    rec, out = _issued_card(folder), folder / "out"
    for n in range(MAX_RUNS):
        day = f"2026-{1 + n // 28:02d}-{1 + n % 28:02d}"  # after S01's issue date: annotations are later entries
        argv = annotate_argv(layout, rec, out, CHANGE, "--kind", "新住所", "--date", day, *(["--compact"] if compact else []))
        err = io.StringIO()
        with contextlib.redirect_stdout(io.StringIO()):
            code = main([str(a) for a in argv], stderr=err)
        if code != 0:
            assert code == 1, err.getvalue()
            match = re.search(r"annotation area full: (\d+) of (\d+) lines used", err.getvalue())
            assert match, err.getvalue()
            assert len(state_of(rec)["entries"]) == n
            # the last print job really holds the last change, as text a reader can extract
            job = (out / f"S01-entry{n}.pdf").read_bytes()
            assert squeeze(f"新住所　{CHANGE}") in squeeze(pdf_text(job))
            return Capacity(lines=int(match.group(2)), changes=n)
    pytest.fail(f"{layout}: the area took {MAX_RUNS} changes and never refused one")


@pytest.fixture(scope="module")
def measured(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Capacity, Capacity]]:
    """Per shipped layout: (normal, --compact)."""
    root = tmp_path_factory.mktemp("capacity")
    return {layout: (_fill(layout, root / layout, False), _fill(layout, root / f"{layout}-compact", True)) for layout in LAYOUTS}


def _readme_figures() -> dict[str, tuple[int, int, int]]:
    """The README's table: layout → (lines, address changes, address changes with --compact)."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\s*\| `layouts/([\w-]+)` \| (\d+) \| (\d+) \| (\d+) \|", text, flags=re.MULTILINE)
    return {name: (int(a), int(b), int(c)) for name, a, b, c in rows}


@pytest.mark.parametrize("layout", list(LAYOUTS))
def test_the_readme_states_what_each_layout_holds(layout: str, measured: dict[str, tuple[Capacity, Capacity]]) -> None:
    normal, compact = measured[layout]
    assert normal.lines == compact.lines
    assert _readme_figures().get(layout) == (normal.lines, normal.changes, compact.changes)


@pytest.mark.parametrize("layout", ["next-gen", "next-gen-2024"])
def test_the_next_card_holds_at_least_twice_todays_changes_and_more_with_compact(
    layout: str, measured: dict[str, tuple[Capacity, Capacity]]
) -> None:
    today, _ = measured["current"]
    normal, compact = measured[layout]
    assert today.changes >= 1
    assert normal.changes >= 2 * today.changes, (normal, today)
    assert compact.changes > normal.changes, (compact, normal)

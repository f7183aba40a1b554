"""An annotation is a later entry: ``annotate`` refuses a date before the card's issue date, and writes the
entry's date in the card's own date style."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from .conftest import annotate_argv, run, state_of


def test_an_entry_before_the_issue_date_is_refused(
    record: Callable[..., Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rec = record(issued_on="2025-01-20")
    out = tmp_path / "out"
    result = run(annotate_argv("next-gen", rec, out, "見本市見本町１", "--date", "2025-01-19"), capsys)
    assert result.code == 2
    assert "before the card's issue date 2025-01-20" in result.err
    assert not out.exists() and not rec.with_name("S01.annotations.json").exists()
    result = run(annotate_argv("next-gen", rec, out, "見本市見本町１", "--date", "2025-01-20"), capsys)
    assert result.code == 0, result.err
    assert state_of(rec)["entries"][0]["printed"].startswith("2025年1月20日")

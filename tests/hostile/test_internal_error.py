"""An unexpected exception is an internal error: its own exit status, a request for a report, no traceback
unless asked for, and never an individual number."""

from __future__ import annotations

import argparse

import pytest

from faceprint import cli
from faceprint.cli import EXIT_INTERNAL

from .support import run_cli


def _explode(args: argparse.Namespace) -> int:
    raise KeyError("photo of 111111111118 could not be indexed")


@pytest.fixture
def exploding_validate(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cli, "_cmd_validate", _explode)
    monkeypatch.delenv(cli.DEBUG_ENV, raising=False)


@pytest.mark.usefixtures("exploding_validate")
def test_a_bug_exits_with_its_own_status_and_asks_for_a_report() -> None:
    outcome = run_cli(["validate", "any.yaml"])
    assert outcome.code == EXIT_INTERNAL and EXIT_INTERNAL not in (1, 2)
    assert outcome.err.startswith("internal error: KeyError:")
    assert "Please report it" in outcome.err and "--debug" in outcome.err
    assert "Traceback" not in outcome.err
    assert "111111111118" not in outcome.err and "1118" in outcome.err  # masked, last digits kept


@pytest.mark.usefixtures("exploding_validate")
@pytest.mark.parametrize("how", ["flag", "env"])
def test_debug_shows_the_traceback_masked(monkeypatch: pytest.MonkeyPatch, how: str) -> None:
    if how == "env":
        monkeypatch.setenv(cli.DEBUG_ENV, "1")
    outcome = run_cli(["--debug", "validate", "any.yaml"] if how == "flag" else ["validate", "any.yaml"])
    assert outcome.code == EXIT_INTERNAL
    assert "Traceback (most recent call last)" in outcome.err and "_explode" in outcome.err
    assert "111111111118" not in outcome.err

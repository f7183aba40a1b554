"""Generated hostile layouts, records and templates: a clear error or a card, never a crash or a hang.

For every example: no traceback and never the internal-error status; layouts fail with exit 2 and
records with exit 1 (the cause decides); nothing is written for input that fails; each example runs
under a watchdog and a memory cap (``guards.bounded``). A layout that ``validate`` accepts never
fails ``render`` as a layout error. ``make fuzz`` runs the long version (``FACEPRINT_FUZZ=long``).
"""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from faceprint.templating import LayoutVars, TemplateFailure, Templates

from .fuzz_guards import bounded, fuzz_settings
from .fuzz_strategies import hostile_layout_files, hostile_records, hostile_templates
from .support import SAMPLE_RECORD, assert_clean_failure, place_sample_record, run_cli, written_files

SHIPPED = Path(__file__).resolve().parents[2] / "layouts" / "next-gen" / "card.yaml"
RENDER_OPTIONS = ["--format", "pdf,png", "--dpi", "100"]


def _workspace() -> Path:
    return Path(tempfile.mkdtemp(prefix="faceprint-fuzz-"))


@fuzz_settings("layouts")
@given(hostile_layout_files())
def test_hostile_layouts(layout_bytes: bytes) -> None:
    folder = _workspace()
    try:
        layout = folder / "layout" / "card.yaml"
        layout.parent.mkdir()
        layout.write_bytes(layout_bytes)
        record = place_sample_record(folder / "data")
        out = folder / "out"
        with bounded():
            validated = run_cli(["validate", str(layout)])
            rendered = run_cli(["render", str(layout), str(record), "--out", str(out), *RENDER_OPTIONS])
        assert_clean_failure(validated, {0, 2})
        # a layout validate accepts may still meet a record that does not fit it (1), never a layout error
        assert_clean_failure(rendered, {0, 1} if validated.code == 0 else {0, 1, 2})
        if rendered.code != 0:
            assert written_files(out) == [], rendered.err
        else:
            assert {p.suffix for p in written_files(out)} == {".pdf", ".png"}
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@fuzz_settings("records")
@given(st.data())
def test_hostile_records(data: st.DataObject) -> None:
    base: dict[str, Any] = json.loads(SAMPLE_RECORD.read_text(encoding="utf-8"))
    text = data.draw(hostile_records(base))
    folder = _workspace()
    try:
        record = place_sample_record(folder / "data")
        record.write_text(text, encoding="utf-8", errors="surrogatepass")
        out = folder / "out"
        with bounded():
            rendered = run_cli(["render", str(SHIPPED), str(record), "--out", str(out), *RENDER_OPTIONS])
        assert_clean_failure(rendered, {0, 1})  # the layout is good: whatever fails is the record's
        if rendered.code != 0:
            assert "record" in rendered.err
            assert written_files(out) == [], rendered.err
        for digits in ("111111111118", "123456789018"):
            assert digits not in rendered.err
    finally:
        shutil.rmtree(folder, ignore_errors=True)


TEMPLATES = Templates()
EXPECTED_TEMPLATE_FAILURES = ("limit", "output-limit", "sandbox", "syntax", "layout", "unknown-name", "undefined", "value")
CONTEXT = {"name": {"kanji": "見本 花子"}, "vars": LayoutVars(x=1)}


@fuzz_settings("templates")
@given(hostile_templates())
def test_hostile_templates(source: str) -> None:
    with bounded():
        try:
            result = TEMPLATES.render(source, CONTEXT)
        except TemplateFailure as exc:
            assert exc.kind in EXPECTED_TEMPLATE_FAILURES, exc.kind
            return
    assert isinstance(result, str) and len(result) <= 100_000

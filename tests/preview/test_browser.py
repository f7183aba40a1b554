"""The preview in a real browser: Playwright drives Debian's chromium against ``faceprint preview``.

The test saves the layout (and the file it extends, and the record) 20 times, 350 ms apart (so the
lint worker is busy with the previous save), and measures, for each save, the time from the rename
that saves the file to the moment the page has both new faces decoded and on screen (the page's own
clock, ``window.fpPainted.at``): every save must reach the page, and the figures are reported, not
asserted (timings are judged by hand, not by the suite: a loaded CI machine is no measurement). It
then breaks the layout and checks that the error appears on the page with file and line, and
disappears once the file is fixed.

``FACEPRINT_PREVIEW_SCREENSHOT=docs/preview.png`` also writes the page's screenshot for the README;
the latencies go to ``tmp_path/latency.json`` and to stdout (``pytest -s``).
"""

from __future__ import annotations

import json
import os
import select
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from PIL import Image

from .conftest import Workspace, save

CHROMIUM = os.environ.get("FACEPRINT_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SAVES = 20
PAUSE_MS = 350  # between saves: long enough for the page to settle and the lint worker to start

sync_api = pytest.importorskip("playwright.sync_api", reason="needs the preview extra: pip install 'faceprint[preview]'")
if not Path(CHROMIUM).is_file():
    if os.environ.get("CI"):
        raise RuntimeError(f"CI needs Debian's chromium at {CHROMIUM} (.ci/system-deps installs it)")
    pytest.skip("needs Debian's chromium (apt-get install chromium)", allow_module_level=True)


@pytest.fixture
def preview_url(workspace: Workspace) -> Iterator[str]:
    """``faceprint preview`` as the designer runs it, in its own process, on a free port."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "faceprint", "preview", str(workspace.layout), "--data", str(workspace.records), "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        ready, _, _ = select.select([proc.stdout], [], [], 30)
        line = proc.stdout.readline() if ready else ""
        assert "http://127.0.0.1:" in line, f"no URL from faceprint preview: {line!r} {proc.stderr.read() if proc.poll() else ''}"
        yield line.split()[2]
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@contextmanager
def open_page(url: str, height: int) -> Iterator[tuple[sync_api.Page, list[str]]]:
    """Chromium showing the preview page once its first render is on screen; and the page's script errors."""
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1360, "height": height})
            problems: list[str] = []
            page.on("pageerror", lambda exc: problems.append(str(exc)))
            page.goto(url)
            page.wait_for_function("window.fpPainted !== undefined", timeout=15_000)
            yield page, problems
        finally:
            browser.close()


def _edits(workspace: Workspace) -> Iterator[tuple[Path, str]]:
    """Twenty saves that each change the picture: mostly the layout, some the file it extends and the record."""
    layout, parent, record = (p.read_text(encoding="utf-8") for p in (workspace.layout, workspace.parent, workspace.record))
    for i in range(1, SAVES + 1):
        if i % 7 == 3:
            yield workspace.parent, parent.replace("#1d3a5f", f"#{40 + 9 * i:02x}3a5f")
        elif i % 7 == 5:
            data = json.loads(record)
            data["address"] = f"北海道札幌市見本区{i}条一丁目１番１号"
            yield workspace.record, json.dumps(data, ensure_ascii=False)
        else:
            yield workspace.layout, layout.replace('"rev. 0"', f'"rev. {i}"')


def _screenshot(page: sync_api.Page, path: Path) -> None:
    """A small PNG for the README: the page quantised to 256 colours."""
    raw = path.with_suffix(".raw.png")
    page.screenshot(path=str(raw))
    with Image.open(raw) as image:
        image.convert("RGB").quantize(256, method=Image.Quantize.MEDIANCUT).save(path, optimize=True)
    raw.unlink()


def test_preview_follows_saves_and_errors(preview_url: str, workspace: Workspace, tmp_path: Path) -> None:
    with open_page(preview_url, 640) as (page, problems):
        latencies: list[float] = []
        received: list[float] = []  # when the new state arrived, before the images were fetched
        for path, text in _edits(workspace):
            page.wait_for_timeout(PAUSE_MS)  # the lint worker is busy with the last save when this one lands
            before = page.evaluate("window.fpPainted.key")
            saved_at = time.time() * 1000
            save(path, text)
            page.wait_for_function("k => window.fpPainted.key !== k", arg=before, timeout=5_000)
            painted = page.evaluate("window.fpPainted")
            latencies.append(painted["at"] - saved_at)
            received.append(painted["received"] - saved_at)
            hashes = page.eval_on_selector_all(".stage img", "imgs => imgs.map(i => i.dataset.hash)")
            assert "+".join(hashes) == page.evaluate("window.fpPainted.key")

        ordered = sorted(latencies)
        median, p90 = statistics.median(ordered), ordered[int(0.9 * len(ordered)) - 1]
        report = {
            "saves": len(latencies),
            "median_ms": round(median, 1),
            "p90_ms": round(p90, 1),
            "all_ms": [round(v) for v in latencies],
            "state_ms": [round(v) for v in received],
        }
        (tmp_path / "latency.json").write_text(json.dumps(report), encoding="utf-8")
        print(f"\nsave-to-refresh latency over {len(latencies)} saves: median {median:.0f} ms, p90 {p90:.0f} ms; {report}")

        # Lint findings show beside the card once the saves stop.
        page.wait_for_selector("#lint[data-state=done]", timeout=15_000)
        assert "error" in page.inner_text("#lint-summary")
        page.click("input[data-overlay=boxes]")
        shot = Path(os.environ.get("FACEPRINT_PREVIEW_SCREENSHOT") or tmp_path / "preview.png")
        _screenshot(page, shot)
        assert shot.stat().st_size < 200_000

        # A broken layout shows file, line and message on the page; the server keeps running; fixing clears it.
        good = workspace.layout.read_text(encoding="utf-8")
        assert '"}' in good
        save(workspace.layout, good.replace('"}', "}"))  # an unclosed quote
        page.wait_for_selector("#error:not([hidden])", timeout=5_000)
        where = page.inner_text("#error-file")
        assert where.startswith("card.yaml:") and where.split(":")[1].split()[0].isdigit()
        assert "YAML" in page.inner_text("#error-message")
        save(workspace.layout, good)
        page.wait_for_selector("#error", state="hidden", timeout=5_000)

        # So does a bad record, and picking another record redraws the card.
        shown = page.evaluate("window.fpPainted.key")
        page.select_option("#record", "04-former-surname.json")
        page.wait_for_function("k => window.fpPainted.key !== k", arg=shown, timeout=5_000)
        assert problems == []

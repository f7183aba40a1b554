"""Editing on the page in a real browser: Playwright drives Debian's chromium against ``faceprint preview``.

A designer selects an element, drags it a known number of screen pixels, resizes another by its corner
handle, nudges with the arrow keys, then undoes all of it. After each step the layout files are read
byte for byte: the element's box changed by exactly the expected millimetres (pixels ÷ the page's
``data-px-per-mm``, rounded to 0.01 mm) and nothing else in any file did; after the undos every file
is identical to the original.

``FACEPRINT_EDIT_PICTURE=docs/preview-edit.gif`` also writes the README's step-by-step picture.
"""

from __future__ import annotations

import difflib
import json
import math
import os
from decimal import Decimal
from pathlib import Path

from PIL import Image

from .conftest import Workspace
from .test_browser import open_page, preview_url, sync_api  # the same browser and server as the save test
from .test_edit import box_text, revision_box, written

__all__ = ["preview_url"]  # the fixture, imported so pytest finds it here too


def _mm(px: float, px_per_mm: float) -> Decimal:
    """What the page computes: pixels ÷ px/mm, rounded half up to 0.01 mm (JavaScript's Math.round)."""
    return Decimal(math.floor(px / px_per_mm * 100 + 0.5)) / 100


def _diff(before: str, after: str) -> list[str]:
    return [
        line
        for line in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]


def _bbox(page: sync_api.Page, selector: str) -> dict[str, float]:
    """The element's box on screen; the overlay is drawn again after each render, so wait for it to be there."""
    for _ in range(50):
        box = page.locator(selector).bounding_box()
        if box is not None:
            return dict(box)
        page.wait_for_timeout(100)
    raise AssertionError(f"{selector} is not on the page")


def _drag(page: sync_api.Page, selector: str, dx: float, dy: float) -> None:
    """Press at the element's centre, move by (dx, dy) screen pixels, release."""
    box = _bbox(page, selector)
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + dx / 2, y + dy / 2, steps=3)
    page.mouse.move(x + dx, y + dy, steps=3)
    page.mouse.up()


def _wait_answered(page: sync_api.Page, count: int) -> None:
    page.wait_for_function("n => window.fpEdits.answered >= n", arg=count, timeout=10_000)
    last = page.evaluate("window.fpEdits.last")
    assert last["ok"], last


class Frames:
    """Screenshots of the back card for the README's picture (only when asked for)."""

    def __init__(self, page: sync_api.Page, out: str | None) -> None:
        self.page, self.out, self.shots = page, Path(out) if out else None, []

    def take(self, tmp: Path) -> None:
        if self.out is None:
            return
        self.page.wait_for_timeout(800)  # let the new render's images replace the old ones on screen
        path = tmp / f"frame{len(self.shots)}.png"
        self.page.locator("main").screenshot(path=str(path))
        self.shots.append(path)

    def save(self) -> None:
        if self.out is None or not self.shots:
            return
        frames = [Image.open(p).convert("RGB").quantize(64, method=Image.Quantize.MEDIANCUT) for p in self.shots]
        frames[0].save(self.out, save_all=True, append_images=frames[1:], duration=1400, loop=0, optimize=True)


def test_drag_resize_nudge_and_undo_write_exact_numbers(preview_url: str, workspace: Workspace, tmp_path: Path) -> None:
    grandparent = workspace.root / "layouts" / "next-gen" / "card.yaml"
    files = (workspace.layout, workspace.parent, grandparent)
    originals = {p: p.read_bytes() for p in files}
    with open_page(preview_url, 700) as (page, problems):
        frames = Frames(page, os.environ.get("FACEPRINT_EDIT_PICTURE"))
        page.uncheck("#snap")  # exact pixel deltas; snapping is checked below the browser
        px_per_mm = float(page.get_attribute('.card[data-face="back"] .stage', "data-px-per-mm") or "nan")
        assert px_per_mm > 1
        assert page.get_attribute("#cards .card[data-face=back]", "data-px-per-mm") is not None

        # 1. Select, then drag 'revision' (defined in card.yaml) a little left and down, clear of the chip.
        revision = '[data-element-id="revision"]'
        page.click(revision)
        assert page.inner_text("#sel-id").startswith("revision")
        assert "card.yaml" in page.inner_text("#sel-where")
        frames.take(tmp_path)
        start = workspace.layout.read_text(encoding="utf-8")
        x0, y0, w0, h0 = revision_box(start)
        dx, dy = _mm(-6, px_per_mm), _mm(37, px_per_mm)
        _drag(page, revision, -6, 37)
        _wait_answered(page, 1)
        moved = workspace.layout.read_text(encoding="utf-8")
        x1, y1 = x0 + dx, y0 + dy
        line = next(li for li in start.splitlines() if "id: revision" in li)
        assert _diff(start, moved) == ["-" + line, "+" + line.replace(box_text([x0, y0, w0, h0]), box_text([x1, y1, w0, h0]))]
        assert workspace.parent.read_bytes() == originals[workspace.parent] and grandparent.read_bytes() == originals[grandparent]
        page.wait_for_function(  # the card is drawn again from the saved file
            "y => { const b = [...document.querySelectorAll('.ov-boxes rect')].find(r => r.dataset.id === 'revision');"
            " return b && Math.abs(Number(b.getAttribute('y')) - y) < 0.001; }",
            arg=float(y1),
            timeout=10_000,
        )
        frames.take(tmp_path)

        # 2. Resize 'base-mark' (inherited from base.yaml) by its lower-right handle: an override in card.yaml.
        base_mark = '[data-element-id="base-mark"]'
        page.click(base_mark)
        page.wait_for_selector(".ov-edit rect.handle[data-handle=se]")
        dw, dh = _mm(16, px_per_mm), _mm(9, px_per_mm)
        _drag(page, ".card[data-face=front] .ov-edit rect.handle[data-handle=se]", 16, 9)
        _wait_answered(page, 2)
        resized = workspace.layout.read_text(encoding="utf-8")
        w, h = Decimal("1.5") + dw, Decimal("1.5") + dh
        assert resized == moved + f"front:\n  - {{id: base-mark, box: [2.2mm, 45mm, {written(w)}, {written(h)}]}}\n"
        assert workspace.parent.read_bytes() == originals[workspace.parent]
        frames.take(tmp_path)

        # 3. Nudge 'revision' with the keyboard: three times left (0.1 mm), once up with Shift (1 mm).
        page.click(revision)
        for key in ("ArrowLeft", "ArrowLeft", "ArrowLeft", "Shift+ArrowUp"):
            page.keyboard.press(key)
        _wait_answered(page, 6)
        nudged = workspace.layout.read_text(encoding="utf-8")
        x2, y2 = x1 - Decimal("0.3"), y1 - Decimal("1")
        assert nudged == resized.replace(box_text([x1, y1, w0, h0]), box_text([x2, y2, w0, h0]))
        assert _diff(resized, nudged)[1].count("mm,") == _diff(resized, nudged)[0].count("mm,")
        frames.take(tmp_path)

        # 4. Undo all six edits: every file is byte for byte what it was.
        for _ in range(6):
            page.keyboard.press("Control+z")
        _wait_answered(page, 12)
        assert {p: p.read_bytes() for p in files} == originals
        assert page.evaluate("window.fpEdits.last.redo") == 6

        # 5. A drop inside a keep-out zone snaps back with the reason shown; no file changes.
        chip = _bbox(page, '.card[data-face=back] .ov-keepout rect[data-id="chip"]')
        target = _bbox(page, revision)
        _drag(
            page,
            revision,
            chip["x"] + chip["width"] / 2 - (target["x"] + target["width"] / 2),
            chip["y"] + chip["height"] / 2 - (target["y"] + target["height"] / 2),
        )
        page.wait_for_selector("#notice.refused", timeout=5_000)
        assert "keep-out zone 'chip'" in page.inner_text("#notice")
        assert {p: p.read_bytes() for p in files} == originals

        # 6. With snapping on again (the S key), a drop puts an edge of the box on a guide: a whole
        # millimetre, the safe area or another element's edge on the same face.
        page.keyboard.press("s")
        assert page.is_checked("#snap")
        state = json.loads(page.evaluate("fetch('/api/state').then(r => r.text())"))
        back = next(f for f in state["faces"] if f["name"] == "back")
        guides = {round(back["safe_margin"], 2), round(back["height"] - back["safe_margin"], 2)}
        for b in back["boxes"]:
            if b["id"] != "revision":
                guides |= {round(b["box"][1], 2), round(b["box"][1] + b["box"][3], 2)}
        before_snap = workspace.layout.read_text(encoding="utf-8")
        answered = page.evaluate("window.fpEdits.answered")
        _drag(page, revision, 0, 23)
        _wait_answered(page, answered + 1)
        _, y, _, h = revision_box(workspace.layout.read_text(encoding="utf-8"))
        edges = (y, y + h)
        assert any(e == e.to_integral_value() or float(e) in guides for e in edges), (edges, sorted(guides))
        assert _diff(before_snap, workspace.layout.read_text(encoding="utf-8"))[0].startswith("-  - {id: revision")
        frames.save()
        assert problems == []

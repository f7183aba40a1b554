"""Editing on the page, below the browser: the file changes by exactly the edited numbers, nothing else.

Each test edits the preview workspace's layouts (``conftest.Workspace``: card.yaml extends base.yaml,
which extends the shipped next-gen layout) through the server's own write route, then reads the
files byte for byte.
"""

from __future__ import annotations

import difflib
import json
import re
import time
import urllib.error
import urllib.request
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from faceprint.layout_file.loader import load_layout
from faceprint.preview.edit import EditRefused, LayoutEditor, content_hash
from faceprint.preview.server import PreviewServer
from faceprint.preview.yaml_splice import format_mm

from .conftest import Workspace, save


def _known(paths: list[Path]) -> dict[str, str]:
    return {str(p): content_hash(p.read_bytes()) for p in paths}


def _changed_lines(before: str, after: str) -> list[str]:
    return [
        line
        for line in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]


def _post(server: PreviewServer, route: str, payload: dict[str, Any], *, token: str | None = None) -> tuple[int, dict[str, Any]]:
    body = json.dumps(payload).encode("utf-8")
    request = urllib.request.Request(server.url.rstrip("/") + route, data=body, method="POST")
    request.add_header("Content-Type", "application/json")
    request.add_header("X-Faceprint-Token", server.token if token is None else token)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        text = exc.read()
        return exc.code, json.loads(text) if text.startswith(b"{") else {"text": text.decode()}


def _state_files(server: PreviewServer) -> dict[str, str]:
    state = json.loads(server.state_json()[1])
    return {f["path"]: f["sha"] for f in state["files"]}


def _wait_for_render(server: PreviewServer, seen: int) -> None:
    deadline = time.monotonic() + 10
    while server.session.version <= seen and time.monotonic() < deadline:
        time.sleep(0.02)
    assert server.session.version > seen, "the preview did not re-render after the write"


def _box_of(server: PreviewServer, element_id: str) -> list[float]:
    boxes = {b["id"]: b["box"] for f in json.loads(server.state_json()[1])["faces"] for b in f["boxes"]}
    return list(boxes[element_id])


@pytest.fixture
def chain(workspace: Workspace) -> list[Path]:
    return [workspace.layout, workspace.parent, (workspace.root / "layouts" / "next-gen" / "card.yaml")]


def revision_box(text: str) -> list[Decimal]:
    """The 'revision' element's box as written in the test layout (conftest owns where it stands)."""
    m = re.search(r"\{id: revision, type: text, box: \[([^\]]*)\]", text)
    assert m is not None
    return [Decimal(v.strip().removesuffix("mm")) for v in m.group(1).split(",")]


def written(value: Decimal) -> str:
    """A length as the editor writes it: mm, at most two decimals, no trailing zeros."""
    text = format(value.quantize(Decimal("0.01")), "f").rstrip("0").rstrip(".")
    return ("0" if text in ("-0", "") else text) + "mm"


def box_text(box: list[Decimal]) -> str:
    return "box: [" + ", ".join(written(v) for v in box) + "]"


def test_a_move_changes_exactly_the_two_numbers(workspace: Workspace, chain: list[Path]) -> None:
    before = workspace.layout.read_text(encoding="utf-8")
    x, y, w, h = revision_box(before)
    editor = LayoutEditor(lambda: chain)
    editor.edit("revision", (-1.25, 0.5, 0.0, 0.0), _known(chain))
    after = workspace.layout.read_text(encoding="utf-8")
    line = next(li for li in before.splitlines() if "id: revision" in li)
    moved = line.replace(box_text([x, y, w, h]), box_text([x - Decimal("1.25"), y + Decimal("0.5"), w, h]))
    assert moved != line
    assert _changed_lines(before, after) == ["-" + line, "+" + moved]


def test_a_resize_keeps_comments_and_everything_else(tmp_path: Path) -> None:
    layout = tmp_path / "card.yaml"
    text = (
        "# a designer's comment\n"
        "name: t   # trailing comment\n"
        "front:\n"
        "  - id: photo            # the portrait\n"
        "    type: rect\n"
        "    box:\n"
        "      - 10mm   # x\n"
        "      - '5mm'\n"
        "      - 22\n"
        '      - "27.5mm"\n'
        "  - {id: tiny, type: rect, box: [1mm, 1mm, 1pt, 1mm],\n"
        "     fill: '#000000'}\n"
    )
    layout.write_text(text, encoding="utf-8")
    editor = LayoutEditor(lambda: [layout])
    editor.edit("photo", (0.0, 0.0, 0.333, -0.5), _known([layout]))
    assert layout.read_text(encoding="utf-8") == text.replace("      - 22\n", "      - 22.33\n").replace('"27.5mm"', '"27mm"')
    editor.edit("tiny", (0.0, 0.0, 1.0, 0.0), _known([layout]))  # 1pt = 0.3528 mm, written back in mm
    assert "box: [1mm, 1mm, 1.35mm, 1mm]," in layout.read_text(encoding="utf-8")
    assert load_layout(layout).layout.face_elements("front")[0].box == (10.0, 5.0, 22.33, 27.0)


def test_an_inherited_element_gets_an_override_in_the_child_or_changes_the_parent(
    workspace: Workspace, chain: list[Path]
) -> None:
    child_before, parent_before = (p.read_text(encoding="utf-8") for p in (workspace.layout, workspace.parent))
    editor = LayoutEditor(lambda: chain)
    editor.edit("base-mark", (0.0, 0.0, 0.5, 0.25), _known(chain))
    assert workspace.parent.read_text(encoding="utf-8") == parent_before
    assert (
        workspace.layout.read_text(encoding="utf-8")
        == child_before + "front:\n  - {id: base-mark, box: [2.2mm, 45mm, 2mm, 1.75mm]}\n"
    )
    assert [e.box for e in load_layout(workspace.layout).layout.face_elements("front") if e.id == "base-mark"] == [
        (2.2, 45.0, 2.0, 1.75)
    ]

    editor.edit("base-mark", (0.1, 0.0, 0.0, 0.0), _known(chain), target="parent")  # the designer chooses the parent
    assert workspace.parent.read_text(encoding="utf-8") == parent_before.replace("[2.2mm, 45mm,", "[2.3mm, 45mm,")


def test_a_group_child_of_the_grandparent_is_overridden_by_id(workspace: Workspace, chain: list[Path]) -> None:
    grand_before = chain[2].read_bytes()
    editor = LayoutEditor(lambda: chain)
    editor.edit("organ-title", (0.0, 0.0, 1.0, 0.0), _known(chain))  # a child of the 'organ' group on the back
    assert chain[2].read_bytes() == grand_before
    child = workspace.layout.read_text(encoding="utf-8")
    assert "- {id: organ-title, box: [" in child
    back = load_layout(workspace.layout).layout.face_elements("back")
    organ = next(e for e in back if e.id == "organ")
    grand = load_layout(chain[2]).layout.face_elements("back")
    was = next(c for c in next(e for e in grand if e.id == "organ").children if c.id == "organ-title").box  # type: ignore[attr-defined]
    box = next(c for c in organ.children if c.id == "organ-title").box  # type: ignore[attr-defined]
    assert box == pytest.approx((was[0], was[1], was[2] + 1.0, was[3]))


def test_undo_and_redo_are_file_writes_back_to_identical_bytes(workspace: Workspace, chain: list[Path]) -> None:
    originals = {p: p.read_bytes() for p in chain}
    editor = LayoutEditor(lambda: chain)
    editor.edit("revision", (1.0, 0.0, 0.0, 0.0), _known(chain))
    editor.edit("base-mark", (0.0, 0.0, 0.5, 0.5), _known(chain))
    editor.edit("revision", (0.0, 0.1, 0.0, 0.0), _known(chain), target="parent")
    edited = {p: p.read_bytes() for p in chain}
    while editor.undo() is not None:
        pass
    assert {p: p.read_bytes() for p in chain} == originals
    while editor.redo() is not None:
        pass
    assert {p: p.read_bytes() for p in chain} == edited


def test_a_newer_file_on_disk_is_never_overwritten(workspace: Workspace, chain: list[Path]) -> None:
    editor = LayoutEditor(lambda: chain)
    seen = _known(chain)
    save(workspace.layout, workspace.layout.read_text(encoding="utf-8") + "# saved in an editor\n")
    edited_elsewhere = workspace.layout.read_bytes()
    with pytest.raises(EditRefused) as refused:
        editor.edit("revision", (1.0, 0.0, 0.0, 0.0), seen)
    assert refused.value.conflict and "changed on disk" in str(refused.value)
    assert workspace.layout.read_bytes() == edited_elsewhere

    editor.edit("revision", (1.0, 0.0, 0.0, 0.0), _known(chain))
    save(workspace.layout, workspace.layout.read_text(encoding="utf-8") + "# and again\n")
    again = workspace.layout.read_bytes()
    with pytest.raises(EditRefused):
        editor.undo()  # undo would overwrite the editor's save: refused, and the history ends
    assert workspace.layout.read_bytes() == again
    assert editor.history() == (0, 0)


@pytest.mark.parametrize(
    ("element", "delta", "reason"),
    [
        ("fuji", (0.0, 0.0, 1.0, 0.0), "moved, not resized"),
        ("revision", (0.0, 0.0, -10.0, 0.0), "zero or negative"),
        ("no-such-element", (1.0, 0.0, 0.0, 0.0), "no element"),
        ("revision", (float("nan"), 0.0, 0.0, 0.0), "out of range"),
        ("revision", (1e9, 0.0, 0.0, 0.0), "out of range"),
    ],
)
def test_edits_that_cannot_be_written(workspace: Workspace, chain: list[Path], element: str, delta: Any, reason: str) -> None:
    originals = {p: p.read_bytes() for p in chain}
    with pytest.raises(EditRefused, match=reason):
        LayoutEditor(lambda: chain).edit(element, delta, _known(chain))
    assert {p: p.read_bytes() for p in chain} == originals


def test_format_mm_rounds_to_a_hundredth() -> None:
    assert [format_mm(v, with_unit=True) for v in (1.0, 1.005000001, 2.499, -0.001, 12.3456)] == [
        "1mm",
        "1.01mm",
        "2.5mm",
        "0mm",
        "12.35mm",
    ]


# -- through the server ------------------------------------------------------------------------------
def test_the_server_writes_edits_and_re_renders(server: PreviewServer, workspace: Workspace) -> None:
    before = workspace.layout.read_text(encoding="utf-8")
    seen = server.session.version
    status, answer = _post(server, "/api/edit", {"id": "revision", "delta": [0, -1, 0, 0], "files": _state_files(server)})
    assert status == 200 and answer["ok"], answer
    x, y, w, h = revision_box(before)
    assert workspace.layout.read_text(encoding="utf-8") == before.replace(box_text([x, y, w, h]), box_text([x, y - 1, w, h]))
    assert answer["written"]["sha"] == content_hash(workspace.layout.read_bytes())
    _wait_for_render(server, seen)
    # the version may have moved for a render already under way before the write: wait for this one
    deadline = time.monotonic() + 10
    while _box_of(server, "revision")[1] != pytest.approx(float(y - 1)) and time.monotonic() < deadline:
        time.sleep(0.02)
    assert _box_of(server, "revision")[1] == pytest.approx(float(y - 1))
    status, answer = _post(server, "/api/undo", {})
    assert status == 200 and answer["undo"] == 0 and answer["redo"] == 1
    assert workspace.layout.read_text(encoding="utf-8") == before


def test_the_server_refuses_writes_without_the_pages_token(server: PreviewServer, workspace: Workspace) -> None:
    before = workspace.layout.read_bytes()
    for token in ("", "guess"):
        status, _ = _post(
            server, "/api/edit", {"id": "revision", "delta": [1, 0, 0, 0], "files": _state_files(server)}, token=token
        )
        assert status == 403
    assert workspace.layout.read_bytes() == before
    page = urllib.request.urlopen(server.url, timeout=10).read().decode("utf-8")
    assert f'content="{server.token}"' in page and "__FACEPRINT_TOKEN__" not in page


def test_the_server_refuses_a_drop_in_a_keep_out_zone(server: PreviewServer, workspace: Workspace) -> None:
    state = json.loads(server.state_json()[1])
    back = next(f for f in state["faces"] if f["name"] == "back")
    chip = next(z for z in back["keep_out"] if z["id"] == "chip")
    mark = next(b for b in back["boxes"] if b["id"] == "revision")
    delta = [chip["box"][0] + 1 - mark["box"][0], chip["box"][1] + 1 - mark["box"][1], 0, 0]
    before = workspace.layout.read_bytes()
    status, answer = _post(server, "/api/edit", {"id": "revision", "delta": delta, "files": _state_files(server)})
    assert status == 422 and "keep-out zone 'chip'" in answer["message"]
    assert workspace.layout.read_bytes() == before


def test_the_server_answers_a_stale_page_with_a_conflict(server: PreviewServer, workspace: Workspace) -> None:
    files = _state_files(server)
    save(workspace.layout, workspace.layout.read_text(encoding="utf-8") + "# an editor's save\n")
    saved = workspace.layout.read_bytes()
    status, answer = _post(server, "/api/edit", {"id": "revision", "delta": [-1, 0, 0, 0], "files": files})
    assert status == 409 and answer["conflict"] is True
    assert workspace.layout.read_bytes() == saved

"""Fixtures for the preview tests: a scratch copy of two layouts (one extending the other) and records."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from faceprint.preview.server import PreviewServer
from faceprint.preview.session import PreviewSession

ROOT = Path(__file__).resolve().parents[2]
RECORDS = ("01-short-name.json", "04-former-surname.json")


@dataclass(frozen=True)
class Workspace:
    root: Path
    layout: Path  # layouts/preview-test/card.yaml: extends base.yaml, which extends the shipped next-gen
    parent: Path  # layouts/preview-test/base.yaml
    records: Path
    record: Path  # the first record


# The test owns these two files, so its edits do not depend on the wording of the shipped layouts.
BASE_YAML = """\
extends: ../next-gen/card.yaml
name: preview-base
card: {bleed: 2mm}
front:
  - {id: base-mark, type: rect, box: [2.2mm, 45mm, 1.5mm, 1.5mm], fill: "#1d3a5f"}
"""
LAYOUT_YAML = """\
extends: base.yaml
name: preview-test
back:
  - {id: revision, type: text, box: [74.5mm, 22.4mm, 8mm, 2.4mm], font: [BIZ UDGothic], size: 6pt, align: right,
     value: "rev. 0"}
"""


def save(path: Path, text: str) -> None:
    """Write as an editor's safe save does: a temporary file renamed over the old one."""
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


@pytest.fixture
def workspace(tmp_path: Path) -> Workspace:
    (tmp_path / "layouts" / "next-gen").mkdir(parents=True)
    shutil.copy(ROOT / "layouts" / "next-gen" / "card.yaml", tmp_path / "layouts" / "next-gen" / "card.yaml")
    own = tmp_path / "layouts" / "preview-test"
    own.mkdir()
    (own / "base.yaml").write_text(BASE_YAML, encoding="utf-8")
    (own / "card.yaml").write_text(LAYOUT_YAML, encoding="utf-8")
    records = tmp_path / "samples" / "records"
    records.mkdir(parents=True)
    (tmp_path / "samples" / "portraits").mkdir()
    for name in RECORDS:
        shutil.copy(ROOT / "samples" / "records" / name, records / name)
    for portrait in ("p01.jpg", "p04.jpg"):
        shutil.copy(ROOT / "samples" / "portraits" / portrait, tmp_path / "samples" / "portraits" / portrait)
    return Workspace(tmp_path, own / "card.yaml", own / "base.yaml", records, records / RECORDS[0])


@pytest.fixture
def server(workspace: Workspace, request: pytest.FixtureRequest) -> Iterator[PreviewServer]:
    lint = bool(request.node.get_closest_marker("lint_worker"))  # a worker process costs a second to start
    srv = PreviewServer(PreviewSession(workspace.layout, workspace.records, dpi=100), port=0, lint=lint)
    srv.start()
    try:
        yield srv
    finally:
        srv.stop()


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "lint_worker: the preview server of this test runs its lint worker process")

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
    layout: Path  # layouts/next-gen-2024/card.yaml, which extends ../next-gen/card.yaml
    parent: Path
    records: Path
    record: Path  # the first record


def save(path: Path, text: str) -> None:
    """Write as an editor's safe save does: a temporary file renamed over the old one."""
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


@pytest.fixture
def workspace(tmp_path: Path) -> Workspace:
    for name in ("next-gen", "next-gen-2024"):
        (tmp_path / "layouts" / name).mkdir(parents=True)
        shutil.copy(ROOT / "layouts" / name / "card.yaml", tmp_path / "layouts" / name / "card.yaml")
    records = tmp_path / "samples" / "records"
    records.mkdir(parents=True)
    (tmp_path / "samples" / "portraits").mkdir()
    for name in RECORDS:
        shutil.copy(ROOT / "samples" / "records" / name, records / name)
    for portrait in ("p01.jpg", "p04.jpg"):
        shutil.copy(ROOT / "samples" / "portraits" / portrait, tmp_path / "samples" / "portraits" / portrait)
    return Workspace(
        tmp_path,
        tmp_path / "layouts" / "next-gen-2024" / "card.yaml",
        tmp_path / "layouts" / "next-gen" / "card.yaml",
        records,
        records / RECORDS[0],
    )


@pytest.fixture
def server(workspace: Workspace) -> Iterator[PreviewServer]:
    srv = PreviewServer(PreviewSession(workspace.layout, workspace.records, dpi=100), port=0)
    srv.start()
    try:
        yield srv
    finally:
        srv.stop()

"""Fixtures for the card tests: the shipped layouts, the sample records, rendering helpers."""

from __future__ import annotations

import functools
import subprocess
import tempfile
from pathlib import Path

import pytest
import required

from faceprint.backends.pdf import render_pdf
from faceprint.records import Record, load_record
from faceprint.render import CardRenderer
from faceprint.scene import Scene

ROOT = Path(__file__).resolve().parents[2]
LAYOUTS = {name: ROOT / "layouts" / name / "card.yaml" for name in ("next-gen", "current", "next-gen-2024")}
SAMPLE_FILES = sorted((ROOT / "samples" / "records").glob("*.json"))


@functools.cache
def renderer(layout: str) -> CardRenderer:
    return CardRenderer(LAYOUTS[layout])


@functools.cache
def sample(path: Path) -> Record:
    return load_record(path)


@functools.cache
def scene_of(layout: str, path: Path) -> Scene:
    return renderer(layout).scene(sample(path))


@functools.cache
def pdf_of(layout: str, path: Path) -> bytes:
    return render_pdf(scene_of(layout, path))


def pdftotext(pdf: bytes) -> str:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as fh:
        fh.write(pdf)
        fh.flush()
        tool = required.tool("pdftotext", "poppler-utils")
        return subprocess.run([tool, "-enc", "UTF-8", fh.name, "-"], check=True, capture_output=True, text=True).stdout


def squeeze(text: str) -> str:
    """Text without any white space, for comparisons that must not depend on inferred spaces."""
    return "".join(text.split())


@pytest.fixture(params=SAMPLE_FILES, ids=[p.stem for p in SAMPLE_FILES])
def sample_path(request: pytest.FixtureRequest) -> Path:
    return Path(request.param)

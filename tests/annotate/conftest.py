"""Fixtures for the annotation tests: sample records copied into a temporary folder (their state files
land beside them), the command line called in-process, printer profiles written on the fly, and the
print job's PDF read back with pikepdf and PDFium."""

from __future__ import annotations

import datetime as dt
import functools
import io
import json
import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pikepdf
import pypdfium2 as pdfium
import pytest

from faceprint.annotate import AnnotateRequest, Plan, plan_annotation, write_plan
from faceprint.annotate.state import write_state
from faceprint.cli import main
from faceprint.layout_file.loader import LoadedLayout, load_layout

ROOT = Path(__file__).resolve().parents[2]
LAYOUTS = {name: ROOT / "layouts" / name / "card.yaml" for name in ("next-gen", "current", "next-gen-2024")}
SAMPLES = ROOT / "samples" / "records"


@dataclass
class Run:
    code: int
    out: str
    err: str


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> Run:
    err = io.StringIO()
    code = main([str(a) for a in argv], stderr=err)
    captured = capsys.readouterr()  # argparse reports its own usage errors on sys.stderr
    return Run(code, captured.out, err.getvalue() + captured.err)


@pytest.fixture
def record(tmp_path: Path) -> Callable[..., Path]:
    """Copy a sample record into the test's folder (photo path made absolute), optionally changed."""

    def copy(sample: str = "01-short-name", **changes: Any) -> Path:
        data = json.loads((SAMPLES / f"{sample}.json").read_text(encoding="utf-8"))
        data["photo"] = str((SAMPLES / data["photo"]).resolve())
        for key, value in changes.items():
            if value is None:
                data.pop(key, None)
            else:
                data[key] = value
        path = tmp_path / "records" / f"{data['id']}.json"
        path.parent.mkdir(exist_ok=True)
        path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        return path

    return copy


@pytest.fixture
def profile(tmp_path: Path) -> Callable[..., Path]:
    def write(text: str, name: str = "printer.toml") -> Path:
        path = tmp_path / name
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path

    return write


@functools.cache
def loaded(layout: str) -> LoadedLayout:
    """Each shipped layout read once: reading the YAML takes most of a run."""
    return load_layout(LAYOUTS[layout])


def _load_layout_once(path: str | Path) -> LoadedLayout:
    shipped = {p.resolve(): name for name, p in LAYOUTS.items()}
    name = shipped.get(Path(path).resolve())
    return loaded(name) if name else load_layout(path)


@pytest.fixture(autouse=True)
def _shipped_layouts_read_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """The command reads its layout on every run; here each shipped layout is read once for all tests."""
    monkeypatch.setattr("faceprint.annotate.job.load_layout", _load_layout_once)


def request(record: Path, out: Path, entry: str, layout: str = "next-gen", **kw: Any) -> AnnotateRequest:
    kw.setdefault("date", dt.date(2025, 6, 20))
    return AnnotateRequest(loaded(layout), record, entry, out, **kw)


def annotate(record: Path, out: Path, entry: str, layout: str = "next-gen", *, files: bool = False, **kw: Any) -> Plan:
    """One annotation run through the API: the state written, and (``files``) the print job and preview too."""
    plan = plan_annotation(request(record, out, entry, layout, **kw))
    if files:
        write_plan(plan)
    else:
        write_state(plan.state_path, plan.state)
    return plan


def annotate_argv(layout: str, record: Path, out: Path, entry: str, *extra: object) -> list[object]:
    return ["annotate", LAYOUTS[layout], record, "--entry", entry, "--out", out, *extra]


def state_of(record: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(record.with_name(f"{record.stem}.annotations.json").read_text(encoding="utf-8"))
    return data


def pdf_text(pdf: bytes) -> str:
    doc = pdfium.PdfDocument(pdf)
    return "".join(doc[i].get_textpage().get_text_range() for i in range(len(doc)))


def squeeze(text: str) -> str:
    return "".join(text.split())


def content_operators(pdf: bytes) -> list[tuple[str, list[Any]]]:
    """Every operator of every page's content stream, with its operands."""
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        ops: list[tuple[str, list[Any]]] = []
        for page in doc.pages:
            for operands, operator in pikepdf.parse_content_stream(page):
                ops.append((str(operator), list(operands)))
        return ops


def char_boxes(pdf: bytes) -> list[tuple[float, float, float, float]]:
    """PDFium's box (left, bottom, right, top, in pt) of every character on page 1, as drawn."""
    page = pdfium.PdfDocument(pdf)[0]
    text = page.get_textpage()
    return [text.get_charbox(i) for i in range(text.count_chars())]

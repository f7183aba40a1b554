"""Fixtures for the production tests: record files made from the samples, and PDF helpers."""

from __future__ import annotations

import json
from pathlib import Path

import pikepdf
import pytest

ROOT = Path(__file__).resolve().parents[2]
LAYOUT = ROOT / "layouts" / "next-gen" / "card.yaml"
SAMPLES = ROOT / "samples"
MM_PER_PT = 25.4 / 72


def sample_rows() -> list[dict[str, object]]:
    rows = []
    for line in (SAMPLES / "batch.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        row["photo"] = str((SAMPLES / str(row["photo"])).resolve())
        rows.append(row)
    return rows


def write_jsonl(path: Path, rows: list[dict[str, object]]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path


def many_rows(n: int) -> list[dict[str, object]]:
    base = sample_rows()
    out = []
    for i in range(n):
        row = dict(base[i % len(base)])
        row["id"] = f"R{i:04d}"
        out.append(row)
    return out


@pytest.fixture
def records_jsonl(tmp_path: Path) -> Path:
    return write_jsonl(tmp_path / "records.jsonl", sample_rows())


def box_mm(page: pikepdf.Page, name: str) -> tuple[float, float, float, float]:
    box = [float(v) for v in page.obj[name]]
    return tuple(v * MM_PER_PT for v in box)  # type: ignore[return-value]

"""Everything the code cites is in the repository: no path outside it, every cited section exists."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = ROOT / "docs" / "reference"
SCANNED = ("faceprint", "tests", "layouts", "benchmarks")
SUFFIXES = {".py", ".yaml", ".yml", ".md", ".toml"}


def _sources() -> list[tuple[Path, str]]:
    files = [p for d in SCANNED for p in (ROOT / d).rglob("*") if p.suffix in SUFFIXES and p.is_file()]
    return [(p, p.read_text(encoding="utf-8")) for p in files if "/data/" not in p.as_posix()]


def test_nothing_cites_a_path_outside_the_repository() -> None:
    outside = re.compile("|".join([r"\.\./shared", r"shared/(reference|brief|seed|data)", "/" + "work/"]))
    hits = [f"{p.relative_to(ROOT)}:{m.group(0)}" for p, text in _sources() for m in outside.finditer(text)]
    hits += [f"README.md:{m.group(0)}" for m in outside.finditer((ROOT / "README.md").read_text(encoding="utf-8"))]
    assert hits == []


def test_every_cited_reference_page_exists() -> None:
    cited = {m.group(1) for _, text in _sources() for m in re.finditer(r"docs/reference/([\w.-]+\.md)", text)}
    assert cited, "the package cites its reference pages"
    assert sorted(c for c in cited if not (REFERENCE / c).is_file()) == []


def test_every_cited_card_standards_section_exists() -> None:
    headings = set(re.findall(r"^#{2,3} (\d+[a-z]?)\.", (REFERENCE / "card-standards.md").read_text(encoding="utf-8"), re.M))
    cited = {m.group(1) for _, text in _sources() for m in re.finditer(r"card-standards(?:\.md)? §(\d+[a-z]?)", text)}
    assert {"1", "7", "8", "9", "10a", "10b", "11"} <= cited
    assert sorted(cited - headings) == []


def test_every_cited_photo_quality_section_exists() -> None:
    text = (REFERENCE / "photo-quality.md").read_text(encoding="utf-8")
    headings = set(re.findall(r"^#{2,3} (\d+(?:\.\d+)?)[ .]", text, re.M))
    cited = {m.group(1) for _, src in _sources() for m in re.finditer(r"photo-quality(?:\.md)? §(\d+(?:\.\d+)?)", src)}
    assert cited and sorted(cited - headings) == []

"""The licensed test photos in tests/photo/data are the ones LICENSES.md describes, byte for byte."""

from __future__ import annotations

import hashlib

import photo_defects

DATA = photo_defects.PHOTOS
NOT_PHOTOS = {"LICENSES.md", "SHA256SUMS", "d01_landmarks.json"}


def _sums() -> dict[str, str]:
    lines = (DATA / "SHA256SUMS").read_text(encoding="utf-8").splitlines()
    return {name.strip(): digest for digest, name in (line.split(maxsplit=1) for line in lines if line.strip())}


def test_every_photo_matches_its_checksum() -> None:
    sums = _sums()
    assert len(sums) == 11
    for name, digest in sums.items():
        assert hashlib.sha256((DATA / name).read_bytes()).hexdigest() == digest, f"{name} changed"


def test_every_file_is_listed_and_licensed() -> None:
    sums, licences = _sums(), (DATA / "LICENSES.md").read_text(encoding="utf-8")
    photos = {p.name for p in DATA.iterdir()} - NOT_PHOTOS
    assert photos == set(sums)
    for name in photos:
        assert f"`{name}`" in licences, f"{name} has no licence entry"

"""Outputs are owner-only (0600) from creation and written atomically: no temporary file is left
behind, and a failed write leaves the previous file untouched."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from faceprint.atomic import OUTPUT_MODE, write_atomic
from faceprint.outputs import OutputSpec, write_outputs
from faceprint.scene import Scene


@pytest.fixture(params=[0o000, 0o022, 0o077], ids=["umask 000", "umask 022", "umask 077"])
def umask(request: pytest.FixtureRequest) -> Iterator[int]:
    old = os.umask(request.param)
    try:
        yield request.param
    finally:
        os.umask(old)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_new_files_are_0600_whatever_the_umask(tmp_path: Path, umask: int) -> None:
    path = tmp_path / "deep" / "card.pdf"
    write_atomic(path, b"%PDF-1.4 test")
    assert path.read_bytes() == b"%PDF-1.4 test"
    assert _mode(path) == OUTPUT_MODE == 0o600
    assert os.listdir(path.parent) == ["card.pdf"]  # no temporary file left behind


def test_replacing_a_world_readable_file_makes_it_0600(tmp_path: Path) -> None:
    path = tmp_path / "card.png"
    path.write_bytes(b"old")
    path.chmod(0o644)
    write_atomic(path, b"new")
    assert path.read_bytes() == b"new" and _mode(path) == 0o600
    assert os.listdir(tmp_path) == ["card.png"]


def test_the_temporary_file_is_owner_only_before_any_byte_is_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[int] = []
    real_fdopen = os.fdopen

    def spying_fdopen(fd: int, *args: object, **kwargs: object):  # type: ignore[no-untyped-def]
        seen.append(stat.S_IMODE(os.fstat(fd).st_mode))
        return real_fdopen(fd, *args, **kwargs)  # type: ignore[call-overload]

    old = os.umask(0)
    try:
        monkeypatch.setattr(os, "fdopen", spying_fdopen)
        write_atomic(tmp_path / "card.pdf", b"x")
    finally:
        os.umask(old)
    assert seen == [0o600]


def test_a_failed_write_keeps_the_old_file_and_leaves_no_temporary(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "card.pdf"
    write_atomic(path, b"old")

    def failing_replace(src: object, dst: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", failing_replace)
    with pytest.raises(OSError, match="No space left"):
        write_atomic(path, b"new")
    assert path.read_bytes() == b"old"
    assert os.listdir(tmp_path) == ["card.pdf"]


def test_rendered_cards_are_written_0600_and_atomically(card_scene: Scene, tmp_path: Path) -> None:
    out = tmp_path / "out"
    written = write_outputs(card_scene, out, OutputSpec(dpi=100))
    assert sorted(p.name for p in written) == ["card-1-back.png", "card-1-front.png", "card-1.pdf"]
    assert sorted(os.listdir(out)) == sorted(p.name for p in written)
    for path in written:
        assert _mode(path) == 0o600
    assert written[-1].read_bytes().startswith(b"%PDF")
    assert written[0].read_bytes().startswith(b"\x89PNG")

"""Shared fixtures for the photo tests: derived defect files and cached check results.

Everything expensive is session-scoped: the defects are derived from d01 once and written to a temp
directory, and each (photo, profile) is analysed once; the detector loads once per process.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import photo_defects
import pytest

pytest.importorskip("cv2", reason="photo checks need opencv-python-headless<5")


@pytest.fixture(scope="session")
def photos_dir() -> Path:
    if not photo_defects.BASE.exists():
        pytest.fail(f"test photos missing: {photo_defects.PHOTOS}")
    return photo_defects.PHOTOS


@pytest.fixture(scope="session")
def defect_files(tmp_path_factory: pytest.TempPathFactory, photos_dir: Path) -> dict[str, Path]:
    """Every derived defect written once as a file, keyed by name."""
    directory = tmp_path_factory.mktemp("defects")
    return {name: photo_defects.write(name, directory) for name in photo_defects.DEFECTS}


def case_path(name: str, defect_files: dict[str, Path], photos_dir: Path) -> Path:
    """A case is a defect name or a file name in tests/photo/data."""
    return defect_files[name] if name in defect_files else photos_dir / name


@pytest.fixture(scope="session")
def results_for(defect_files: dict[str, Path], photos_dir: Path) -> Callable[..., dict[str, object]]:
    """``results_for(case, profile)`` → {check name: CheckResult}, computed once per pair."""
    pytest.importorskip("mediapipe", reason="install with: pip install --no-deps mediapipe==0.10.21")
    from faceprint.photo import get_profile, load_photo, run_checks

    cache: dict[tuple[str, str], dict[str, object]] = {}

    def get(case: str, profile: str = "mynumber") -> dict[str, object]:
        key = (case, profile)
        if key not in cache:
            analysis = load_photo(case_path(case, defect_files, photos_dir))
            cache[key] = {r.name: r for r in run_checks(analysis, get_profile(profile))}
        return cache[key]

    return get

"""The threshold table: every limit sourced, UNCONFIRMED figures flagged, checks and limits in step."""

from __future__ import annotations

import pytest

pytest.importorskip("cv2", reason="photo checks need opencv-python-headless<5")

from faceprint.photo import CHECKS, PROFILES, get_profile
from faceprint.photo.profiles import Limit


def test_every_limit_names_its_source() -> None:
    for profile in PROFILES.values():
        for name, limit in profile.limits.items():
            assert limit.source.strip(), f"{profile.name}.{name} has no source"


def test_profiles_only_use_registered_checks() -> None:
    registered = {c.name for c in CHECKS}
    assert len(registered) == len(CHECKS)
    for profile in PROFILES.values():
        assert set(profile.limits) <= registered
    assert registered == set(PROFILES["mynumber"].limits)


def test_project_choices_are_marked_unconfirmed() -> None:
    limits = PROFILES["mynumber"].limits
    for name in (
        "eyes_open",
        "eyes_visible",
        "mouth_closed",
        "sharpness",
        "compression",
        "inter_eye_distance",
    ):
        assert not limits[name].confirmed
    for name in ("head_height_mm", "top_margin_mm", "pose_roll", "pose_yaw", "pose_pitch"):
        assert limits[name].confirmed


def test_japanese_geometry() -> None:
    limits = PROFILES["mynumber"].limits
    assert (limits["head_height_mm"].low, limits["head_height_mm"].high) == (32, 36)
    assert (limits["top_margin_mm"].low, limits["top_margin_mm"].high) == (2, 6)
    assert limits["horizontal_centring"].contains(17.5)
    assert (limits["pose_roll"].high, limits["pose_yaw"].high, limits["pose_pitch"].high) == (8, 5, 5)


@pytest.mark.parametrize(
    ("limit", "text"),
    [
        (Limit(32, 36, "mm", "s"), "32–36 mm"),
        (Limit(-8, 8, "°", "s"), "±8°"),
        (Limit(90, None, "px", "s"), "≥ 90 px"),
        (Limit(None, 0.05, "", "s"), "≤ 0.05"),
        (Limit(1, 1, "", "s"), "= 1"),
    ],
)
def test_limit_text(limit: Limit, text: str) -> None:
    assert limit.text() == text


def test_limit_contains_ends() -> None:
    limit = Limit(32, 36, "mm", "s")
    assert limit.contains(32) and limit.contains(36) and not limit.contains(36.01) and not limit.contains(31.9)


def test_unknown_profile() -> None:
    with pytest.raises(KeyError, match="known: mynumber"):
        get_profile("visa")

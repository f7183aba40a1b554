"""Checks on the face's presence and placement: one face, head height, margins, centring, eye line, pose.

All are measured from the detector's landmarks (``Analysis``), in the image's pixels or in mm at the
profile's print size.
"""

from __future__ import annotations

from typing import Literal

from faceprint.photo.analysis import Analysis, NotRunnable
from faceprint.photo.checks.registry import Measured, check
from faceprint.photo.profiles import Limit, Profile


def _print_scale(profile: Profile, analysis: Analysis, axis: Literal["h", "w"]) -> float:
    """mm per pixel when the whole image is printed at the profile's print size."""
    if axis == "h":
        if profile.print_h_mm is None:
            raise NotRunnable("profile has no print size")
        return profile.print_h_mm / analysis.height
    if profile.print_w_mm is None:
        raise NotRunnable("profile has no print size")
    return profile.print_w_mm / analysis.width


@check("single_face", "Exactly one face")
def single_face(a: Analysis, profile: Profile, limit: Limit) -> Measured:
    """Count from FaceMesh and the full-range detector (the larger count wins)."""
    return Measured(float(a.face_count))


def _head_px(a: Analysis, limit: Limit, scale: float) -> Measured:
    """Crown-to-chin height times ``scale``; a cut-off crown only gives a lower bound."""
    height = (a.chin_y - a.crown_y) * scale
    if a.crown_cut:
        if limit.high is not None and height > limit.high:
            return Measured(height, False, "crown cut off: value is a lower bound")
        raise NotRunnable("crown above the image: height unknown")
    if a.chin_y >= a.height - 1:
        raise NotRunnable("chin at the bottom edge: head height unknown")
    return Measured(height)


@check("head_height", "Head height / image")
def head_height(a: Analysis, profile: Profile, limit: Limit) -> Measured:
    return _head_px(a, limit, 1.0 / a.height)


@check("head_height_mm", "Head height (print)")
def head_height_mm(a: Analysis, profile: Profile, limit: Limit) -> Measured:
    return _head_px(a, limit, _print_scale(profile, a, "h"))


@check("top_margin_mm", "Top margin (crown)")
def top_margin_mm(a: Analysis, profile: Profile, limit: Limit) -> Measured:
    note = "head touches the top edge" if a.crown_cut else ""
    return Measured(a.crown_y * _print_scale(profile, a, "h"), None, note)


@check("horizontal_centring", "Face centre from left")
def horizontal_centring(a: Analysis, profile: Profile, limit: Limit) -> Measured:
    """ISO 19794-5's M point: midway between the eye midpoint and the mouth centre."""
    centre_x = float((a.eye_mid[0] + a.mouth_mid[0]) / 2.0)
    if limit.unit == "mm":
        return Measured(centre_x * _print_scale(profile, a, "w"))
    return Measured(centre_x / a.width)


@check("eye_line", "Eye line from bottom")
def eye_line(a: Analysis, profile: Profile, limit: Limit) -> Measured:
    return Measured(1.0 - float(a.eye_mid[1]) / a.height)


@check("inter_eye_distance", "Inter-eye distance")
def inter_eye_distance(a: Analysis, profile: Profile, limit: Limit) -> Measured:
    """Between the iris centres, in image pixels (OFIQ 0x52 without the yaw correction)."""
    return Measured(a.ied)


@check("pose_roll", "Head roll")
def pose_roll(a: Analysis, profile: Profile, limit: Limit) -> Measured:
    return Measured(a.roll)


@check("pose_yaw", "Head yaw (estimated)")
def pose_yaw(a: Analysis, profile: Profile, limit: Limit) -> Measured:
    return Measured(a.face_axes[0], None, "landmark estimate")


@check("pose_pitch", "Head pitch (estimated)")
def pose_pitch(a: Analysis, profile: Profile, limit: Limit) -> Measured:
    return Measured(a.face_axes[1], None, "landmark estimate")

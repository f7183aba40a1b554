"""Portrait checks and preparation for the card photo.

``check_photo`` runs the ICAO-style checks of a profile on a file and returns one result per check
(measured value, limit, pass/fail/not_run); ``prepare_portrait`` crops a photo to a layout's photo box
with the face placed by the passport geometry, in greyscale at print resolution.  Modules: ``detect``
(MediaPipe face mesh, loaded once), ``analysis`` (the per-photo session), ``checks`` (one function per
check, a module per measurement family, and the verdict), ``profiles`` (limits and their sources),
``report`` (table and JSON), ``prepare``, ``cli``.
"""

from __future__ import annotations

import os

from faceprint.photo.analysis import Analysis, NotRunnable, PhotoReadError, load_photo
from faceprint.photo.checks import CHECKS, CheckResult, all_passed, run_checks
from faceprint.photo.prepare import prepare_photo_file, prepare_portrait
from faceprint.photo.profiles import PROFILES, Profile, get_profile


def check_photo(path: str | os.PathLike[str], profile: str = "mynumber") -> list[CheckResult]:
    """All checks of ``profile`` on the photo at ``path``; raises ``PhotoReadError`` if unreadable."""
    return run_checks(load_photo(path), get_profile(profile))


__all__ = [
    "CHECKS",
    "PROFILES",
    "Analysis",
    "CheckResult",
    "NotRunnable",
    "PhotoReadError",
    "Profile",
    "all_passed",
    "check_photo",
    "get_profile",
    "load_photo",
    "prepare_photo_file",
    "prepare_portrait",
    "run_checks",
]

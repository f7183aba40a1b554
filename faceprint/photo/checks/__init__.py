"""The portrait checks: one small function each, measured on a shared ``Analysis``.

Each function returns a ``Measured`` value in the unit its profile limit names; ``run_checks``
(``verdict``) compares it with the limit.  A function raises ``NotRunnable`` when it cannot measure
(no face, crown outside the image, detector missing): the result is then ``not_run`` with that
reason, never a pass.  Thresholds live in ``profiles.py`` with their sources; formulas that follow
OFIQ (ISO/IEC 29794-5) name the component, see photo-quality.md §1.4.

One module per measurement family: ``image_file``, ``geometry`` (face presence, placement, pose),
``eyes_mouth``, ``background``, ``lighting`` (exposure), ``detail`` (sharpness, JPEG artefacts,
greyscale contrast); ``registry`` is how they register, ``verdict`` how results are judged.
"""

# Importing a family registers its checks; this order is the order of the report's lines.
# isort: off
from faceprint.photo.checks import image_file, geometry, eyes_mouth, background, lighting, detail  # noqa: F401

# isort: on
from faceprint.photo.checks.registry import CHECKS, Check, CheckFunc, Measured, check
from faceprint.photo.checks.verdict import CheckResult, Status, all_passed, run_checks, summarise

__all__ = [
    "CHECKS",
    "Check",
    "CheckFunc",
    "CheckResult",
    "Measured",
    "Status",
    "all_passed",
    "check",
    "run_checks",
    "summarise",
]

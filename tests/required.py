"""One rule for what a test needs from outside Python's own packages: skip locally, fail in CI.

A developer without qpdf or poppler-utils still runs the rest of the suite, but in CI (``CI`` set, as
every CI service does) a missing tool is a failure: ``.ci/system-deps`` installs them, so a skip there
would hide a check that was meant to run.
"""

from __future__ import annotations

import os
import shutil

import pytest


def in_ci() -> bool:
    """True where a skip must not hide a check (``CI=true``, ``CI=1``, ...)."""
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def _missing(reason: str) -> None:
    if in_ci():
        pytest.fail(f"required in CI: {reason}", pytrace=False)
    pytest.skip(reason)


def tool(name: str, package: str) -> str:
    """The path of program ``name`` (Debian ``package``); skips locally, fails in CI when it is missing."""
    path = shutil.which(name)
    if path is None:
        _missing(f"{name} not found (apt-get install {package}; .ci/system-deps installs it)")
    assert path is not None
    return path


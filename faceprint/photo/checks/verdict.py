"""The verdict: each registered check measured against its profile limit, as one report line each.

A check that cannot measure is ``not_run`` with its reason, and a crash on an odd image is reported
rather than passed, so a portrait is accepted only when every applied check ran and passed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from faceprint.photo.analysis import Analysis, NotRunnable
from faceprint.photo.checks.registry import CHECKS
from faceprint.photo.profiles import Profile

Status = Literal["pass", "fail", "not_run"]


@dataclass(frozen=True)
class CheckResult:
    """One line of the report."""

    name: str
    label: str
    status: Status
    value: float | str | None
    unit: str
    limit: str
    source: str
    detail: str = ""  # for not_run: the reason


def run_checks(analysis: Analysis, profile: Profile) -> list[CheckResult]:
    """Every check the profile has a limit for, in registration order."""
    results = []
    for item in CHECKS:
        limit = profile.limits.get(item.name)
        if limit is None:
            continue
        try:
            measured = item.func(analysis, profile, limit)
        except NotRunnable as exc:
            reason = str(exc)
        except Exception as exc:  # a crash on an odd image is reported, never passed; the batch goes on
            reason = f"could not run: {type(exc).__name__}: {exc}"
        else:
            reason = ""
        if reason:
            results.append(CheckResult(item.name, item.label, "not_run", None, limit.unit, limit.text(), limit.source, reason))
            continue
        value = measured.value
        if measured.ok is not None:
            ok = measured.ok
        elif isinstance(value, str):
            raise TypeError(f"check {item.name} returned text without a verdict")
        else:
            ok = limit.contains(value)
        if isinstance(value, float):
            value = round(value, 3)
        results.append(
            CheckResult(
                item.name, item.label, "pass" if ok else "fail", value, limit.unit, limit.text(), limit.source, measured.detail
            )
        )
    return results


def summarise(results: list[CheckResult]) -> dict[str, int]:
    """Counts per status."""
    counts = {"pass": 0, "fail": 0, "not_run": 0}
    for result in results:
        counts[result.status] += 1
    return counts


def all_passed(results: list[CheckResult]) -> bool:
    """True only when every applied check ran and passed."""
    return bool(results) and all(r.status == "pass" for r in results)

"""The check registry: what a check function returns and how it is registered under its limit's name.

Every family module registers its checks with ``@check`` at import; the package imports the
families in report order, so the order of ``CHECKS`` is the order of the report's lines.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from faceprint.photo.analysis import Analysis
from faceprint.photo.profiles import Limit, Profile


@dataclass(frozen=True)
class Measured:
    """What a check function found: the value, an optional verdict override and a note."""

    value: float | str
    ok: bool | None = None  # None: decide by the limit
    detail: str = ""


CheckFunc = Callable[[Analysis, Profile, Limit], Measured]


@dataclass(frozen=True)
class Check:
    """A registered check: its profile limit's name, its report label, and the function measuring it."""

    name: str
    label: str
    func: CheckFunc


CHECKS: list[Check] = []


def check(name: str, label: str) -> Callable[[CheckFunc], CheckFunc]:
    """Register a check function under ``name`` (the key its profile limits use)."""

    def register(func: CheckFunc) -> CheckFunc:
        CHECKS.append(Check(name, label, func))
        return func

    return register

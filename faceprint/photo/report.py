"""Check results out as a readable table (rich) or as JSON with a fixed schema."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from faceprint.photo.checks import CheckResult, all_passed, summarise
from faceprint.photo.profiles import Profile

# JSON Schema (draft 2020-12) of ``to_json``'s output; tests validate against it.
JSON_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "required": ["photo", "profile", "passed", "summary", "checks"],
    "additionalProperties": False,
    "properties": {
        "photo": {"type": ["string", "null"]},
        "profile": {"type": "string"},
        "passed": {"type": "boolean"},
        "summary": {
            "type": "object",
            "required": ["pass", "fail", "not_run"],
            "additionalProperties": False,
            "properties": {k: {"type": "integer", "minimum": 0} for k in ("pass", "fail", "not_run")},
        },
        "checks": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["name", "label", "status", "value", "unit", "limit", "source", "detail"],
                "additionalProperties": False,
                "properties": {
                    "name": {"type": "string"},
                    "label": {"type": "string"},
                    "status": {"enum": ["pass", "fail", "not_run"]},
                    "value": {"type": ["number", "string", "null"]},
                    "unit": {"type": "string"},
                    "limit": {"type": "string"},
                    "source": {"type": "string"},
                    "detail": {"type": "string"},
                },
            },
        },
    },
}

_STYLE = {"pass": "green", "fail": "bold red", "not_run": "yellow"}
_WORD = {"pass": "pass", "fail": "FAIL", "not_run": "not run"}


def to_json(results: list[CheckResult], *, photo: str | None, profile: Profile) -> dict[str, Any]:
    """The report as plain data (see ``JSON_SCHEMA``)."""
    return {
        "photo": photo,
        "profile": profile.name,
        "passed": all_passed(results),
        "summary": summarise(results),
        "checks": [
            {
                "name": r.name,
                "label": r.label,
                "status": r.status,
                "value": r.value,
                "unit": r.unit,
                "limit": r.limit,
                "source": r.source,
                "detail": r.detail,
            }
            for r in results
        ],
    }


def format_value(result: CheckResult) -> str:
    """``33.9 mm``, ``-12.0°``, ``PNG RGB``; an em dash when the check did not run."""
    if result.value is None:
        return "—"
    if isinstance(result.value, str):
        return result.value
    if float(result.value).is_integer() and result.unit != "°":
        value = f"{int(result.value)}"
    else:
        value = f"{result.value:.3g}" if abs(result.value) < 10 else f"{result.value:.1f}"
    if result.unit == "°":
        return f"{value}°"
    return f"{value} {result.unit}".rstrip()


def build_table(results: list[CheckResult], *, photo: str | None, profile: Profile) -> Table:
    """A rich table: check, measured value, limit, status, note."""
    counts = summarise(results)
    verdict = "PASS" if all_passed(results) else "FAIL"
    table = Table(
        title=f"{photo or 'photo'} — profile {profile.name}",
        caption=f"{verdict}: {counts['pass']} pass, {counts['fail']} fail, {counts['not_run']} not run",
        title_justify="left",
        caption_justify="left",
    )
    table.add_column("Check")
    table.add_column("Value", justify="right")
    table.add_column("Limit")
    table.add_column("Status")
    table.add_column("Note", overflow="fold")
    for r in results:
        status = Text(_WORD[r.status], style=_STYLE[r.status])
        table.add_row(r.label, format_value(r), r.limit, status, r.detail)
    return table


def print_table(results: list[CheckResult], *, photo: str | None, profile: Profile, console: Console) -> None:
    console.print(build_table(results, photo=photo, profile=profile))

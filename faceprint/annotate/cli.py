"""``faceprint annotate`` and ``faceprint calibrate``: printing an update onto an issued card, offline.

Exit status as for every faceprint command: 0 written; 1 a data error (a full annotation area, a
state file cut short or malformed, a character no font draws), 2 a usage or layout error. Messages
name the record by its id and never show the individual number.
"""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

from ..errors import UsageError
from ..output import write_atomic
from ..rules.dates import parse_iso_date
from .calibrate import INSTRUCTIONS, READINGS, calibration_face, corrected
from .job import AnnotateRequest, plan_annotation, write_plan
from .pages import face_pdf, face_png
from .printer import load_profile, resolve_profile_path

ERA_PATTERN = "EEN年M月D日"  # today's card (seed comment 47: entry dates are written in the era today)
WESTERN_PATTERN = "YYYY.MM.DD"  # short Western form; the shipped next-gen layouts write 2025年4月1日 (vars.annotation_date)


def _date(text: str) -> dt.date:
    try:
        return parse_iso_date(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _cmd_annotate(args: argparse.Namespace) -> int:
    pattern = ERA_PATTERN if args.era else WESTERN_PATTERN if args.western else args.date_pattern
    request = AnnotateRequest(
        layout=Path(args.layout),
        record=Path(args.record),
        entry=args.entry,
        out=Path(args.out),
        kind=args.kind or "",
        date=args.date,
        date_pattern=pattern,
        compact=args.compact,
        state=Path(args.state) if args.state else None,
        printer=args.printer,
    )
    plan = plan_annotation(request)
    for path in write_plan(plan):
        print(path)
    print(plan.summary())
    return 0


def _readings(items: list[str]) -> dict[str, float]:
    values: dict[str, float] = {}
    for item in items:
        name, sep, number = item.partition("=")
        if not sep or name.strip().upper() not in READINGS:
            raise UsageError(f"--readings takes NAME=MM for {', '.join(READINGS)}, got {item!r}")
        try:
            values[name.strip().upper()] = float(number)
        except ValueError:
            raise UsageError(f"--readings {item!r}: {number!r} is not a number of millimetres") from None
    missing = [n for n in READINGS if n not in values]
    if missing:
        raise UsageError(f"--readings needs all six scales; missing {', '.join(missing)}")
    return values


def _cmd_calibrate(args: argparse.Namespace) -> int:
    profile = load_profile(args.printer)
    face = args.face or profile.face or "front"
    profile.check_face(face)
    if args.readings:
        new = corrected(profile, _readings(args.readings))
        print(f"# corrected values for {profile.source}; replace these lines and print the card again")
        print(f"offset_x = {new.offset_x:.2f}\noffset_y = {new.offset_y:.2f}")
        print(f"rotation = {new.rotation:.3f}\nscale = {new.scale:.5f}")
        return 0
    stem = resolve_profile_path(args.printer).stem
    card = calibration_face(profile, face)
    out = Path(args.out)
    pdf = out / f"calibration-{stem}-{face}.pdf"
    png = out / f"calibration-{stem}-{face}.png"
    write_atomic(pdf, face_pdf(card, profile, title=f"faceprint calibration card {profile.name}"))
    write_atomic(png, face_png(card, profile))
    print(pdf)
    print(png)
    print(INSTRUCTIONS.format(pdf=pdf.name, profile=profile.source))
    return 0


def add_annotate_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "annotate",
        help="print a new entry into the annotation area (追記欄) of an issued card",
        description="Write a print job holding only the new entry, in the next free line(s) of the card's annotation "
        "area, a preview of the whole card, and the updated card state.",
    )
    p.add_argument("layout", help="the card's layout file (YAML)")
    p.add_argument("record", help="the holder's record (JSON)")
    p.add_argument("--entry", required=True, help="the entry's text, e.g. the new address")
    p.add_argument("--kind", default="", help="a label printed before the text, e.g. 新住所 or 住所変更")
    p.add_argument("--date", type=_date, help="the entry's date, YYYY-MM-DD (default: today)")
    dates = p.add_mutually_exclusive_group()
    dates.add_argument("--era", action="store_true", help=f"write the date in the Japanese era ({ERA_PATTERN})")
    dates.add_argument("--western", action="store_true", help=f"write the date in the Western calendar ({WESTERN_PATTERN})")
    dates.add_argument("--date-pattern", help="write the date in this pattern (default: the layout's vars.annotation_date)")
    p.add_argument("--compact", action="store_true", help="set a short entry in half-height type, two to a line (comment 58)")
    p.add_argument("--state", help="the card state file (default: RECORD's name with .annotations.json, beside it)")
    p.add_argument("--out", required=True, help="output folder for the print job and the preview")
    p.add_argument("--printer", help="printer profile: a TOML file or a name in layouts/printers/")
    p.set_defaults(func=_cmd_annotate)

    p = sub.add_parser(
        "calibrate",
        help="print a test card with edge scales and crosshairs, to measure a card printer's offsets",
    )
    p.add_argument("--printer", required=True, help="printer profile: a TOML file or a name in layouts/printers/")
    p.add_argument("--face", choices=("front", "back"), help="the face to calibrate (default: the profile's face, else front)")
    p.add_argument("--out", default=".", help="output folder (default: the current folder)")
    p.add_argument(
        "--readings", nargs="+", metavar="NAME=MM", help="scale readings off a printed card: print the corrected values"
    )
    p.set_defaults(func=_cmd_calibrate)

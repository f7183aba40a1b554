"""``faceprint annotate`` (and ``confirm``, ``void``, ``status``) and ``faceprint calibrate``, offline.

The counter's cycle (issue #16): ``annotate`` writes the job and reserves its lines (pending);
``annotate confirm JOB`` once the card came out right; ``annotate void JOB --printed`` for a spoiled
print, ``--not-printed`` for one that never happened; ``annotate status RECORD`` lists the card's lines.
With an audit log (``--audit-log``/``FACEPRINT_AUDIT_LOG``), each of these appends the card's line.

Exit status as for every faceprint command: 0 written; 1 a data error (a full annotation area, a
state file cut short or malformed, a character no font draws), 2 a usage or layout error. Messages
name the record by its id and never show the individual number.
"""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

from ..atomic import write_atomic
from ..audit.cli import add_audit_options, auditor_from_args
from ..audit.log import file_sha256
from ..errors import UsageError
from ..records import load_record
from ..rules.dates import parse_iso_date
from .calibrate import INSTRUCTIONS, READINGS, calibration_face, corrected
from .counter import Change, annotate_card, confirm, pending_ticket, status_lines, void
from .job import AnnotateRequest
from .pages import face_pdf, face_png
from .printer import load_profile, resolve_profile_path
from .state import default_state_path, read_state

ERA_PATTERN = "EEN年M月D日"  # today's card (seed comment 47: entry dates are written in the era today)
WESTERN_PATTERN = "YYYY年M月D日"  # the next card's date style (its birth date and validity), issue 12 §9


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
    auditor = auditor_from_args(args, "annotate", Path(args.layout))  # a missing key stops the run before printing
    plan, written = annotate_card(request)
    for path in written:
        print(path)
    print(plan.summary())
    print(f"pending: when the card came out right, run: faceprint annotate confirm {plan.ticket().path}")
    if auditor is not None:
        auditor.card(plan.record_id, plan.my_number, [p for p in written if p != plan.state_path], "pending")
        auditor.flush()
    return 0


class _ChangeAudit:
    """The audit line of a confirm or void, prepared before the state changes.

    The key is checked and the record read (for the keyed number) first, so a missing key or a moved
    record file stops the command while the card state is still as it was.
    """

    def __init__(self, args: argparse.Namespace, command: str) -> None:
        self.auditor = auditor_from_args(args, command, None)
        self.job = Path(args.job)
        self.number = ""
        if self.auditor is not None:
            ticket = pending_ticket(self.job)
            self.job = ticket.path  # the same ticket, whatever another clerk does meanwhile
            self.number = load_record(ticket.record_file).my_number
            self.auditor.layout_sha256 = file_sha256(ticket.layout) if ticket.layout.is_file() else None

    def log(self, change: Change) -> None:
        if self.auditor is not None:
            files = [p for p in change.ticket.job_files if p.is_file()]
            self.auditor.card(change.ticket.record, self.number, files, change.outcome)
            self.auditor.flush()


def _cmd_confirm(args: argparse.Namespace) -> int:
    audit = _ChangeAudit(args, "annotate confirm")
    change = confirm(audit.job)
    print(change.summary())
    audit.log(change)
    return 0


def _cmd_void(args: argparse.Namespace) -> int:
    audit = _ChangeAudit(args, "annotate void")
    change = void(audit.job, printed=args.printed)
    print(change.summary())
    state = read_state(change.ticket.state)
    if state is not None and not state.free_lines and state.open_half is None:
        print("the annotation area is full: the change needs a new card")
    elif change.outcome == "void-printed":
        print("print the entry again with faceprint annotate: it goes below the spoiled one")
    else:
        print("print the entry again with faceprint annotate: it takes the freed lines")
    audit.log(change)
    return 0


def _cmd_status(args: argparse.Namespace) -> int:
    record = Path(args.record)
    path = Path(args.state) if args.state else default_state_path(record)
    state = read_state(path)
    if state is None:
        print(f"{record}: no card state at {path}: no entry was printed with faceprint annotate; the card is as issued")
        return 0
    for line in status_lines(state, str(path)):
        print(line)
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
        "area, a preview of the whole card, and the updated card state, where the entry is pending.",
        epilog="Then: 'faceprint annotate confirm JOB' once the card came out right, or 'faceprint annotate void JOB "
        "--printed' (spoiled) / '--not-printed' (jammed); 'faceprint annotate status RECORD' lists the card's lines.",
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
    add_audit_options(p)
    p.set_defaults(func=_cmd_annotate)

    p = sub.add_parser("annotate confirm", help="the card came out right: its pending entry becomes printed")
    p.add_argument("job", help="the print job: the --out folder of the annotate run, or its .job.json ticket")
    add_audit_options(p)
    p.set_defaults(func=_cmd_confirm)

    p = sub.add_parser("annotate void", help="the print failed: void its entry (--printed spoiled, --not-printed never printed)")
    p.add_argument("job", help="the print job: the --out folder of the annotate run, or its .job.json ticket")
    how = p.add_mutually_exclusive_group(required=True)
    how.add_argument("--printed", action="store_true", help="it printed, badly: the lines stay used, marked void")
    how.add_argument("--not-printed", action="store_true", help="nothing reached the card (a jam): the lines are free again")
    add_audit_options(p)
    p.set_defaults(func=_cmd_void)

    p = sub.add_parser("annotate status", help="a card's annotation lines: printed, pending, void or free, with dates")
    p.add_argument("record", help="the holder's record (JSON); its state file is found beside it")
    p.add_argument("--state", help="the card state file (default: RECORD's name with .annotations.json, beside it)")
    p.set_defaults(func=_cmd_status)

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

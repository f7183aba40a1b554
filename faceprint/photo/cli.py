"""``faceprint photo check`` and ``faceprint photo prepare``.

``add_photo_commands`` plugs the ``photo`` command into the main parser; each handler takes the parsed
arguments and returns the exit status: check → 0 all pass, 1 any fail or not run, 2 unreadable image
or bad arguments; prepare → 0 written, 1 no face to place, 2 unreadable image or bad arguments.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Sequence
from pathlib import Path

from rich.console import Console

from faceprint.atomic import image_file_bytes, write_atomic
from faceprint.errors import FaceprintError
from faceprint.photo.analysis import PhotoReadError, load_photo
from faceprint.photo.checks import all_passed, run_checks
from faceprint.photo.prepare import prepare_portrait
from faceprint.photo.profiles import PROFILES, get_profile
from faceprint.photo.report import print_table, to_json

_BOX = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*[x×]\s*(\d+(?:\.\d+)?)\s*(?:mm)?\s*$", re.IGNORECASE)
DEFAULT_DPI = 600  # retransfer card printers and print conventions (card-standards.md §11)


def parse_box(text: str) -> tuple[float, float]:
    """``22x27.5mm`` → (22.0, 27.5): width × height in mm."""
    match = _BOX.match(text)
    if not match:
        raise argparse.ArgumentTypeError(f"box must look like 22x27.5mm (width x height), not {text!r}")
    width, height = float(match.group(1)), float(match.group(2))
    if width <= 0 or height <= 0:
        raise argparse.ArgumentTypeError("box width and height must be positive")
    return width, height


def _error(message: str) -> None:
    sys.stderr.write(f"faceprint photo: {message}\n")


def run_check(args: argparse.Namespace) -> int:
    """Run every check of the profile on one photo and report it."""
    try:
        analysis = load_photo(args.photo)
    except PhotoReadError as exc:
        _error(str(exc))
        return 2
    profile = get_profile(args.profile)
    results = run_checks(analysis, profile)
    if args.json:
        report = to_json(results, photo=args.photo, profile=profile)
        sys.stdout.write(json.dumps(report, ensure_ascii=False, indent=2) + "\n")
    else:
        console = Console(file=sys.stdout, width=args.width) if args.width else Console(file=sys.stdout)
        print_table(results, photo=args.photo, profile=profile, console=console)
    return 0 if all_passed(results) else 1


def _box_from_layout(layout: str) -> tuple[float, float, int]:
    from faceprint.layout_file import photo_box_mm

    width, height, dpi = photo_box_mm(layout)
    return float(width), float(height), int(dpi)


def run_prepare(args: argparse.Namespace) -> int:
    """Crop, place, convert to greyscale and resize one photo for the layout's photo box."""
    try:
        if args.layout:
            box_w, box_h, layout_dpi = _box_from_layout(args.layout)
            dpi = args.dpi or layout_dpi
        else:
            box_w, box_h = args.box
            dpi = args.dpi or DEFAULT_DPI
        analysis = load_photo(args.photo)
        out = prepare_portrait(analysis.image, box_w, box_h, dpi, analysis=analysis)
        write_atomic(Path(args.out), image_file_bytes(out, Path(args.out), dpi))
    except PhotoReadError as exc:
        _error(str(exc))
        return 2
    except FaceprintError as exc:
        _error(str(exc))
        return exc.exit_code
    except (OSError, ValueError) as exc:
        _error(f"cannot write {args.out}: {exc}")
        return 2
    size = f"{out.width}×{out.height} px greyscale, {box_w:g}×{box_h:g} mm at {dpi} dpi"
    sys.stdout.write(f"{args.out}: {size}\n")
    return 0


def add_photo_commands(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``photo check`` and ``photo prepare`` to the main CLI's subparsers."""
    photo = subparsers.add_parser("photo", help="check a portrait or prepare it for the card")
    commands = photo.add_subparsers(dest="photo_command", required=True)

    check = commands.add_parser("check", help="ICAO-style checks with measured values and limits")
    check.add_argument("photo", help="portrait image (JPEG or PNG)")
    check.add_argument("--profile", choices=sorted(PROFILES), default="mynumber", help="set of limits (default: mynumber)")
    check.add_argument("--json", action="store_true", help="print JSON instead of a table")
    check.add_argument("--width", type=int, default=None, help=argparse.SUPPRESS)
    check.set_defaults(func=run_check)

    prepare = commands.add_parser("prepare", help="crop to the photo box, greyscale, print resolution")
    prepare.add_argument("photo", help="portrait image (JPEG or PNG)")
    where = prepare.add_mutually_exclusive_group(required=True)
    where.add_argument("--layout", help="layout file whose photo box to fill")
    where.add_argument("--box", type=parse_box, help="box size, width x height in mm, e.g. 22x27.5mm")
    prepare.add_argument("--dpi", type=int, default=None, help=f"output resolution (default: the layout's, else {DEFAULT_DPI})")
    prepare.add_argument("--out", required=True, help="output image file (PNG recommended)")
    prepare.set_defaults(func=run_prepare)


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m faceprint.photo check|prepare ...``: the photo commands on their own."""
    parser = argparse.ArgumentParser(prog="faceprint")
    add_photo_commands(parser.add_subparsers(dest="command", required=True))
    words = list(sys.argv[1:] if argv is None else argv)
    if words[:1] != ["photo"]:
        words.insert(0, "photo")
    try:
        args = parser.parse_args(words)
    except SystemExit as exc:
        return int(exc.code or 0)
    status: int = args.func(args)
    return status

"""The ``faceprint`` command line: thin, callable in-process (``main(argv)``), exit codes stable.

Exit status: 0 success; 1 a data error (the message names the record, field and reason);
2 a layout or usage error (the message names the file, line, element and property);
70 an internal error (a bug in faceprint: the message asks for a report; ``--debug`` or
``FACEPRINT_DEBUG=1`` adds the traceback); 130 interrupted.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from . import __version__
from .errors import DataError, FaceprintError, UsageError, user_message
from .rules.mynumber import redact

# EX_SOFTWARE of BSD's sysexits.h: "an internal software error has been detected". Never 1 or 2,
# so a bug is never mistaken for a bad record or a bad layout.
EXIT_INTERNAL = 70
DEBUG_ENV = "FACEPRINT_DEBUG"


def _cmd_render(args: argparse.Namespace) -> int:
    from .audit.cli import auditor_from_args
    from .production.cli import spec_from_args
    from .records import load_record
    from .render import CardRenderer

    options = spec_from_args(args)
    auditor = auditor_from_args(args, "render", Path(args.layout))
    renderer = CardRenderer(args.layout, derive_romaji=args.derive_romaji)
    out = Path(args.out)
    status = 0
    for record_path in args.records:
        try:
            record = load_record(record_path)
            written = renderer.render(record, out, options)
        except DataError as exc:
            print(f"error: {redact(str(record_path))}: {user_message(exc)}", file=sys.stderr)
            status = 1
            continue
        for path in written:
            print(redact(str(path)))
        if auditor is not None:
            auditor.card(record.id, record.my_number, written, "written")
    if auditor is not None:
        auditor.flush()
    return status


def _cmd_schema(args: argparse.Namespace) -> int:
    from .layout_file.model import json_schema

    print(json.dumps(json_schema(), ensure_ascii=False, indent=2))
    return 0


def _cmd_fonts(args: argparse.Namespace) -> int:
    from .text.fonts import default_database

    for face in default_database().available():
        print(f"{face.family}\t{face.subfamily}\t{face.ref.postscript_name}\t{face.ref.path}")
    return 0


def _cmd_validate(args: argparse.Namespace) -> int:
    from .layout_file.check import check_with_specimen
    from .layout_file.loader import load_layout
    from .lint import lint_labels

    loaded = load_layout(args.layout)
    labels = lint_labels(loaded)  # a label that does not fit at its size is a layout error (issue 12 §5)
    for finding in labels:
        print(finding, file=sys.stderr)
    if labels:
        return 2
    check_with_specimen(loaded)
    n = sum(1 for _ in loaded.positions)
    print(f"{loaded.path}: ok ({n} elements, resolved with the built-in specimen record)")
    return 0


def _cmd_lint(args: argparse.Namespace) -> int:
    from .layout_file.loader import load_layout
    from .lint import lint_all, load_records_for_lint

    loaded = load_layout(args.layout)
    records = load_records_for_lint(Path(p) for p in args.data) if args.data else None
    findings = lint_all(loaded, records)
    if args.printer:
        from .annotate.printer import load_profile
        from .lint import lint_microtext_resolution

        profile = load_profile(args.printer)
        findings += lint_microtext_resolution(loaded, profile.dpi, profile.name or args.printer)
    if args.device_dpi:
        from .lint import lint_microtext_resolution

        findings += lint_microtext_resolution(loaded, args.device_dpi, "the output device")
    for finding in findings:
        print(finding)
    errors = sum(1 for f in findings if f.severity == "error")
    warnings = len(findings) - errors
    n = len(records) if records is not None else 0
    rendered = "the built-in specimen record" if records is None else f"{n} record{'s' if n != 1 else ''}"
    print(
        f"{loaded.path}: {errors} error{'s' if errors != 1 else ''}, {warnings} warning{'s' if warnings != 1 else ''}"
        f" (rendered with {rendered})"
    )
    return 1 if errors else 0


def build_parser() -> argparse.ArgumentParser:
    from .production.cli import add_output_options

    parser = argparse.ArgumentParser(prog="faceprint", description="Card-face layout rendering for the My Number card.")
    parser.add_argument("--version", action="version", version=f"faceprint {__version__}")
    parser.add_argument("--debug", action="store_true", help=f"show the traceback of an internal error (or set {DEBUG_ENV}=1)")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("render", help="render records to PNG and PDF")
    p.add_argument("layout", help="layout file (YAML)")
    p.add_argument("records", nargs="+", help="record file(s) (JSON)")
    p.add_argument("--out", required=True, help="output folder")
    add_output_options(p)
    p.set_defaults(func=_cmd_render)

    p = sub.add_parser("schema", help="print the JSON Schema of the layout format")
    p.set_defaults(func=_cmd_schema)

    p = sub.add_parser("validate", help="check a layout file")
    p.add_argument("layout")
    p.set_defaults(func=_cmd_validate)

    p = sub.add_parser("lint", help="check a layout: keep-out zones, safe area, minimum type size, records that do not fit")
    p.add_argument("layout")
    p.add_argument("--data", nargs="*", help="record files or folders to render the layout with")
    p.add_argument("--printer", help="printer profile (TOML): warn where its dpi cannot resolve the microtext")
    p.add_argument("--device-dpi", type=float, default=None, help="the same check for a device of this resolution")
    p.set_defaults(func=_cmd_lint)

    p = sub.add_parser("fonts", help="list the fonts faceprint can find")
    p.set_defaults(func=_cmd_fonts)

    for module, function, command, extra in OPTIONAL_COMMANDS:
        try:
            adder = getattr(importlib.import_module(module), function)
        except ModuleNotFoundError as exc:
            if exc.name and module.startswith(exc.name):
                continue  # a part of faceprint that this checkout does not have
            _add_missing_extra(sub, command, extra, exc.name or "?")
            continue
        adder(sub)
    return parser


# (module, function adding its sub-commands, command name, pip extra it needs)
OPTIONAL_COMMANDS = (
    ("faceprint.photo.cli", "add_photo_commands", "photo", "photo"),
    ("faceprint.annotate.cli", "add_annotate_commands", "annotate", ""),
    ("faceprint.preview.cli", "add_preview_commands", "preview", "preview"),
    ("faceprint.production.cli", "add_production_commands", "batch", ""),
    ("faceprint.audit.cli", "add_audit_commands", "audit", ""),
)


def _add_missing_extra(sub: argparse._SubParsersAction[argparse.ArgumentParser], command: str, extra: str, missing: str) -> None:
    """A command whose optional dependencies are not installed says how to get them."""
    hint = f"pip install 'faceprint[{extra}]'" if extra else "reinstall faceprint"
    p = sub.add_parser(command, help=f"(needs {hint})", add_help=False)
    p.add_argument("rest", nargs=argparse.REMAINDER)

    def explain(args: argparse.Namespace) -> int:
        raise UsageError(f"'{command}' needs the module '{missing}', which is not installed: {hint}")

    p.set_defaults(func=explain)


TWO_WORD_COMMANDS = {"annotate": ("confirm", "void", "status")}  # parsers named "annotate confirm" etc.


def _two_word(argv: list[str]) -> list[str]:
    """``faceprint annotate confirm JOB`` → the parser "annotate confirm" (annotate's own first argument is a file)."""
    if len(argv) >= 2 and argv[1] in TWO_WORD_COMMANDS.get(argv[0], ()):
        return [f"{argv[0]} {argv[1]}", *argv[2:]]
    return argv


def main(argv: Sequence[str] | None = None, *, stderr: TextIO | None = None) -> int:
    parser = build_parser()
    err = stderr or sys.stderr
    try:
        args = parser.parse_args(_two_word(list(sys.argv[1:] if argv is None else argv)))
    except SystemExit as exc:  # argparse reports usage errors with status 2
        return int(exc.code or 0)
    try:
        return int(args.func(args))
    except FaceprintError as exc:
        print(f"error: {user_message(exc)}", file=err)
        return exc.exit_code
    except KeyboardInterrupt:
        print("interrupted", file=err)
        return 130
    except Exception as exc:  # anything else is a bug: say so, never as a data or layout error
        return _internal_error(exc, err, debug=args.debug or os.environ.get(DEBUG_ENV, "") not in ("", "0"))


def _internal_error(exc: BaseException, err: TextIO, *, debug: bool) -> int:
    """Report a bug: the exception's type and (masked) message, a request for a report, no traceback unless asked."""
    from .rules.mynumber import redact

    print(
        f"internal error: {type(exc).__name__}: {redact(str(exc))}\n"
        "This is a bug in faceprint, not a problem with your data or layout. Please report it with the command\n"
        "line and this message (leave out personal data: records, photos, individual numbers).",
        file=err,
    )
    if debug:
        print(redact("".join(traceback.format_exception(exc))), file=err)
    else:
        print(f"Run with --debug (or {DEBUG_ENV}=1) to see the traceback.", file=err)
    return EXIT_INTERNAL


if __name__ == "__main__":
    sys.exit(main())

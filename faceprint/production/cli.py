"""``faceprint batch`` and ``faceprint impose``, and the output options ``render`` shares with them.

The audit options (``--audit-log``, ``--audit-key``, ``--operator``) come with the output options: every
command that writes card files can log them (``faceprint.audit``).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Literal, cast

from ..audit.cli import add_audit_options, auditor_from_args
from ..errors import DataError, UsageError, user_message
from ..limits import MAX_BLEED_MM
from ..outputs import OutputSpec, parse_formats
from ..rules.mynumber import redact


def add_output_options(p: argparse.ArgumentParser, *, default_formats: str = "png,pdf") -> None:
    p.add_argument(
        "--format",
        default=default_formats,
        help=f"comma-separated: png, pdf, engrave, uv (UV-light preview) (default: {default_formats})",
    )
    p.add_argument("--dpi", type=float, default=600, help="PNG and engraving resolution (default 600)")
    p.add_argument(
        "--guides", action="store_true", help="overlay trim, bleed, safe area, keep-out zones and element boxes on the PNG"
    )
    p.add_argument(
        "--print",
        dest="print_ready",
        action="store_true",
        help="print-ready PDF: bleed, crop marks, TrimBox/BleedBox, no RGB, special layers as spot separations",
    )
    p.add_argument("--bleed", type=float, default=None, help="bleed in mm (default: the layout's card.bleed)")
    p.add_argument(
        "--output-intent", type=Path, default=None, help="ICC profile of the printing condition (makes the print PDF PDF/X-4)"
    )
    p.add_argument("--output-condition", default="Custom", help="name of that condition, e.g. FOGRA39")
    p.add_argument("--layers", default="", help="also write one PDF per layer, e.g. artwork,personalisation,tactile")
    p.add_argument("--bits", type=int, choices=(1, 8), default=8, help="engraving bitmap depth (1 = error-diffused)")
    p.add_argument("--engrave-format", choices=("tiff", "png"), default="tiff")
    p.add_argument(
        "--prepare-photo",
        action="store_true",
        help="crop the portrait by the photo geometry rules and normalise it before layout (needs the photo extra)",
    )
    p.add_argument(
        "--derive-romaji",
        action="store_true",
        help="proofs and data preparation: print passport Hepburn derived from the kana where the record has no "
        "romaji (a reading such as イノウエ that needs the explicit spelling is a data error)",
    )
    add_audit_options(p)


def spec_from_args(args: argparse.Namespace) -> OutputSpec:
    if not 0 < args.dpi <= 4800:  # written so that NaN fails too
        raise UsageError(f"--dpi must lie between 1 and 4800, got {args.dpi:g}")
    if args.bleed is not None and not 0 <= args.bleed <= MAX_BLEED_MM:
        raise UsageError(f"--bleed must lie between 0 and {MAX_BLEED_MM:g} mm (MAX_BLEED_MM), got {args.bleed:g}")
    if args.output_intent is not None and not args.output_intent.is_file():
        raise UsageError(f"--output-intent: no such file {args.output_intent}")
    if args.output_intent is not None:
        from ..color import ColourManagement
        from ..icc import cmyk_converter

        cmyk_converter(args.output_intent, ColourManagement())  # an unusable profile stops the run here, not at every card
    layers = tuple(x.strip() for x in args.layers.split(",") if x.strip())
    return OutputSpec(
        formats=parse_formats(args.format),
        dpi=args.dpi,
        guides=args.guides,
        print_ready=args.print_ready,
        bleed=args.bleed,
        output_intent=args.output_intent,
        output_condition=args.output_condition,
        layers=layers,
        engrave_bits=cast(Literal[1, 8], args.bits),
        engrave_format=args.engrave_format,
        prepare_photo=args.prepare_photo,
    )


def _cmd_batch(args: argparse.Namespace) -> int:
    from .batch import BatchJob, run_batch

    spec = spec_from_args(args)
    auditor = auditor_from_args(args, "batch", Path(args.layout))
    job = BatchJob(
        layout=Path(args.layout),
        records=Path(args.records),
        out_dir=Path(args.out),
        spec=spec,
        workers=1 if args.workers is None else args.workers,
        resume=args.resume,
        encoding=args.encoding,
        prepare_photo=args.prepare_photo,
        derive_romaji=args.derive_romaji,
        combine=args.combine,
        sheet=args.sheet,
        per_file=args.per_file,
    )
    if args.dask is None:
        if args.partition_kb is not None:
            raise UsageError("--partition-kb sizes the tasks of a --dask run")
        result = run_batch(job, auditor=auditor)
    else:
        if args.workers is not None:
            raise UsageError("--workers is for the local batch; with --dask the cluster's workers render (local:N: N local ones)")
        from .dask_batch import run_dask_batch

        size = None if args.partition_kb is None else args.partition_kb * 1024
        result = run_dask_batch(job, args.dask, partition_bytes=size, auditor=auditor)
    print(redact(result.summary(job.out_dir)))  # printed paths never show a number either
    for path in result.combined:
        print(redact(str(path)))
    return result.exit_code


def _cmd_impose(args: argparse.Namespace) -> int:
    from ..atomic import write_atomic
    from ..render import CardRenderer
    from .impose import impose_pdf, parse_sheet
    from .reader import read_records

    spec = spec_from_args(args)
    auditor = auditor_from_args(args, "impose", Path(args.layout))
    renderer = CardRenderer(args.layout, derive_romaji=args.derive_romaji)
    scenes = []
    numbers: list[str] = []  # the audit log's keyed hash, card by card
    failed = 0
    for path in args.records:
        from ..record_checks import validate_record
        from ..records import load_record

        p = Path(path)
        try:
            if p.suffix.lower() == ".json":
                record = load_record(p)
                scenes.append(renderer.scene(record))
                numbers.append(record.my_number)
                continue
            for raw in read_records(p, args.encoding):
                try:
                    if raw.error is not None or raw.data is None:
                        raise raw.error or DataError("unreadable")
                    record = validate_record(raw.data, base_dir=p.resolve().parent)
                    scenes.append(renderer.scene(record))
                    numbers.append(record.my_number)
                except DataError as exc:
                    failed += 1
                    print(f"error: {redact(str(p))}:{raw.line}: {user_message(exc)}", file=sys.stderr)
        except DataError as exc:
            failed += 1
            print(f"error: {redact(str(p))}: {user_message(exc)}", file=sys.stderr)
    if not scenes:
        raise UsageError("no record could be rendered")
    data, report = impose_pdf(scenes, parse_sheet(args.sheet), print_options=spec.pdf_options())
    out = Path(args.out) / "sheets.pdf"
    write_atomic(out, data)
    write_atomic(Path(args.out) / "sheets.json", (json.dumps(report, indent=2) + "\n").encode("utf-8"))
    if auditor is not None:
        for scene, number in zip(scenes, numbers, strict=True):
            auditor.card(scene.record_id, number, [out], "written")
        auditor.flush()
    print(
        redact(
            f"{report['cards']} cards on {report['sheets']} sheet(s), {report['per_sheet']} per sheet "
            f"({report['grid'][0]} × {report['grid'][1]} on {report['sheet_mm'][0]:g} × {report['sheet_mm'][1]:g} mm): {out}"
        )
    )
    return 1 if failed else 0


def add_production_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("batch", help="render a JSON Lines or CSV file of records, resumably, over worker processes")
    p.add_argument("layout")
    p.add_argument("records", help=".jsonl or .csv (UTF-8 or Shift_JIS/CP932)")
    p.add_argument("--out", required=True)
    p.add_argument("--workers", type=int, default=None, help="worker processes on this machine (default 1)")
    p.add_argument(
        "--dask",
        metavar="ADDRESS",
        default=None,
        help="run on a Dask cluster: its scheduler (tcp://HOST:8786) or local[:N] for N local workers (needs faceprint[dask])",
    )
    p.add_argument(
        "--partition-kb",
        type=int,
        default=None,
        help="with --dask: input KiB per task (default: 4 tasks per worker thread, 4 to 256 KiB; 256 KiB ≈ 500 records)",
    )
    p.add_argument("--resume", action="store_true", help="skip records whose outputs are all complete")
    p.add_argument("--encoding", default=None, help="input encoding (default: detect UTF-8 or CP932)")
    p.add_argument(
        "--combine",
        choices=("none", "pdf", "impose"),
        default="none",
        help="also write multi-card PDFs (pdf) or imposed sheets (impose) instead of one file per card",
    )
    p.add_argument("--sheet", default="SRA3", help="sheet for --combine impose: SRA3, A4 or WxHmm")
    p.add_argument("--per-file", type=int, default=250, help="cards per combined file")
    add_output_options(p, default_formats="pdf")
    p.set_defaults(func=_cmd_batch)

    p = sub.add_parser("impose", help="put cards on press sheets (fronts, then mirrored backs for duplex)")
    p.add_argument("layout")
    p.add_argument("records", nargs="+", help="record .json files or a .jsonl/.csv file")
    p.add_argument("--sheet", default="SRA3", help="SRA3, A4 or WxHmm")
    p.add_argument("--out", required=True)
    p.add_argument("--encoding", default=None)
    add_output_options(p, default_formats="pdf")
    p.set_defaults(func=_cmd_impose)

"""Render N cards to PDF and to PNG and print cards per second and peak memory.

Run by hand (not in the tests): ``python benchmarks/render_bench.py [-n 50] [--dpi 600] [--modes pdf,print,print-icc]``.
Modes: ``pdf`` proof PDFs, ``png`` both faces at ``--dpi``, ``print`` print PDFs without an output
intent (naive RGB→CMYK), ``print-icc`` print PDFs converted through ``--output-intent`` (LittleCMS).
Each mode runs in a fresh subprocess so its peak RSS is its own; the first card (font loading,
template compilation) is timed separately from the steady state.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_LAYOUT = ROOT / "layouts/next-gen/card.yaml"
DEFAULT_PROFILE = "/usr/share/color/icc/ghostscript/default_cmyk.icc"  # Debian libgs-common
MODES = ("pdf", "png", "print", "print-icc")


def _child(mode: str, n: int, dpi: float, layout: str, records: list[str], profile: str) -> None:
    from faceprint.atomic import png_bytes, write_atomic
    from faceprint.backends.pdf import PdfOptions, render_pdf
    from faceprint.backends.raster import paint
    from faceprint.records import load_record
    from faceprint.render import CardRenderer

    renderer = CardRenderer(layout)
    recs = [load_record(p) for p in records]
    out = Path(tempfile.mkdtemp(prefix="fp-bench-"))

    def one(i: int) -> None:
        rec = recs[i % len(recs)]
        scene = renderer.scene(rec)
        if mode == "pdf":
            write_atomic(out / f"{i}.pdf", render_pdf(scene))
        elif mode.startswith("print"):
            intent = Path(profile) if mode == "print-icc" else None
            write_atomic(out / f"{i}.pdf", render_pdf(scene, PdfOptions(print_ready=True, output_intent=intent)))
        else:
            for face in scene.faces:
                write_atomic(out / f"{i}-{face.name}.png", png_bytes(paint(face, dpi), dpi))

    t0 = time.perf_counter()
    one(0)
    first = time.perf_counter() - t0
    t0, c0 = time.perf_counter(), time.process_time()
    for i in range(1, n + 1):
        one(i)
    steady = time.perf_counter() - t0
    cpu_ms = (time.process_time() - c0) / n * 1000  # CPU time: steadier than wall time on a shared machine
    size = sum(p.stat().st_size for p in out.iterdir()) / max(1, len(list(out.iterdir())))
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        json.dumps(
            {
                "mode": mode,
                "first_s": first,
                "cards_per_s": n / steady,
                "cpu_ms_per_card": cpu_ms,
                "peak_rss_mb": peak_mb,
                "bytes_per_file": size,
            }
        )
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("-n", type=int, default=40, help="cards per mode after the first")
    ap.add_argument("--dpi", type=float, default=600)
    ap.add_argument("--layout", default=str(DEFAULT_LAYOUT))
    ap.add_argument("--records", nargs="*", default=None)
    ap.add_argument("--modes", default="pdf,png", help=f"comma-separated, of {', '.join(MODES)}")
    ap.add_argument("--output-intent", default=DEFAULT_PROFILE, help="CMYK ICC profile for print-icc")
    ap.add_argument("--child", choices=MODES, help=argparse.SUPPRESS)
    args = ap.parse_args()
    records = args.records or sorted(str(p) for p in (ROOT / "samples/records").glob("*.json"))
    if args.child:
        _child(args.child, args.n, args.dpi, args.layout, records, args.output_intent)
        return
    print(f"layout {args.layout}, {len(records)} sample records, n={args.n}, PNG at {args.dpi:g} dpi, one core")
    print(f"{'mode':9} {'first card s':>12} {'cards/s':>8} {'CPU ms/card':>11} {'peak RSS MB':>12} {'KB/file':>8}")
    for mode in args.modes.split(","):
        cmd = [
            sys.executable,
            __file__,
            "--child",
            mode,
            "-n",
            str(args.n),
            "--dpi",
            str(args.dpi),
            "--layout",
            args.layout,
            "--output-intent",
            args.output_intent,
            "--records",
            *records,
        ]
        res = json.loads(subprocess.run(cmd, check=True, capture_output=True, text=True).stdout.strip().splitlines()[-1])
        print(
            f"{mode:9} {res['first_s']:12.3f} {res['cards_per_s']:8.2f} {res['cpu_ms_per_card']:11.1f} "
            f"{res['peak_rss_mb']:12.1f} {res['bytes_per_file'] / 1024:8.1f}"
        )


if __name__ == "__main__":
    main()

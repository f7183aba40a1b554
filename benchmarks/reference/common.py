"""What both reference programs share: reading the records, preparing the portrait, the run loop.

The references exist to compare faceprint with what a user would write instead (issue 4, item 6).
They do the same per-card work faceprint does for the portrait (greyscale, cover crop at 50 %/40 %,
resampled to 600 dpi with Lanczos, JPEG quality 90, the JPEG embedded as is), so the photo costs
the same on every side and the comparison is about the rest. Nothing is cached between cards
except fonts and the compiled template: every card decodes and encodes its own photo.

Only the standard library and Pillow are used here; nothing is imported from faceprint.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import resource
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from PIL import Image

ROOT = Path(__file__).resolve().parents[2]
FONTS = ROOT / "fonts"
IPAMJ_DIRS = (Path("/usr/share/fonts/truetype/ipamj"), Path("/usr/share/fonts/opentype/ipamj"))

PHOTO_BOX_MM = (22.0, 27.5)
PHOTO_POSITION = (0.5, 0.4)
PHOTO_DPI = 600
JPEG_QUALITY = 90

MONTHS = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")


def ipamj_path() -> Path | None:
    for d in IPAMJ_DIRS:
        p = d / "ipamjm.ttf"
        if p.is_file():
            return p
    return None


def read_records(path: Path) -> Iterator[dict[str, Any]]:
    """JSON Lines, one record at a time; relative photo paths are taken from the file's folder."""
    base = path.resolve().parent
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                rec = json.loads(line)
                rec["photo"] = str(base / rec["photo"])
                yield rec


def portrait_jpeg(path: str) -> tuple[bytes, int, int]:
    """The portrait as a greyscale JPEG cropped to the photo box and resampled to 600 dpi."""
    with Image.open(path) as im:
        img = im.convert("L")
    w, h = img.size
    bw, bh = PHOTO_BOX_MM
    aspect = bw / bh
    if w / h > aspect:  # too wide: cut the sides
        cw = h * aspect
        x0 = (w - cw) * PHOTO_POSITION[0]
        src = (x0, 0.0, x0 + cw, float(h))
    else:
        ch = w / aspect
        y0 = (h - ch) * PHOTO_POSITION[1]
        src = (0.0, y0, float(w), y0 + ch)
    tw = min(round(bw / 25.4 * PHOTO_DPI), round(src[2] - src[0]))
    th = min(round(bh / 25.4 * PHOTO_DPI), round(src[3] - src[1]))
    out = img.resize((tw, th), Image.Resampling.LANCZOS, box=src)
    buf = io.BytesIO()
    out.save(buf, "JPEG", quality=JPEG_QUALITY)
    return buf.getvalue(), tw, th


def western_date(iso: str) -> str:
    y, m, d = (int(x) for x in iso.split("-"))
    return f"{y}年{m}月{d}日"


def english_date(iso: str) -> str:
    y, m, d = (int(x) for x in iso.split("-"))
    return f"{d:02d} {MONTHS[m - 1]} {y}"


def is_latin(text: str) -> bool:
    return all(c.isascii() for c in text)


def write_file(path: Path, data: bytes) -> None:
    """A plain write, the way a user's script would (faceprint adds fsync + rename + 0600)."""
    with open(path, "wb") as fh:
        fh.write(data)


def cpu_seconds() -> float:
    """User + system CPU time of this process (all its threads) and of its waited-for children."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def run(
    description: str,
    setup: Callable[[argparse.Namespace], Callable[[dict[str, Any], Path], None]],
    extra_args: Callable[[argparse.ArgumentParser], None] | None = None,
) -> None:
    """``PROGRAM RECORDS.jsonl --out DIR``: one PDF per record; prints one JSON line of timings."""
    ap = argparse.ArgumentParser(description=description)
    ap.add_argument("records", type=Path)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--limit", type=int, default=0, help="stop after this many records (0 = all)")
    if extra_args:
        extra_args(ap)
    args = ap.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    cpu0 = cpu_seconds()
    t0 = time.perf_counter()
    draw_card = setup(args)
    setup_s = time.perf_counter() - t0
    n = 0
    first_s = 0.0
    for rec in read_records(args.records):
        draw_card(rec, args.out / f"{rec['id']}.pdf")
        n += 1
        if n == 1:
            first_s = time.perf_counter() - t0 - setup_s
        if args.limit and n >= args.limit:
            break
    total = time.perf_counter() - t0
    cpu = cpu_seconds() - cpu0
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        json.dumps(
            {
                "written": n,
                "failed": 0,
                "seconds": total,
                "cpu_s": cpu,
                "setup_s": setup_s,
                "first_card_s": first_s,
                "pid": os.getpid(),
                "self_peak_rss_mb": peak_mb,
            }
        )
    )

"""Production benchmark (issue 4, item 6): faceprint against the two references, in one run.

    python benchmarks/production_bench.py [-n 1000] [--png-records 200] [--data cycle|varied] [--json]
    python benchmarks/production_bench.py --memory-records 100000 [--data varied] [--json]

Each run is a fresh subprocess, so its memory is its own; while it runs, /proc is sampled every
0.2 s and the RSS (and PSS) of its whole process tree summed. The runs, over the same generated
records (a JSON Lines file, photo paths absolute):

  faceprint-pdf   ``run_batch`` one worker, PDF only, N records            → cards/s per core (``--layout``)
  faceprint-same  the same on benchmarks/reference/card-plain.yaml: next-gen without its anti-counterfeiting
                  elements (guilloche, microtext, UV text, ghost portrait), i.e. exactly what the
                  references draw: the like-for-like comparison
  faceprint-png   ``run_batch`` one worker, PNG at 600 dpi, min(N, 200)     → cards/s per core (2 PNGs a card)
  faceprint-pngs  the same on card-plain.yaml (the references' card)       → against typst-png
  faceprint-pdf2  ``run_batch`` two workers, PDF only, N records           → speed-up = rate / 1-worker rate
  reportlab       benchmarks/reference/reportlab_card.py, useA85 = 0       (the hand-written floor)
  reportlab-a85   the same with reportlab's default ASCII85 (useA85 = 1)   (for the record)
  typst           benchmarks/reference/typst_card.py, compiler reused      (the peer to match)
  typst-png       the same with ``--png DPI``: both pages as PNGs, min(N, 200) records

"cards/s" is records written / in-process seconds (layout or font loading included, interpreter
start-up and imports not); "CPU" is the run's user+system CPU seconds over those seconds (above 1.0
means it used more than one core); "cards/CPU-s" is steadier than cards/s on a busy machine.

Records: ``--data cycle`` (default, as the issue states it) repeats samples/batch.jsonl with new ids,
so there are only 12 distinct photos and 12 distinct texts. faceprint caches decoded/resampled
images (256), JPEG encodings (64) and font subsets (512) across records, so from the 13th card on it
skips most photo and subsetting work that a real batch, where every person differs, must do (and
Typst memoises the same way). ``--data varied`` gives every record its own portrait (a pool of up to
``--photo-pool`` distinct JPEGs, each a brightness variant of a sample) and, for the ordinary Japanese
names, its own name, address, individual number and collation number; the special records
(Latin name, variant kanji, non-BMP kanji, katakana name) keep their text.

``--memory-records N`` streams N generated records (written lazily to a temp file first) through
``faceprint batch --workers 2 --format pdf`` into a temp dir and reports the peak RSS of the whole
process tree (target: under 300 MB at 100,000) and records/s. Finished PDFs are deleted as the run
goes (``--keep-outputs`` to keep them) so 100,000 cards do not need 9 GB of disk; the sizes of the
first ones are recorded before they go. This takes long; it is its own mode.
"""

from __future__ import annotations

import argparse
import contextlib
import copy
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
LAYOUT = ROOT / "layouts/next-gen/card.yaml"
SAME_LAYOUT = ROOT / "benchmarks/reference/card-plain.yaml"  # next-gen without the security elements
SAMPLES = ROOT / "samples/batch.jsonl"
REFERENCE = ROOT / "benchmarks/reference"
SEED = 20250601
SAMPLE_S = 0.2
PAGE_KB = os.sysconf("SC_PAGE_SIZE") / 1024

TARGET_FLOOR = 0.8  # × the hand-written reportlab program, per core
TARGET_SPEEDUP = 1.8  # on 2 workers
TARGET_RSS_MB = 300  # at 100,000 records
TARGET_PDF_KB = 150  # per card, with the photo

# -- records ---------------------------------------------------------------------------------------
SURNAMES = [
    ("佐藤", "さとう"), ("鈴木", "すずき"), ("高橋", "たかはし"), ("田中", "たなか"), ("伊藤", "いとう"),
    ("渡辺", "わたなべ"), ("山本", "やまもと"), ("中村", "なかむら"), ("小林", "こばやし"), ("加藤", "かとう"),
    ("吉田", "よしだ"), ("山田", "やまだ"), ("佐々木", "ささき"), ("山口", "やまぐち"), ("松本", "まつもと"),
    ("井上", "いのうえ"), ("木村", "きむら"), ("林", "はやし"), ("斎藤", "さいとう"), ("清水", "しみず"),
    ("森", "もり"), ("池田", "いけだ"), ("橋本", "はしもと"), ("阿部", "あべ"), ("石川", "いしかわ"),
    ("前田", "まえだ"), ("藤田", "ふじた"), ("岡田", "おかだ"), ("後藤", "ごとう"), ("長谷川", "はせがわ"),
]  # fmt: skip
GIVEN = [
    ("翔太", "しょうた"), ("美咲", "みさき"), ("大輔", "だいすけ"), ("陽菜", "ひな"), ("健一", "けんいち"),
    ("由美", "ゆみ"), ("拓也", "たくや"), ("真央", "まお"), ("誠", "まこと"), ("結衣", "ゆい"), ("蓮", "れん"),
    ("葵", "あおい"), ("直樹", "なおき"), ("愛子", "あいこ"), ("浩二", "こうじ"), ("恵", "めぐみ"), ("亮", "りょう"),
    ("千尋", "ちひろ"), ("和夫", "かずお"), ("幸子", "さちこ"), ("隆", "たかし"), ("彩花", "あやか"),
    ("勇気", "ゆうき"), ("光", "ひかる"), ("修", "おさむ"),
]  # fmt: skip
CITIES = [
    "東京都世田谷区", "大阪府大阪市中央区", "神奈川県横浜市港北区", "愛知県名古屋市千種区", "福岡県福岡市博多区",
    "北海道札幌市中央区", "宮城県仙台市青葉区", "広島県広島市中区", "京都府京都市左京区", "兵庫県神戸市灘区",
    "埼玉県さいたま市浦和区", "千葉県千葉市美浜区", "静岡県浜松市中央区", "新潟県新潟市中央区", "熊本県熊本市東区",
    "沖縄県那覇市",
]  # fmt: skip
TOWNS = ["見本町", "桜丘", "緑町", "本町", "旭町", "栄町", "若葉台", "青葉台", "松原", "東雲", "見本原", "港南"]
BUILDINGS = ["", "", "　見本ハイツ１０２号室", "　グリーンコート見本５０３号室", "　見本タワーレジデンス東棟１８０２号室"]
KANJI_DIGITS = "〇一二三四五六七八九"


def _fullwidth(n: int) -> str:
    return str(n).translate(str.maketrans("0123456789", "０１２３４５６７８９"))


def _base_records() -> list[dict[str, Any]]:
    with SAMPLES.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def _plain_japanese(rec: dict[str, Any]) -> bool:
    """An ordinary kanji name: safe to replace by a generated one (the special cases stay)."""
    kanji = rec["name"]["kanji"]
    special = any(ord(c) > 0xFFFF or 0xFE00 <= ord(c) <= 0xFE0F for c in kanji)
    katakana = all(0x30A0 <= ord(c) <= 0x30FF or c == " " for c in kanji)
    return not special and not katakana and not kanji.isascii() and not rec.get("alias")


def make_photo_pool(out: Path, count: int) -> list[Path]:
    """``count`` distinct portraits: sample k % 12 with its own brightness curve, JPEG quality 90."""
    from PIL import Image

    out.mkdir(parents=True, exist_ok=True)
    sources = sorted((ROOT / "samples/portraits").glob("p*.jpg"))
    decoded = []
    for p in sources:
        with Image.open(p) as im:
            decoded.append(im.convert("RGB"))
    paths = []
    for k in range(count):
        gain = 0.9 + (k % 41) * 0.005
        offset = (k // 41) % 25 - 12
        lut = [max(0, min(255, round(v * gain + offset))) for v in range(256)] * 3
        path = out / f"photo-{k:05d}.jpg"
        decoded[k % len(decoded)].point(lut).save(path, "JPEG", quality=90)
        paths.append(path)
    return paths


def generate_records(n: int, data: str, photos: list[Path] | None) -> Iterator[dict[str, Any]]:
    """N records, deterministic: samples cycled with new ids and absolute photo paths, romaji filled in
    for every non-Latin name (faceprint's passport Hepburn, so every program prints the same)."""
    from faceprint.rules.filters import latin_script_filter
    from faceprint.rules.mynumber import calc_check_digit
    from faceprint.rules.romaji import name_romaji

    base = _base_records()
    rng = random.Random(SEED)
    for i in range(n):
        rec = copy.deepcopy(base[i % len(base)])
        rec["id"] = f"B{i:06d}"
        rec["photo"] = str((SAMPLES.parent / rec["photo"]).resolve())
        if data == "varied":
            assert photos
            rec["photo"] = str(photos[i % len(photos)])
            if _plain_japanese(rec):
                (sk, sr), (gk, gr) = rng.choice(SURNAMES), rng.choice(GIVEN)
                rec["name"] = {"kanji": f"{sk} {gk}", "kana": f"{sr} {gr}"}
                rec["address"] = (
                    f"{rng.choice(CITIES)}{rng.choice(TOWNS)}{KANJI_DIGITS[rng.randint(1, 9)]}丁目"
                    f"{_fullwidth(rng.randint(1, 40))}番{_fullwidth(rng.randint(1, 30))}号{rng.choice(BUILDINGS)}"
                )
            first11 = f"{rng.randrange(10**10, 10**11):011d}"
            rec["my_number"] = first11 + calc_check_digit(first11)
            rec["collation_number"] = f"{rng.randrange(10**6):06d}"
        if not latin_script_filter(rec["name"]["kanji"]) and not rec["name"].get("romaji"):
            with contextlib.suppress(ValueError):  # data preparation: readings kana cannot decide stay without
                rec["name"]["romaji"] = name_romaji(rec["name"], derive=True)
        yield rec


def write_records(path: Path, n: int, data: str, photos: list[Path] | None) -> None:
    with path.open("w", encoding="utf-8") as fh:
        for rec in generate_records(n, data, photos):
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")


# -- process-tree memory ---------------------------------------------------------------------------
def _tree(root: int) -> list[int]:
    """``root`` and all its descendants (from the parent ids in /proc/*/stat)."""
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as fh:
                stat = fh.read()
        except OSError:
            continue
        ppid = int(stat[stat.rindex(b")") + 2 :].split()[1])
        children.setdefault(ppid, []).append(int(entry.name))
    out, todo = [], [root]
    while todo:
        pid = todo.pop()
        out.append(pid)
        todo.extend(children.get(pid, ()))
    return out


def _rss_pss_kb(pid: int) -> tuple[float, float]:
    rss = pss = 0.0
    with contextlib.suppress(OSError, ValueError, IndexError):
        with open(f"/proc/{pid}/statm") as fh:
            rss = int(fh.read().split()[1]) * PAGE_KB
        with open(f"/proc/{pid}/smaps_rollup") as fh:
            for line in fh:
                if line.startswith("Pss:"):
                    pss = float(line.split()[1])
                    break
    return rss, pss


@dataclass
class TreeSampler:
    """Samples the summed RSS and PSS of a process tree every 0.2 s until stopped."""

    pid: int
    peak_rss_kb: float = 0.0
    peak_pss_kb: float = 0.0
    samples: int = 0
    timeline: list[tuple[float, float]] = field(default_factory=list)  # (seconds, tree RSS KB)
    _stop: threading.Event = field(default_factory=threading.Event)

    def start(self) -> TreeSampler:
        self._t0 = time.perf_counter()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        return self

    def _run(self) -> None:
        while not self._stop.is_set():
            rss = pss = 0.0
            for pid in _tree(self.pid):
                r, p = _rss_pss_kb(pid)
                rss += r
                pss += p
            if rss:
                self.samples += 1
                self.peak_rss_kb = max(self.peak_rss_kb, rss)
                self.peak_pss_kb = max(self.peak_pss_kb, pss)
                self.timeline.append((time.perf_counter() - self._t0, rss))
            self._stop.wait(SAMPLE_S)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()


def run_measured(
    cmd: list[str], *, env: dict[str, str] | None = None, on_tick: Any = None
) -> tuple[dict[str, Any], TreeSampler, str]:
    """Run ``cmd``, sampling its tree; returns its last stdout line as JSON (or {}), the sampler, stdout."""
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    sampler = TreeSampler(proc.pid).start()
    ticker: threading.Thread | None = None
    done = threading.Event()
    if on_tick is not None:

        def tick() -> None:
            while not done.wait(2.0):
                on_tick()

        ticker = threading.Thread(target=tick, daemon=True)
        ticker.start()
    try:
        out, err = proc.communicate()
    finally:
        sampler.stop()
        done.set()
        if ticker is not None:
            ticker.join()
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd[:4])} … exited {proc.returncode}:\n{err[-3000:]}")
    last = out.strip().splitlines()[-1] if out.strip() else "{}"
    try:
        return json.loads(last), sampler, out
    except json.JSONDecodeError:
        return {}, sampler, out


# -- the faceprint child ---------------------------------------------------------------------------
def child_faceprint(layout: Path, records: Path, out: Path, fmt: str, workers: int, dpi: float) -> None:
    import io
    import resource

    from faceprint.outputs import OutputSpec
    from faceprint.production.batch import BatchJob, run_batch
    from faceprint.production.report import Progress

    def cpu() -> float:
        own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
        return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime

    job = BatchJob(layout, records, out, OutputSpec(formats=(fmt,), dpi=dpi), workers=workers)
    c0 = cpu()
    result = run_batch(job, Progress(None, stream=io.StringIO()))
    print(json.dumps({"written": result.written, "failed": result.failed, "seconds": result.seconds, "cpu_s": cpu() - c0}))


# -- runs ------------------------------------------------------------------------------------------
@dataclass
class Run:
    name: str
    cmd: list[str]
    records: int
    workers: int = 1
    kind: str = "pdf"


@dataclass
class Result:
    name: str
    records: int
    workers: int
    written: int
    failed: int
    seconds: float
    cpu_s: float
    peak_rss_mb: float
    peak_pss_mb: float
    avg_kb: float | None
    max_kb: float | None
    first_card_s: float | None = None

    @property
    def rate(self) -> float:
        return self.written / self.seconds if self.seconds else 0.0

    @property
    def rate_per_core(self) -> float:
        return self.rate / self.workers

    @property
    def per_cpu_s(self) -> float:
        return self.written / self.cpu_s if self.cpu_s else 0.0


def _sizes(out: Path, suffix: str) -> tuple[float | None, float | None]:
    sizes = [p.stat().st_size for p in out.glob(f"*{suffix}") if not p.name.startswith(".")]
    if not sizes:
        return None, None
    return sum(sizes) / len(sizes) / 1024, max(sizes) / 1024


def _records_slice(src: Path, dst: Path, n: int) -> Path:
    with src.open(encoding="utf-8") as fin, dst.open("w", encoding="utf-8") as fout:
        for i, line in enumerate(fin):
            if i >= n:
                break
            fout.write(line)
    return dst


def plan(args: argparse.Namespace, records: Path, png_records: Path) -> list[Run]:
    py = sys.executable
    me = str(Path(__file__).resolve())
    n, npng = args.n, min(args.n, args.png_records)

    def fp(fmt: str, workers: int, recs: Path, layout: str = args.layout) -> list[str]:
        return [py, me, "--child", "faceprint", "--child-format", fmt, "--child-workers", str(workers), "--child-records",
                str(recs), "--child-out", "{out}", "--dpi", str(args.dpi), "--layout", layout]  # fmt: skip

    rl = [py, str(REFERENCE / "reportlab_card.py"), str(records), "--out", "{out}"]
    ty = [py, str(REFERENCE / "typst_card.py"), str(records), "--out", "{out}"]
    ty_png = [py, str(REFERENCE / "typst_card.py"), str(png_records), "--out", "{out}", "--png", str(args.dpi)]
    runs = [
        Run("faceprint-pdf", fp("pdf", 1, records), n),
        Run("faceprint-same", fp("pdf", 1, records, args.same_layout), n),
        Run("faceprint-png", fp("png", 1, png_records), npng, kind="png"),
        Run("faceprint-pngs", fp("png", 1, png_records, args.same_layout), npng, kind="png"),
        Run("faceprint-pdf2", fp("pdf", 2, records), n, workers=2),
        Run("reportlab", rl, n),
        Run("reportlab-a85", [*rl, "--a85"], n),
        Run("typst", ty, n),
        Run("typst-png", ty_png, npng, kind="png"),
    ]
    if args.rl_qr_widget:
        runs.append(Run("reportlab-rlqr", [*rl, "--qr", "reportlab"], n))
    if args.only:
        wanted = set(args.only.split(","))
        runs = [r for r in runs if r.name in wanted]
    return runs


def execute(run: Run, tmp: Path) -> Result:
    out = tmp / f"out-{run.name}"
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    cmd = [c.replace("{out}", str(out)) for c in run.cmd]
    res, sampler, _ = run_measured(cmd)
    avg_kb, max_kb = _sizes(out, f".{run.kind}")
    shutil.rmtree(out, ignore_errors=True)
    return Result(
        run.name, run.records, run.workers, int(res.get("written", 0)), int(res.get("failed", 0)), float(res.get("seconds", 0.0)),
        float(res.get("cpu_s", 0.0)), sampler.peak_rss_kb / 1024, sampler.peak_pss_kb / 1024, avg_kb, max_kb,
        res.get("first_card_s"),
    )  # fmt: skip


def summary(results: list[Result]) -> dict[str, Any]:
    by = {r.name: r for r in results}
    out: dict[str, Any] = {}
    fp1, fp2, rl, ty = by.get("faceprint-pdf"), by.get("faceprint-pdf2"), by.get("reportlab"), by.get("typst")
    for tag, fp in (("same", by.get("faceprint-same")), ("product", fp1)):
        if fp is None:
            continue
        for ref_tag, ref in (("reportlab", rl), ("typst", ty)):
            if ref is not None and ref.rate and ref.per_cpu_s:
                out[f"{tag}_over_{ref_tag}"] = fp.rate_per_core / ref.rate_per_core
                out[f"{tag}_over_{ref_tag}_cpu"] = fp.per_cpu_s / ref.per_cpu_s
        if fp.max_kb is not None:
            out[f"{tag}_pdf_avg_kb"] = fp.avg_kb
            out[f"{tag}_pdf_max_kb"] = fp.max_kb
    png, typst_png = by.get("faceprint-pngs"), by.get("typst-png")
    if png and typst_png and png.per_cpu_s and typst_png.per_cpu_s:
        out["png_cpu_over_typst"] = typst_png.per_cpu_s / png.per_cpu_s  # faceprint's CPU per card / Typst's
    if fp1 and fp2 and fp1.rate:
        out["speedup_2_workers"] = fp2.rate / fp1.rate
    return out


def print_table(results: list[Result], summ: dict[str, Any], args: argparse.Namespace) -> None:
    print(f"records: --data {args.data}, N={args.n}, PNG at {args.dpi:g} dpi over {min(args.n, args.png_records)}; "
          f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f}")  # fmt: skip
    head = (f"{'run':15} {'records':>7} {'wrk':>3} {'s':>8} {'cards/s':>8} {'/core':>7} {'CPU':>5} {'cards/CPU-s':>11} "
            f"{'RSS MB':>7} {'PSS MB':>7} {'avg KB':>7} {'max KB':>7} {'fail':>4}")  # fmt: skip
    print(head)
    print("-" * len(head))
    for r in results:
        kb = f"{r.avg_kb:7.1f} {r.max_kb:7.1f}" if r.avg_kb is not None and r.max_kb is not None else f"{'—':>7} {'—':>7}"
        util = r.cpu_s / r.seconds if r.seconds else 0.0
        print(
            f"{r.name:15} {r.records:7d} {r.workers:3d} {r.seconds:8.2f} {r.rate:8.2f} {r.rate_per_core:7.2f} {util:5.2f} "
            f"{r.per_cpu_s:11.2f} {r.peak_rss_mb:7.1f} {r.peak_pss_mb:7.1f} {kb} {r.failed:4d}"
        )

    def fmt(key: str, target: float | None = None, unit: str = "×") -> str:
        v = summ.get(key)
        if v is None:
            return "—"
        mark = "" if target is None else ("  ok" if v >= target else f"  BELOW {target:g}{unit}")
        return f"{v:.2f}{unit}{mark}"

    print()
    for tag, what in (("same", "faceprint-same (the references' card)"), ("product", "faceprint-pdf (next-gen as shipped)")):
        if f"{tag}_over_reportlab" in summ or f"{tag}_over_typst" in summ:
            print(f"{what}:")
            print(f"  / reportlab per core: {fmt(f'{tag}_over_reportlab', TARGET_FLOOR)}  "
                  f"(CPU-time basis {fmt(f'{tag}_over_reportlab_cpu')}; floor {TARGET_FLOOR}×)")  # fmt: skip
            print(f"  / Typst per core:     {fmt(f'{tag}_over_typst', 1.0)}  "
                  f"(CPU-time basis {fmt(f'{tag}_over_typst_cpu')}; goal ≥ 1×)")  # fmt: skip
        if summ.get(f"{tag}_pdf_max_kb") is not None:
            avg, big = summ[f"{tag}_pdf_avg_kb"], summ[f"{tag}_pdf_max_kb"]
            ok = "ok" if big < TARGET_PDF_KB else f"OVER {TARGET_PDF_KB} KB"
            print(f"  PDF per card: avg {avg:.1f} KB, max {big:.1f} KB  {ok}")
    if "png_cpu_over_typst" in summ:
        ratio = summ["png_cpu_over_typst"]
        print(f"PNG at {args.dpi:g} dpi, faceprint-pngs CPU per card / typst-png's: {ratio:.2f}×  "
              f"{'ok' if ratio <= 1.0 else 'ABOVE 1×'} (goal ≤ 1×)")  # fmt: skip
    print(f"speed-up with 2 workers (faceprint-pdf2 / faceprint-pdf): {fmt('speedup_2_workers', TARGET_SPEEDUP)}")


# -- memory mode -----------------------------------------------------------------------------------
def memory_mode(args: argparse.Namespace, tmp: Path, photos: list[Path] | None) -> dict[str, Any]:
    records = tmp / "memory.jsonl"
    t0 = time.perf_counter()
    write_records(records, args.memory_records, args.data, photos)
    gen_s = time.perf_counter() - t0
    out = tmp / "out-memory"
    out.mkdir()
    swept = {"n": 0, "bytes": 0, "max": 0}
    start = time.perf_counter()

    def sweep() -> None:
        if args.keep_outputs:
            return
        with os.scandir(out) as it:
            for e in it:
                if e.name.endswith(".pdf") and not e.name.startswith("."):
                    with contextlib.suppress(OSError):
                        size = e.stat().st_size
                        os.unlink(e.path)
                        swept["n"] += 1
                        swept["bytes"] += size
                        swept["max"] = max(swept["max"], size)

    cli = [sys.executable, "-m", "faceprint", "batch", args.layout, str(records), "--out", str(out),
           "--workers", "2", "--format", "pdf"]  # fmt: skip
    proc_out: str
    _, sampler, proc_out = run_measured(cli, on_tick=sweep)
    wall = time.perf_counter() - start
    sweep()
    if args.keep_outputs:
        files = [p for p in out.glob("*.pdf")]
        swept["n"] = len(files)
        swept["bytes"] = sum(p.stat().st_size for p in files)
        swept["max"] = max((p.stat().st_size for p in files), default=0)
    summary_line = proc_out.strip().splitlines()[-1] if proc_out.strip() else ""
    # peak tree RSS per tenth of the run's time: flat means no growth with the number of records
    deciles: list[float] = []
    if sampler.timeline:
        end = sampler.timeline[-1][0] or 1.0
        for k in range(10):
            window = [rss for t, rss in sampler.timeline if k * end / 10 <= t <= (k + 1) * end / 10]
            deciles.append(round(max(window, default=0.0) / 1024, 1))
    errors = out / "errors.jsonl"
    failed = sum(1 for _ in errors.open(encoding="utf-8")) if errors.is_file() else 0
    return {
        "mode": "memory",
        "layout": args.layout,
        "data": args.data,
        "records": args.memory_records,
        "photo_pool": len(photos) if photos else 12,
        "generate_s": gen_s,
        "wall_s": wall,
        "records_per_s": args.memory_records / wall if wall else 0.0,
        "faceprint_summary": summary_line,
        "failed_problem_lines": failed,
        "peak_tree_rss_mb": sampler.peak_rss_kb / 1024,
        "peak_tree_pss_mb": sampler.peak_pss_kb / 1024,
        "peak_rss_by_tenth_mb": deciles,
        "target_rss_mb": TARGET_RSS_MB,
        "pdf_count": swept["n"],
        "pdf_avg_kb": swept["bytes"] / swept["n"] / 1024 if swept["n"] else None,
        "pdf_max_kb": swept["max"] / 1024 if swept["n"] else None,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("-n", type=int, default=1000, help="records for the PDF runs (default 1000)")
    ap.add_argument("--png-records", type=int, default=200, help="records for the PNG run, at most N (default 200)")
    ap.add_argument("--dpi", type=float, default=600)
    ap.add_argument("--layout", default=str(LAYOUT), help="faceprint's layout for the pdf, png, pdf2 and memory runs")
    ap.add_argument("--same-layout", default=str(SAME_LAYOUT), help="faceprint's layout with the references' card content")
    ap.add_argument("--data", choices=("cycle", "varied"), default="cycle", help="record generation (see above)")
    ap.add_argument("--photo-pool", type=int, default=1000, help="distinct portraits for --data varied (default 1000)")
    ap.add_argument("--only", default="", help="comma-separated run names to do (default: all)")
    ap.add_argument("--rl-qr-widget", action="store_true", help="also run the reportlab reference with reportlab's QR widget")
    ap.add_argument("--memory-records", type=int, default=0, help="memory mode: stream this many records through faceprint batch")
    ap.add_argument("--keep-outputs", action="store_true", help="memory mode: do not delete PDFs as they are written")
    ap.add_argument("--tmp-dir", default=None, help="where records and outputs go (default: the system temp folder)")
    ap.add_argument("--json", action="store_true", help="print JSON instead of the table")
    ap.add_argument("--child", choices=("faceprint",), help=argparse.SUPPRESS)
    ap.add_argument("--child-format", help=argparse.SUPPRESS)
    ap.add_argument("--child-workers", type=int, default=1, help=argparse.SUPPRESS)
    ap.add_argument("--child-records", help=argparse.SUPPRESS)
    ap.add_argument("--child-out", help=argparse.SUPPRESS)
    args = ap.parse_args()

    if args.child:
        paths = Path(args.layout), Path(args.child_records), Path(args.child_out)
        child_faceprint(*paths, args.child_format, args.child_workers, args.dpi)
        return

    tmp = Path(tempfile.mkdtemp(prefix="fp-prodbench-", dir=args.tmp_dir))
    try:
        count = args.memory_records or args.n
        photos = make_photo_pool(tmp / "photos", min(count, args.photo_pool)) if args.data == "varied" else None
        if args.memory_records:
            res = memory_mode(args, tmp, photos)
            if args.json:
                print(json.dumps(res, indent=2, ensure_ascii=False))
            else:
                for k, v in res.items():
                    print(f"{k:22} {v:.2f}" if isinstance(v, float) else f"{k:22} {v}")
                ok = "ok" if res["peak_tree_rss_mb"] < TARGET_RSS_MB else f"OVER {TARGET_RSS_MB} MB"
                print(f"peak tree RSS {res['peak_tree_rss_mb']:.1f} MB: {ok}")
            return
        records = tmp / "records.jsonl"
        write_records(records, args.n, args.data, photos)
        png_records = _records_slice(records, tmp / "records-png.jsonl", min(args.n, args.png_records))
        results = []
        for run in plan(args, records, png_records):
            if not args.json:
                print(f"running {run.name} ({run.records} records)…", file=sys.stderr, flush=True)
            try:
                results.append(execute(run, tmp))
            except RuntimeError as exc:  # one broken run (say, typst not installed) does not lose the others
                print(f"{run.name} failed: {exc}", file=sys.stderr)
        summ = summary(results)
        if args.json:
            print(json.dumps({"data": args.data, "n": args.n, "dpi": args.dpi, "cpus": os.cpu_count(),
                              "load_average": os.getloadavg()[0],
                              "runs": [{**r.__dict__, "cards_per_s": r.rate, "cards_per_s_per_core": r.rate_per_core,
                                        "cards_per_cpu_s": r.per_cpu_s} for r in results],
                              "summary": summ}, indent=2))  # fmt: skip
        else:
            print_table(results, summ, args)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()

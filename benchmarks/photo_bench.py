"""Photo checks: run time per check per photo, and per-check agreement with the expected verdicts.

Usage: ``python benchmarks/photo_bench.py [--repeat N]``.  Reads tests/photo/data and derives the
defects of tests/photo/photo_defects.py; the expected verdicts are the table in
tests/photo/test_photo_verdicts.py.  Prints markdown tables.
"""

from __future__ import annotations

import argparse
import contextlib
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "photo"))
sys.path.insert(0, str(ROOT))

import photo_defects  # noqa: E402
from test_photo_verdicts import VERDICTS  # noqa: E402

from faceprint.photo import detect  # noqa: E402
from faceprint.photo.analysis import load_photo  # noqa: E402
from faceprint.photo.checks import CHECKS, run_checks  # noqa: E402
from faceprint.photo.profiles import get_profile  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3, help="timed runs per photo (median is shown)")
    args = parser.parse_args()
    profile = get_profile("mynumber")

    started = time.perf_counter()
    detect.is_available()
    load_s = time.perf_counter() - started

    with tempfile.TemporaryDirectory() as tmp:
        cases = {name: photo_defects.write(name, Path(tmp)) for name in photo_defects.DEFECTS}
        originals = sorted(photo_defects.PHOTOS.iterdir())
        cases.update({p.name: p for p in originals if p.suffix in (".png", ".jpg")})

        per_check: dict[str, list[float]] = defaultdict(list)
        shared: dict[str, list[float]] = defaultdict(list)
        totals: list[float] = []
        verdicts: dict[tuple[str, str], str] = {}
        for case, path in cases.items():
            runs: list[float] = []
            for _ in range(args.repeat):
                t0 = time.perf_counter()
                analysis = load_photo(path)
                t1 = time.perf_counter()
                _ = analysis.faces
                t2 = time.perf_counter()
                _ = analysis.face_count
                t3 = time.perf_counter()
                with contextlib.suppress(Exception):  # timing only
                    _ = analysis.person
                t4 = time.perf_counter()
                _ = analysis.grey
                t5 = time.perf_counter()
                with contextlib.suppress(Exception):
                    _ = analysis.face_region, analysis.background
                t6 = time.perf_counter()
                shared["load"].append(t1 - t0)
                shared["face mesh"].append(t2 - t1)
                shared["face detector (count)"].append(t3 - t2)
                shared["person segmentation"].append(t4 - t3)
                shared["luminance images"].append(t5 - t4)
                shared["face and background masks"].append(t6 - t5)
                for item in CHECKS:
                    limit = profile.limits[item.name]
                    c0 = time.perf_counter()
                    with contextlib.suppress(Exception):  # a not_run is timed as well
                        item.func(analysis, profile, limit)
                    per_check[item.name].append(time.perf_counter() - c0)
                runs.append(time.perf_counter() - t0)
            totals.append(statistics.median(runs))
            for result in run_checks(load_photo(path), profile):
                verdicts[(case, result.name)] = result.status

    print(f"Detector load (once per process): {load_s:.2f} s\n")
    print(
        f"Photos: {len(cases)}; median total per photo {statistics.median(totals) * 1000:.0f} ms, "
        f"max {max(totals) * 1000:.0f} ms\n"
    )
    print("| stage / check | median ms | max ms |\n|---|---:|---:|")
    for name, values in [*shared.items(), *per_check.items()]:
        print(f"| {name} | {statistics.median(values) * 1000:.1f} | {max(values) * 1000:.1f} |")

    agree: dict[str, list[bool]] = defaultdict(list)
    for case, name, expected in VERDICTS:
        agree[name].append(verdicts[(case, name)] == expected)
    print("\n| check | agree / expected | misses |\n|---|---:|---|")
    for item in CHECKS:
        hits = agree.get(item.name, [])
        misses = [c for c, n, e in VERDICTS if n == item.name and verdicts[(c, n)] != e]
        print(f"| {item.name} | {sum(hits)} / {len(hits)} | {', '.join(misses)} |")
    total_hits = sum(sum(v) for v in agree.values())
    print(f"\nOverall: {total_hits} / {len(VERDICTS)} verdicts agree")


if __name__ == "__main__":
    main()

"""Hypothesis settings for the fuzz suite, and the watchdog and memory cap every example runs under.

``make test`` runs a bounded number of examples (the ``ci`` profile); ``make fuzz`` sets
``FACEPRINT_FUZZ=long`` for the long run. Each example runs under a memory cap (the soft
RLIMIT_AS raised for that example only) and a watchdog alarm: an example that hangs or grows
without bound fails as such instead of stalling or killing the run. The watchdog is a hang
detector far above any real render (a card takes well under a second), not a speed assertion.
"""

from __future__ import annotations

import os
import resource
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

from hypothesis import HealthCheck, settings

LONG = os.environ.get("FACEPRINT_FUZZ") == "long"
WATCHDOG_SECONDS = 60  # a hang detector: the slowest hostile example measured takes under 3 s
MEMORY_HEADROOM_BYTES = 2 * 1024**3  # address space an example may add to what the process already has

# examples per test: ci keeps `make test` to well under a minute on 2 cores; long is `make fuzz` (~10 min)
CI_EXAMPLES = {"layouts": 80, "records": 40, "templates": 300}
LONG_EXAMPLES = {"layouts": 3_000, "records": 3_000, "templates": 20_000}


def fuzz_settings(kind: str) -> settings:
    return settings(
        max_examples=(LONG_EXAMPLES if LONG else CI_EXAMPLES)[kind],
        deadline=None,  # time is bounded by the watchdog and the product's own limits, not asserted
        derandomize=not LONG,  # make test is reproducible; the long run explores
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.function_scoped_fixture],
        database=None,
    )


class Hung(Exception):
    """An example ran past the watchdog."""


def _alarm(signum: int, frame: FrameType | None) -> None:
    raise Hung(f"an example ran longer than {WATCHDOG_SECONDS} s")


def _address_space() -> int:
    with open("/proc/self/statm", encoding="ascii") as f:
        return int(f.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")


@contextmanager
def bounded() -> Iterator[None]:
    """Run the body under the watchdog and the memory cap; both are lifted afterwards."""
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    cap = _address_space() + MEMORY_HEADROOM_BYTES
    if hard != resource.RLIM_INFINITY:
        cap = min(cap, hard)
    previous = signal.signal(signal.SIGALRM, _alarm)
    resource.setrlimit(resource.RLIMIT_AS, (cap, hard))
    signal.alarm(WATCHDOG_SECONDS)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))

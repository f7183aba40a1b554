"""Suite-wide rule: in CI (``CI`` set) a skipped test is a failed test.

Locally a missing optional tool or extra skips its tests with the reason; in CI every tool and extra is
installed (``make setup`` and ``.ci/system-deps``), so a skip there means a check silently did not run.
Expected failures (``xfail``) are not skips and are left alone.
"""

from __future__ import annotations

from collections.abc import Generator

import pytest
import required


def _fail_skip(report: pytest.CollectReport | pytest.TestReport) -> None:
    if required.in_ci() and report.skipped and not hasattr(report, "wasxfail"):
        report.outcome = "failed"
        report.longrepr = f"skipped in CI (a skip there is a failure): {report.longrepr}"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Generator[None, None, None]:
    outcome = yield
    _fail_skip(outcome.get_result())


@pytest.hookimpl(hookwrapper=True)
def pytest_make_collect_report(collector: pytest.Collector) -> Generator[None, None, None]:
    outcome = yield
    _fail_skip(outcome.get_result())

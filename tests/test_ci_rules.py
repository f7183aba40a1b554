"""In CI a skip is a failure (tests/conftest.py, tests/required.py): shown on a throwaway test file."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

TESTS = Path(__file__).resolve().parent

SAMPLE = '''
import pytest
import required

def test_needs_a_missing_tool():
    required.tool("faceprint-no-such-tool", "no-such-package")

def test_plain_skip():
    pytest.skip("optional extra not installed")

@pytest.mark.xfail(strict=True)
def test_known_failure():
    assert False
'''
EXTRA = '''
import pytest
pytest.importorskip("faceprint_no_such_module")

def test_never_collected():
    pass
'''


def _run(tmp_path: Path, ci: str | None) -> subprocess.CompletedProcess[str]:
    (tmp_path / "test_sample.py").write_text(SAMPLE, encoding="utf-8")
    (tmp_path / "test_extra.py").write_text(EXTRA, encoding="utf-8")
    (tmp_path / "conftest.py").write_text((TESTS / "conftest.py").read_text(encoding="utf-8"), encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    env["PYTHONPATH"] = os.pathsep.join([str(TESTS), env.get("PYTHONPATH", "")])
    if ci is not None:
        env["CI"] = ci
    cmd = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-rA", "--continue-on-collection-errors"]
    cmd.append(str(tmp_path))
    return subprocess.run(cmd, cwd=tmp_path, env=env, capture_output=True, text=True, check=False)


def test_a_missing_tool_skips_locally(tmp_path: Path) -> None:
    result = _run(tmp_path, None)
    assert result.returncode == 0, result.stdout
    assert "3 skipped, 1 xfailed" in result.stdout
    assert "faceprint-no-such-tool not found (apt-get install no-such-package" in result.stdout


def test_in_ci_every_skip_fails_but_xfail_stays(tmp_path: Path) -> None:
    result = _run(tmp_path, "true")
    assert result.returncode == 1, result.stdout
    assert "2 failed, 1 xfailed, 1 error" in result.stdout  # the error: a module skipped at import
    assert "could not import 'faceprint_no_such_module'" in result.stdout
    assert "required in CI: faceprint-no-such-tool not found" in result.stdout
    assert "skipped in CI (a skip there is a failure)" in result.stdout

"""Float tolerances live in ``tolerances.py`` and unit ratios in ``units.py`` (issue 17 §6).

Read from the source with ``ast`` so a comment or docstring naming 1e-4 does not count: a numeric
literal of 0.01 or less that is not zero, or 25.4 (mm per inch), anywhere else is a stray epsilon or
a conversion done by hand (0.001 and 0.01 are named limits and steps: ``limits.MIN_DASH_MM``,
``fit.CONDENSE_STEP``, the rosette radius floor).
"""

from __future__ import annotations

import ast
import math
from pathlib import Path

import faceprint
from faceprint import tolerances
from faceprint.text import fit
from faceprint.units import MM_PER_INCH, mm_to_px

PACKAGE = Path(faceprint.__file__).parent
HOME = {PACKAGE / "tolerances.py", PACKAGE / "units.py"}


def _stray(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Constant) and isinstance(node.value, float) and not isinstance(node.value, bool):
            v = node.value
            if v == 25.4 or (0 < v < 0.001):
                found.append(f"{path.name}:{node.lineno}: {v!r}")
    return found


def test_no_epsilon_or_inch_literal_outside_the_two_modules() -> None:
    stray = [hit for path in sorted(PACKAGE.rglob("*.py")) if path not in HOME for hit in _stray(path)]
    assert stray == []


def test_the_check_finds_a_stray_epsilon(tmp_path: Path) -> None:
    """The scan above can fail: a module with a bare 1e-9 and a hand-made 25.4 is caught twice."""
    bad = tmp_path / "probe.py"
    bad.write_text('"""1e-4 in a docstring is no literal."""\ndef f(x):\n    return x < 1e-9 or x * 25.4\n', encoding="utf-8")
    assert [hit.split(": ")[1] for hit in _stray(bad)] == ["1e-09", "25.4"]


def test_named_tolerances_are_tiny_against_print_and_the_fit_grids() -> None:
    dot_mm = MM_PER_INCH / 2400  # one dot of a 2400 dpi imagesetter
    assert dot_mm / 1000 > tolerances.LENGTH_EPS_MM
    assert tolerances.SCALE_EPS < fit.CONDENSE_STEP / 1e6
    assert tolerances.SCALE_EPS < fit.SHRINK_STEP_PT / 1e6
    # a bleed that is a whole number of pixels on paper stays that number after the conversion
    assert math.ceil(mm_to_px(3.0, 254) - tolerances.PIXEL_EPS) == 30

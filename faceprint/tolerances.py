"""Named float tolerances: every epsilon the code compares with, and why it has that size.

Lengths are millimetres and sizes points (``units.py``); these tolerances only absorb the rounding
of float arithmetic (sums of advances, scaled widths, grids built by repeated subtraction), so a
value that is equal on paper compares equal in code. None of them is a print tolerance: a real
limit (the smallest dash, an overlap that counts as a collision) is a named constant beside the rule
that uses it (``limits.py``, ``lint/``).
"""

from __future__ import annotations

# Lengths in mm computed by adding or scaling other lengths (text widths, block heights, boxes):
# 1 nm, far below any printer (a 2400 dpi dot is 10.6 µm) and far above float64's error at card
# sizes (about 1e-14 mm at 100 mm).
LENGTH_EPS_MM = 1e-6

# Type sizes (pt) and horizontal scales (1.0 = natural width) compared with their floors: the fit
# grids step by 0.1 pt and 1 % and are rounded to 6 decimals, so 1e-9 only hides the last bits of
# that rounding and never lets a real step below a floor through.
SCALE_EPS = 1e-9

# Microtext: the arc length a glyph may overrun the end of its path by (mm) and still be set; the
# running sum of advances drifts by float rounding only.
PATH_LENGTH_EPS_MM = 1e-9

# Pixels: a length in mm converted to pixels that is a whole number on paper (a 3 mm bleed at
# 254 dpi) must not round up to one pixel more because of float rounding.
PIXEL_EPS = 1e-9

# Twice the area (mm²) under which a fill's points count as one straight line (a fill with no area,
# painted as nothing): far below a pixel's area at any dpi (at 2400 dpi a pixel is 1.1e-4 mm²).
COLLINEAR_EPS_MM2 = 1e-9

# The designer preview's layout diff: a geometry difference below 1 µm is the YAML's rounding
# (edits are written to 0.01 mm), not an edit the designer made.
DIFF_EPS_MM = 1e-3

# Photo checks: a luminance spread (0..1) at or below this is a flat patch (a blank or saturated
# image), where ratios and correlations mean nothing; and the smallest mean used as a divisor.
FLAT_SPREAD = 1e-3
MIN_DIVISOR = 1e-6

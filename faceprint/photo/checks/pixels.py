"""Pixel statistics that several check families share (the grey spread of a region).

Eye visibility, sharpness and greyscale contrast all judge a region by the same robust spread, so
it is defined once.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt


def grey_spread(values: npt.NDArray[np.float32]) -> float:
    if values.size < 4:
        return 0.0
    lo, hi = np.percentile(values, [5, 95])
    return float(hi - lo)

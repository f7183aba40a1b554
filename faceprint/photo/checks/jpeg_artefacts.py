"""JPEG measures: the 8×8 block-edge ratio of a region and the IJG quality a file was saved at.

The compression check reports both; the quality estimate needs libjpeg's table scaling, which is
detail enough to keep apart from the check itself.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from faceprint.photo.analysis import Analysis
from faceprint.tolerances import MIN_DIVISOR

# IJG standard luminance quantisation table (ITU-T T.81 Annex K, table K.1).
# fmt: off
_IJG_LUMA = np.array(
    [
        16, 11, 10, 16, 24, 40, 51, 61,
        12, 12, 14, 19, 26, 58, 60, 55,
        14, 13, 16, 24, 40, 57, 69, 56,
        14, 17, 22, 29, 51, 87, 80, 62,
        18, 22, 37, 56, 68, 109, 103, 77,
        24, 35, 55, 64, 81, 104, 113, 92,
        49, 64, 78, 87, 103, 121, 120, 101,
        72, 92, 95, 98, 112, 100, 103, 99,
    ],
    dtype=np.float64,
)
# fmt: on


def blockiness(grey: npt.NDArray[np.float32]) -> float:
    """Mean step across 8-px block edges over the mean step elsewhere, best grid offset, both axes."""
    ratios = []
    for diffs in (np.abs(np.diff(grey, axis=1)), np.abs(np.diff(grey, axis=0)).T):
        column_mean = diffs.mean(axis=0)
        if column_mean.size < 16:
            return 1.0
        per_offset = []
        for offset in range(8):
            edge = column_mean[offset::8]
            other = np.delete(column_mean, np.s_[offset::8])
            per_offset.append(float(edge.mean()) / max(float(other.mean()), MIN_DIVISOR))
        ratios.append(per_offset)
    return max((h + v) / 2.0 for h, v in zip(ratios[0], ratios[1], strict=True))


def jpeg_quality(a: Analysis) -> int | None:
    """IJG quality whose scaled luminance table best matches the file's (None if not a JPEG).

    Baseline tables clamp at 255, so the match is made on the clamped table sum for q = 1…100.
    """
    tables = getattr(a.image, "quantization", None)
    if not tables or 0 not in tables:
        return None
    total = float(np.sum(tables[0]))
    return min(range(1, 101), key=lambda q: abs(_ijg_table_sum(q) - total))


def _ijg_table_sum(quality: int) -> float:
    """Sum of the K.1 table scaled the way libjpeg's ``jpeg_quality_scaling`` does."""
    scale = 5000.0 / quality if quality < 50 else 200.0 - 2.0 * quality
    return float(np.clip(np.floor((_IJG_LUMA * scale + 50.0) / 100.0), 1, 255).sum())

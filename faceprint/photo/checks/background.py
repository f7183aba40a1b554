"""Checks on the background: uniform (OFIQ's gradient measure) and light.

Measured over ``Analysis.background`` (the segmented area behind the person), not the face.
"""

from __future__ import annotations

import cv2
import numpy as np

from faceprint.photo.analysis import Analysis, NotRunnable
from faceprint.photo.checks.registry import Measured, check
from faceprint.photo.profiles import Limit, Profile

# OFIQ measures background gradients on its aligned, resized face image, where the inter-eye distance
# is about 81 px (113 px in the 616 px alignment, then resized by 354/492): resample to that scale so
# the gradient values compare with OFIQ's.
_OFIQ_BACKGROUND_IED = 81.0


@check("background_uniformity", "Background uniformity")
def background_uniformity(a: Analysis, profile: Profile, limit: Limit) -> Measured:
    """OFIQ BackgroundUniformity's measure: mean Sobel magnitude over the background.

    Unlike OFIQ it runs on sRGB-encoded grey (0–255) rather than linear luminance: in linear light a
    dark, busy background has small gradients (george 8 linear vs 22 encoded), which would pass.
    """
    scale = _OFIQ_BACKGROUND_IED / a.ied
    size = (max(1, round(a.width * scale)), max(1, round(a.height * scale)))
    lum = cv2.resize(a.grey * 255.0, size, interpolation=cv2.INTER_AREA)
    mask = cv2.resize(a.background.astype(np.uint8), size, interpolation=cv2.INTER_NEAREST).astype(bool)
    if mask.sum() < 50:
        raise NotRunnable("too little background to measure")
    gx = cv2.Sobel(lum, cv2.CV_32F, 1, 0, ksize=3)
    gy = cv2.Sobel(lum, cv2.CV_32F, 0, 1, ksize=3)
    magnitude = np.sqrt(gx * gx + gy * gy)
    return Measured(float(magnitude[mask].mean()), None, f"background {mask.mean():.0%} of image")


@check("background_brightness", "Background brightness")
def background_brightness(a: Analysis, profile: Profile, limit: Limit) -> Measured:
    """Mean grey (sRGB-encoded, 0–1) of the background: the rules ask for a light one."""
    mask = a.background
    if mask.sum() < 50:
        raise NotRunnable("too little background to measure")
    return Measured(float(a.grey[mask].mean()))

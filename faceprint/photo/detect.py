"""Face detector wrapper: MediaPipe 0.10.21 FaceMesh, full-range face detection and selfie segmentation.

Why MediaPipe: it is the only candidate whose models ship inside the PyPI wheel *and* give eyelid,
lip and iris points (478 landmarks) plus a person mask for the crown and the background; measured
against dlib, MTCNN, Haar and the res10 SSD it had the smallest eye-centre error and found every face
(see the README's "Photo checks" section).  0.10.21 is the last release that bundles the models
(photo-quality.md §3); it is installed with ``--no-deps`` because its declared dependencies (jax,
opencv-contrib, numpy<2) are not needed for the face solutions and it runs on NumPy 2.

Models load lazily, once per process, behind a lock: MediaPipe graphs are not thread-safe.
Input: an RGB ``uint8`` array.  Output: landmarks in pixels, face counts, a person mask.
"""

from __future__ import annotations

import contextlib
import os
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

MAX_FACES = 4
# MediaPipe's own defaults; FaceMesh keeps faces its detector scores ≥ 0.5.
MIN_CONFIDENCE = 0.5

_lock = threading.Lock()
_models: dict[str, Any] = {}


class DetectorUnavailable(RuntimeError):
    """MediaPipe is not installed (or not importable on this Python)."""


@dataclass(frozen=True)
class Face:
    """One face: 478 FaceMesh points as (x px, y px, z px-scaled depth; smaller z is nearer)."""

    points: npt.NDArray[np.float64]

    def xy(self, index: int) -> npt.NDArray[np.float64]:
        """The (x, y) pixel position of landmark ``index``."""
        return self.points[index, :2]

    @property
    def area(self) -> float:
        """Area of the landmark bounding box in px², to pick the main face."""
        span = self.points[:, :2].max(axis=0) - self.points[:, :2].min(axis=0)
        return float(span[0] * span[1])


@contextlib.contextmanager
def _quiet_stderr() -> Iterator[None]:
    """Silence file descriptor 2 while MediaPipe runs: its C++ graph threads log start-up chatter
    (TFLite delegate, feedback-manager warnings) that would clutter every CLI report."""
    try:
        fd = sys.stderr.fileno()
    except (AttributeError, OSError, ValueError):  # stderr replaced by an object without a descriptor
        yield
        return
    sys.stderr.flush()
    saved = os.dup(fd)
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, fd)
        yield
    finally:
        os.dup2(saved, fd)
        os.close(saved)
        os.close(devnull)


def _load(name: str) -> Any:
    """Build a MediaPipe solution on first use; later calls reuse it."""
    if name in _models:
        return _models[name]
    os.environ.setdefault("GLOG_minloglevel", "2")  # MediaPipe's C++ logging is noise for a CLI
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    try:
        from mediapipe.python.solutions import (  # type: ignore[import-untyped,import-not-found,unused-ignore]
            face_detection,
            face_mesh,
            selfie_segmentation,
        )
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise DetectorUnavailable(
            "face detector not installed: pip install --no-deps mediapipe==0.10.21 "
            f"(and opencv-python-headless, protobuf<5, matplotlib, absl-py, flatbuffers): {exc}"
        ) from exc
    if name == "mesh":
        model = face_mesh.FaceMesh(
            static_image_mode=True,
            refine_landmarks=True,
            max_num_faces=MAX_FACES,
            min_detection_confidence=MIN_CONFIDENCE,
        )
    elif name == "detector":
        # model_selection=1: the full-range model, which also finds small faces (a second face pasted in).
        model = face_detection.FaceDetection(model_selection=1, min_detection_confidence=MIN_CONFIDENCE)
    else:
        model = selfie_segmentation.SelfieSegmentation(model_selection=0)
    # One tiny run starts the graph now, while stderr is silenced; otherwise its start-up chatter
    # surfaces later (at the first run or at exit).
    model.process(np.zeros((64, 64, 3), np.uint8))
    _models[name] = model
    return model


def is_available() -> bool:
    """True when the detector can be loaded (used by tests and the CLI to explain not_run)."""
    try:
        with _lock, _quiet_stderr():
            _load("mesh")
    except DetectorUnavailable:
        return False
    return True


def find_faces(rgb: npt.NDArray[np.uint8]) -> list[Face]:
    """All faces FaceMesh finds, largest first."""
    h, w = rgb.shape[:2]
    with _lock, _quiet_stderr():
        result = _load("mesh").process(np.ascontiguousarray(rgb))
    faces = []
    for landmarks in result.multi_face_landmarks or []:
        pts = np.array([(p.x * w, p.y * h, p.z * w) for p in landmarks.landmark], dtype=np.float64)
        faces.append(Face(pts))
    return sorted(faces, key=lambda f: -f.area)


def count_detections(rgb: npt.NDArray[np.uint8]) -> int:
    """Faces seen by the full-range detector: a second opinion for the single-face check."""
    with _lock, _quiet_stderr():
        result = _load("detector").process(np.ascontiguousarray(rgb))
    return len(result.detections or [])


def person_mask(rgb: npt.NDArray[np.uint8]) -> npt.NDArray[np.float32]:
    """Probability (0–1) that each pixel belongs to the person, at the image's size."""
    with _lock, _quiet_stderr():
        result = _load("segmentation").process(np.ascontiguousarray(rgb))
    return np.asarray(result.segmentation_mask, dtype=np.float32)

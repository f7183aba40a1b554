"""prepare_portrait: box size at dpi, mode L, face placed by the geometry rules, contrast normalised."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image

pytest.importorskip("mediapipe", reason="install with: pip install --no-deps mediapipe==0.10.21")

from faceprint.errors import DataError
from faceprint.photo import Analysis, prepare_photo_file, prepare_portrait
from faceprint.photo.prepare import box_pixels


@pytest.mark.parametrize("case", ["base", "off_centre", "small_head", "rotated"])
def test_face_placed_by_geometry(case: str, defect_files: dict[str, Path]) -> None:
    """Card box 22 × 27.5 mm at 600 dpi: crown at 4/45, head 34/45 of the height, centred."""
    with Image.open(defect_files[case]) as src:
        out = prepare_portrait(src, 22.0, 27.5, 600)
    assert out.mode == "L" and out.size == box_pixels(22.0, 27.5, 600) == (520, 650)
    placed = Analysis(out.convert("RGB"))
    h, w = out.height, out.width
    centre = float((placed.eye_mid[0] + placed.mouth_mid[0]) / 2)
    assert abs(centre - w / 2) <= 0.03 * w
    assert abs(placed.crown_y - 4 / 45 * h) <= 0.02 * h
    assert abs((placed.chin_y - placed.crown_y) - 34 / 45 * h) <= 0.03 * h


def test_contrast_normalised(defect_files: dict[str, Path]) -> None:
    """A low-contrast photo comes out using the full tonal range."""
    with Image.open(defect_files["low_contrast"]) as src:
        out = prepare_portrait(src, 22.0, 27.5, 300)
    lo, hi = np.percentile(np.asarray(out), [0.5, 99.5])
    assert lo <= 5 and hi >= 250


@pytest.mark.parametrize(("box", "dpi", "size"), [((35.0, 45.0), 300, (413, 531)), ((22.0, 27.5), 1200, (1039, 1299))])
def test_output_size(box: tuple[float, float], dpi: int, size: tuple[int, int], photos_dir: Path) -> None:
    with Image.open(photos_dir / "d01_compliant_base.png") as src:
        out = prepare_portrait(src, *box, dpi)
    assert out.size == size and out.info["dpi"] == (dpi, dpi)


def test_greyscale_matches_reference(photos_dir: Path) -> None:
    """Before the stretch, the conversion is the d17 reference rendering (sRGB→linear→BT.709→sRGB)."""
    from faceprint.photo.prepare import to_greyscale

    with (
        Image.open(photos_dir / "d01_compliant_base.png") as src,
        Image.open(photos_dir / "d17_bw_luminance_reference.png") as ref,
    ):
        grey = np.asarray(to_greyscale(src), dtype=int)
        assert np.abs(grey - np.asarray(ref, dtype=int)).max() <= 1


def test_no_face_raises_data_error(defect_files: dict[str, Path]) -> None:
    with pytest.raises(DataError, match="no face found"):
        prepare_photo_file(str(defect_files["blank"]), 22.0, 27.5, 300)


def test_unreadable_file_raises_data_error(tmp_path: Path) -> None:
    bad = tmp_path / "x.jpg"
    bad.write_text("text")
    with pytest.raises(DataError, match="cannot read"):
        prepare_photo_file(str(bad), 22.0, 27.5, 300)


def test_cut_off_crown_is_estimated(defect_files: dict[str, Path]) -> None:
    """With the crown out of frame, the face still lands where it does for the intact photo."""
    placed = {}
    for case in ("base", "crown_cut"):
        with Image.open(defect_files[case]) as src:
            placed[case] = Analysis(prepare_portrait(src, 22.0, 27.5, 300).convert("RGB"))
    height = placed["base"].height
    assert abs(placed["base"].eye_mid[1] - placed["crown_cut"].eye_mid[1]) <= 0.02 * height
    assert abs(placed["base"].chin_y - placed["crown_cut"].chin_y) <= 0.03 * height

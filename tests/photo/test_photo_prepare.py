"""prepare_portrait: box size at dpi, mode L, face placed by the geometry rules, contrast normalised."""

from __future__ import annotations

import functools
import json
import math
from pathlib import Path

import numpy as np
import photo_defects
import pytest
from PIL import Image, ImageChops

pytest.importorskip("mediapipe", reason="install with: pip install --no-deps mediapipe==0.10.21")

from faceprint.errors import DataError
from faceprint.photo import Analysis, prepare_photo_file, prepare_portrait
from faceprint.photo.prepare import box_pixels

LANDMARKS = json.loads((photo_defects.PHOTOS / "d01_landmarks.json").read_text(encoding="utf-8"))
BOX_MM, PLACE_DPI = (22.0, 27.5), 600
EYE_PATCH = (70, 40)  # px of d01 around each measured eye: iris, lids and brow edge to match on
PLACE_TOLERANCE = 0.01  # of the box height (6.5 px, 0.28 mm at 600 dpi); measured error: 2 px
MIN_CORRELATION = 0.8


def expected_eyes(case: str, out_w: int, out_h: int) -> dict[str, tuple[float, float]]:
    """Where the geometry rules (crown 4/45, head 34/45 of the height, face centred) put the eyes,
    computed from the hand-measured d01 landmarks moved as the case moved them: no detector involved."""
    move = functools.partial(photo_defects.moved_point, case)
    eyes = {side: move(*LANDMARKS[side]) for side in ("left_eye", "right_eye")}
    mouth = move(*LANDMARKS["mouth"])
    crown, chin = move(0, LANDMARKS["crown_y"])[1], move(0, LANDMARKS["chin_y"])[1]
    centre_x = ((eyes["left_eye"][0] + eyes["right_eye"][0]) / 2 + mouth[0]) / 2
    scale = 34 / 45 * out_h / (chin - crown)
    return {side: ((x - centre_x) * scale + out_w / 2, (y - crown) * scale + 4 / 45 * out_h) for side, (x, y) in eyes.items()}


def placement_errors(case: str, placed: Image.Image) -> list[str]:
    """Each eye found in ``placed`` by matching d01's own eye patch, against where it belongs."""
    import cv2

    out = np.asarray(placed.convert("L"))
    want = expected_eyes(case, placed.width, placed.height)
    move = functools.partial(photo_defects.moved_point, case)
    crown, chin = move(0, LANDMARKS["crown_y"])[1], move(0, LANDMARKS["chin_y"])[1]
    size = photo_defects.moved_point(case, 1, 0)[0] - photo_defects.moved_point(case, 0, 0)[0]
    scale = size * (34 / 45 * placed.height) / (chin - crown)  # d01 px → output px
    with Image.open(photo_defects.BASE) as source:
        grey = source.convert("L")
    errors, limit = [], PLACE_TOLERANCE * placed.height
    for side, (wx, wy) in want.items():
        ex, ey = LANDMARKS[side]
        w, h = EYE_PATCH
        patch = grey.crop((ex - w // 2, ey - h // 2, ex + w // 2, ey + h // 2))
        patch = patch.resize((round(w * scale), round(h * scale)), Image.Resampling.LANCZOS)
        pw, ph = patch.size
        x0, y0 = max(0, round(wx - 0.15 * placed.width - pw / 2)), max(0, round(wy - 0.15 * placed.width - ph / 2))
        window = out[y0 : round(wy + 0.15 * placed.width + ph / 2), x0 : round(wx + 0.15 * placed.width + pw / 2)]
        scores = cv2.matchTemplate(window, np.asarray(patch), cv2.TM_CCOEFF_NORMED)
        _, best, _, (bx, by) = cv2.minMaxLoc(scores)
        fx, fy = x0 + bx + pw / 2, y0 + by + ph / 2
        if best < MIN_CORRELATION:
            errors.append(f"{side}: not found near ({wx:.0f}, {wy:.0f}) (best match {best:.2f})")
        elif math.hypot(fx - wx, fy - wy) > limit:
            errors.append(f"{side}: at ({fx:.0f}, {fy:.0f}), belongs at ({wx:.0f}, {wy:.0f})")
    return errors


@pytest.mark.parametrize("case", ["base", "off_centre", "small_head", "crown_cut"])
def test_eyes_land_where_the_hand_measured_face_puts_them(case: str, defect_files: dict[str, Path]) -> None:
    """Card box 22 × 27.5 mm at 600 dpi: crown at 4/45, head 34/45 of the height, centred, checked
    against d01's eye positions measured by hand (data/d01_landmarks.json), not by the detector."""
    with Image.open(defect_files[case]) as src:
        out = prepare_portrait(src, *BOX_MM, PLACE_DPI)
    assert out.mode == "L" and out.size == box_pixels(*BOX_MM, PLACE_DPI) == (520, 650)
    assert placement_errors(case, out) == []


@pytest.mark.parametrize(("dx", "dy"), [(0, 15), (15, 0), (-15, -15)])
def test_a_face_placed_0_6_mm_off_fails_the_ground_truth_check(dx: int, dy: int, defect_files: dict[str, Path]) -> None:
    """Mutation: the correct output shifted by 15 px (0.64 mm at 600 dpi) is reported."""
    with Image.open(defect_files["base"]) as src:
        out = prepare_portrait(src, *BOX_MM, PLACE_DPI)
    shifted = ImageChops.offset(out, dx, dy)
    assert len(placement_errors("base", shifted)) == 2


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

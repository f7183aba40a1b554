"""The ``photo`` command in-process: exit codes, JSON schema, table, prepare through --box/--layout."""

from __future__ import annotations

import argparse
import json
import stat
from pathlib import Path

import pytest
from PIL import Image

pytest.importorskip("mediapipe", reason="install with: pip install --no-deps mediapipe==0.10.21")

from faceprint.photo import cli
from faceprint.photo.report import JSON_SCHEMA

ROOT = Path(__file__).resolve().parents[2]


def run(argv: list[str]) -> int:
    """Parse like the main CLI does (a ``photo`` command on a fresh parser) and call the handler."""
    parser = argparse.ArgumentParser(prog="faceprint")
    cli.add_photo_commands(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    status: int = args.func(args)
    return status


def test_check_exit_0_when_all_pass(photos_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["photo", "check", str(photos_dir / "d01_compliant_base.png"), "--width", "160"]) == 0
    out = capsys.readouterr().out
    assert "Head height (print)" in out and "PASS: 26 pass, 0 fail, 0 not run" in out


def test_check_exit_1_when_any_fails(defect_files: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["photo", "check", str(defect_files["rotated"]), "--width", "160"]) == 1
    assert "FAIL" in capsys.readouterr().out


def test_check_exit_1_when_a_check_cannot_run(defect_files: dict[str, Path]) -> None:
    assert run(["photo", "check", str(defect_files["blank"]), "--json"]) == 1


@pytest.mark.parametrize("content", [b"not an image at all", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00"])
def test_check_exit_2_when_unreadable(tmp_path: Path, content: bytes, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "photo.png"
    bad.write_bytes(content)
    assert run(["photo", "check", str(bad)]) == 2
    assert "cannot read as an image" in capsys.readouterr().err


def test_check_exit_2_when_missing(tmp_path: Path) -> None:
    assert run(["photo", "check", str(tmp_path / "nope.jpg")]) == 2


def test_json_report_follows_schema(defect_files: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    assert run(["photo", "check", str(defect_files["blurred"]), "--json", "--profile", "icao"]) == 1
    report = json.loads(capsys.readouterr().out)
    jsonschema.validate(report, JSON_SCHEMA)
    assert report["profile"] == "icao" and report["passed"] is False
    by_name = {c["name"]: c for c in report["checks"]}
    assert by_name["sharpness"]["status"] == "fail"
    assert "head_height_mm" not in by_name  # ICAO has no mm geometry
    assert sum(report["summary"].values()) == len(report["checks"])


def test_prepare_with_box(photos_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "new" / "card.png"
    argv = [
        "photo",
        "prepare",
        str(photos_dir / "d01_compliant_base.png"),
        "--box",
        "22x27.5mm",
        "--dpi",
        "300",
        "--out",
        str(out),
    ]
    assert run(argv) == 0
    with Image.open(out) as im:
        assert im.mode == "L" and im.size == (260, 325)
        assert round(im.info["dpi"][0]) == 300
    # a portrait is personal data like every other output: owner-only file in an owner-only new folder
    assert stat.S_IMODE(out.stat().st_mode) == 0o600 and stat.S_IMODE(out.parent.stat().st_mode) == 0o700
    assert sorted(p.name for p in out.parent.iterdir()) == ["card.png"]  # written under a temporary name


def test_prepare_no_face_exits_1(defect_files: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "card.png"
    assert run(["photo", "prepare", str(defect_files["blank"]), "--box", "22x27.5", "--out", str(out)]) == 1
    assert "no face found" in capsys.readouterr().err and not out.exists()


PORTRAIT_LAYOUT = """\
card: {size: ID-1, bleed: 2mm, safe_margin: 2mm}
front:
  - {id: photo, type: image, role: portrait, box: [50mm, 10mm, 20mm, 25mm], src: "{{ photo }}", max_dpi: 400}
"""


def test_prepare_with_layout(photos_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """``--layout`` reads the real layout's portrait box (20 × 25 mm, kept at 400 dpi) and places the face."""
    from test_photo_prepare import placement_errors

    layout, out = tmp_path / "card.yaml", tmp_path / "card.png"
    layout.write_text(PORTRAIT_LAYOUT, encoding="utf-8")
    assert run(["photo", "prepare", str(photos_dir / "d01_compliant_base.png"), "--layout", str(layout), "--out", str(out)]) == 0
    assert capsys.readouterr().out == f"{out}: 315×394 px greyscale, 20×25 mm at 400 dpi\n"
    with Image.open(out) as im:
        assert im.mode == "L" and im.size == (315, 394) and round(im.info["dpi"][0]) == 400
        assert placement_errors("base", im) == []


def test_prepare_with_the_shipped_layout(photos_dir: Path, tmp_path: Path) -> None:
    """The shipped next-gen layout: its photo element's declared box and dpi, read from the YAML here."""
    import yaml

    layout = ROOT / "layouts" / "next-gen" / "card.yaml"
    (photo,) = [e for e in yaml.safe_load(layout.read_text(encoding="utf-8"))["front"] if e.get("role") == "portrait"]
    width_mm, height_mm = (float(v.removesuffix("mm")) for v in photo["box"][2:])
    dpi = photo.get("max_dpi", 600)
    out = tmp_path / "card.png"
    assert run(["photo", "prepare", str(photos_dir / "d01_compliant_base.png"), "--layout", str(layout), "--out", str(out)]) == 0
    with Image.open(out) as im:
        assert im.size == (round(width_mm / 25.4 * dpi), round(height_mm / 25.4 * dpi))


def test_prepare_with_a_layout_without_a_portrait_exits_2(
    photos_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    layout = tmp_path / "card.yaml"
    layout.write_text(PORTRAIT_LAYOUT.replace(" role: portrait,", ""), encoding="utf-8")
    out = tmp_path / "o.png"
    assert run(["photo", "prepare", str(photos_dir / "d01_compliant_base.png"), "--layout", str(layout), "--out", str(out)]) == 2
    assert "no image element with 'role: portrait'" in capsys.readouterr().err and not out.exists()


@pytest.mark.parametrize(("text", "box"), [("22x27.5mm", (22.0, 27.5)), ("35 × 45", (35.0, 45.0)), ("22X27.5MM", (22.0, 27.5))])
def test_parse_box(text: str, box: tuple[float, float]) -> None:
    assert cli.parse_box(text) == box


@pytest.mark.parametrize("text", ["22", "22x", "0x27.5mm", "axb", "22x27.5cm"])
def test_parse_box_rejects(text: str) -> None:
    with pytest.raises(argparse.ArgumentTypeError):
        cli.parse_box(text)


def test_bad_box_is_a_usage_error(photos_dir: Path) -> None:
    assert cli.main(["prepare", str(photos_dir / "d01_compliant_base.png"), "--box", "big", "--out", "x.png"]) == 2

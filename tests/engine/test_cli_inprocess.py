"""The command line, called in-process through ``faceprint.cli.main``: exit codes for layout and
usage errors, ``validate``, and ``schema`` printing a Draft 2020-12 JSON Schema that accepts a
good layout and rejects bad ones."""

from __future__ import annotations

import contextlib
import copy
import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import engine_support
import jsonschema
import pytest
from ruamel.yaml import YAML

from faceprint.cli import main

CARD = engine_support.LAYOUTS / "card.yaml"


def _run(argv: list[str]) -> tuple[int, str]:
    err = io.StringIO()
    return main(argv, stderr=err), err.getvalue()


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--format", "bmp"], "unknown format bmp"),
        (["--format", ""], "unknown format"),
        (["--dpi", "0"], "--dpi must lie between 1 and 4800"),
        (["--dpi", "9600"], "--dpi must lie between 1 and 4800"),
    ],
)
def test_bad_render_options_exit_2(tmp_path: Path, extra: list[str], message: str) -> None:
    code, err = _run(["render", str(CARD), str(tmp_path / "record.json"), "--out", str(tmp_path / "out"), *extra])
    assert code == 2 and message in err
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    "argv",
    [
        ["render", str(CARD), "record.json", "--out", "out", "--dpi", "abc"],  # argparse: not a number
        ["render", str(CARD)],  # argparse: missing arguments
        ["frobnicate"],  # argparse: unknown command
    ],
)
def test_argparse_usage_errors_exit_2(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(argv) == 2
    assert "usage:" in capsys.readouterr().err


def test_a_layout_error_exits_2_naming_file_and_line(layout_file: Callable[..., Path], tmp_path: Path) -> None:
    bad = layout_file("""
        front:
          - id: frame
            type: rect
            box: [1mm, 1mm, 12furlongs, 5mm]
        """)
    code, err = _run(["validate", str(bad)])
    assert code == 2 and err.startswith(f"error: {bad}:4: element 'frame': property 'box':")
    code, err = _run(["render", str(bad), str(tmp_path / "record.json"), "--out", str(tmp_path / "out")])
    assert code == 2 and f"{bad}:4" in err
    assert not (tmp_path / "out").exists()


def test_validate_accepts_a_good_layout(capsys: pytest.CaptureFixture[str]) -> None:
    # validate resolves with a real record's fields: the kitchen-sink card reads a test-only 'qr' field
    shipped = Path(__file__).resolve().parents[2] / "layouts" / "next-gen" / "card.yaml"
    assert main(["validate", str(shipped)]) == 0
    assert capsys.readouterr().out.strip() == f"{shipped}: ok (76 elements, resolved with the built-in specimen record)"


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(["schema"]) == 0
    return json.loads(out.getvalue())  # type: ignore[no-any-return]


@pytest.fixture(scope="module")
def card_dict() -> dict[str, Any]:
    data = YAML(typ="safe").load(CARD.read_text(encoding="utf-8"))
    return json.loads(json.dumps(data))  # plain JSON types only, as a JSON validator would see them


def test_schema_is_a_valid_draft_2020_12_schema(schema: dict[str, Any]) -> None:
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(schema)


def test_schema_accepts_a_good_layout(schema: dict[str, Any], card_dict: dict[str, Any]) -> None:
    jsonschema.Draft202012Validator(schema).validate(card_dict)
    jsonschema.Draft202012Validator(schema).validate({"extends": "card.yaml", "remove": ["qr"], "front": []})


def _broken(card: dict[str, Any], change: Callable[[dict[str, Any]], None]) -> dict[str, Any]:
    bad = copy.deepcopy(card)
    change(bad)
    return bad


@pytest.mark.parametrize(
    "change",
    [
        lambda c: c["front"][0].update(colour="red"),  # unknown property
        lambda c: c["front"][0].update(radius="12furlongs"),  # bad unit
        lambda c: c["front"][0].pop("box"),  # missing required property
        lambda c: c["front"][0].update(type="circle"),  # unknown element type
        lambda c: c["front"][1].update(fit=[{"squeeze": "50%"}]),  # unknown fit step
        lambda c: c.update(unknown_top_level=1),
    ],
    ids=["unknown property", "bad unit", "missing property", "unknown type", "unknown fit step", "unknown top-level key"],
)
def test_schema_rejects_bad_layouts(
    schema: dict[str, Any], card_dict: dict[str, Any], change: Callable[[dict[str, Any]], None]
) -> None:
    assert not jsonschema.Draft202012Validator(schema).is_valid(_broken(card_dict, change))

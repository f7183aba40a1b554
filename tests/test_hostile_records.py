"""Hostile records through ``faceprint render`` (issue 14 §1 records, §3): each ends in a data error that
names the record and the field, says which limit was hit, writes nothing and never shows the number."""

from __future__ import annotations

import json
import os
import re
import struct
import subprocess
import sys
import zlib
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from PIL import Image

from faceprint.cli import main
from faceprint.errors import DataError
from faceprint.record_checks import validate_record
from faceprint.rules.mynumber import calc_check_digit, redact, spells_a_number

ROOT = Path(__file__).resolve().parents[1]
TODAY = ROOT / "layouts" / "current" / "card.yaml"  # today's card: the photo has a blurred edge
PORTRAIT = ROOT / "samples" / "portraits" / "p01.jpg"
NUMBER = "111111111118"  # valid check digit
LEAKS = ("111111111118", "1111.1111", "1111-1111", "11111111", "1111 1111")


def _record(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((ROOT / "samples" / "records" / "01-short-name.json").read_text(encoding="utf-8"))
    data["photo"] = str(PORTRAIT)
    data.update(changes)
    return data


def _png_header(width: int, height: int) -> bytes:
    """A PNG that claims ``width`` × ``height`` pixels but holds almost no data (a decompression bomb)."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b"")


def _render(tmp_path: Path, record_text: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, Path]:
    source = tmp_path / "record.json"
    source.write_text(record_text, encoding="utf-8")
    out = tmp_path / "out"
    code = main(["render", str(TODAY), str(source), "--out", str(out), "--format", "png,pdf"])
    return code, capsys.readouterr().err, out


def _tiny(tmp_path: Path, side: int) -> str:
    path = tmp_path / f"tiny{side}.png"
    Image.new("RGB", (side, side), (120, 120, 120)).save(path)
    return str(path)


def _bomb(tmp_path: Path) -> str:
    path = tmp_path / "bomb.png"
    path.write_bytes(_png_header(30000, 30000))
    return str(path)


CASES: dict[str, tuple[Any, str, str]] = {
    # name: (record text or a function of tmp_path giving it, field, what the message says)
    "photo path part too long": (lambda t: json.dumps(_record(photo="/tmp/" + "a" * 300 + ".jpg")), "photo", "NAME_MAX"),
    "photo path too long": (lambda t: json.dumps(_record(photo="/" + "/".join(["b" * 200] * 30))), "photo", "PATH_MAX"),
    "lone surrogate in the photo path": (
        lambda t: json.dumps(_record(photo=str(PORTRAIT))).replace("p01.jpg", "p\\udc80.jpg"),
        "photo",
        "lone surrogate",
    ),
    "decompression bomb": (lambda t: json.dumps(_record(photo=_bomb(t))), "photo", "MAX_PHOTO_PIXELS"),
    "1 px photo under the blurred edge": (lambda t: json.dumps(_record(photo=_tiny(t, 1))), "photo", "MIN_PORTRAIT_DPI"),
    "2 px photo under the blurred edge": (lambda t: json.dumps(_record(photo=_tiny(t, 2))), "photo", "MIN_PORTRAIT_DPI"),
    "JSON nested 100,000 deep": (
        lambda t: json.dumps(_record(name=[])).replace('"name": []', '"name": ' + "[" * 100_000 + "]" * 100_000),
        "name",
        "MAX_JSON_DEPTH",
    ),
    "a 100,000-digit number": (
        lambda t: json.dumps(_record(sex=0)).replace('"sex": 0', '"sex": ' + "7" * 100_000),
        "sex",
        "MAX_NUMBER_DIGITS",
    ),
    "a 100,000-character number": (lambda t: json.dumps(_record(my_number="1" * 100_000)), "my_number", "MAX_WRITTEN_CHARS"),
    "a 100,000-character id": (lambda t: json.dumps(_record(id="7" * 100_000)), "id", "MAX_TEXT_CHARS"),
    "a 100,000-character address": (lambda t: json.dumps(_record(address="東" * 100_000)), "address", "MAX_TEXT_CHARS"),
    "birth before Meiji": (lambda t: json.dumps(_record(birth_date="1867-12-31")), "birth_date", "1868-01-01"),
    "validity after 2200": (lambda t: json.dumps(_record(valid_until="2201-01-01")), "valid_until", "2200-12-31"),
    "number in full-width digits": (lambda t: json.dumps(_record(my_number="１" * 11 + "８")), "my_number", "ASCII digits"),
    "number with a sign": (lambda t: json.dumps(_record(my_number="+111111111118")), "my_number", "sign"),
    "number with a doubled separator": (lambda t: json.dumps(_record(my_number="1111--1111-1118")), "my_number", "singly"),
    "number of all zeros": (lambda t: json.dumps(_record(my_number="000000000000")), "my_number", "all twelve digits are 0"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_hostile_record_is_a_data_error_naming_record_field_and_limit(
    case: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    make, field, says = CASES[case]
    code, err, out = _render(tmp_path, make(tmp_path), capsys)
    assert code == 1, err
    assert "Traceback" not in err and err.count("\n") == 1  # one clear line, not a stack
    assert err.startswith(f"error: {tmp_path / 'record.json'}: record") and f"field '{field}'" in err
    assert says in err
    assert not out.exists() or not any(out.iterdir())  # nothing rendered for a bad record


ID_SPELLINGS = [
    NUMBER,
    int(NUMBER),  # as a JSON number
    "1111-1111-1118",
    "1111.1111.1118",
    "S_1111_1111_1118",
    "card-111111111118-v2",
    "１１１１１１１１１１１８",  # full-width
    "١١١١١١١١١١١٨",  # Arabic-Indic
    "१११११११११११८",  # Devanagari
]


@pytest.mark.parametrize("record_id", ID_SPELLINGS, ids=[repr(i) for i in ID_SPELLINGS])
def test_an_id_that_spells_the_number_is_refused_and_never_shown(
    record_id: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, err, out = _render(tmp_path, json.dumps(_record(id=record_id), ensure_ascii=False), capsys)
    assert code == 1
    assert "field 'id'" in err and "check digit" in err
    assert "record 'S01'" not in err and str(record_id) not in err
    assert not any(leak in err for leak in LEAKS)
    assert not out.exists() or not any(out.iterdir())


def test_an_id_with_a_wrong_check_digit_still_names_the_card(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, out = _render(tmp_path, json.dumps(_record(id="S-111111111117")), capsys)
    assert code == 0 and (out / "S-111111111117.pdf").is_file()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({NUMBER: "x"}, "**** **** 1118"),  # the number as an unknown field's name
        ({"photo": "/x/1111.1111.1118.jpg"}, "photo"),  # inside a photo path
        ({"photo": "/x/1111_1111_1118/p.jpg"}, "photo"),
    ],
)
def test_messages_mask_the_number_wherever_it_stands(
    changes: dict[str, Any], field: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, err, _ = _render(tmp_path, json.dumps(_record(**changes)), capsys)
    assert code == 1 and f"field '{field}'" in err
    assert "**** **** 1118" in err  # masked where it stood, so the user can still find it
    assert not any(leak in err for leak in LEAKS)


def test_a_named_pipe_as_the_record_file_is_a_data_error_not_a_hang(tmp_path: Path) -> None:
    pipe = tmp_path / "record.json"
    os.mkfifo(pipe)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    cmd = [sys.executable, "-m", "faceprint", "render", str(TODAY), str(pipe), "--out", str(tmp_path / "out")]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=120, env=env)  # a hang fails here
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr and "named pipe" in done.stderr and str(pipe) in done.stderr
    assert not (tmp_path / "out").exists()


def test_a_lone_surrogate_in_a_field_name_is_reported_printably(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = json.dumps(_record()).replace('"sex"', '"s\\ud800x": 1, "sex"', 1)
    code, err, _ = _render(tmp_path, text, capsys)
    assert code == 1 and "lone surrogate" in err and "field 's\\ud800x'" in err


# -- the detector and the mask, for every way of writing the number -------------------------------------

_SCRIPTS = ("0123456789", "０１２３４５６７８９", "٠١٢٣٤٥٦٧٨٩", "०१२३४५६७८९")
_SEPARATORS = ("", " ", "-", ".", "_", "/", "・", "－", "．")


@st.composite
def _spelled(draw: st.DrawFn) -> tuple[str, str]:
    first11 = draw(st.text(alphabet="0123456789", min_size=11, max_size=11))
    number = first11 + calc_check_digit(first11)
    script = draw(st.sampled_from(_SCRIPTS))
    separator = draw(st.sampled_from(_SEPARATORS))
    cuts = sorted(draw(st.sets(st.integers(min_value=1, max_value=11), max_size=4)))
    parts = [number[a:b] for a, b in zip([0, *cuts], [*cuts, 12], strict=True)]
    written = separator.join("".join(script[int(d)] for d in part) for part in parts)
    prefix = draw(st.sampled_from(("", "id-", "ID_", "/x/", "card ")))
    suffix = draw(st.sampled_from(("", ".jpg", "-v", " end")))
    return number, prefix + written + suffix


@given(_spelled())
def test_every_spelling_of_a_number_is_found_and_masked(case: tuple[str, str]) -> None:
    _, text = case
    assert spells_a_number(text)
    assert sum(ch.isdecimal() for ch in redact(text)) <= 4  # at most the last four digits remain


@given(_spelled())
def test_every_spelling_of_a_number_is_refused_as_an_id(case: tuple[str, str]) -> None:
    number, text = case
    with pytest.raises(DataError) as info:
        validate_record(_record(id=text))
    assert ("id", "holds 12 digits that pass the individual number's check digit; an id names files and titles") in getattr(
        info.value, "problems", ()
    )
    assert number[:8] not in str(info.value) and info.value.record_id is None


@given(st.from_regex(re.compile(r"[A-Z]{1,3}[0-9]{0,11}"), fullmatch=True))
def test_ids_with_fewer_than_twelve_digits_are_never_taken_for_a_number(record_id: str) -> None:
    assert not spells_a_number(record_id)

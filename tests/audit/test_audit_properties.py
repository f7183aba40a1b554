"""Property-based tests: any single-byte change to a log is found by ``verify``; the keyed number hash
ignores how the number was written; a card state of any statuses round-trips through its file."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from faceprint.annotate.state import CardState, Entry, parse_state
from faceprint.audit.key import AuditKey
from faceprint.audit.log import append_lines
from faceprint.audit.verify import search_form, verify
from faceprint.rules.mynumber import calc_check_digit


def _log(folder: Path) -> Path:
    log = folder / "p.log"
    if not log.exists():
        for i in range(4):
            append_lines(log, [{"v": 1, "time": "2026-12-04T10:00:00Z", "operator": "o", "command": "batch",
                                "layout_sha256": "a" * 64, "record": f"R{i}", "number_hmac": "b" * 64, "key_id": "k",
                                "outputs": {f"R{i}.pdf": "c" * 64}, "outcome": "written"}] * (1 + i % 2))  # fmt: skip
    return log


@settings(max_examples=200, deadline=None)
@given(position=st.floats(0, 1, exclude_max=True), value=st.integers(0, 255))
def test_any_changed_byte_is_found(tmp_path_factory: pytest.TempPathFactory, position: float, value: int) -> None:
    folder = tmp_path_factory.getbasetemp() / "prop"  # one log for every example (session-scoped folder)
    folder.mkdir(exist_ok=True)
    log = _log(folder)
    data = bytearray(log.read_bytes())
    i = int(position * len(data))
    if data[i] == value:
        return
    tampered = folder / "t.log"
    tampered.write_bytes(bytes(data[:i]) + bytes([value]) + bytes(data[i + 1 :]))
    (folder / "t.log.head").write_bytes((folder / "p.log.head").read_bytes())
    assert not verify(tampered).ok


_ELEVEN_DIGITS = st.text("0123456789", min_size=11, max_size=11).filter(lambda d: d != "0" * 11)  # all 0: refused


@settings(max_examples=100, deadline=None)
@given(first11=_ELEVEN_DIGITS, sep=st.sampled_from(["", " ", "-"]))
def test_the_keyed_hash_ignores_separators(first11: str, sep: str) -> None:
    key = AuditKey(b"k" * 32, "test")
    number = first11 + calc_check_digit(first11)
    grouped = sep.join((number[:4], number[4:8], number[8:]))
    assert key.number_mac(grouped) == key.number_mac(number)


@settings(max_examples=50, deadline=None)
@given(first11=_ELEVEN_DIGITS, sep=st.sampled_from(["", " ", "-", "\u3000", "\uff0d"]))
def test_a_search_typed_in_full_width_finds_the_same_card(first11: str, sep: str) -> None:
    """A clerk's IME may type ０１２… and an ideographic space; the search folds them (NFKC), records never hold them."""
    key = AuditKey(b"k" * 32, "test")
    number = first11 + calc_check_digit(first11)
    wide = sep.join((number[:4], number[4:8], number[8:])).translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    with pytest.raises(ValueError):
        key.number_mac(wide)
    assert key.number_mac(search_form(wide)) == key.number_mac(number)


_times = st.one_of(st.none(), st.datetimes(dt.datetime(2000, 1, 1), dt.datetime(2100, 1, 1)).map(
    lambda t: t.replace(microsecond=0, tzinfo=dt.UTC)))  # fmt: skip


@st.composite
def _states(draw: st.DrawFn) -> CardState:
    lines = draw(st.integers(1, 8))
    entries, released, line = [], [], 1
    while line <= lines and draw(st.booleans()):
        span = draw(st.integers(1, lines - line + 1))
        status = draw(st.sampled_from(["pending", "printed", "void", "released"]))
        job = draw(st.one_of(st.none(), st.text("0123456789abcdef", min_size=1, max_size=16)))
        kept = "void" if status == "released" else status
        entry = Entry(dt.date(2025, 1, 1), "", "見本", "2025.01.01　見本", line, span, None, 6.5, 1.0, "annotate",
                      status=kept, job=job, created=draw(_times), changed=draw(_times))  # fmt: skip
        (released if status == "released" else entries).append(entry)
        line += span
    return CardState("S01", "next-gen", "annotations", "front", lines, tuple(entries), tuple(released))


@settings(max_examples=200, deadline=None)
@given(state=_states())
def test_a_card_state_round_trips(state: CardState) -> None:
    assert parse_state(state.to_bytes(), "s.json") == state

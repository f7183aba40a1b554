"""The record parser's limits (``faceprint.records_limits``): within them it is ``json.loads`` exactly;
beyond them a ``LimitError`` naming the limit and the top-level field, never a crash."""

from __future__ import annotations

import contextlib
import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from faceprint.records_limits import MAX_JSON_DEPTH, MAX_NUMBER_DIGITS, LimitError, loads

_FINITE = st.floats(allow_nan=False, allow_infinity=False)
_SCALARS = st.none() | st.booleans() | st.integers(-(10**18), 10**18) | _FINITE | st.text()
_JSON = st.recursive(
    _SCALARS, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4), max_leaves=20
)


@given(st.dictionaries(st.text(), _JSON, max_size=6))
def test_within_the_limits_it_parses_as_json_does(record: dict[str, Any]) -> None:
    text = json.dumps(record)
    assert loads(text) == json.loads(text)


@given(st.integers(min_value=MAX_JSON_DEPTH + 1, max_value=200_000), st.sampled_from("[{"), st.text(max_size=8))
def test_any_depth_beyond_the_limit_is_refused_under_its_key(depth: int, bracket: str, key: str) -> None:
    close = "]" if bracket == "[" else "}"
    inner = '"k": ' if bracket == "{" else ""
    nest = (bracket + inner) * (depth - 1) + bracket + close * depth
    text = json.dumps({"id": "A", key: 0}).replace(": 0}", f": {nest}}}")
    with pytest.raises(LimitError, match="MAX_JSON_DEPTH") as info:
        loads(text)
    assert info.value.field == key


@given(st.integers(min_value=MAX_NUMBER_DIGITS + 1, max_value=100_000), st.booleans(), st.sampled_from(["", ".5", "e3"]))
def test_any_number_beyond_the_digit_limit_is_refused(digits: int, negative: bool, tail: str) -> None:
    number = ("-" if negative else "") + "7" * digits + tail
    with pytest.raises(LimitError, match="MAX_NUMBER_DIGITS") as info:
        loads(f'{{"id": "A", "sex": {number}}}')
    assert info.value.field == "sex"


@given(st.text(alphabet='[]{}"\\:,0123456789 aeNIn-', max_size=60))
def test_arbitrary_text_ends_in_a_value_or_a_clear_error(text: str) -> None:
    with contextlib.suppress(LimitError, json.JSONDecodeError):  # anything else (RecursionError, …) fails
        loads(text)


def test_a_huge_exponent_is_refused_not_read_as_infinity() -> None:
    with pytest.raises(LimitError, match="range of a double"):
        loads('{"sex": 1e999999}')


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_non_finite_numbers_are_not_json(constant: str) -> None:
    with pytest.raises(LimitError, match="not a JSON number"):
        loads(f'{{"sex": {constant}}}')


def test_brackets_and_digits_inside_strings_do_not_count() -> None:
    text = json.dumps({"address": "[" * 500 + "9" * 500 + '\\"{'})
    assert loads(text) == json.loads(text)


@pytest.mark.parametrize("text", ['"' + '\\"' * 300_000, '"' + '\\"' * 300_000 + "\\", '{"a": "' + "x" * 1_000_000])
def test_an_unclosed_string_is_a_syntax_error_found_in_one_pass(text: str) -> None:
    """Quotes inside an unclosed string are not rescanned as string starts (that was quadratic: minutes here)."""
    with pytest.raises(json.JSONDecodeError, match="Unterminated string"):
        loads(text)


@given(st.lists(st.text(alphabet='"\\[]{}x', max_size=6), max_size=8), st.integers(min_value=0, max_value=MAX_JSON_DEPTH - 1))
def test_escaped_quotes_and_brackets_in_strings_never_change_the_depth(values: list[str], depth: int) -> None:
    text = "[" * depth + json.dumps(values) + "]" * depth
    assert loads(text) == json.loads(text)  # depth + 1 levels, within the limit whatever the strings hold

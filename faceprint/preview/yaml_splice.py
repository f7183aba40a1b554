"""Change numbers in a layout file in place, leaving every other byte of the file as it was.

Why not ruamel's round-trip *dumper*: measured on ``layouts/next-gen/card.yaml``, loading and dumping
it again (``preserve_quotes``, ``width=4096``) changes 605 lines: multi-line flow mappings are joined,
sequence indentation is normalised, comment columns move. A designer's diff after a drag must be the
changed numbers and nothing else. So ruamel's round-trip *parser* finds where each value stands
(line and column of every sequence item), and the new value is spliced into the original text at
exactly that place; the result is parsed again to prove it says what was meant.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError

from ..units import UnitError, parse_length_mm

FACES = ("front", "back")
MM_DECIMALS = 2  # edits are written rounded to 0.01 mm (issue 18): finer than any print process here holds


class SpliceError(ValueError):
    """The file cannot be changed as asked; the message says why, in the designer's terms."""


@dataclass(frozen=True)
class Token:
    """One scalar in the source text: where it starts and ends (offsets), and its text."""

    start: int
    end: int
    text: str


def parse(text: str) -> CommentedMap:
    yaml = YAML(typ="rt")
    try:
        data = yaml.load(text)
    except YAMLError as exc:
        raise SpliceError(f"the layout file does not parse: {exc}") from None
    if not isinstance(data, CommentedMap):
        raise SpliceError("a layout must be a mapping at the top level")
    return data


def line_starts(text: str) -> list[int]:
    starts = [0]
    for i, ch in enumerate(text):
        if ch == "\n":
            starts.append(i + 1)
    return starts


def scalar_at(text: str, offset: int) -> Token:
    """The plain or quoted scalar that starts at ``offset``, as it is written."""
    quote = text[offset]
    if quote in "\"'":
        end = offset + 1
        while end < len(text):
            if text[end] == quote:
                if quote == "'" and text[end + 1 : end + 2] == "'":
                    end += 2  # '' is an escaped quote inside a single-quoted scalar
                    continue
                break
            if quote == '"' and text[end] == "\\":
                end += 1
            end += 1
        return Token(offset, end + 1, text[offset : end + 1])
    end = offset
    while end < len(text) and text[end] not in ",]}\n#":
        end += 1
    while end > offset and text[end - 1] in " \t":
        end -= 1
    return Token(offset, end, text[offset:end])


def item_tokens(text: str, seq: CommentedSeq) -> list[Token]:
    """Where each scalar item of ``seq`` is written in ``text``."""
    starts = line_starts(text)
    tokens = []
    for i in range(len(seq)):
        line, col = seq.lc.item(i)
        tokens.append(scalar_at(text, starts[line] + col))
    return tokens


def walk_elements(elements: Any) -> Iterator[CommentedMap]:
    if isinstance(elements, CommentedSeq):
        for el in elements:
            if isinstance(el, CommentedMap):
                yield el
                yield from walk_elements(el.get("children"))


def find_element(data: CommentedMap, element_id: str) -> CommentedMap | None:
    for face in FACES:
        for el in walk_elements(data.get(face)):
            if str(el.get("id")) == element_id:
                return el
    return None


def format_mm(value: float, *, with_unit: bool) -> str:
    """``12.3`` → ``12.3mm``: at most two decimals, no trailing zeros, no ``-0``."""
    rounded = round(value, MM_DECIMALS)
    if rounded == 0:
        rounded = 0.0
    text = f"{rounded:.{MM_DECIMALS}f}".rstrip("0").rstrip(".")
    return text + "mm" if with_unit else text


def shifted(token: Token, delta_mm: float) -> str:
    """The token's length moved by ``delta_mm``, written in mm (quotes kept, a bare number stays bare)."""
    quoted = token.text[:1] in "\"'"
    raw = token.text[1:-1] if quoted else token.text
    stripped = raw.strip()
    if stripped.endswith("px") or "@" in stripped:
        raise SpliceError(f"{raw!r} is written in pixels: edit it in the file, or write it in mm")
    try:
        value = parse_length_mm(stripped if quoted else _plain_value(stripped))
    except UnitError as exc:
        raise SpliceError(str(exc)) from None
    bare = not quoted and _is_number(stripped)
    new = format_mm(value + delta_mm, with_unit=not bare)
    return f"{token.text[0]}{new}{token.text[0]}" if quoted else new


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _plain_value(text: str) -> float | str:
    return float(text) if _is_number(text) else text


def replace_tokens(text: str, changes: list[tuple[Token, str]]) -> str:
    """``text`` with each token's span replaced; spans are disjoint, applied from the end."""
    out = text
    for token, new in sorted(changes, key=lambda c: c[0].start, reverse=True):
        out = out[: token.start] + new + out[token.end :]
    return out

"""Where a line may break in Japanese text: kinsoku rules of JIS X 4051.

Breaks are allowed between ideographs and kana, never before a character that may not start a
line (行頭禁則: closing brackets, 、。, small kana, the prolonged sound mark…) and never after
one that may not end a line (行末禁則: opening brackets). Runs of Latin letters and digits are
kept together and break only at spaces (and after a hyphen or slash), so "1-2-3" or a romaji
word is never split mid-word.
"""

from __future__ import annotations

from collections.abc import Sequence

from .shaping import Cluster

# JIS X 4051:2004 §6.1.10 (行頭禁則) classes: closing brackets (cl-02), hyphens (cl-03),
# dividing punctuation (cl-04), middle dots (cl-05), full stops (cl-06), commas (cl-07),
# iteration marks (cl-09), prolonged sound mark (cl-10) and small kana (cl-11).
NO_LINE_START = frozenset(
    "、。，．,.・：；:;？！?!）］｝」』】〕〉》〙〗)]}”’'\"ゝゞヽヾ々〻ーｰ〜～‐゠–"
    "ぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶㇰㇱㇲㇳㇴㇵㇶㇷㇸㇹㇺㇻㇼㇽㇾㇿ"
    "％%℃°′″"
)
# JIS X 4051:2004 §6.1.10 (行末禁則): opening brackets (cl-01).
NO_LINE_END = frozenset("（［｛「『【〔〈《〘〖([{“‘")
BREAK_AFTER_IN_WORD = frozenset("-/")


def _is_wordlike(ch: str) -> bool:
    """Latin letters, digits and ASCII punctuation that belong to a word."""
    return ch.isascii() and (ch.isalnum() or ch in "-/.,'&@#+()")


def break_allowed_after(clusters: Sequence[Cluster]) -> list[bool]:
    """``result[i]`` tells whether a line may end after ``clusters[i]``."""
    n = len(clusters)
    allowed = [False] * n
    for i in range(n - 1):
        cur = clusters[i].text[0]
        nxt = clusters[i + 1].text[0]
        if clusters[i].is_space or clusters[i].is_break:
            allowed[i] = True
            continue
        if clusters[i + 1].is_space:
            allowed[i] = False  # break after the space instead
            continue
        if nxt in NO_LINE_START or cur in NO_LINE_END:
            continue
        if _is_wordlike(cur) and _is_wordlike(nxt):
            allowed[i] = cur in BREAK_AFTER_IN_WORD
            continue
        allowed[i] = True
    if n:
        allowed[-1] = True
    return allowed

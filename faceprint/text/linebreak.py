"""Where a line may break in Japanese text: kinsoku rules of JIS X 4051.

Breaks are allowed between ideographs and kana, never before a character that may not start a
line (行頭禁則: closing brackets, 、。, small kana, the prolonged sound mark…) and never after
one that may not end a line (行末禁則: opening brackets). Runs of Latin letters and digits
(half- or full-width) are kept together and break only at spaces (and after a hyphen or slash),
so "1-2-3", "１０" or a romaji word is never split mid-word; and a number stays with the counter
that follows it (１番, ２号, ３丁目, ５階: JIS X 4051 keeps a numeral with its unit).
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
BREAK_AFTER_IN_WORD = frozenset("-/－／")
# Counters that follow a number in Japanese addresses and dates; a line never starts with one
# right after the number it counts.
COUNTERS = frozenset("番号丁目階室棟条区線街地年月日")
FULLWIDTH_ALNUM = frozenset(
    "０１２３４５６７８９ＡＢＣＤＥＦＧＨＩＪＫＬＭＮＯＰＱＲＳＴＵＶＷＸＹＺａｂｃｄｅｆｇｈｉｊｋｌｍｎｏｐｑｒｓｔｕｖｗｘｙｚ"
)


def _is_wordlike(ch: str) -> bool:
    """Latin letters, digits and punctuation that belong to a word (half- or full-width)."""
    return (ch.isascii() and (ch.isalnum() or ch in "-/.,'&@#+()")) or ch in FULLWIDTH_ALNUM or ch in "－／"


def _is_digit(ch: str) -> bool:
    return ch.isdigit()


def break_allowed_after(clusters: Sequence[Cluster]) -> list[bool]:
    """``result[i]`` tells whether a line may end after ``clusters[i]``."""
    n = len(clusters)
    allowed = [False] * n
    for i in range(n - 1):
        cur = clusters[i].text[0]
        nxt = clusters[i + 1].text[0]
        if clusters[i].is_break:
            allowed[i] = True
            continue
        if clusters[i].is_space:
            # Spaces vanish at a line break, so kinsoku applies to the characters on either side:
            # "A 、" must not put 、 at a line start, "「 A" must not leave 「 at a line end.
            j = i + 1
            while j < n and clusters[j].is_space:
                j += 1
            k = i - 1
            while k >= 0 and clusters[k].is_space:
                k -= 1
            starts = j < n and not clusters[j].is_break and clusters[j].text[0] in NO_LINE_START
            ends = k >= 0 and not clusters[k].is_break and clusters[k].text[0] in NO_LINE_END
            allowed[i] = not (starts or ends)
            continue
        if clusters[i + 1].is_space:
            allowed[i] = False  # break after the space instead
            continue
        if nxt in NO_LINE_START or cur in NO_LINE_END:
            continue
        if _is_digit(cur) and nxt in COUNTERS:
            continue
        if _is_wordlike(cur) and _is_wordlike(nxt):
            allowed[i] = cur in BREAK_AFTER_IN_WORD
            continue
        allowed[i] = True
    if n:
        allowed[-1] = True
    return allowed

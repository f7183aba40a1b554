"""Where a line may break in Japanese text, and how good each break is.

Two layers. Kinsoku (JIS X 4051) decides where a break is *legal*: never before a character that
may not start a line (行頭禁則: closing brackets, 、。, small kana, the prolonged sound mark…),
never after one that may not end a line (行末禁則: opening brackets); runs of Latin letters and
digits (half- or full-width) break only at spaces (and after a hyphen or slash); a number stays
with the counter that follows it (１番, 二丁目, ５階), and 丁目, 番地, 号室 are never split.

Among legal breaks, ``break_classes`` ranks each by the preference of issue 12 §6: a space; the
end of an address unit (都道府県, 市区町村, 郡, 町/村/大字/字, 丁目, 番地, 番, 号, 条, 通); a
phrase boundary found by BudouX (Google's phrase segmenter, whose Japanese model ships in its
wheel); any other legal character boundary only as the last resort. Katakana words are found by
``katakana_runs`` so that the wrapper keeps a word whole whenever it fits on a line.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from enum import IntEnum
from functools import lru_cache

import budoux

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
KANJI_NUMERALS = frozenset("〇一二三四五六七八九十百千")
# Two-character units never split: 丁目, 番地, 号室.
UNSPLIT_PAIRS = frozenset({("丁", "目"), ("番", "地"), ("号", "室")})
FULLWIDTH_ALNUM = frozenset(
    "０１２３４５６７８９ＡＢＣＤＥＦＧＨＩＪＫＬＭＮＯＰＱＲＳＴＵＶＷＸＹＺａｂｃｄｅｆｇｈｉｊｋｌｍｎｏｐｑｒｓｔｕｖｗｘｙｚ"
)
MIDDLE_DOT = "・"  # separates the words of a katakana compound (グランドタワー・イーストウイング)


class Break(IntEnum):
    """How good a break after a character is; lower is better. ``NEVER`` is not a break."""

    NEVER = 0
    SPACE = 1  # a space (or the value's own line break)
    UNIT = 2  # the end of an address unit; a middle dot between katakana words; a hyphen or slash
    PHRASE = 3  # a BudouX phrase boundary
    CHAR = 4  # any other kinsoku-legal boundary: the last resort


def _is_wordlike(ch: str) -> bool:
    """Latin letters, digits and punctuation that belong to a word (half- or full-width)."""
    return (ch.isascii() and (ch.isalnum() or ch in "-/.,'&@#+()")) or ch in FULLWIDTH_ALNUM or ch in "－／"


def _is_numeral(ch: str) -> bool:
    return ch.isdigit() or ch in KANJI_NUMERALS


def is_katakana(ch: str) -> bool:
    """Katakana letters and the prolonged sound mark, full- or half-width (not the middle dot)."""
    return ("\u30a1" <= ch <= "\u30fa") or ch in "ーヽヾ" or ("\uff66" <= ch <= "\uff9f")


def break_allowed_after(clusters: Sequence[Cluster]) -> list[bool]:
    """``result[i]`` tells whether a line may end after ``clusters[i]`` (kinsoku only)."""
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
        if nxt in NO_LINE_START or cur in NO_LINE_END or (cur, nxt) in UNSPLIT_PAIRS:
            continue
        if _is_numeral(cur) and nxt in COUNTERS:
            continue
        if _is_wordlike(cur) and _is_wordlike(nxt):
            # after a hyphen or slash in a word, but not inside a lot number such as １２－３
            prev = clusters[i - 1].text[0] if i > 0 else ""
            allowed[i] = cur in BREAK_AFTER_IN_WORD and not (prev.isdigit() and nxt.isdigit())
            continue
        allowed[i] = True
    if n:
        allowed[-1] = True
    return allowed


# -- address units ----------------------------------------------------------------------------

PREFECTURES = (
    "北海道|青森県|岩手県|宮城県|秋田県|山形県|福島県|茨城県|栃木県|群馬県|埼玉県|千葉県|東京都|神奈川県|"
    "新潟県|富山県|石川県|福井県|山梨県|長野県|岐阜県|静岡県|愛知県|三重県|滋賀県|京都府|大阪府|兵庫県|"
    "奈良県|和歌山県|鳥取県|島根県|岡山県|広島県|山口県|徳島県|香川県|愛媛県|高知県|福岡県|佐賀県|長崎県|"
    "熊本県|大分県|宮崎県|鹿児島県|沖縄県"
)  # the 47 都道府県, as one regular-expression alternation
_PREFECTURE = re.compile(PREFECTURES)
# A lot number with its counter somewhere in the text: it is an address even without a prefecture.
_ADDRESS_NUMBER = re.compile(r"[0-9０-９〇一二三四五六七八九十]+(?:丁目|番地?|号|条)")
MUNICIPAL = frozenset("市区町村郡")
# What may follow 市/区/町/村/郡 inside one word (市民, 区役所, 町内, 村長…): no unit ends there.
MUNICIPAL_COMPOUND = frozenset("民役立長内外域議場会営道")
# What continues a lot number (番地の２, ３号室): no unit ends before it.
LOT_CONTINUATION = frozenset("の之ノ-－‐室棟館")
KYOTO_DIRECTIONS = ("上る", "下る", "入る", "西入", "東入")  # 烏丸通見本町上る: part of the unit before


def _is_kanji(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf" or ord(ch) >= 0x20000 or ch in "々〆ヶ"


def _is_kana(ch: str) -> bool:
    return ("\u3041" <= ch <= "\u309f") or is_katakana(ch) or ch == MIDDLE_DOT


def address_unit_ends(text: str) -> set[int]:
    """Indices ``i`` such that an address unit ends after ``text[i]``.

    Only where the text reads as an address: from its first prefecture on, or throughout when it
    holds a lot number (二丁目, ３番地, ５号, 北１条). A unit never ends before kana (a building
    name such as 見本町レジデンス, or Kyoto's 上る/下る), inside 町田市 or 四日市市 (a unit needs
    a character before its suffix and ends at the last of a run of suffixes), or before what
    continues a lot number (番地の２, 号室).
    """
    pref = _PREFECTURE.search(text)
    if pref is not None:
        start = pref.start()
    elif _ADDRESS_NUMBER.search(text):
        start = 0
    else:
        return set()
    ends: set[int] = set()
    prefecture_ends = {m.end() - 1 for m in _PREFECTURE.finditer(text)}
    unit_start = start
    n = len(text)
    for i in range(start, n - 1):
        c, nxt = text[i], text[i + 1]
        prev = text[i - 1] if i > 0 else ""
        if nxt.isspace():
            unit_start = i + 2
            continue
        end = False
        if i in prefecture_ends:
            end = True
        elif c in MUNICIPAL:
            end = (
                i > unit_start
                and nxt not in MUNICIPAL
                and nxt not in MUNICIPAL_COMPOUND
                and not _is_kana(nxt)
                and text[i + 1 : i + 3] not in KYOTO_DIRECTIONS
            )
        elif c == "通":
            end = i > unit_start and not _is_kana(nxt) and text[i + 1 : i + 3] not in KYOTO_DIRECTIONS
        elif nxt == "字" or (nxt == "大" and text[i + 2 : i + 3] == "字"):
            end = c != "大" and i >= unit_start  # a new 大字 or 字 begins
        elif c == "る" and prev in "上下入":
            end = True  # 上る, 下る, 入る close a Kyoto street unit
        elif (prev, c) in (("丁", "目"), ("番", "地")):
            end = nxt not in LOT_CONTINUATION
        elif c in "番号条" and _is_numeral(prev):
            end = nxt not in LOT_CONTINUATION and nxt not in "地号町通"  # a building name may follow
        elif nxt.isdigit() and _is_kanji(c) and c not in KANJI_NUMERALS and c not in "東西南北第":
            end = i > unit_start  # a place name ends where its lot number begins (字上ノ原|１２３４番地)
        if end:
            ends.add(i)
            unit_start = i + 1
    return ends


# -- phrases ----------------------------------------------------------------------------------

_PARSER = budoux.load_default_japanese_parser()


# Labels and the annotation area's wording repeat on every card, names and addresses mostly do not:
# unbounded, this cache grew with every record of a batch (issue 15, memory: in a 30,000-record run
# each worker grew 97 -> 104 MB), so the least recently used texts go.
PHRASE_CACHE_SIZE = 4096


@lru_cache(maxsize=PHRASE_CACHE_SIZE)
def phrase_ends(text: str) -> frozenset[int]:
    """Indices ``i`` such that a BudouX phrase ends after ``text[i]`` (cached: labels repeat)."""
    ends: set[int] = set()
    offset = 0
    for chunk in _PARSER.parse(text):
        offset += len(chunk)
        ends.add(offset - 1)
    return frozenset(ends)


def _has_japanese(text: str) -> bool:
    return any(ord(ch) >= 0x3000 for ch in text)


# -- ranking ----------------------------------------------------------------------------------


def break_classes(clusters: Sequence[Cluster]) -> list[Break]:
    """``result[i]``: how good a line break after ``clusters[i]`` is (``Break.NEVER`` if illegal)."""
    allowed = break_allowed_after(clusters)
    # one character per cluster (variation selectors dropped) so indices match the clusters
    text = "".join(" " if c.is_space else ("\n" if c.is_break else c.text[0]) for c in clusters)
    units: set[int] = set()
    bound: set[int] = set()
    phrases: frozenset[int] = frozenset()
    if _has_japanese(text):
        units = address_unit_ends(text)
        # 大字 and 字 begin a unit: they stay on the line of the name they introduce
        bound = {
            i for i, ch in enumerate(text) if ch == "字" and (i - 1 in units or (text[i - 1 : i] == "大" and i - 2 in units))
        }
        phrases = frozenset().union(*(_offset(phrase_ends(seg), start) for seg, start in _segments(text)))
    out: list[Break] = []
    for i, ok in enumerate(allowed):
        c = clusters[i]
        if not ok or i in bound:
            out.append(Break.NEVER)
        elif c.is_space or c.is_break or i == len(clusters) - 1:
            out.append(Break.SPACE)
        elif i in units or c.text == MIDDLE_DOT or c.text in BREAK_AFTER_IN_WORD:
            out.append(Break.UNIT)
        elif i in phrases or _script_changes(c.text[0], clusters[i + 1].text[0]):
            out.append(Break.PHRASE)
        else:
            out.append(Break.CHAR)
    return out


def _script_changes(cur: str, nxt: str) -> bool:
    """Kanji or digits to katakana or back (見本町|グランドタワー, ７|ハイツ): a word boundary BudouX may not mark."""
    word = _is_kanji(cur) or cur.isdigit()
    return (word and is_katakana(nxt)) or (is_katakana(cur) and (_is_kanji(nxt) or nxt.isdigit()))


def _segments(text: str) -> list[tuple[str, int]]:
    """The runs of text between spaces and line breaks, with their offsets (BudouX sees words)."""
    return [(m.group(), m.start()) for m in re.finditer(r"[^\s]+", text)]


def _offset(ends: frozenset[int], start: int) -> frozenset[int]:
    return frozenset(e + start for e in ends)


def katakana_runs(clusters: Sequence[Cluster]) -> list[tuple[int, int]]:
    """``(first, last)`` cluster indices of every katakana word of two or more characters."""
    runs: list[tuple[int, int]] = []
    start: int | None = None
    for i, c in enumerate(clusters):
        if is_katakana(c.text[0]) and not c.is_space:
            if start is None:
                start = i
            continue
        if start is not None and i - 1 > start:
            runs.append((start, i - 1))
        start = None
    if start is not None and len(clusters) - 1 > start:
        runs.append((start, len(clusters) - 1))
    return runs


def attached_span(classes: Sequence[Break], first: int, last: int) -> tuple[int, int]:
    """The run ``first..last`` with what kinsoku binds to it (グランドタワー・ keeps its ・)."""
    lo, hi = first, last
    while lo > 0 and classes[lo - 1] == Break.NEVER:
        lo -= 1
    while hi < len(classes) - 1 and classes[hi] == Break.NEVER:
        hi += 1
    return lo, hi

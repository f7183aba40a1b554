"""Japanese line breaking (issue 12 §6) on real-shaped fictitious addresses and names, in BIZ UDGothic.

A break prefers a space, then the end of an address unit, then a BudouX phrase boundary, and takes
a plain character boundary (kinsoku-legal) only as the last resort; katakana words stay whole
where they fit on a line; a value that fits on one line at 90 % width or wider is not wrapped.
The lines the wrapper returns are read back: their text, their widths, where they break.
"""

from __future__ import annotations

from collections.abc import Sequence

import pytest
from addresses import ADDRESSES, ISSUE_BAD_BREAKS, NAMES, SHAPES
from hypothesis import event, example, given, settings
from hypothesis import strategies as st

from faceprint.text.fit import FitRequest, FitStep, fit_text, wrap
from faceprint.text.fonts import FontDatabase, FontFace
from faceprint.text.linebreak import (
    NO_LINE_END,
    NO_LINE_START,
    Break,
    attached_span,
    break_classes,
    katakana_runs,
)
from faceprint.text.shaping import Cluster, shape
from faceprint.units import pt_to_mm

SIZE = 10.0
EPS = 1e-6


@pytest.fixture(scope="module")
def gothic(test_fonts: FontDatabase) -> FontFace:
    return test_fonts.find("BIZ UDGothic")


def _lines(face: FontFace, text: str, width_em: float) -> tuple[list[Cluster], list[tuple[Cluster, ...]] | None]:
    clusters = shape(text, [face])
    return clusters, wrap(clusters, pt_to_mm(SIZE) * width_em, SIZE, 1.0)


def _texts(lines: Sequence[Sequence[Cluster]]) -> list[str]:
    return ["".join(c.text for c in line) for line in lines]


def _break_offsets(text: str, lines: Sequence[str]) -> list[int]:
    """Character offsets in ``text`` where each line but the last ends (spaces at breaks dropped)."""
    offsets, pos = [], 0
    for line in lines[:-1]:
        pos = text.index(line, pos) + len(line)
        offsets.append(pos)
    return offsets


def _splits(text: str, lines: Sequence[str], word: str) -> bool:
    start = text.find(word)
    assert start >= 0, word
    return any(start < b < start + len(word) for b in _break_offsets(text, lines))


def _check_lines(face: FontFace, text: str, clusters: list[Cluster], lines: list[tuple[Cluster, ...]], width_em: float) -> None:
    """Nothing lost, every line within the width, kinsoku kept, katakana words whole when they fit."""
    assert "".join(_texts(lines)).replace(" ", "").replace("\u3000", "") == text.replace(" ", "").replace("\u3000", "")
    for i, line in enumerate(lines):
        assert sum(c.advance_em for c in line) <= width_em + EPS
        if i > 0 and line:
            assert line[0].text not in NO_LINE_START
        if i < len(lines) - 1 and line:
            assert line[-1].text not in NO_LINE_END
    joined = _texts(lines)
    classes = break_classes(clusters)
    for first, last in katakana_runs(clusters):
        word = "".join(c.text for c in clusters[first : last + 1])
        lo, hi = attached_span(classes, first, last)  # with the punctuation kinsoku binds to it
        span = list(clusters[lo : hi + 1])
        while span and span[-1].is_space:
            span.pop()  # a space after the word vanishes at a break; one inside its span takes room
        if sum(c.advance_em for c in span) <= width_em:
            assert not _splits(text, joined, word), f"{word} split in {joined}"


# -- the issue's bad breaks, each a regression test --------------------------------------------------


@pytest.mark.parametrize(("text", "word"), ISSUE_BAD_BREAKS, ids=[w for _, w in ISSUE_BAD_BREAKS])
def test_the_issues_bad_breaks_are_gone_at_every_width(gothic: FontFace, text: str, word: str) -> None:
    wrapped = 0
    for width_em in range(len(word) + 2, 40):  # the word and the bracket or mark kinsoku binds to it
        _, lines = _lines(gothic, text, width_em)
        assert lines is not None
        if len(lines) > 1:
            wrapped += 1
            assert not _splits(text, _texts(lines), word), f"at {width_em} em: {_texts(lines)}"
    assert wrapped >= 5  # the text really was wrapped at many of these widths


def test_an_address_that_fits_at_ninety_percent_stays_on_one_line(gothic: FontFace) -> None:
    # 18 characters in a box 17 ems wide: today's 「…１番｜１号」; 17/18 = 94 % keeps it on one line
    text = "東京都世田谷区太子堂四丁目１１番１号"
    assert len(text) == 18
    clusters = shape(text, [gothic])
    natural = sum(c.advance_em for c in clusters)
    req = FitRequest(
        width=pt_to_mm(SIZE) * natural * 0.94,
        height=pt_to_mm(SIZE) * 3,
        size_pt=SIZE,
        line_height=1.25,
        max_lines=2,
        steps=(FitStep("wrap"), FitStep("condense", 0.7)),
    )
    result = fit_text(clusters, req)
    assert len(result.lines) == 1 and 0.9 <= result.hscale <= 0.95
    # at 85 % it would need more condensing than a one-line value may take: it wraps, at a unit end
    narrow = fit_text(clusters, FitRequest(**{**_fields(req), "width": pt_to_mm(SIZE) * natural * 0.85}))
    assert len(narrow.lines) == 2 and narrow.hscale == 1.0
    assert _break_offsets(text, _texts(narrow.lines))[0] in (3, 7, 13, 16)  # 東京都|世田谷区|太子堂四丁目|１１番


def _fields(req: FitRequest) -> dict[str, object]:
    return {f: getattr(req, f) for f in req.__dataclass_fields__}


# -- address units and phrase boundaries ------------------------------------------------------------


@pytest.mark.parametrize(("text", "words"), SHAPES, ids=[a[:12] for a, _ in SHAPES])
def test_address_shapes_break_between_units(gothic: FontFace, text: str, words: tuple[str, ...]) -> None:
    for width_em in (8, 11, 14, 17, 21, 26):
        clusters, lines = _lines(gothic, text, width_em)
        assert lines is not None
        _check_lines(gothic, text, clusters, lines, width_em)
        for word in words:
            if sum(c.advance_em for c in shape(word, [gothic])) <= width_em * 0.6:
                assert not _splits(text, _texts(lines), word), f"{word} at {width_em} em: {_texts(lines)}"


def test_address_unit_ends_are_classed_as_such(gothic: FontFace) -> None:
    text = "北海道札幌市中央区北１条西２丁目１番地"
    classes = break_classes(shape(text, [gothic]))
    units = [i for i, c in enumerate(classes) if c == Break.UNIT]
    pieces = [text[a + 1 : b + 1] for a, b in zip([-1, *units], [*units, len(text) - 1], strict=True)]
    assert pieces == ["北海道", "札幌市", "中央区", "北１条", "西２丁目", "１番地"]


def test_kyoto_and_rural_units(gothic: FontFace) -> None:
    def units(text: str) -> list[str]:
        classes = break_classes(shape(text, [gothic]))
        ends = [i for i, c in enumerate(classes) if c == Break.UNIT]
        return [text[a + 1 : b + 1] for a, b in zip([-1, *ends], [*ends, len(text) - 1], strict=True)]

    assert units("京都府京都市上京区烏丸通見本町上る二丁目５８６番地の２") == [
        "京都府",
        "京都市",
        "上京区",
        "烏丸通",
        "見本町上る",
        "二丁目",
        "５８６番地の２",
    ]
    assert units("長野県北安曇郡見本村大字見本字上ノ原１２３４番地") == [
        "長野県",
        "北安曇郡",
        "見本村",
        "大字見本",
        "字上ノ原",
        "１２３４番地",
    ]
    assert units("三重県四日市市見本町１番２号")[:3] == ["三重県", "四日市市", "見本町"]  # not 四日市|市
    assert units("東京都町田市見本町")[:2] == ["東京都", "町田市"]  # not 町|田市


def test_plain_text_gets_no_address_units(gothic: FontFace) -> None:
    classes = break_classes(shape("市民の区域を通知する町内会", [gothic]))
    assert Break.UNIT not in classes


def test_a_phrase_boundary_beats_a_character_boundary(gothic: FontFace) -> None:
    text = "有効期限変更　2028年4月9日（在留期間更新）"
    for width_em in range(9, 20):
        _, lines = _lines(gothic, text, width_em)
        assert lines is not None
        for line in _texts(lines)[:-1]:
            assert line.endswith(("変更", "日", "）")), f"at {width_em} em: {_texts(lines)}"


def test_many_addresses(gothic: FontFace) -> None:
    """Every generated address at several widths: text kept, lines fit, kinsoku, katakana whole;
    breaks fall at spaces, unit ends and phrases, a plain character boundary only rarely."""
    assert len(ADDRESSES) >= 50
    counts = dict.fromkeys(Break, 0)
    for text in ADDRESSES:
        clusters = shape(text, [gothic])
        classes = break_classes(clusters)
        for width_em in (9, 13, 18, 24):
            lines = wrap(clusters, pt_to_mm(SIZE) * width_em, SIZE, 1.0)
            assert lines is not None, (text, width_em)
            _check_lines(gothic, text, clusters, lines, width_em)
            start = 0
            for line in lines[:-1]:
                end = start + len(line) - 1  # index of the line's last cluster
                while end + 1 < len(clusters) and clusters[end + 1].is_space:
                    end += 1  # the break is after the space that ended the line
                counts[classes[end]] += 1
                start = end + 1
    assert counts[Break.NEVER] == 0
    total = sum(counts.values())
    assert total > 300  # many breaks were really made
    assert counts[Break.SPACE] + counts[Break.UNIT] > 0.8 * total, counts
    assert counts[Break.CHAR] <= 0.02 * total, counts


@pytest.mark.parametrize("name", NAMES)
def test_names_break_only_between_words_when_the_words_fit(gothic: FontFace, name: str) -> None:
    words = name.split(" ")
    widest = max(sum(c.advance_em for c in shape(w, [gothic])) for w in words)
    for width_em in range(int(widest) + 1, 24):
        _, lines = _lines(gothic, name, width_em)
        assert lines is not None
        for word in words:
            assert not _splits(name, _texts(lines), word), (width_em, _texts(lines))


# -- properties --------------------------------------------------------------------------------------

parts = st.tuples(
    st.sampled_from(["東京都", "北海道", "京都府", "神奈川県", "鹿児島県"]),
    st.sampled_from(["千代田区", "札幌市中央区", "京都市上京区", "横浜市港北区", "見本郡見本村"]),
    st.sampled_from(["見本町", "大字見本字上ノ原", "北１条西", "烏丸通見本町上る", "見本が丘"]),
    st.sampled_from(["一丁目２番３号", "２丁目", "３番地の７", "１２３４番地", "４丁目５番６号", ""]),
    st.sampled_from(["", "　", "・"]),
    st.text(alphabet="アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワンー", max_size=14),
    st.sampled_from(["", "棟", "ハイツ", "１０１号室", "　２０２号室"]),
)


@settings(max_examples=250, deadline=None)
@given(address=parts.map("".join), width_em=st.integers(4, 30))
@example(address="東京都千代田区見本町一丁目２番３号\u3000ーアアアアアアアアア", width_em=12)  # ー binds to the space before
def test_wrapped_addresses_keep_their_text_fit_and_keep_katakana_whole(gothic: FontFace, address: str, width_em: int) -> None:
    clusters, lines = _lines(gothic, address, width_em)
    if lines is None:
        event("a word wider than the line")
        assert any(sum(c.advance_em for c in w) > width_em for w in _unbreakable(clusters))
        return
    event(f"{min(len(lines), 4)} line(s)")
    _check_lines(gothic, address, clusters, lines, width_em)


def _unbreakable(clusters: list[Cluster]) -> list[list[Cluster]]:
    """The runs between kinsoku-legal breaks: at least one must be wider than the line for wrap to fail."""
    from faceprint.text.linebreak import break_allowed_after

    allowed = break_allowed_after(clusters)
    runs, cur = [], []
    for c, ok in zip(clusters, allowed, strict=True):
        cur.append(c)
        if ok:
            while cur and cur[-1].is_space:
                cur.pop()  # a space at a break vanishes; one inside the run still takes room
            while cur and cur[0].is_space:
                cur.pop(0)
            runs.append(cur)
            cur = []
    return runs


NAME_CHARACTERS = "見本山田花子太郎アイウカキクサシスタチツナニヌエオン"


@settings(max_examples=150, deadline=None)
@given(
    words=st.lists(st.text(alphabet=NAME_CHARACTERS, min_size=1, max_size=6), min_size=1, max_size=4),
    width_em=st.integers(6, 20),
)
def test_names_break_at_spaces_first(gothic: FontFace, words: list[str], width_em: int) -> None:
    """A name's words stay whole unless keeping them whole would cost a line."""
    name = " ".join(words)
    clusters, lines = _lines(gothic, name, width_em)
    assert lines is not None  # every word of at most 6 characters fits in 6 ems
    _check_lines(gothic, name, clusters, lines, width_em)
    if any(_splits(name, _texts(lines), word) for word in words):
        event("a word split to save a line")
        assert len(lines) < _lines_at_spaces(gothic, words, width_em), _texts(lines)


def _lines_at_spaces(face: FontFace, words: list[str], width_em: int) -> int:
    """Lines needed breaking only at the spaces (greedy filling is the fewest)."""
    space = shape(" ", [face])[0].advance_em
    count, used = 1, -space
    for word in words:
        w = sum(c.advance_em for c in shape(word, [face]))
        if used + space + w > width_em + EPS:
            count, used = count + 1, w
        else:
            used += space + w
    return count

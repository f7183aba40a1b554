"""Properties of the fitter and the line breaker, over random texts, boxes and fit steps (hypothesis).

Whatever ``fit_text`` accepts, once placed by ``set_text``, has every glyph's advance box inside
the box width and every line's em box inside the box height, keeps every character, and has no
more lines than allowed; whatever it rejects, it rejects with ``TextDoesNotFit`` and nothing else.
The test font's exact metrics (1 em kana/kanji, ½ em ASCII) keep the arithmetic honest.
"""

from __future__ import annotations

from engine_testfont import ASCII, HIRAGANA, KATAKANA
from hypothesis import event, given, settings
from hypothesis import strategies as st

from faceprint.color import BLACK
from faceprint.scene import Box
from faceprint.text.fit import MIN_HSCALE, FitRequest, FitStep, TextDoesNotFit, fit_text, wrap
from faceprint.text.fonts import FontFace
from faceprint.text.linebreak import NO_LINE_END, NO_LINE_START
from faceprint.text.setting import Align, VAlign, set_text
from faceprint.text.shaping import shape
from faceprint.units import pt_to_mm

EPS = 1e-6
KANJI = "".join(chr(0x4E00 + i) for i in range(64)) + "山田太郎東京都千代田区"
PUNCTUATION = "、。・ー「」『』（）［］【】々〜："  # kinsoku classes the test font draws
ALPHABET = KANJI + HIRAGANA[:40] + KATAKANA[:40] + ASCII[1:] + PUNCTUATION + " \u3000"

words = st.text(alphabet=ALPHABET, min_size=1, max_size=8)
texts = st.lists(words, min_size=1, max_size=4).map(" ".join)
texts_with_breaks = texts | st.lists(texts, min_size=2, max_size=3).map("\n".join)  # hard line breaks


@st.composite
def fit_steps(draw: st.DrawFn) -> tuple[FitStep, ...]:
    steps = [
        FitStep("wrap"),
        FitStep("condense", draw(st.integers(20, 100)) / 100),
        FitStep("shrink", draw(st.integers(20, 140)) / 10),
    ]
    chosen = draw(st.lists(st.sampled_from(steps), unique_by=lambda s: s.kind, max_size=3))
    return tuple(chosen)


@st.composite
def requests(draw: st.DrawFn) -> FitRequest:
    """Boxes measured in ems of the nominal size, so that many texts land near the edge of fitting."""
    size_pt = draw(st.integers(30, 120)) / 10
    em = pt_to_mm(size_pt)
    return FitRequest(
        width=em * draw(st.floats(0.5, 25)),
        height=em * draw(st.floats(0.8, 10)),
        size_pt=size_pt,
        line_height=draw(st.sampled_from([1.0, 1.2, 1.25, 1.5])),
        max_lines=draw(st.none() | st.integers(1, 4)),
        steps=draw(fit_steps()),
        reserved_top=draw(st.sampled_from([0.0, 0.0, 1.5])),
    )


@settings(max_examples=300, deadline=None)
@given(
    text=texts_with_breaks,
    req=requests(),
    align=st.sampled_from(["left", "center", "right", "justify"]),
    valign=st.sampled_from(["top", "middle", "bottom"]),
)
def test_accepted_text_stays_inside_its_box(
    test_face: FontFace, text: str, req: FitRequest, align: Align, valign: VAlign
) -> None:
    clusters = shape(text, [test_face])
    try:
        fitted = fit_text(clusters, req)
    except TextDoesNotFit:
        event("rejected")
        return
    event(
        f"accepted: {len(fitted.lines)} line(s), {'shrunk' if fitted.size_pt < req.size_pt else 'full size'}, "
        f"{'condensed' if fitted.hscale < 1 else 'not condensed'}"
    )
    if req.max_lines is not None:
        assert len(fitted.lines) <= req.max_lines
    assert fitted.size_pt <= req.size_pt and MIN_HSCALE <= fitted.hscale <= 1.0  # the legibility floor holds
    kept = "".join(c.text for line in fitted.lines for c in line if not c.is_space)
    assert kept == "".join(ch for ch in text if ch not in " \u3000\n")  # nothing is clipped or lost
    box = Box(3.0, 4.0 + req.reserved_top, req.width, req.height - req.reserved_top)  # the space above is the ruby's
    runs = set_text(
        element_id="t",
        layer="artwork",
        box=box,
        fitted=fitted,
        align=align,
        valign=valign,
        line_height=req.line_height,
        ascent_em=test_face.ascent_em,
        color=BLACK,
    )
    em = pt_to_mm(fitted.size_pt)
    for run in runs:
        assert run.baseline_y - test_face.ascent_em * em >= box.y - EPS
        assert run.baseline_y + (1 - test_face.ascent_em) * em <= box.bottom + EPS
        for glyph, advance in zip(run.glyphs, run.advances, strict=True):
            assert glyph.x >= box.x - EPS and glyph.x + advance <= box.right + EPS
    assert len({run.baseline_y for run in runs}) <= len(fitted.lines)


@settings(max_examples=300, deadline=None)
@given(text=texts, width_em=st.integers(1, 30))
def test_the_line_breaker_keeps_kinsoku(test_face: FontFace, text: str, width_em: int) -> None:
    lines = wrap(shape(text, [test_face]), pt_to_mm(10) * width_em, 10, 1.0)
    if lines is None:
        event("unbreakable run too wide")
        return
    event(f"{min(len(lines), 4)}+ lines" if len(lines) >= 4 else f"{len(lines)} line(s)")
    for i, line in enumerate(lines):
        assert sum(c.advance_em for c in line) <= width_em + EPS
        if i > 0 and line:
            assert line[0].text not in NO_LINE_START, f"line {i} starts with {line[0].text!r}: {lines}"
        if i < len(lines) - 1 and line:
            assert line[-1].text not in NO_LINE_END, f"line {i} ends with {line[-1].text!r}: {lines}"

"""Reference: the next-gen card drawn by a minimal hand-written reportlab program, one PDF per card.

    python benchmarks/reference/reportlab_card.py RECORDS.jsonl --out DIR [--a85] [--qr segno|reportlab]

What a competent reportlab user would write for layouts/next-gen/card.yaml: the same ~28 text
elements per card (labels, name with furigana, romaji, birth date, address wrapped to 3 lines,
validity, collation number, annotations, back: number, name, birth date, the organ-donation box),
fonts registered once as ``TTFont`` from fonts/ (reportlab subsets them per document), the portrait
as a greyscale JPEG (prepared like faceprint's, see common.py), both QR codes, rectangles, ruled
lines and the two paths. Text that is too wide is condensed with ``setHorizScale`` (then shrunk),
like faceprint's fit rules; wrapping is a greedy per-character fill with a small kinsoku set.

Speed settings: reportlab's C accelerator (``_rl_accel``, from the PyPI package rl-accel) is used
when installed (checked and reported); ``rl_config.useA85 = 0`` (no ASCII85 on binary streams)
unless ``--a85``; page compression on; ``invariant=1`` for reproducible files. QR codes come from
segno drawn as one filled path of run-length rectangles (``--qr reportlab`` uses reportlab's own
``reportlab.graphics.barcode.qr`` widget instead).

Differences from faceprint's card, on purpose (what a minimal program does): a variant selector
(IVS) is dropped and the base kanji drawn (reportlab would draw the selector as an extra glyph); a
name with a character BIZ UD Mincho lacks is drawn wholly in IPAmj Mincho; baselines are placed by
a fixed fraction of the size rather than the fonts' ascent; no guides, layers or print options.
"""

from __future__ import annotations

import argparse
import io
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from reportlab import rl_config
from reportlab.lib.colors import HexColor, white
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import (
    FONTS,
    english_date,
    ipamj_path,
    is_latin,
    portrait_jpeg,
    run,
    western_date,
)

W, H = 85.6, 53.98  # ID-1 in mm
PAGE = (W * mm, H * mm)
INK = HexColor("#000000")
NAVY = HexColor("#1d3a5f")
LABEL = HexColor("#3b4f66")
BG = HexColor("#f4f7fb")
FRAME = HexColor("#9aa9b8")
RULE = HexColor("#c4cfdb")
VS = re.compile("[\ufe00-\ufe0f\U000e0100-\U000e01ef]")
GAP = "　" * 8  # between the holder's and the family's signature
NO_LINE_START = set("、。，．・：；？！ーぁぃぅぇぉっゃゅょァィゥェォッャュョ」）』】〕》")

GOTHIC, GOTHIC_B, MINCHO, IPAMJ = "BIZUDGothic", "BIZUDGothic-Bold", "BIZUDMincho", "IPAmjMincho"


class Fonts:
    def __init__(self) -> None:
        files = {GOTHIC: "BIZUDGothic-Regular.ttf", GOTHIC_B: "BIZUDGothic-Bold.ttf", MINCHO: "BIZUDMincho-Regular.ttf"}
        for name, file in files.items():
            pdfmetrics.registerFont(TTFont(name, str(FONTS / file)))
        self.has_ipamj = False

    def for_text(self, font: str, text: str) -> str:
        """The font itself, or IPAmj Mincho when it lacks a character (registered on first need)."""
        cmap = pdfmetrics.getFont(font).face.charToGlyph
        if all(ord(c) in cmap for c in text if c != " "):
            return font
        path = ipamj_path()
        if path is None:
            return font
        if not self.has_ipamj:
            pdfmetrics.registerFont(TTFont(IPAMJ, str(path)))
            self.has_ipamj = True
        return IPAMJ


class Card:
    """Drawing in the layout's terms: millimetres from the face's top-left corner, y downwards."""

    def __init__(self, c: Canvas, fonts: Fonts) -> None:
        self.c = c
        self.fonts = fonts

    @staticmethod
    def y(v: float) -> float:
        return (H - v) * mm

    def text(
        self,
        box: tuple[float, float, float, float],
        s: str,
        font: str,
        size: float,
        color: Any = INK,
        *,
        align: str = "left",
        condense: float = 1.0,
        shrink: float | None = None,
        baseline: float | None = None,
    ) -> None:
        x, top, w, h = box
        s = VS.sub("", s)
        font = self.fonts.for_text(font, s)
        width = pdfmetrics.stringWidth(s, font, size)
        scale = 1.0
        if width > w * mm:
            scale = max(condense, w * mm / width)
            if shrink and width * scale > w * mm:
                size = max(shrink, size * w * mm / (width * scale))
            width = pdfmetrics.stringWidth(s, font, size)
        drawn = width * scale
        left = x * mm + (w * mm - drawn if align == "right" else 0.0)
        base = self.y(baseline) if baseline is not None else self.y(top + h / 2) - size * 0.36
        t = self.c.beginText(left, base)
        t.setFont(font, size)
        t.setHorizScale(scale * 100)  # Tz is text state: it outlives BT/ET, so every run sets its own
        t.setFillColor(color)
        t.textOut(s)
        self.c.drawText(t)

    def wrap(self, s: str, font: str, size: float, width_pt: float) -> list[str]:
        """Greedy fill, one character at a time; Latin words stay whole; no 、。」 at a line start."""
        lines: list[str] = []
        for para in s.split("\n"):
            tokens = re.findall(r"[A-Za-z0-9.,'\-]+ ?|.", para)
            line, lw = "", 0.0
            for tok in tokens:
                tw = pdfmetrics.stringWidth(tok, font, size)
                if line and lw + tw > width_pt and tok[0] not in NO_LINE_START:
                    lines.append(line.rstrip())
                    line, lw = "", 0.0
                if not line and tok in (" ", "　"):
                    continue
                line += tok
                lw += tw
            lines.append(line.rstrip())
        return lines

    def block(
        self,
        box: tuple[float, float, float, float],
        s: str,
        font: str,
        size: float,
        lines: int,
        leading: float,
        *,
        condense: float,
        shrink: float | None = None,
    ) -> None:
        """Wrapped text from the box top: condensed, then shrunk, until it fits in ``lines`` lines."""
        x, top, w, h = box
        s = VS.sub("", s)
        font = self.fonts.for_text(font, s)
        scale = 1.0
        while True:
            out = self.wrap(s, font, size, w * mm / scale)
            tall = (len(out) - 1) * size * leading + size > h * mm + 0.01
            if len(out) <= lines and not (tall and shrink and size > shrink):
                break
            if tall and len(out) <= lines:
                size = max(shrink or size, size - 0.5)
                continue
            if scale > condense + 1e-6:
                scale = max(condense, scale - 0.05)
            elif shrink and size > shrink:
                size = max(shrink, size - 0.5)
            else:
                out = out[:lines]
                break
        for i, line in enumerate(out):
            t = self.c.beginText(x * mm, self.y(top) - size * 0.88 - i * size * leading)
            t.setFont(font, size)
            t.setHorizScale(scale * 100)
            t.setFillColor(INK)
            t.textOut(line)
            self.c.drawText(t)

    def rect(
        self, box: tuple[float, float, float, float], fill: Any = None, stroke: Any = None, lw: float = 0.1, r: float = 0.0
    ) -> None:
        x, top, w, h = box
        if fill is not None:
            self.c.setFillColor(fill)
        if stroke is not None:
            self.c.setStrokeColor(stroke)
            self.c.setLineWidth(lw * mm)
        args = (x * mm, self.y(top + h), w * mm, h * mm)
        if r:
            self.c.roundRect(*args, r * mm, stroke=stroke is not None, fill=fill is not None)
        else:
            self.c.rect(*args, stroke=stroke is not None, fill=fill is not None)

    def line(self, x0: float, y0: float, x1: float, y1: float, color: Any, lw: float) -> None:
        self.c.setStrokeColor(color)
        self.c.setLineWidth(lw * mm)
        self.c.line(x0 * mm, self.y(y0), x1 * mm, self.y(y1))

    def polygon(self, points: list[tuple[float, float]], fill: Any) -> None:
        p = self.c.beginPath()
        p.moveTo(points[0][0] * mm, self.y(points[0][1]))
        for px, py in points[1:]:
            p.lineTo(px * mm, self.y(py))
        p.close()
        self.c.setFillColor(fill)
        self.c.drawPath(p, stroke=0, fill=1)


def qr_segno(card: Card, value: str, box: tuple[float, float, float], quiet: int) -> None:
    """segno's matrix, dark modules merged into horizontal runs, one filled path; white quiet zone."""
    import segno

    matrix = segno.make(value, error="m", micro=False, boost_error=False).matrix
    x, top, size = box
    n = len(matrix)
    m = size / (n + 2 * quiet)
    card.rect((x, top, size, size), fill=white)
    p = card.c.beginPath()
    for r, row in enumerate(matrix):
        col = 0
        while col < n:
            if not row[col]:
                col += 1
                continue
            start = col
            while col < n and row[col]:
                col += 1
            p.rect((x + (quiet + start) * m) * mm, card.y(top + (quiet + r + 1) * m), (col - start) * m * mm, m * mm)
    card.c.setFillColor(INK)
    card.c.drawPath(p, stroke=0, fill=1)


def qr_reportlab(card: Card, value: str, box: tuple[float, float, float], quiet: int) -> None:
    """reportlab's own QR widget (pure Python encoder), drawn through renderPDF."""
    from reportlab.graphics import renderPDF
    from reportlab.graphics.barcode.qr import QrCodeWidget
    from reportlab.graphics.shapes import Drawing

    x, top, size = box
    widget = QrCodeWidget(value, barLevel="M", barBorder=quiet, barWidth=size * mm, barHeight=size * mm)
    d = Drawing(size * mm, size * mm)
    d.add(widget)
    card.rect((x, top, size, size), fill=white)
    renderPDF.draw(d, card.c, x * mm, card.y(top + size))


def front(card: Card, rec: dict[str, Any], qr: Callable[..., None]) -> None:
    put = card.text
    card.rect((-2, -2, 89.6, 57.98), fill=BG)
    card.rect((-2, -2, 89.6, 8.6), fill=HexColor("#dde8f3"))
    card.polygon([(44, 55.98), (63, 41.5), (65, 42.3), (67, 41.2), (87.6, 55.98)], HexColor("#e6edf5"))
    put((4, 2, 34, 4.4), "日本国 JAPAN", GOTHIC_B, 10, NAVY)
    put((36, 2, 45.6, 4.4), "個人番号カード INDIVIDUAL NUMBER CARD", GOTHIC_B, 7, NAVY, align="right", condense=0.8)
    for top, h, label, cond in (
        (8.2, 2.4, "氏名", 1.0), (10.6, 2.4, "Name", 1.0), (21.4, 2.3, "生年月日", 1.0), (23.6, 2.3, "Date of birth", 0.7),
        (26.4, 2.3, "住所", 1.0), (28.6, 2.3, "Address", 1.0), (34.6, 2.3, "有効期限", 1.0), (36.8, 2.3, "Valid until", 0.8),
    ):  # fmt: skip
        put((4, top, 11, h), label, GOTHIC, 6, LABEL, condense=cond)

    name = rec["name"]
    kanji, kana = name["kanji"], name.get("kana", "")
    if is_latin(kanji):  # a Latin name is its own romaji: two lines, its katakana reading below
        card.block((15.5, 7.6, 42, 7.4), kanji, MINCHO, 11, 2, 1.15, condense=0.7, shrink=8)
        if kana:
            put((15.5, 15.1, 42, 2.8), kana, GOTHIC, 6.5, condense=0.5, shrink=6)
    else:
        name_box = (15.5, 7.6, 42, 7.4)
        base = 14.1  # baseline of the 13 pt name, mm from the top
        put(name_box, kanji, MINCHO, 13, condense=0.6, shrink=8, baseline=base)
        if kana and kana != kanji:  # furigana centred over each word when the word counts match
            font = card.fonts.for_text(MINCHO, VS.sub("", kanji))
            words, readings = kanji.split(" "), kana.split(" ")
            if len(words) != len(readings):
                words, readings = [kanji], [kana]
            x = 15.5 * mm
            space = pdfmetrics.stringWidth(" ", font, 13)
            for word, reading in zip(words, readings, strict=True):
                ww = pdfmetrics.stringWidth(VS.sub("", word), font, 13)
                rw = pdfmetrics.stringWidth(reading, MINCHO, 6)
                scale = max(0.5, min(1.0, ww / rw)) if rw > ww else 1.0
                t = card.c.beginText(x + (ww - rw * scale) / 2, card.y(base) + 13 * 0.88 + 0.25 * mm)
                t.setFont(MINCHO, 6)
                t.setHorizScale(scale * 100)
                t.textOut(reading)
                card.c.drawText(t)
                x += ww + space
        if name.get("romaji"):
            put((15.5, 15.1, 42, 2.8), name["romaji"], GOTHIC, 7, condense=0.6, shrink=6)
    alias, former = rec.get("alias"), rec.get("former_surname")
    if alias or former:
        parts = []
        if alias:
            parts.append(f"通称 Alias　{alias['kanji']}")
        if former:
            parts.append(f"旧氏 Former surname　{former}")
        put((15.5, 18.2, 42, 2.9), "　".join(parts), GOTHIC, 6.5, condense=0.6, shrink=6)
    born = rec["birth_date"]
    put((15.5, 21.4, 42, 4.2), f"{western_date(born)}（{english_date(born)}）", MINCHO, 9, condense=0.75)
    card.block((15.5, 26.2, 42, 8.2), rec["address"], GOTHIC, 7, 3, 1.18, condense=0.7, shrink=6)
    put((15.5, 34.8, 42, 4), f"{western_date(rec['valid_until'])}まで有効", GOTHIC, 8)

    jpeg, _, _ = portrait_jpeg(rec["photo"])
    card.c.drawImage(ImageReader(io.BytesIO(jpeg)), 59.6 * mm, card.y(8.2 + 27.5), 22 * mm, 27.5 * mm)
    card.rect((59.6, 8.2, 22, 27.5), stroke=FRAME, lw=0.1)

    put((58.6, 36.6, 14, 2.4), "照合番号 Collation", GOTHIC, 6, LABEL, condense=0.6)
    code = rec["collation_number"]
    put((58.6, 39.2, 14, 5), f"{code[:3]} {code[3:]}", GOTHIC_B, 11, condense=0.7)
    qr(card, code, (72.6, 36.4, 9.2), 2)

    card.rect((4, 39.4, 53.5, 12.5), fill=white, stroke=FRAME, lw=0.12, r=0.8)
    put((5, 39.7, 40, 2.3), "追記欄 Annotations", GOTHIC, 6, LABEL)
    card.line(5, 44.8, 56.5, 44.8, RULE, 0.08)
    card.line(5, 48.24, 56.5, 48.24, RULE, 0.08)
    notes = rec.get("annotations") or []
    if notes:
        text = "\n".join(f"{western_date(a['date'])}　{a['text']}" for a in notes)
        card.block((5, 42.1, 51.5, 9.3), text, GOTHIC, 6.5, 3, 1.5, condense=0.55)


def back(card: Card, rec: dict[str, Any], qr: Callable[..., None]) -> None:
    put = card.text
    for box in ((-2, -2, 89.6, 5.04), (-2, 14.39, 89.6, 2.34), (-2, 16.73, 9.75, 14.32), (22.37, 16.73, 65.23, 14.32),
                (-2, 31.05, 89.6, 26.93)):  # fmt: skip
        card.rect(box, fill=BG)
    put((25, 15.2, 38, 2.6), "個人番号 Individual Number", GOTHIC, 6.5, LABEL)
    n = rec["my_number"]
    put((25, 17.8, 39, 6.4), f"{n[:4]} {n[4:8]} {n[8:]}", GOTHIC_B, 16, condense=0.8)
    put((25, 24.6, 39, 2.8), f"氏名 Name　{rec['name']['kanji']}", GOTHIC, 6.5, condense=0.5, shrink=6)
    put((25, 27.6, 39, 2.8), f"生年月日 Date of birth　{western_date(rec['birth_date'])}", GOTHIC, 6.5, condense=0.7)
    qr(card, n, (66, 14.6, 15.6), 4)

    ox, oy = 4.0, 31.4
    # the organ-donation box: blank artwork, filled in by the holder's hand (records carry no organ data)
    card.rect((ox, oy, 73, 20.5), fill=white, stroke=FRAME, lw=0.12, r=0.8)
    sign = "署名年月日：　　　年　　月　　日"
    for top, w, s, font, color, cond, dx in (
        (0.3, 71, "臓器提供意思表示欄 Organ donation　《1から3のいずれかの番号を○で囲んでください。》", GOTHIC_B, LABEL, 0.7, 1),
        (3.0, 71, "1. 私は、脳死後及び心臓が停止した死後のいずれでも、移植の為に臓器を提供します。", GOTHIC, INK, 0.75, 1),
        (5.4, 71, "2. 私は、心臓が停止した死後に限り、移植の為に臓器を提供します。", GOTHIC, INK, 0.75, 1),
        (7.8, 71, "3. 私は、臓器を提供しません。", GOTHIC, INK, 0.75, 1),
        (10.2, 71, "《1又は2を選んだ方で、提供したくない臓器があれば、×をつけてください。》", GOTHIC, INK, 0.7, 1),
        (12.6, 44, "【心臓・肺・肝臓・腎臓・膵臓・小腸・眼球】", GOTHIC, INK, 0.7, 1),
        (15.2, 36, "〔特記欄：　　　　　　　　〕", GOTHIC, INK, 0.6, 1),
        (15.2, 34, sign, GOTHIC, INK, 0.6, 38),
        (17.8, 71, f"本人署名（自筆）：{GAP}家族署名（自筆）：", GOTHIC, INK, 0.6, 1),
    ):  # fmt: skip
        put((ox + dx, oy + top, w, 2.3), s, font, 6, color, condense=cond)
    card.polygon([(79.2, 50.6), (82.4, 50.6), (80.8, 47.8)], HexColor("#b9c4cf"))


def setup(args: argparse.Namespace) -> Callable[[dict[str, Any], Path], None]:
    rl_config.useA85 = 1 if args.a85 else 0
    fonts = Fonts()
    qr = qr_reportlab if args.qr == "reportlab" else qr_segno

    def draw_card(rec: dict[str, Any], path: Path) -> None:
        c = Canvas(str(path), pagesize=PAGE, pageCompression=1, invariant=1)
        c.setTitle(f"card {rec['id']}")
        card = Card(c, fonts)
        front(card, rec, qr)
        c.showPage()
        back(card, rec, qr)
        c.showPage()
        c.save()

    return draw_card


def accelerated() -> bool:
    from reportlab.lib import rl_accel

    return getattr(rl_accel.fp_str, "__module__", "") == "_rl_accel"


def _args(ap: argparse.ArgumentParser) -> None:
    ap.add_argument("--a85", action="store_true", help="keep reportlab's default ASCII85 stream encoding (useA85 = 1)")
    ap.add_argument("--qr", choices=("segno", "reportlab"), default="segno")


if __name__ == "__main__":
    if not accelerated():
        print("warning: reportlab's C accelerator (rl-accel) is not installed", file=sys.stderr)
    run(__doc__.splitlines()[0], setup, _args)

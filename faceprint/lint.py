"""Layout lint: what a designer must fix before a card goes to print.

In: a loaded layout and records to render it with (a built-in specimen when none are given). Out:
findings, each naming the element, the face, the file and line, the record where one is concerned,
and the reason.

From the layout alone (``lint_layout``): a printable element over a keep-out zone (chip contacts,
magnetic stripe), outside the safe area without being marked to bleed, type below the layout's
minimum size (a fitting floor included), and declared boxes of content elements (text, image, QR)
that overlap (a warning: whether ink collides depends on the record).

Condense floors below the 75 % width floor (raised to it: a warning), and labels (static text)
that do not fit their box at their size (``lint_labels``: an error, labels are never condensed).

From each record's render (``lint_records``, ``lint_scene``): text that does not fit even at its
floors, a character no font draws, other data errors, text set below the minimum size or narrower
than the width floor (with its effective width, size × width), content
whose ink overlaps another element's, and text whose contrast with what is printed under it is low
(WCAG 2 contrast ratio: below 3:1 an error, below 4.5:1 a warning). Microtext is set small on
purpose (a security feature with its own limits), so it is exempt from the size and contrast checks;
ink invisible in daylight (UV layers) may lie under content, so it is exempt from the overlap checks.
"""

from __future__ import annotations

import atexit
import datetime as dt
import math
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, replace
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from PIL import Image, ImageChops

from .errors import DataError
from .kinds import kind_of
from .kinds.text import set_label
from .layout_file.loader import LoadedLayout
from .layout_file.model import (
    Element,
    GroupElement,
    MicrotextElement,
    TextElement,
)
from .layout_file.walk import walk_elements
from .resolve import PatternSource, Resolver
from .resolve_policy import CollectFindings
from .scene import GUIDE_LAYER, Box, Face, GlyphRun, ImageItem, QrItem, Scene
from .security import guilloche_paths
from .text.fit import MIN_HSCALE
from .tolerances import SCALE_EPS
from .units import MM_PER_INCH, mm_to_px, pt_to_mm

if TYPE_CHECKING:
    from .records import Record
    from .templating import Templates
    from .text.fonts import FontDatabase

Severity = Literal["error", "warning"]

CONTRAST_ERROR = 3.0  # WCAG 2 AA minimum for large text; card type is small, so below this is an error
CONTRAST_WARNING = 4.5  # WCAG 2 AA for normal text
CONTRAST_DPI = 150  # enough pixels under 6 pt strokes, cheap enough for every record
CONTRAST_PERCENTILE = 0.1  # judge by the worst tenth of the glyph pixels, so one dark rule does not decide
OVERLAP_MIN_MM = 0.05  # ink overlaps narrower than this are rounding, not collisions
ASCENT_EM, DESCENT_EM = 0.88, 0.12  # the ideographic em box: where a CJK line's ink can reach
CONTENT_KINDS = ("text", "image", "qr")  # elements carrying information; rects, lines and paths are the art under them
# Security features set below reading size on purpose (their own limits apply): no size or contrast check.
SECURITY_TEXT_KINDS = ("microtext",)


@dataclass(frozen=True)
class Finding:
    severity: Severity
    code: str
    element_id: str
    face: str
    message: str
    file: str
    line: int | None
    record: str | None = None  # the record whose render shows the problem (the first, when several do)

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.severity}: {self.face} '{self.element_id}': {self.message} [{self.code}]"

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def flatten_elements(
    elements: Iterable[Element], dx: float = 0.0, dy: float = 0.0, layer: str | None = None
) -> Iterator[tuple[Element, Box, str]]:
    """Every drawable element with the box its ink may cover on the face and its layer (groups resolved)."""
    for el, ox, oy, el_layer in walk_elements(elements, dx=dx, dy=dy, parent_layer=layer):
        yield el, kind_of(el).extent(el, ox, oy), el_layer  # a stroke's half width, a microtext em


def _group_whens(elements: Iterable[Element], inherited: tuple[str, ...] = ()) -> dict[str, tuple[str, ...]]:
    """Each element's ``when`` conditions, its groups' included: an element is drawn only if all hold."""
    out: dict[str, tuple[str, ...]] = {}
    for el in elements:
        conds = (*inherited, el.when) if el.when else inherited
        out[el.id] = conds
        if isinstance(el, GroupElement):
            out.update(_group_whens(el.children, conds))
    return out


def _intersection(a: Box, b: Box) -> Box | None:
    x0, y0 = max(a.x, b.x), max(a.y, b.y)
    x1, y1 = min(a.right, b.right), min(a.bottom, b.bottom)
    if x1 - x0 < OVERLAP_MIN_MM or y1 - y0 < OVERLAP_MIN_MM:
        return None
    return Box(x0, y0, x1 - x0, y1 - y0)


def lint_layout(loaded: LoadedLayout) -> list[Finding]:
    """Checks that need no record: keep-out, safe area, minimum sizes, overlapping content boxes."""
    layout = loaded.layout
    card = layout.card
    floor = layout.lint.min_text_size
    safe = Box(card.safe_margin, card.safe_margin, card.width - 2 * card.safe_margin, card.height - 2 * card.safe_margin)
    findings: list[Finding] = []

    def add(severity: Severity, code: str, el_id: str, face: str, message: str) -> None:
        file, line = loaded.where(el_id)
        findings.append(Finding(severity, code, el_id, face, message, file, line))

    invisible = {name for name, spec in layout.layers.items() if not spec.visible}
    for face in ("front", "back"):
        zones = [z for z in layout.keep_out if z.face == face]
        whens = _group_whens(layout.face_elements(face))
        content: list[tuple[Element, Box]] = []
        for el, box, layer in flatten_elements(layout.face_elements(face)):
            if layer == GUIDE_LAYER:
                continue
            for zone in zones:
                zbox = Box(*zone.box)
                if box.intersects(zbox):
                    add("error", "keep-out", el.id, face, f"overlaps the keep-out zone '{zone.id}' ({zone.source})")
            if not el.bleed and not safe.contains(box):
                add(
                    "error",
                    "safe-area",
                    el.id,
                    face,
                    f"leaves the safe area ({card.safe_margin:g} mm from the trim); "
                    "mark artwork meant to bleed with 'bleed: true'",
                )
            if isinstance(el, TextElement):
                sizes = [("size", el.size)]
                sizes += [("fit shrink floor", s.floor) for s in el.fit if s.kind == "shrink" and s.floor is not None]
                if el.ruby is not None:
                    sizes.append(("ruby size", el.ruby.size))
                for what, size in sizes:
                    if size < floor - SCALE_EPS:
                        add("error", "min-size", el.id, face, f"{what} {size:g}pt is below the minimum {floor:g}pt")
                for step in [] if is_label(el) else el.fit:  # a label's steps are all ignored (below)
                    if step.kind == "condense" and step.floor is not None and step.floor < MIN_HSCALE - SCALE_EPS:
                        add(
                            "warning",
                            "condense-floor",
                            el.id,
                            face,
                            f"condense floor {step.floor:.0%} is below the {MIN_HSCALE:.0%} width floor; "
                            f"it is raised to {MIN_HSCALE:.0%}",
                        )
                if is_label(el) and any(st.kind != "wrap" for st in el.fit):
                    add(
                        "warning",
                        "label-steps",
                        el.id,
                        face,
                        "a label (no record content) is never condensed or shrunk: its condense/shrink steps are ignored",
                    )
            if kind_of(el).content and layer not in invisible:
                content.append((el, box))  # UV ink cannot hide daylight content: it may lie under it
        # Declared boxes only warn: two boxes may share space that neither's ink reaches, and two
        # conditional elements may never be drawn together (the record checks see the real ink).
        for i, (a, abox) in enumerate(content):
            for b, bbox in content[i + 1 :]:
                if whens.get(a.id) and whens.get(b.id) and whens[a.id] != whens[b.id]:
                    continue  # both conditional, on different conditions: decided per record
                if _intersection(abox, bbox) is not None:
                    add("warning", "overlap", b.id, face, f"its box overlaps the box of '{a.id}'")
    return findings


def is_label(el: TextElement) -> bool:
    """Static text: reads nothing from the record (its reading neither), the same on every card."""
    from .template_fields import template_is_static

    return template_is_static(el.value) and (el.ruby is None or template_is_static(el.ruby.value))


def lint_labels(loaded: LoadedLayout, *, fonts: FontDatabase | None = None) -> list[Finding]:
    """Every label that does not fit its box at its size (whatever its ``when``): a layout error."""
    from .errors import LabelDoesNotFit, LayoutError

    resolver = Resolver(loaded, fonts=fonts)
    ctx = {"vars": loaded.layout.vars}
    findings: list[Finding] = []
    for face in ("front", "back"):
        for el, box, layer in flatten_elements(loaded.layout.face_elements(face)):
            if not isinstance(el, TextElement) or not is_label(el):
                continue
            try:
                set_label(resolver, el, box, layer, ctx)
            except LabelDoesNotFit as exc:
                file, line = loaded.where(el.id)
                findings.append(Finding("error", "label-fit", el.id, face, exc.reason, file, line))
            except (LayoutError, DataError):
                continue  # reported by the other checks (an unknown font, a character no font draws)
    return findings


# -- per-record checks -------------------------------------------------------------------------


def _data_code(exc: DataError) -> str:
    """Classify a data error by the failure it was raised from (kept as its context)."""
    from .text.fit import TextDoesNotFit
    from .text.shaping import MissingGlyph

    cause = exc.__cause__ or exc.__context__
    if isinstance(cause, TextDoesNotFit):
        return "overflow"
    if isinstance(cause, MissingGlyph):
        return "missing-glyph"
    return "data"


def _ink_boxes(face: Face) -> dict[str, Box]:
    """Where each content element's ink lies in daylight: glyph runs' em boxes, image pixels, QR symbol with quiet zone."""
    boxes: dict[str, Box] = {}
    for item in face.items_for("daylight"):
        box: Box | None = None
        if isinstance(item, GlyphRun) and item.glyphs:
            box = _run_box(item)
        elif isinstance(item, ImageItem):
            box = item.box if item.clip is None else _intersection(item.box, item.clip)
        elif isinstance(item, QrItem):
            side = (len(item.matrix) + 2 * item.quiet_zone) * item.module
            q = item.quiet_zone * item.module
            box = Box(item.x - q, item.y - q, side, side)
        if box is None:
            continue
        old = boxes.get(item.element_id)
        if old is not None:
            x0, y0 = min(old.x, box.x), min(old.y, box.y)
            box = Box(x0, y0, max(old.right, box.right) - x0, max(old.bottom, box.bottom) - y0)
        boxes[item.element_id] = box
    return boxes


def _relative_luminance(rgb: tuple[int, int, int]) -> float:
    r, g, b = (_LINEAR[c] for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


_LINEAR = [c / 255 / 12.92 if c / 255 <= 0.04045 else ((c / 255 + 0.055) / 1.055) ** 2.4 for c in range(256)]


def contrast_ratio(a: tuple[int, int, int], b: tuple[int, int, int]) -> float:
    """WCAG 2 contrast ratio of two sRGB colours, 1 (none) to 21 (black on white)."""
    la, lb = _relative_luminance(a), _relative_luminance(b)
    hi, lo = max(la, lb), min(la, lb)
    return (hi + 0.05) / (lo + 0.05)


def _run_box(run: GlyphRun) -> Box:
    """The em boxes of a run's glyphs, each on its own baseline where it has one (text on a path)."""
    size = pt_to_mm(run.size_pt)
    x0 = min(g.x for g in run.glyphs)
    x1 = max(g.x + a for g, a in zip(run.glyphs, run.advances, strict=False))
    baselines = [run.baseline_y if g.y is None else g.y for g in run.glyphs]
    top, bottom = min(baselines) - ASCENT_EM * size, max(baselines) + DESCENT_EM * size
    return Box(x0, top, x1 - x0, bottom - top)


def _luminance_image(image: Image.Image) -> Image.Image:
    """Relative luminance (linear light, 0..255) of an sRGB image, by per-channel tables."""
    r, g, b = image.split()
    weights = (0.2126, 0.7152, 0.0722)
    parts = [
        ch.point([min(255, round(w * _LINEAR[v] * 255)) for v in range(256)]) for ch, w in zip((r, g, b), weights, strict=True)
    ]
    return ImageChops.add(ImageChops.add(parts[0], parts[1]), parts[2])


def text_contrast(face: Face, dpi: float = CONTRAST_DPI) -> dict[str, float]:
    """Each text element's contrast with what is printed under its glyphs (worst tenth of the pixels).

    Two paints at a low dpi: the face without its text (what the text sits on) and the text alone
    as a mask, so the ratio is taken where glyph pixels actually are, photo and rules included.
    """
    from .backends.raster import paint
    from .color import WHITE

    kinds = {eb.element_id: eb.kind for eb in face.boxes}
    runs = [
        it
        for it in face.items_for("daylight")
        if isinstance(it, GlyphRun)
        and it.glyphs
        and kinds.get(it.element_id) not in SECURITY_TEXT_KINDS
    ]
    if not runs:
        return {}
    under = _luminance_image(paint(replace(face, items=tuple(it for it in face.items if not isinstance(it, GlyphRun))), dpi))
    text_only = replace(face, items=tuple(replace(run, color=WHITE) for run in runs))
    mask = paint(text_only, dpi, background=(0, 0, 0)).convert("L").point([255 if v >= 128 else 0 for v in range(256)])
    scale = mm_to_px(1.0, dpi)  # px per mm
    worst: dict[str, float] = {}
    for run in runs:
        box = _run_box(run)
        crop = (
            max(0, math.floor(box.x * scale)),
            max(0, math.floor(box.y * scale)),
            min(mask.width, math.ceil(box.right * scale)),
            min(mask.height, math.ceil(box.bottom * scale)),
        )
        if crop[2] <= crop[0] or crop[3] <= crop[1]:
            continue
        counts = under.crop(crop).histogram(mask.crop(crop))
        total = sum(counts)
        if total == 0:
            continue
        text_lum = _relative_luminance(run.color.to_rgb8())
        by_ratio = sorted(
            ((max(level / 255, text_lum) + 0.05) / (min(level / 255, text_lum) + 0.05), n) for level, n in enumerate(counts) if n
        )
        seen, ratio = 0, by_ratio[-1][0]
        for value, n in by_ratio:
            seen += n
            if seen > total * CONTRAST_PERCENTILE:
                ratio = value
                break
        worst[run.element_id] = min(ratio, worst.get(run.element_id, ratio))
    return worst


def lint_scene(loaded: LoadedLayout, scene: Scene, *, contrast_dpi: float = CONTRAST_DPI) -> list[Finding]:
    """Checks on one record's render: type below the floor, colliding ink, low text contrast."""
    floor = loaded.layout.lint.min_text_size
    kinds = {eb.element_id: eb.kind for face in scene.faces for eb in face.boxes}
    findings: list[Finding] = []

    def add(severity: Severity, code: str, el_id: str, face: str, message: str) -> None:
        file, line = loaded.where(el_id)
        findings.append(Finding(severity, code, el_id, face, message, file, line, scene.record_id))

    for face in scene.faces:
        small: dict[str, GlyphRun] = {}
        narrow: dict[str, GlyphRun] = {}
        for item in face.items:
            if not isinstance(item, GlyphRun) or item.layer == GUIDE_LAYER or kinds.get(item.element_id) in SECURITY_TEXT_KINDS:
                continue
            if item.size_pt < floor - SCALE_EPS and (
                item.element_id not in small or item.size_pt < small[item.element_id].size_pt
            ):
                small[item.element_id] = item
            if item.hscale < MIN_HSCALE - SCALE_EPS and (
                item.element_id not in narrow or item.hscale < narrow[item.element_id].hscale
            ):
                narrow[item.element_id] = item
        for el_id, run in small.items():
            add("error", "min-size", el_id, face.name, f"set at {_effective(run)}, below {floor:g}pt")
        for el_id, run in narrow.items():
            add(
                "error",
                "min-width",
                el_id,
                face.name,
                f"set at {_effective(run)}, narrower than the {MIN_HSCALE:.0%} width floor "
                f"(at least {max(run.size_pt, floor) * MIN_HSCALE:.2f}pt effective)",
            )
        ink = [(el_id, box) for el_id, box in _ink_boxes(face).items() if kinds.get(el_id) in CONTENT_KINDS]
        for i, (a, abox) in enumerate(ink):
            for b, bbox in ink[i + 1 :]:
                hit = _intersection(abox, bbox)
                if hit is not None:
                    add("error", "overlap", b, face.name, f"its ink overlaps '{a}' by {hit.w:.2f} × {hit.h:.2f} mm")
        for el_id, ratio in text_contrast(face, contrast_dpi).items():
            if ratio < CONTRAST_ERROR:
                add(
                    "error",
                    "contrast",
                    el_id,
                    face.name,
                    f"contrast {ratio:.1f}:1 with what is under it (at least {CONTRAST_ERROR:g}:1)",
                )
            elif ratio < CONTRAST_WARNING:
                add(
                    "warning",
                    "contrast",
                    el_id,
                    face.name,
                    f"contrast {ratio:.1f}:1 with what is under it ({CONTRAST_WARNING:g}:1 advised)",
                )
    return findings


def _effective(run: GlyphRun) -> str:
    """``6.1pt × 52% width = 3.17pt effective``: the size and the width a reader gets."""
    return f"{run.size_pt:g}pt × {run.hscale:.0%} width = {run.size_pt * run.hscale:.2f}pt effective"


class RecordLinter:
    """Lints records one at a time against one layout, sharing the resolver's caches between them.

    The preview lints record by record between file checks, so a save never waits for a whole folder.
    """

    def __init__(
        self,
        loaded: LoadedLayout,
        *,
        fonts: FontDatabase | None = None,
        templates: Templates | None = None,
        contrast_dpi: float = CONTRAST_DPI,
        patterns: PatternSource = guilloche_paths,
    ) -> None:
        self.loaded = loaded
        self.contrast_dpi = contrast_dpi  # the preview passes its own dpi, so glyphs come from the same cache
        self._findings = CollectFindings()
        self._resolver = Resolver(loaded, fonts=fonts, templates=templates, patterns=patterns, policy=self._findings)

    def lint(self, record: Record) -> list[Finding]:
        """Every problem one record shows with this layout (all its data errors, not only the first)."""
        loaded, resolver = self.loaded, self._resolver
        self._findings.problems = []
        from .render import layout_derives_romaji

        context = record.template_context(derive_romaji=layout_derives_romaji(loaded))
        scene = resolver.resolve(context, record_id=record.id)
        findings: list[Finding] = []
        for exc in self._findings.problems:
            el_id = exc.element_id or "-"
            file, line = loaded.where(el_id)
            field = f" (field '{exc.field}')" if exc.field else ""
            face = _face_of(loaded, el_id)
            findings.append(Finding("error", _data_code(exc), el_id, face, f"{exc.reason}{field}", file, line, record.id))
        return findings + lint_scene(loaded, scene, contrast_dpi=self.contrast_dpi)


def _face_of(loaded: LoadedLayout, element_id: str) -> str:
    for face in ("front", "back"):
        if any(el.id == element_id for el, _, _ in flatten_elements(loaded.layout.face_elements(face))):
            return face
    return "-"


def merge_findings(findings: Iterable[Finding]) -> list[Finding]:
    """One finding per problem: the same check on the same element in several records is listed once."""
    merged: dict[tuple[str, str, str, str], tuple[Finding, list[str]]] = {}
    out: list[Finding] = []
    for f in findings:
        if f.record is None or f.code in ("overflow", "missing-glyph", "data"):
            out.append(f)  # data problems differ per record: keep each
            continue
        key = (f.code, f.element_id, f.face, f.severity)
        if key in merged:
            merged[key][1].append(f.record)
        else:
            merged[key] = (f, [f.record])
            out.append(f)
    result: list[Finding] = []
    for f in out:
        key = (f.code, f.element_id, f.face, f.severity)
        if f.record is not None and key in merged and merged[key][0] is f and len(merged[key][1]) > 1:
            others = len(merged[key][1]) - 1
            f = replace(f, message=f"{f.message} (record '{f.record}' and {others} more)")
        elif f.record is not None:
            f = replace(f, message=f"{f.message} (record '{f.record}')")
        result.append(f)
    return result


def lint_records(
    loaded: LoadedLayout,
    records: Iterable[tuple[str, object]],
    *,
    fonts: FontDatabase | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> list[Finding]:
    """Render every record; each problem is a finding for the element concerned, merged across records.

    ``cancelled`` is asked between records, so a preview can drop a run that a newer save made stale.
    """
    from .records import Record

    findings: list[Finding] = []
    linter = RecordLinter(loaded, fonts=fonts)
    for source, record in records:
        if cancelled is not None and cancelled():
            break
        if isinstance(record, DataError):
            findings.append(Finding("error", "record", "-", "-", f"{source}: {record}", source, None))
            continue
        assert isinstance(record, Record)
        try:
            findings.extend(linter.lint(record))
        except DataError as exc:  # the record's context itself failed (a romaji the layout derives)
            findings.append(Finding("error", "record", "-", "-", f"{source}: {exc}", source, None))
    return merge_findings(findings)


def load_records_for_lint(paths: Iterable[Path]) -> list[tuple[str, object]]:
    from .records import load_record

    out: list[tuple[str, object]] = []
    for path in paths:
        files = sorted(path.glob("*.json")) if path.is_dir() else [path]
        for file in files:
            try:
                out.append((str(file), load_record(file)))
            except DataError as exc:
                out.append((str(file), exc))
    return out


# -- the specimen: a record to render with when the designer gives none -------------------------

SPECIMEN_ID = "specimen"


@cache
def _specimen_dir() -> Path:
    folder = Path(tempfile.mkdtemp(prefix="faceprint-specimen-"))
    atexit.register(shutil.rmtree, folder, True)
    return folder


def _specimen_portrait() -> Path:
    """A drawn grey head-and-shoulders placeholder (35:45), so the photo box shows a photo's tones."""
    from PIL import Image, ImageDraw

    path = _specimen_dir() / "portrait.png"
    if not path.exists():
        image = Image.new("L", (350, 450), 236)
        draw = ImageDraw.Draw(image)
        draw.ellipse((60, 330, 290, 560), fill=120)  # shoulders
        draw.ellipse((110, 90, 240, 270), fill=168)  # head
        draw.rectangle((150, 250, 200, 340), fill=168)  # neck
        image.save(path)
    return path


def specimen_record() -> Record:
    """A fictitious person of ordinary lengths (name, romaji, address, issuer, one annotation).

    Lint and preview render with it when no record is given, so glyph, overflow, overlap and
    contrast checks still run on the layout's own text. Like the samples, everything is made up
    (見本 = "sample"; the individual number is 123456789018, a valid check digit on an obvious run).
    """
    from .record_checks import validate_record

    raw: dict[str, Any] = {
        "id": SPECIMEN_ID,
        "name": {"kanji": "見本 花子", "kana": "みほん はなこ", "romaji": "MIHON HANAKO"},
        "birth_date": "1990-04-01",
        "sex": "F",
        "address": "東京都千代田区見本町一丁目２番３号",
        "photo": str(_specimen_portrait()),
        "my_number": "123456789018",
        "issuer": "千代田区長",
        "issued_on": "2025-04-01",
        "valid_until": (dt.date(2035, 4, 1)).isoformat(),
        "collation_number": "123456",
        "annotations": [{"date": "2026-04-01", "text": "新住所 東京都千代田区見本町二丁目３番４号"}],
    }
    return validate_record(raw)


def lint_all(
    loaded: LoadedLayout,
    records: Sequence[tuple[str, object]] | None = None,
    *,
    fonts: FontDatabase | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> list[Finding]:
    """The layout's own checks plus every record's (the specimen's when ``records`` is None), errors first."""
    static = lint_layout(loaded) + lint_labels(loaded, fonts=fonts)
    if records is None:
        records = [(SPECIMEN_ID, specimen_record())]
    return combine_findings(static, lint_records(loaded, records, fonts=fonts, cancelled=cancelled))


def combine_findings(static: Sequence[Finding], rendered: Sequence[Finding]) -> list[Finding]:
    """The layout's and the records' findings as one list, errors first.

    A declared-box overlap warning is dropped where a record shows the same element's ink colliding:
    the error says more.
    """
    inked = {(f.face, f.element_id) for f in rendered if f.code == "overlap"}
    kept = [f for f in static if not (f.code == "overlap" and (f.face, f.element_id) in inked)]
    return sorted([*kept, *rendered], key=lambda f: f.severity != "error")


# A glyph needs about eight device dots over its em to keep the strokes of kana and simple kanji
# apart under a loupe. Project choice, UNCONFIRMED: no standard for microtext legibility was found.
MICROTEXT_MIN_DOTS_PER_EM = 8.0


def lint_microtext_resolution(loaded: LoadedLayout, dpi: float, printer: str) -> list[Finding]:
    """Warn where a printer at ``dpi`` cannot resolve the layout's microtext (issue 8)."""
    findings: list[Finding] = []
    for face in ("front", "back"):
        for el, _box, _layer in flatten_elements(loaded.layout.face_elements(face)):
            if isinstance(el, MicrotextElement):
                dots = mm_to_px(el.height, dpi)
                if dots < MICROTEXT_MIN_DOTS_PER_EM:
                    file, line = loaded.where(el.id)
                    findings.append(
                        Finding(
                            "warning",
                            "microtext-resolution",
                            el.id,
                            face,
                            f"{el.height:g} mm microtext is {dots:.1f} dots high on {printer} at {dpi:g} dpi; "
                            f"at least {MICROTEXT_MIN_DOTS_PER_EM:g} are needed to keep it legible "
                            f"(use {MICROTEXT_MIN_DOTS_PER_EM * MM_PER_INCH / el.height:.0f} dpi or taller text)",
                            file,
                            line,
                        )
                    )
    return findings

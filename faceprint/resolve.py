"""Resolving a layout and a record into a scene: every decision is made here, once.

In: a ``LoadedLayout``, a record's template context and its id. Out: a ``scene.Scene`` with
both faces as positioned primitives in mm: glyph runs (text already fitted, glyphs chosen),
image pixels already cropped, paths, QR module matrices. Backends draw it and decide nothing.
"""

from __future__ import annotations

import functools
import itertools
import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from jinja2 import Environment, TemplateSyntaxError, meta

from .color import BLACK, Color, ColourManagement
from .errors import DataError, LabelDoesNotFit, LayoutError
from .geometry import bounds, poly_ops, rect_ops
from .images import ImageLoadError, apply_effects, load_pixels
from .layout_file import PORTRAIT_ROLE
from .layout_file.loader import LoadedLayout
from .layout_file.model import (
    Element,
    GroupElement,
    GuillocheElement,
    ImageElement,
    LineElement,
    MicrotextElement,
    PathElement,
    QrElement,
    RectElement,
    TextElement,
)
from .limits import MAX_MICROTEXT_GLYPHS, MIN_QR_MODULE_MM, QR_VERSION_1_MODULES, limit_message
from .qr import QrError, qr_matrix
from .records_limits import portrait_problem
from .resolve_policy import ErrorPolicy, RaiseErrors
from .scene import Box, ElementBox, Face, ImageItem, Item, KeepOut, PathItem, QrItem, Scene, SpotInk
from .security import guilloche_paths, microtext_run
from .templating import LayoutVars, TemplateFailure, Templates, default_filters
from .text.fit import FitRequest, TextDoesNotFit, fit_text, label_steps
from .text.fonts import FontDatabase, FontFace, FontNotFound, default_database
from .text.setting import RubySpec, set_text
from .text.shaping import Cluster, MissingGlyph, shape
from .units import pt_to_mm

# Parsing only, to find which fields a template reads (it knows the filters so compiling succeeds);
# nothing is ever rendered with it.
# Tactile marks are raised varnish (or embossing) on every card: a separation of their own even when
# the layout names none. The alternate only shows the mark in proofs (30 % black).
DEFAULT_TACTILE_SPOT = "TactileVarnish"
DEFAULT_SPOT_ALTERNATE = Color("cmyk", (0.0, 0.0, 0.0, 0.3))
_PARSER_ENV = Environment()
_PARSER_ENV.filters.update(default_filters())
_FIRST_FIELD = re.compile(r"(?<![\w.])([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*)")


@functools.lru_cache(maxsize=1024)
def template_is_static(template: str) -> bool:
    """True when a template reads nothing from the record (plain text, or only layout ``vars``)."""
    if "{" not in template:
        return True
    try:
        names = meta.find_undeclared_variables(_PARSER_ENV.parse(template))
    except TemplateSyntaxError:
        return False
    return names <= {"vars"}


@functools.lru_cache(maxsize=1024)
def _field_of(template: str) -> str | None:
    """The record field a template reads first (``{{ name.kanji }}`` → ``name.kanji``), for messages.

    Loop variables and layout ``vars`` are not record fields: the first undeclared name that is not
    ``vars`` wins, with its attribute path when the template spells one out.
    """
    try:
        names = meta.find_undeclared_variables(_PARSER_ENV.parse(template))
    except TemplateSyntaxError:
        return None
    for m in _FIRST_FIELD.finditer(template):
        if m.group(1).split(".")[0] in names and not m.group(1).startswith("vars"):
            return m.group(1)
    fields = sorted(n for n in names if n != "vars")
    return fields[0] if fields else None


def _longest_field(template: str, ctx: Mapping[str, Any]) -> str | None:
    """Of the record fields a template reads, the one with the longest value: the likely cause of too long a text."""
    try:
        names = meta.find_undeclared_variables(_PARSER_ENV.parse(template)) - {"vars"}
    except TemplateSyntaxError:
        return None
    return max(sorted(names), key=lambda n: len(str(ctx.get(n, ""))), default=None)


# Draws a guilloche: (element, box, layer, modulating value or None) -> its paths. The preview passes
# a memo of ``security.guilloche_paths`` so unchanged patterns are not drawn again on every save.
PatternSource = Callable[[GuillocheElement, Box, str, str | None], list[PathItem]]


class Resolver:
    """Turns records into scenes for one layout; caches fonts, stacks and templates across records."""

    def __init__(
        self,
        loaded: LoadedLayout,
        fonts: FontDatabase | None = None,
        templates: Templates | None = None,
        *,
        patterns: PatternSource = guilloche_paths,
        policy: ErrorPolicy | None = None,
    ) -> None:
        self.loaded = loaded
        self.patterns = patterns
        # raise (render), collect (lint) or pass over (validate): see ``resolve_policy``
        self.policy: ErrorPolicy = policy if policy is not None else RaiseErrors()
        self.layout = loaded.layout
        self.fonts = fonts or default_database()
        self.templates = templates or Templates()
        self._stacks: dict[tuple[tuple[str, ...], bool], list[FontFace]] = {}
        self._set_cache: dict[tuple[str, Box, str, str, str], tuple[Item, ...]] = {}
        self._static_paths: dict[tuple[object, ...], tuple[Item, ...]] = {}

    # -- helpers -------------------------------------------------------------------------------
    def _layout_error(self, element_id: str, prop: str, reason: str) -> LayoutError:
        file, line = self.loaded.where(element_id)
        return LayoutError(reason, file=file, line=line, element_id=element_id, prop=prop)

    def stack(self, font: str | Sequence[str], *, bold: bool, element_id: str, prop: str = "font") -> list[FontFace]:
        names: tuple[str, ...]
        names = tuple(self.layout.fonts.get(font, [font])) if isinstance(font, str) else tuple(font)
        key = (names, bold)
        cached = self._stacks.get(key)
        if cached is not None:
            return cached
        faces: list[FontFace] = []
        for i, name in enumerate(names):
            try:
                faces.append(self.fonts.find(name, bold=bold))
                continue
            except FontNotFound as exc:
                problem = str(exc)
            if bold and i > 0:
                try:
                    faces.append(self.fonts.find(name, bold=False))  # a fallback face may lack a bold
                    continue
                except FontNotFound as exc:  # …but it must exist at all
                    problem = str(exc)
            raise self._layout_error(element_id, prop, problem) from None
        if not faces:
            raise self._layout_error(element_id, prop, "empty font stack")
        self._stacks[key] = faces
        return faces

    def _render(self, template: str, ctx: Mapping[str, Any], element_id: str, prop: str) -> str:
        try:
            return self.templates.render(template, ctx)
        except TemplateFailure as exc:
            error = self._template_error(exc, template, element_id, prop, ctx)
        if isinstance(error, DataError):
            return self.policy.template_failed(error)
        raise error

    def _template_error(
        self, exc: TemplateFailure, template: str, element_id: str, prop: str, ctx: Mapping[str, Any] | None = None
    ) -> Exception:
        if exc.kind == "output-limit" and not template_is_static(template):  # a record value too long for any card
            return DataError(str(exc), field=_longest_field(template, ctx or {}), element_id=element_id)
        if exc.kind == "output-limit":
            return self._layout_error(element_id, prop, str(exc))
        if exc.kind in ("sandbox", "syntax", "layout", "limit"):
            return self._layout_error(element_id, prop, str(exc))
        if exc.kind == "unknown-name" and self.policy.strict_names and exc.field not in self.policy.optional_names:
            return self._layout_error(element_id, prop, f"names '{exc.field}', which is neither a record field nor 'vars'")
        field = exc.field if exc.kind in ("undefined", "unknown-name") else _field_of(template)
        dotted = _field_of(template)
        if exc.kind == "undefined" and field and dotted and dotted.endswith("." + field):
            field = dotted  # 'alias.kanji' tells the reader more than 'kanji'

        return DataError(str(exc), field=field, element_id=element_id)

    def _when(self, el: Element, ctx: Mapping[str, Any]) -> bool:
        if el.when is None:
            return True
        try:
            return self.templates.condition(el.when, ctx)
        except TemplateFailure as exc:
            policy = self.policy
            if exc.kind == "unknown-name" and (not policy.strict_names or exc.field in policy.optional_names):
                return False  # the record lacks the field: the element is not drawn
            error = self._template_error(exc, el.when, el.id, "when")
        if isinstance(error, DataError):
            return self.policy.when_failed(error)
        raise error

    # -- elements --------------------------------------------------------------------------------
    def _text(self, el: TextElement, box: Box, layer: str, ctx: Mapping[str, Any]) -> list[Item]:
        text = self._render(el.value, ctx, el.id, "value").strip()
        if not text:
            return []
        reading = self._render(el.ruby.value, ctx, el.id, "ruby.value").strip() if el.ruby is not None else ""
        if not (template_is_static(el.value) and (el.ruby is None or template_is_static(el.ruby.value))):
            return self._set_text(el, box, layer, text, reading, label=False)
        # Labels and other texts that read no record field are the same on every card: set them once.
        key = (el.id, box, layer, text, reading)
        cached = self._set_cache.get(key)
        if cached is None:
            cached = tuple(self._set_text(el, box, layer, text, reading, label=True))
            self._set_cache[key] = cached
        return list(cached)

    def set_label(self, el: TextElement, box: Box, layer: str, ctx: Mapping[str, Any]) -> list[Item]:
        """Set a label (static text) as every card shows it; ``LabelDoesNotFit`` if it cannot be."""
        text = self._render(el.value, ctx, el.id, "value").strip()
        reading = self._render(el.ruby.value, ctx, el.id, "ruby.value").strip() if el.ruby is not None else ""
        return self._set_text(el, box, layer, text, reading, label=True) if text else []

    def _set_text(self, el: TextElement, box: Box, layer: str, text: str, reading: str, *, label: bool) -> list[Item]:
        """Shape, fit and place one text. A label (no record content) is never condensed or shrunk:
        if it does not fit at its size, the layout is wrong (``LabelDoesNotFit``), whatever the record."""
        stack = self.stack(el.font, bold=el.bold, element_id=el.id)
        field = _field_of(el.value)
        try:
            clusters = shape(text, stack, ivs_fallback=el.ivs_fallback)
        except MissingGlyph as exc:
            raise DataError(str(exc), field=field, element_id=el.id) from None
        ruby: RubySpec | None = None
        reserved = 0.0
        if el.ruby is not None and reading:
            ruby_stack = self.stack(el.ruby.font, bold=False, element_id=el.id, prop="ruby.font") if el.ruby.font else stack
            try:
                ruby_clusters: list[Cluster] = shape(reading, ruby_stack)
            except MissingGlyph as exc:
                raise DataError(str(exc), field=_field_of(el.ruby.value), element_id=el.id) from None
            ruby = RubySpec(tuple(ruby_clusters), el.ruby.size, el.ruby.gap, el.ruby.color or el.color or BLACK)
            reserved = pt_to_mm(el.ruby.size) + el.ruby.gap
        request = FitRequest(
            width=box.w,
            height=box.h,
            size_pt=el.size,
            line_height=el.line_height,
            max_lines=el.lines,
            steps=label_steps(el.fit) if label else el.fit,
            reserved_top=reserved,
        )
        try:
            fitted = fit_text(clusters, request)
            runs = set_text(
                element_id=el.id,
                layer=layer,
                box=box,
                fitted=fitted,
                align=el.align,
                valign=el.valign,
                line_height=el.line_height,
                ascent_em=stack[0].ascent_em,
                color=el.color or BLACK,
                ruby=ruby,
            )
        except TextDoesNotFit as exc:
            if label:
                file, line = self.loaded.where(el.id)
                natural = sum(c.advance_em for c in clusters) * pt_to_mm(el.size)
                raise LabelDoesNotFit(
                    f"label 「{text}」 does not fit its {box.w:.2f} × {box.h:.2f} mm box at {el.size:g}pt "
                    f"({natural:.2f} mm on one line); labels are never condensed or shrunk: "
                    "widen the box or shorten the label",
                    file=file,
                    line=line,
                    element_id=el.id,
                    prop="box",
                ) from None
            raise DataError(str(exc), field=field, element_id=el.id) from None
        return list(runs)

    def _microtext(
        self, el: MicrotextElement, points: list[tuple[float, float]], layer: str, ctx: Mapping[str, Any]
    ) -> list[Item]:
        text = self._render(el.value, ctx, el.id, "value")
        if not text.strip():
            return []
        if template_is_static(el.value):  # a rule of fixed text is the same on every card: laid out once
            key = (el.id, tuple(points), layer)
            if key not in self._static_paths:
                self._static_paths[key] = tuple(self._lay_microtext(el, points, layer, text))
            return list(self._static_paths[key])
        return self._lay_microtext(el, points, layer, text)

    def _lay_microtext(self, el: MicrotextElement, points: list[tuple[float, float]], layer: str, text: str) -> list[Item]:
        stack = self.stack(el.font, bold=False, element_id=el.id)
        try:
            clusters = shape(text, stack[:1])
        except MissingGlyph as exc:
            raise self._layout_error(el.id, "value", f"{exc} (microtext is set in the stack's first font only)") from None
        unit = sum(c.advance_em for c in clusters) * el.height + el.gap
        length = sum(math.dist(a, b) for a, b in itertools.pairwise(points))
        if unit <= 0:
            raise self._layout_error(el.id, "value", "microtext has no width to repeat (only zero-width characters)")
        if length / unit * len(clusters) > MAX_MICROTEXT_GLYPHS:
            what = limit_message("MAX_MICROTEXT_GLYPHS", MAX_MICROTEXT_GLYPHS, "glyphs of one microtext element")
            raise self._layout_error(el.id, "height", f"about {length / unit * len(clusters):,.0f} glyphs: {what}")
        return [microtext_run(el.id, layer, points, clusters, el.height, el.gap, el.color or BLACK)]

    def _image(self, el: ImageElement, box: Box, layer: str, ctx: Mapping[str, Any], base_dirs: Sequence[Path]) -> list[Item]:
        src = self._render(el.src, ctx, el.id, "src").strip()
        if not src:
            return []
        candidates = [Path(src)] if Path(src).is_absolute() else [d / src for d in base_dirs]
        path = next((p for p in candidates if p.is_file()), candidates[0])
        if el.role == PORTRAIT_ROLE and (too_small := portrait_problem(path, box.w, box.h)) is not None:
            raise DataError(too_small, field=_field_of(el.src), element_id=el.id)
        try:
            pixels, dest = load_pixels(
                path,
                box=box,
                fit=el.fit,
                position=el.position,
                crop=el.crop,
                greyscale=el.greyscale,
                max_dpi=el.max_dpi,
            )
        except ImageLoadError as exc:
            if template_is_static(el.src):  # artwork named by the layout itself: the layout's error, found once
                raise self._layout_error(el.id, "src", str(exc)) from None
            raise DataError(str(exc), field=_field_of(el.src), element_id=el.id) from None
        pixels = apply_effects(
            pixels,
            dest.w,
            tint=el.tint.to_rgb8() if el.tint is not None else None,
            screen=el.screen,
            screen_pitch_mm=el.screen_pitch,
            vignette_mm=el.vignette,
        )
        return [ImageItem(el.id, layer, dest, pixels, opacity=el.opacity)]

    def _qr(self, el: QrElement, box: Box, layer: str, ctx: Mapping[str, Any]) -> list[Item]:
        value = self._render(el.value, ctx, el.id, "value")
        if not value:
            return []
        try:
            matrix = qr_matrix(value, el.ec)
        except QrError as exc:
            raise DataError(f"cannot encode as QR: {exc}", field=_field_of(el.value), element_id=el.id) from None
        n = len(matrix) + 2 * el.quiet_zone
        module = min(box.w, box.h) / n
        if module < MIN_QR_MODULE_MM:
            reason = (
                f"a QR code of {n} modules (with its quiet zone) in a {box.w:g} × {box.h:g} mm box has modules of "
                f"{module:.3f} mm, under the limit MIN_QR_MODULE_MM = {MIN_QR_MODULE_MM} (no camera resolves them)"
            )
            smallest = min(box.w, box.h) / (QR_VERSION_1_MODULES + 2 * el.quiet_zone)
            if smallest < MIN_QR_MODULE_MM or template_is_static(el.value):  # the box holds no QR code at all
                raise self._layout_error(el.id, "box", reason)
            raise DataError(reason + ": the value is too long for the box", field=_field_of(el.value), element_id=el.id)
        x0 = box.x + (box.w - module * n) / 2.0 + el.quiet_zone * module
        y0 = box.y + (box.h - module * n) / 2.0 + el.quiet_zone * module
        return [QrItem(el.id, layer, x0, y0, module, matrix, el.color or BLACK, el.background, el.quiet_zone)]

    def _elements(
        self,
        elements: Iterable[Element],
        ctx: Mapping[str, Any],
        dx: float,
        dy: float,
        parent_layer: str | None,
        base_dirs: Sequence[Path],
        items: list[Item],
        boxes: list[ElementBox],
    ) -> None:
        for el in elements:
            if not self._when(el, ctx):
                continue
            layer = el.layer if ("layer" in el.model_fields_set or parent_layer is None) else parent_layer
            if isinstance(el, GroupElement):
                ox, oy = el.origin
                self._elements(el.children, ctx, dx + ox, dy + oy, layer, base_dirs, items, boxes)
                continue
            if isinstance(el, MicrotextElement | LineElement | PathElement):
                points = [(x + dx, y + dy) for x, y in el.points]
                if isinstance(el, MicrotextElement) and el.closed:
                    points.append(points[0])
                where: Box | list[tuple[float, float]] = points
                box = bounds(points)
            else:
                where = box = Box(*el.box).offset(dx, dy)
            boxes.append(ElementBox(el.id, layer, el.type, box))
            # the one place an element's failure meets the policy: every kind, by construction
            try:
                items.extend(self._kind_items(el, where, layer, ctx, base_dirs))
            except DataError as exc:
                self.policy.element_failed(exc)
            except LabelDoesNotFit as exc:
                self.policy.label_failed(exc)

    def _kind_items(
        self, el: Element, where: Box | list[tuple[float, float]], layer: str, ctx: Mapping[str, Any], base_dirs: Sequence[Path]
    ) -> list[Item]:
        """One element's scene items: ``where`` is its box, or its points for the kinds drawn along points."""
        if isinstance(where, list):
            if isinstance(el, MicrotextElement):
                return self._microtext(el, where, layer, ctx)
            assert isinstance(el, LineElement | PathElement)
            closed = isinstance(el, PathElement) and el.closed
            fill = el.fill if isinstance(el, PathElement) else None
            dash = tuple(el.dash) if isinstance(el, LineElement) and el.dash else None
            return [PathItem(el.id, layer, poly_ops(where, closed=closed), fill, el.stroke, el.stroke_width, dash)]
        box = where
        if isinstance(el, TextElement):
            return self._text(el, box, layer, ctx)
        if isinstance(el, ImageElement):
            return self._image(el, box, layer, ctx, base_dirs)
        if isinstance(el, RectElement):
            if el.fill is None and el.stroke is None:
                return []
            dash = tuple(el.dash) if el.dash else None
            return [PathItem(el.id, layer, rect_ops(box, el.radius), el.fill, el.stroke, el.stroke_width, dash, el.opacity)]
        if isinstance(el, QrElement):
            return self._qr(el, box, layer, ctx)
        if isinstance(el, GuillocheElement):
            if el.modulate:
                modulation = self._render(el.modulate, ctx, el.id, "modulate")
                return list(self.patterns(el, box, layer, modulation))
            key = (el.id, box, layer)  # the same on every card: computed once per layout
            if key not in self._static_paths:
                self._static_paths[key] = tuple(self.patterns(el, box, layer, None))
            return list(self._static_paths[key])
        raise TypeError(f"no resolution for element kind {type(el).__name__}")

    def face(self, name: str, ctx: Mapping[str, Any], base_dirs: Sequence[Path]) -> Face:
        items: list[Item] = []
        boxes: list[ElementBox] = []
        self._elements(self.layout.face_elements(name), ctx, 0.0, 0.0, None, base_dirs, items, boxes)
        card = self.layout.card
        keep_out = tuple(KeepOut(z.id, Box(*z.box), z.source) for z in self.layout.keep_out if z.face == name)
        layers = self.layout.layers
        return Face(
            name,
            card.width,
            card.height,
            tuple(items),
            tuple(boxes),
            keep_out,
            card.bleed,
            card.safe_margin,
            card.corner_radius,
            invisible_layers=frozenset(n for n, spec in layers.items() if not spec.visible),
            engrave_layers=frozenset(n for n, spec in layers.items() if spec.process == "engrave"),
        )

    def resolve(self, ctx: Mapping[str, Any], *, record_id: str, base_dir: Path | None = None) -> Scene:
        """Both faces of one record. Data errors carry the record id."""
        base_dirs = [d for d in (base_dir, self.loaded.path.parent) if d is not None]
        if "vars" not in ctx:
            ctx = {**ctx, "vars": LayoutVars(self.layout.vars)}
        try:
            faces = tuple(self.face(name, ctx, base_dirs) for name in ("front", "back"))
        except DataError as exc:
            raise exc.with_record(record_id) from None
        pc = self.layout.print_colour
        return Scene(record_id, faces, self.inks, ColourManagement(pc.intent, pc.black_point_compensation))

    @property
    def inks(self) -> tuple[SpotInk, ...]:
        """The layout's special layers as spot inks; the tactile layer always has one."""
        inks: dict[str, SpotInk] = {"tactile": SpotInk("tactile", DEFAULT_TACTILE_SPOT, DEFAULT_SPOT_ALTERNATE)}
        for layer, spec in self.layout.layers.items():
            if layer in ("artwork", "personalisation", "guide"):
                continue
            alternate = spec.color if spec.color is not None else DEFAULT_SPOT_ALTERNATE
            inks[layer] = SpotInk(layer, spec.spot or layer, alternate, spec.process, spec.visible, spec.glow)
        return tuple(inks.values())

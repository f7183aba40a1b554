"""Resolving a layout and a record into a scene: every decision is made here, once.

In: a ``LoadedLayout``, a record's template context and its id. Out: a ``scene.Scene`` with
both faces as positioned primitives in mm: glyph runs (text already fitted, glyphs chosen),
image pixels already cropped, paths, QR module matrices. Backends draw it and decide nothing.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from .color import Color, ColourManagement
from .errors import DataError, LabelDoesNotFit, LayoutError
from .kinds import kind_of
from .layout_file.loader import LoadedLayout
from .layout_file.model import (
    Element,
    GuillocheElement,
)
from .layout_file.walk import walk_elements
from .resolve_policy import ErrorPolicy, RaiseErrors
from .scene import Box, ElementBox, Face, Item, KeepOut, PathItem, Scene, SpotInk
from .security import guilloche_paths
from .template_fields import field_of, longest_field, template_is_static
from .templating import LayoutVars, TemplateFailure, Templates
from .text.fonts import FontDatabase, FontFace, FontNotFound, default_database

# Tactile marks are raised varnish (or embossing) on every card: a separation of their own even when
# the layout names none. The alternate only shows the mark in proofs (30 % black).
DEFAULT_TACTILE_SPOT = "TactileVarnish"
DEFAULT_SPOT_ALTERNATE = Color("cmyk", (0.0, 0.0, 0.0, 0.3))
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
        self._memo: dict[tuple[object, ...], tuple[Item, ...]] = {}

    # -- helpers -------------------------------------------------------------------------------
    def layout_error(self, element_id: str, prop: str, reason: str) -> LayoutError:
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
            raise self.layout_error(element_id, prop, problem) from None
        if not faces:
            raise self.layout_error(element_id, prop, "empty font stack")
        self._stacks[key] = faces
        return faces

    def memo(self, key: tuple[object, ...], make: Callable[[], Iterable[Item]]) -> list[Item]:
        """Items that are the same on every card (labels, fixed microtext, static guilloches), made once per layout."""
        cached = self._memo.get(key)
        if cached is None:
            cached = self._memo[key] = tuple(make())
        return list(cached)

    def render_template(self, template: str, ctx: Mapping[str, Any], element_id: str, prop: str) -> str:
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
            return DataError(str(exc), field=longest_field(template, ctx or {}), element_id=element_id)
        if exc.kind == "output-limit":
            return self.layout_error(element_id, prop, str(exc))
        if exc.kind in ("sandbox", "syntax", "layout", "limit"):
            return self.layout_error(element_id, prop, str(exc))
        if exc.kind == "unknown-name" and self.policy.strict_names and exc.field not in self.policy.optional_names:
            return self.layout_error(element_id, prop, f"names '{exc.field}', which is neither a record field nor 'vars'")
        field = exc.field if exc.kind in ("undefined", "unknown-name") else field_of(template)
        dotted = field_of(template)
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
        keep = functools.partial(self._when, ctx=ctx)
        for el, ox, oy, layer in walk_elements(elements, keep=keep, dx=dx, dy=dy, parent_layer=parent_layer):
            kind = kind_of(el)
            where, box = kind.place(el, ox, oy)
            boxes.append(ElementBox(el.id, layer, el.type, box))
            # the one place an element's failure meets the policy: every kind, by construction
            try:
                items.extend(kind.items(self, el, where, layer, ctx, base_dirs))
            except DataError as exc:
                self.policy.element_failed(exc)
            except LabelDoesNotFit as exc:
                self.policy.label_failed(exc)

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

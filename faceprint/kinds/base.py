"""What an element kind is, and the registry that maps a layout model to its kind (issue 17 §1).

A kind gives, in one module: its pydantic model (``layout_file/model.py`` assembles the format's
``Element`` union from the registered models), how it is placed (a box, or points along which it is
drawn), how it resolves to scene items, how far its ink reaches beyond its geometry (lint's extent)
and whether lint counts it as daylight content. The resolver, lint and the preview ask the registry
instead of switching on element types. Groups are not a kind: they only offset and nest their children.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from ..geometry import bounds
from ..layout_types import ElementBase
from ..scene import Box, Item

if TYPE_CHECKING:
    from ..resolve import Resolver

Points = list[tuple[float, float]]
# Where an element stands on the face: its box (offset by its groups), or its points.
Where = Box | Points
# (resolver, element, where, layer, record context, folders to look for files in) -> scene items
ItemsFn = Callable[["Resolver", Any, Any, str, Mapping[str, Any], Sequence[Path]], list[Item]]


# What lint says about an element alone, before any record: (severity, code, message) for each problem.
Problem = tuple[Literal["error", "warning"], str, str]
# (element, the layout's smallest allowed type size in pt) -> its problems
LayoutCheck = Callable[[Any, float], Iterable[Problem]]


def _no_margin(el: Any) -> float:
    return 0.0


def _no_problems(el: Any, min_text_size_pt: float) -> Iterable[Problem]:
    return ()


@dataclass(frozen=True, slots=True)
class ElementKind:
    """One element kind: everything the engine needs to know about it, in one place."""

    name: str  # the layout's ``type:`` tag
    model: type[ElementBase]  # its pydantic model, defined in the kind's module
    items: ItemsFn
    along_points: bool = False  # placed by ``points`` (lines, paths, microtext), not by ``box``
    close_points: bool = False  # a ``closed: true`` element runs back to its first point as drawn
    ink_margin: Callable[[Any], float] = _no_margin  # mm the ink reaches beyond the geometry (lint)
    content: bool = False  # daylight content whose declared boxes lint compares for overlaps
    layout_checks: LayoutCheck = _no_problems  # lint's checks of the element alone (text: sizes, floors)
    # Where the JSON Schema lists the kind among the element types: the built-in kinds keep the order
    # the format has always shown, a new kind follows them. Tags are looked up by name, so nothing else.
    rank: int = 1000

    def place(self, el: Any, dx: float, dy: float) -> tuple[Where, Box]:
        """Where the element is drawn, and its box on the face (the preview's handles, lint's checks)."""
        if not self.along_points:
            box = Box(*el.box).offset(dx, dy)
            return box, box
        points = [(x + dx, y + dy) for x, y in el.points]
        if self.close_points and el.closed:
            points.append(points[0])
        return points, bounds(points)

    def extent(self, el: Any, dx: float, dy: float) -> Box:
        """The box its ink may cover: the placed box grown by the ink margin (a stroke, a microtext em)."""
        _, box = self.place(el, dx, dy)
        m = self.ink_margin(el)
        return Box(box.x - m, box.y - m, box.w + 2 * m, box.h + 2 * m) if m else box


_BY_MODEL: dict[type, ElementKind] = {}
# Called after the registry changes: ``layout_file.model`` rebuilds its ``Element`` union.
_LISTENERS: list[Callable[[], None]] = []


def register(kind: ElementKind) -> ElementKind:
    """Make ``kind`` known to the layout format, the resolver, lint and the preview (a kind module calls this once)."""
    if kind.model in _BY_MODEL and _BY_MODEL[kind.model] != kind:
        raise ValueError(f"element model {kind.model.__name__} already has a kind ({_BY_MODEL[kind.model].name})")
    if _BY_MODEL.get(kind.model) != kind:
        _BY_MODEL[kind.model] = kind
        _changed()
    return kind


def unregister(kind: ElementKind) -> None:
    """Forget ``kind`` (a test's kind, so the format of the other tests stays the shipped one)."""
    if _BY_MODEL.get(kind.model) == kind:
        del _BY_MODEL[kind.model]
        _changed()


def on_change(listener: Callable[[], None]) -> None:
    """Call ``listener`` whenever a kind is registered or forgotten."""
    _LISTENERS.append(listener)


def _changed() -> None:
    for listener in _LISTENERS:
        listener()


def element_models() -> list[type[ElementBase]]:
    """The registered kinds' models in the order the format lists them (rank, then registration)."""
    kinds = sorted(enumerate(_BY_MODEL.values()), key=lambda ik: (ik[1].rank, ik[0]))
    return [kind.model for _, kind in kinds]


def kind_of(el: object) -> ElementKind:
    """The kind of a layout element (``TypeError`` for a model no kind module registered)."""
    kind = _BY_MODEL.get(type(el))
    if kind is None:
        raise TypeError(f"no element kind registered for {type(el).__name__}")
    return kind

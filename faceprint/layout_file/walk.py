"""The one walk over a face's element tree: groups offset their children and pass on their layer.

Every reader of a layout (the resolver, lint, the annotation area, the photo tools) needs the same
answers: where a drawable element stands (its groups' origins added) and which layer it is on (its
own ``layer`` if it sets one, else its group's). They used to walk the tree each with its own copy
of that rule.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

from .model import Element, GroupElement


def walk_elements(
    elements: Iterable[Element],
    *,
    keep: Callable[[Element], bool] | None = None,
    dx: float = 0.0,
    dy: float = 0.0,
    parent_layer: str | None = None,
) -> Iterator[tuple[Element, float, float, str]]:
    """Each drawable (non-group) element, in painting order, with its groups' offset and its layer.

    ``keep`` is asked of every element, groups included, before it is used: a group it refuses
    hides all its children (the resolver passes the element's ``when``).
    """
    for el in elements:
        if keep is not None and not keep(el):
            continue
        layer = el.layer if ("layer" in el.model_fields_set or parent_layer is None) else parent_layer
        if isinstance(el, GroupElement):
            ox, oy = el.origin
            yield from walk_elements(el.children, keep=keep, dx=dx + ox, dy=dy + oy, parent_layer=layer)
        else:
            yield el, dx, dy, layer

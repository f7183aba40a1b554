"""Reading layout files: YAML with line numbers, ``extends:`` inheritance, then validation.

In: a path to a YAML layout. Out: a validated ``model.Layout`` plus where each element came from
(file and line), so every error names the file, the line, the element id and the property.
A layout may ``extends:`` another; its elements with an id already present replace that element's
properties (a shallow merge; a different ``type`` replaces it whole), new ids are appended to
their face, and ``remove: [id, …]`` drops inherited elements.
"""

from __future__ import annotations

import typing
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from ..errors import LayoutError
from ..limits import MAX_ELEMENTS, MAX_EXTENDS_DEPTH, MAX_LAYOUT_BYTES, MAX_LAYOUT_DEPTH, MAX_LAYOUT_NODES, limit_message
from .model import BASE_LAYERS, Layout

Pos = tuple[str, int]  # (file, 1-based line)
FACES = ("front", "back")
MERGED_MAPPINGS = ("card", "units", "fonts", "layers", "vars")


class SrcDict(dict[str, Any]):
    """A mapping that remembers the file and line of itself and of each key."""

    pos: Pos
    key_pos: dict[str, Pos]


class SrcList(list[Any]):
    pos: Pos
    item_pos: list[Pos]


class _Budget:
    """Counts the nodes ``_convert`` builds: aliases are expanded there, so an alias bomb stops early."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.nodes = 0

    def step(self, depth: int, line: int | None) -> None:
        self.nodes += 1
        if self.nodes > MAX_LAYOUT_NODES:
            raise LayoutError(
                limit_message("MAX_LAYOUT_NODES", MAX_LAYOUT_NODES, "YAML nodes with aliases expanded; an alias bomb?"),
                file=self.file,
                line=line,
            )
        if depth > MAX_LAYOUT_DEPTH:
            raise LayoutError(
                limit_message("MAX_LAYOUT_DEPTH", MAX_LAYOUT_DEPTH, "mappings and lists nested in each other"),
                file=self.file,
                line=line,
            )


def _convert(node: Any, file: str, budget: _Budget | None = None, depth: int = 0) -> Any:
    budget = budget or _Budget(file)
    lc = getattr(node, "lc", None)
    budget.step(depth, lc.line + 1 if lc is not None and isinstance(lc.line, int) else None)
    if isinstance(node, CommentedMap):
        out = SrcDict()
        out.pos = (file, node.lc.line + 1)
        out.key_pos = {}
        for key, value in node.items():
            k = str(key)
            try:
                line = node.lc.key(key)[0] + 1
            except (KeyError, TypeError):
                line = out.pos[1]
            out.key_pos[k] = (file, line)
            out[k] = _convert(value, file, budget, depth + 1)
        return out
    if isinstance(node, CommentedSeq):
        lst = SrcList()
        lst.pos = (file, node.lc.line + 1)
        lst.item_pos = []
        for i, value in enumerate(node):
            try:
                line = node.lc.item(i)[0] + 1
            except (KeyError, TypeError, IndexError):
                line = lst.pos[1]
            lst.item_pos.append((file, line))
            lst.append(_convert(value, file, budget, depth + 1))
        return lst
    return node


def _read_yaml(path: Path) -> SrcDict:
    yaml = YAML(typ="rt")
    try:
        if path.exists() and not path.is_file():  # a folder or a named pipe: reading would block or fail late
            raise LayoutError("not a regular file", file=str(path))
        if path.stat().st_size > MAX_LAYOUT_BYTES:
            raise LayoutError(limit_message("MAX_LAYOUT_BYTES", MAX_LAYOUT_BYTES, "bytes of one layout file"), file=str(path))
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise LayoutError(f"cannot read layout: {exc.strerror or exc}", file=str(path)) from None
    except UnicodeDecodeError as exc:
        raise LayoutError(f"layout is not UTF-8: {exc.reason}", file=str(path)) from None
    try:
        data = yaml.load(text)
    except MarkedYAMLError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else None
        raise LayoutError(f"YAML syntax: {exc.problem or exc}", file=str(path), line=line) from None
    except RecursionError:
        raise LayoutError(
            limit_message("MAX_LAYOUT_DEPTH", MAX_LAYOUT_DEPTH, "mappings and lists nested in each other"), file=str(path)
        ) from None
    except (YAMLError, ValueError, OverflowError) as exc:  # e.g. a date such as 2024-13-45 the YAML reader cannot build
        raise LayoutError(f"YAML: {exc}", file=str(path)) from None
    if data is None:
        raise LayoutError("the layout is empty: it needs at least 'front' or 'back' elements", file=str(path), line=1)
    if not isinstance(data, CommentedMap):
        raise LayoutError("a layout must be a mapping at the top level", file=str(path), line=1)
    result = _convert(data, str(path))
    assert isinstance(result, SrcDict)
    return result


ReadYaml = Callable[[Path], SrcDict]  # one file parsed into a tree with positions


def _walk_elements(elements: list[Any]) -> Iterator[tuple[list[Any], int, SrcDict]]:
    for i, el in enumerate(elements):
        if isinstance(el, SrcDict):
            yield elements, i, el
            children = el.get("children")
            if isinstance(children, list):
                yield from _walk_elements(children)


def _find(data: SrcDict, element_id: str) -> tuple[list[Any], int, SrcDict] | None:
    for face in FACES:
        elements = data.get(face)
        if isinstance(elements, list):
            for found in _walk_elements(elements):
                if found[2].get("id") == element_id:
                    return found
    return None


def _merge_dict(base: SrcDict, override: SrcDict) -> SrcDict:
    out = SrcDict(base)
    out.pos = override.pos
    out.key_pos = {**base.key_pos, **override.key_pos}
    out.update(override)
    return out


def _copy_tree(node: Any) -> Any:
    if isinstance(node, SrcDict):
        out = SrcDict({k: _copy_tree(v) for k, v in node.items()})
        out.pos, out.key_pos = node.pos, dict(node.key_pos)
        return out
    if isinstance(node, SrcList):
        lst = SrcList(_copy_tree(v) for v in node)
        lst.pos, lst.item_pos = node.pos, list(node.item_pos)
        return lst
    return node


def _line_of(node: SrcDict, key: str) -> int | None:
    pos = node.key_pos.get(key)
    return pos[1] if pos else node.pos[1]


def _find_zone(merged: SrcDict, zone_id: str) -> tuple[list[Any], int, Any] | None:
    """An inherited keep-out zone by id, for ``remove:`` (a variant whose stripe is elsewhere drops the zone)."""
    zones = merged.get("keep_out")
    if not isinstance(zones, list):
        return None
    for idx, zone in enumerate(zones):
        if isinstance(zone, dict) and zone.get("id") == zone_id:
            return zones, idx, zone
    return None


def _apply_extends(path: Path, data: SrcDict, chain: tuple[Path, ...], read: ReadYaml) -> SrcDict:
    parent_ref = data.pop("extends", None)
    removals = data.pop("remove", None) or []
    if parent_ref is None:
        if removals:
            raise LayoutError(
                "'remove' only applies to a layout that extends another", file=str(path), line=_line_of(data, "remove")
            )
        return data
    if not isinstance(parent_ref, str):
        raise LayoutError("'extends' must be a path", file=str(path), line=_line_of(data, "extends"))
    parent_path = (path.parent / parent_ref).resolve()
    if len(chain) > MAX_EXTENDS_DEPTH:
        raise LayoutError(
            limit_message("MAX_EXTENDS_DEPTH", MAX_EXTENDS_DEPTH, "layouts extending layouts"),
            file=str(path),
            line=_line_of(data, "extends"),
        )
    if parent_path in chain:
        raise LayoutError(f"'extends' makes a cycle through {parent_path}", file=str(path), line=_line_of(data, "extends"))
    if not parent_path.is_file():
        raise LayoutError(f"extended layout {parent_ref!r} not found", file=str(path), line=_line_of(data, "extends"))
    merged: SrcDict = _copy_tree(_load_tree(parent_path, (*chain, parent_path), read))
    for key, value in data.items():
        if key in FACES:
            continue
        if key in MERGED_MAPPINGS and isinstance(value, SrcDict) and isinstance(merged.get(key), SrcDict):
            merged[key] = _merge_dict(merged[key], value)
        elif key == "keep_out" and isinstance(value, list) and isinstance(merged.get(key), list):
            zones = merged[key]
            for zone in value:
                idx = next(
                    (
                        i
                        for i, z in enumerate(zones)
                        if isinstance(z, dict) and isinstance(zone, dict) and z.get("id") == zone.get("id")
                    ),
                    None,
                )
                if idx is None:
                    zones.append(zone)
                else:
                    zones[idx] = _merge_dict(zones[idx], zone) if isinstance(zone, SrcDict) else zone
        else:
            merged[key] = value
        merged.key_pos[key] = data.key_pos.get(key, data.pos)
    if not isinstance(removals, list):
        raise LayoutError("'remove' must be a list of element ids", file=str(path), line=_line_of(data, "remove"))
    for i, element_id in enumerate(removals):
        found = _find(merged, str(element_id)) or _find_zone(merged, str(element_id))
        if found is None:
            line = removals.item_pos[i][1] if isinstance(removals, SrcList) else None
            raise LayoutError(
                f"cannot remove '{element_id}': no such element or keep-out zone in {parent_ref}", file=str(path), line=line
            )
        container, idx, _ = found
        del container[idx]
    for face in FACES:
        overrides = data.get(face)
        if overrides is None:
            continue
        if not isinstance(overrides, list):
            raise LayoutError(f"'{face}' must be a list of elements", file=str(path), line=_line_of(data, face))
        target = merged.get(face)
        if not isinstance(target, list):
            target = SrcList()
            target.pos, target.item_pos = data.pos, []
            merged[face] = target
        for el in overrides:
            found = _find(merged, str(el["id"])) if isinstance(el, SrcDict) and "id" in el else None
            if found is None:
                target.append(el)
                if isinstance(target, SrcList):  # keep positions in step, so errors in it name its line
                    target.item_pos.append(el.pos if isinstance(el, SrcDict) else data.pos)
                continue
            container, idx, old = found
            if "type" in el and el["type"] != old.get("type"):
                container[idx] = el
            else:
                container[idx] = _merge_dict(old, el)
    return merged


def _load_tree(path: Path, chain: tuple[Path, ...], read: ReadYaml) -> SrcDict:
    return _apply_extends(path, read(path), chain, read)


@dataclass(frozen=True)
class LoadedLayout:
    """A validated layout, the file it was read from, and where each element was written."""

    layout: Layout
    path: Path
    positions: dict[str, Pos]  # element id → (file, line)

    def where(self, element_id: str) -> tuple[str, int | None]:
        pos = self.positions.get(element_id)
        return (pos[0], pos[1]) if pos else (str(self.path), None)


def _type_list() -> str:
    """The element types a layout may use, from the registered kinds (so a new kind is named too)."""
    from ..kinds.base import element_models
    from .model import GroupElement

    models: list[type[BaseModel]] = [*element_models(), GroupElement]
    tags = [str(typing.get_args(m.model_fields["type"].annotation)[0]) for m in models]
    return ", ".join(tags[:-1]) + " or " + tags[-1]


def _locate(tree: SrcDict, loc: tuple[int | str, ...], default_file: str) -> tuple[str, int | None, str | None, str | None]:
    """Map a pydantic error location to (file, line, element id, property path)."""
    node: Any = tree
    file, line = tree.pos
    element_id: str | None = None
    prop_parts: list[str] = []
    for part in loc:
        if isinstance(node, SrcDict):
            key = str(part)
            if key not in node and node.get("type") == key:
                continue  # the discriminator tag pydantic adds to union locations
            if key not in node:
                prop_parts.append(key)
                break
            file, line = node.key_pos.get(key, node.pos)
            if "id" in node and isinstance(node.get("type"), str):
                prop_parts = [key]
            else:
                prop_parts.append(key)
            node = node[key]
            if isinstance(node, SrcDict) and "id" in node and "type" in node:
                element_id = str(node["id"])
                prop_parts = []
        elif isinstance(node, SrcList) and isinstance(part, int) and 0 <= part < len(node):
            file, line = node.item_pos[part]
            node = node[part]
            if isinstance(node, SrcDict) and "id" in node:
                element_id = str(node["id"])
                prop_parts = []
            else:
                prop_parts.append(str(part))
        else:
            prop_parts.append(str(part))
    if isinstance(node, SrcDict) and "id" in node and "type" in node:
        element_id = str(node["id"])
    prop = ".".join(p for p in prop_parts if p not in ("front", "back", "children")) or None
    return file or default_file, line, element_id, prop


def _check_ids_and_layers(layout: Layout, tree: SrcDict, path: Path) -> dict[str, Pos]:
    positions: dict[str, Pos] = {}
    layers = set(BASE_LAYERS) | set(layout.layers)
    for face in FACES:
        elements = tree.get(face)
        if not isinstance(elements, list):
            continue
        for container, idx, el in _walk_elements(elements):
            element_id = str(el.get("id"))
            pos = container.item_pos[idx] if isinstance(container, SrcList) and idx < len(container.item_pos) else el.pos
            if len(positions) >= MAX_ELEMENTS:
                raise LayoutError(
                    limit_message("MAX_ELEMENTS", MAX_ELEMENTS, "elements on both faces"), file=pos[0], line=pos[1]
                )
            if element_id in positions:
                first = positions[element_id]
                raise LayoutError(
                    f"duplicate id (first used at {first[0]}:{first[1]})",
                    file=pos[0],
                    line=pos[1],
                    element_id=element_id,
                    prop="id",
                )
            positions[element_id] = el.pos
            layer = el.get("layer")
            if layer is not None and layer not in layers:
                file, line = el.key_pos.get("layer", el.pos)
                raise LayoutError(
                    f"unknown layer {layer!r}; declare it under 'layers' or use one of {', '.join(sorted(layers))}",
                    file=file,
                    line=line,
                    element_id=element_id,
                    prop="layer",
                )
    return positions


def _most_telling(errors: list[Any]) -> Any:
    """The error to report first: in a union (``size: ID-1 | [w, h]``) the branch that got furthest.

    Errors come in document order; within one property, a ``literal`` branch's "Input should be
    'ID-1'" says less than the other branch's "card side 900mm is over the limit".
    """
    first = errors[0]
    stem = [p for p in first["loc"] if not (isinstance(p, str) and "[" in p)]
    same = [e for e in errors if [p for p in e["loc"] if not (isinstance(p, str) and "[" in p)][: len(stem)] == stem]
    return max(same, key=lambda e: (e["type"] != "literal_error", len(e["loc"])))


def load_layout(path: str | Path, *, read: ReadYaml | None = None) -> LoadedLayout:
    """The validated layout at ``path``, its ``extends`` chain applied.

    ``read`` parses one file into a tree (default: ``_read_yaml``); the preview passes a reader that
    keeps the trees of unchanged files. The loader pops keys off the trees it is given.
    """
    path = Path(path).resolve()
    tree = _load_tree(path, (path,), read or _read_yaml)
    px_dpi = None
    units = tree.get("units")
    if isinstance(units, dict):
        px_dpi = units.get("px_dpi")
    try:
        layout = Layout.model_validate(tree, context={"px_dpi": px_dpi})
    except ValidationError as exc:
        err = _most_telling(exc.errors(include_url=False))
        loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and "[" in p))  # union branches: "literal['ID-1']"
        if err["type"] in ("union_tag_invalid", "union_tag_not_found"):
            # pydantic places a bad or missing discriminator on the element itself; the property at
            # fault is its 'type', so point at that key's line (or the element's, when it is missing).
            loc = (*loc, "type")
        file, line, element_id, prop = _locate(tree, loc, str(path))
        msg = str(err["msg"]).removeprefix("Value error, ")
        if err["type"] == "extra_forbidden":
            msg = "unknown property"
        elif err["type"] == "missing":
            msg = "required property is missing"
        elif err["type"] == "union_tag_invalid":
            msg = f"unknown element type; use {_type_list()}"
        elif err["type"] == "union_tag_not_found":
            msg = f"element needs a 'type' ({_type_list()})"
        extra = len(exc.errors()) - 1
        if extra > 0:
            msg += f" (and {extra} more problem{'s' if extra > 1 else ''})"
        raise LayoutError(msg, file=file, line=line, element_id=element_id, prop=prop) from None
    positions = _check_ids_and_layers(layout, tree, path)
    return LoadedLayout(layout, path, positions)

"""Editing on the page: a drag, a resize or a nudge becomes a change of numbers in the layout file.

In: an element id, a change in mm (``dx, dy, dw, dh``), which file should take it, and the content
hashes of the layout files as the page last saw them. Out: the file written (atomically, its mode
kept), with only the changed numbers different; and a history of those writes for undo and redo.

Where a change goes: into the file that defines the element's geometry, except that an element the
designer's layout inherits is overridden by id in that layout (``target="child"``, the default) rather
than changed for every layout that extends the same parent, unless the designer asks for the parent.
Only the files of the session's layout and the ones it extends are ever written; a file changed on
disk since the page last saw it is never overwritten (an editor's save wins).
"""

from __future__ import annotations

import hashlib
import os
import stat
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from ..atomic import write_atomic
from .yaml_splice import (
    FACES,
    SpliceError,
    Token,
    find_element,
    format_mm,
    item_tokens,
    line_starts,
    parse,
    replace_tokens,
    scalar_at,
    shifted,
)

Target = Literal["child", "parent"]
Delta = tuple[float, float, float, float]  # dx, dy, dw, dh in mm
MAX_EDIT_MM = 1000.0  # a single edit larger than a metre is a client bug, not a designer's drag
HISTORY_LIMIT = 500  # undo steps kept per session


class EditRefused(Exception):
    """An edit that was not written; ``conflict`` means the file changed on disk meanwhile."""

    def __init__(self, message: str, *, conflict: bool = False) -> None:
        super().__init__(message)
        self.conflict = conflict


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True)
class FileWrite:
    """One write of one layout file: the bytes before and after, for undo and redo."""

    path: Path
    before: bytes
    after: bytes
    element_id: str


@dataclass(frozen=True)
class _Site:
    """Where an element's geometry is written: file, text, the element's mapping, its property."""

    path: Path
    text: str
    element: CommentedMap | None  # None: the element has no entry in this file
    prop: str  # "box" or "points"


def geometry_property(element: CommentedMap) -> str | None:
    if "box" in element:
        return "box"
    if "points" in element:
        return "points"
    return None


class LayoutEditor:
    """Applies edits to the files of one layout's ``extends:`` chain, and keeps their history."""

    def __init__(self, chain: Callable[[], list[Path]]) -> None:
        self._chain = chain  # the session's layout first, then each file it extends
        self._done: list[FileWrite] = []
        self._undone: list[FileWrite] = []
        self._lock = threading.Lock()

    # -- locating --------------------------------------------------------------------------------
    def _read(self, path: Path) -> str:
        try:
            return path.read_bytes().decode("utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise EditRefused(f"cannot read {path.name}: {exc}") from None

    def _sites(self, element_id: str) -> list[_Site]:
        """For each file of the chain (child first): the element's entry there, if any."""
        sites = []
        for path in self._chain():
            text = self._read(path)
            try:
                element = find_element(parse(text), element_id)
            except SpliceError as exc:
                raise EditRefused(f"{path.name}: {exc}") from None
            prop = geometry_property(element) if element is not None else None
            sites.append(_Site(path, text, element, prop or ""))
        return sites

    def _plan(self, element_id: str, delta: Delta, target: Target) -> tuple[Path, str, str]:
        """(file, its text now, its new text) for one edit."""
        sites = self._sites(element_id)
        defining = next((s for s in sites if s.element is not None and s.prop), None)
        if defining is None:
            raise EditRefused(f"no element '{element_id}' with a box or points in this layout's files")
        assert defining.element is not None
        child = sites[0]
        if target == "parent":  # the nearest file the layout extends that sets the geometry (or the child's own)
            defining = next((s for s in sites[1:] if s.element is not None and s.prop), defining)
        prop, element = defining.prop, defining.element
        assert element is not None
        if prop == "points" and (delta[2] or delta[3]):
            raise EditRefused(f"'{element_id}' is drawn from points: it can be moved, not resized")
        if target == "parent" or defining is child:
            return defining.path, defining.text, _shift_in_place(defining.text, element, prop, delta)
        values = _values_mm(defining.text, element, prop)
        new_value = _written(prop, _apply(prop, values, delta))
        if child.element is not None:
            return child.path, child.text, _add_property(child.text, child.element, prop, new_value)
        face = _face_of(sites, element_id)
        return child.path, child.text, _add_override(child.text, face, element_id, prop, new_value)

    # -- the public operations -------------------------------------------------------------------
    def edit(self, element_id: str, delta: Delta, known: dict[str, str], *, target: Target = "child") -> FileWrite:
        for d in delta:
            if d != d or abs(d) > MAX_EDIT_MM:  # NaN or absurd
                raise EditRefused(f"an edit of {d!r} mm is out of range")
        with self._lock:
            path, text, new_text = self._plan(element_id, delta, target)
            before = text.encode("utf-8")
            self._check_known(path, before, known)
            after = new_text.encode("utf-8")
            try:
                parse(new_text)
            except SpliceError as exc:  # never write a file the loader would refuse to read
                raise EditRefused(f"the edit would break {path.name}: {exc}") from None
            write = FileWrite(path, before, after, element_id)
            _write(path, after)
            self._done.append(write)
            del self._done[:-HISTORY_LIMIT]
            self._undone.clear()
            return write

    def undo(self) -> FileWrite | None:
        with self._lock:
            if not self._done:
                return None
            write = self._done[-1]
            self._swap(write.path, expect=write.after, put=write.before)
            self._undone.append(self._done.pop())
            return write

    def redo(self) -> FileWrite | None:
        with self._lock:
            if not self._undone:
                return None
            write = self._undone[-1]
            self._swap(write.path, expect=write.before, put=write.after)
            self._done.append(self._undone.pop())
            return write

    def history(self) -> tuple[int, int]:
        """How many steps can be undone and redone."""
        with self._lock:
            return len(self._done), len(self._undone)

    # -- helpers ---------------------------------------------------------------------------------
    def _check_known(self, path: Path, now: bytes, known: dict[str, str]) -> None:
        seen = known.get(str(path))
        if seen is None:
            raise EditRefused(f"the page has not seen {path.name} yet: reload", conflict=True)
        if seen != content_hash(now):
            raise EditRefused(f"{path.name} changed on disk since the page showed it; the page reloads it", conflict=True)

    def _swap(self, path: Path, *, expect: bytes, put: bytes) -> None:
        try:
            now = path.read_bytes()
        except OSError as exc:
            raise EditRefused(f"cannot read {path.name}: {exc}") from None
        if now != expect:
            self._done.clear()
            self._undone.clear()
            raise EditRefused(f"{path.name} was changed outside the page: the edit history ends here", conflict=True)
        _write(path, put)


def _write(path: Path, data: bytes) -> None:
    """Atomically, keeping the file's mode (a layout file is not personal data: no 0600 here)."""
    try:
        mode = stat.S_IMODE(os.stat(path).st_mode)
        write_atomic(path, data, mode=mode)
    except OSError as exc:
        raise EditRefused(f"cannot write {path.name}: {exc.strerror or exc}") from None


# -- geometry as written ---------------------------------------------------------------------------
def _apply(prop: str, values: list[list[float]], delta: Delta) -> list[list[float]]:
    dx, dy, dw, dh = delta
    if prop == "box":
        x, y, w, h = values[0]
        return [[x + dx, y + dy, w + dw, h + dh]]
    return [[x + dx, y + dy] for x, y in values]


def _written(prop: str, values: list[list[float]]) -> str:
    def seq(nums: list[float]) -> str:
        return "[" + ", ".join(format_mm(v, with_unit=True) for v in nums) + "]"

    if prop == "box":
        return seq(values[0])
    return "[" + ", ".join(seq(p) for p in values) + "]"


def _geometry_seqs(element: CommentedMap, prop: str) -> list[CommentedSeq]:
    value = element.get(prop)
    if prop == "box":
        if not isinstance(value, CommentedSeq) or len(value) != 4:
            raise EditRefused(f"'{element.get('id')}': box is not [x, y, width, height]")
        return [value]
    if not isinstance(value, CommentedSeq) or not all(isinstance(p, CommentedSeq) and len(p) == 2 for p in value):
        raise EditRefused(f"'{element.get('id')}': points are not a list of [x, y]")
    return list(value)


def _values_mm(text: str, element: CommentedMap, prop: str) -> list[list[float]]:
    out = []
    for seq in _geometry_seqs(element, prop):
        tokens = item_tokens(text, seq)
        try:
            out.append([float(shifted(t, 0.0).strip("\"'").removesuffix("mm")) for t in tokens])
        except SpliceError as exc:
            raise EditRefused(f"'{element.get('id')}': {exc}") from None
    return out


def _shift_in_place(text: str, element: CommentedMap, prop: str, delta: Delta) -> str:
    if prop == "box":
        _x, _y, w, h = _values_mm(text, element, prop)[0]
        if w + delta[2] <= 0 or h + delta[3] <= 0:
            raise EditRefused(f"'{element.get('id')}': a box cannot be made zero or negative in size")
    changes: list[tuple[Token, str]] = []
    for seq in _geometry_seqs(element, prop):
        deltas = delta if prop == "box" else delta[:2]
        for token, d in zip(item_tokens(text, seq), deltas, strict=True):
            if d:
                try:
                    changes.append((token, shifted(token, d)))
                except SpliceError as exc:
                    raise EditRefused(f"'{element.get('id')}': {exc}") from None
    return replace_tokens(text, changes)


def _add_property(text: str, element: CommentedMap, prop: str, value: str) -> str:
    """Give an element's existing entry (in the child) the property, written after its id."""
    line, col = element.lc.key("id")
    starts = line_starts(text)
    flow = element.fa.flow_style()
    if flow:
        id_token = _value_token(text, element, "id", starts)
        return text[: id_token.end] + f", {prop}: {value}" + text[id_token.end :]
    end_of_line = text.find("\n", starts[line])
    end_of_line = len(text) if end_of_line < 0 else end_of_line
    return text[:end_of_line] + "\n" + " " * int(col) + f"{prop}: {value}" + text[end_of_line:]


def _value_token(text: str, mapping: CommentedMap, key: str, starts: list[int]) -> Token:
    line, col = mapping.lc.value(key)
    return scalar_at(text, starts[line] + col)


def _face_of(sites: list[_Site], element_id: str) -> str:
    for site in reversed(sites):
        data = parse(site.text)
        for face in FACES:
            if find_element(CommentedMap({face: data.get(face)}), element_id) is not None:
                return face
    raise EditRefused(f"no element '{element_id}' on either face")


def _add_override(text: str, face: str, element_id: str, prop: str, value: str) -> str:
    """Add ``- {id: ID, PROP: VALUE}`` to the child's face list (creating the list if it has none)."""
    entry = f"{{id: {element_id}, {prop}: {value}}}"
    data = parse(text)
    elements = data.get(face)
    starts = line_starts(text)
    if isinstance(elements, CommentedSeq) and len(elements) > 0:
        line, col = elements.lc.item(0)
        if elements.fa.flow_style():
            offset = starts[line] + col
            return text[:offset] + entry + ", " + text[offset:]
        dash = text.rfind("-", starts[line], starts[line] + col)
        if dash < 0:
            raise EditRefused(f"cannot find where the '{face}' list starts")
        prefix = text[starts[line] : dash]
        return text[: starts[line]] + prefix + "- " + entry + "\n" + text[starts[line] :]
    if face in data:
        raise EditRefused(f"'{face}' is not a list of elements in this file: add the override by hand")
    tail = "" if text.endswith("\n") or not text else "\n"
    return text + tail + f"{face}:\n  - {entry}\n"

"""One preview session: a layout, a folder of records, the current render and its lint findings.

In: the layout path, an optional record file or folder. Out: a JSON-able state (faces in mm for the
page's overlays, the image hashes, the error if any, the lint findings) and the images by hash.

Why it is shaped this way: a designer saves many times an hour and expects the card back at once.
So one thread owns all rendering and polls the files' stat signatures (mtime, size, inode: also an
editor's write-and-rename save); the layout is re-read only when one of its files changed, the fonts
and compiled templates, the parsed trees of unchanged files, the guilloche curves and the canvas
under the data are kept across renders, and lint runs in a worker process (``lintworker``), so a
save never waits for it.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from PIL import Image

from ..errors import DataError, LayoutError
from ..layout_file import loader
from ..layout_file.loader import LoadedLayout, load_layout
from ..layout_file.model import GuillocheElement
from ..lint import SPECIMEN_ID, Finding, specimen_record
from ..records import Record, load_record
from ..resolve import Resolver
from ..scene import Box, ElementBox, Face, PathItem, Scene
from ..security import guilloche_paths
from ..templating import Templates
from ..text.fonts import FontDatabase, default_database
from ..units import mm_to_px
from .raster import IncrementalPainter, margin_px

PREVIEW_DPI = 200.0  # 2× a typical screen at 1:1 physical size
KEPT_IMAGES = 12  # recent images kept by hash, so a page that is one render behind still gets its images
_EXTENDS = re.compile(r"""^extends:\s*(?P<q>["']?)(?P<path>.+?)(?P=q)\s*(?:#.*)?$""", re.MULTILINE)
_LINE_IN_MESSAGE = re.compile(r"\bline (\d+)")

Signature = tuple[int, int, int] | None


def bmp_bytes(image: Image.Image) -> bytes:
    """The preview's image format: BMP encodes in 0.5 ms where PNG takes ~17 ms a face at 200 dpi.

    Lossless, and every browser decodes it; the ~1 MB it weighs crosses the loopback in a millisecond.
    """
    buf = io.BytesIO()
    image.save(buf, "BMP")
    return buf.getvalue()


def signature(path: Path) -> Signature:
    """What changes when a file is saved: modification time, size and inode (None: missing)."""
    try:
        st = path.stat()
    except OSError:
        return None
    return (st.st_mtime_ns, st.st_size, st.st_ino)


def extends_chain(path: Path, limit: int = 16) -> list[Path]:
    """The layout and every file it extends, read with a pattern rather than the YAML parser.

    A file that does not parse must still be watched, so that fixing it brings the card back.
    """
    chain = [path]
    current = path
    for _ in range(limit):
        try:
            text = current.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            break
        m = _EXTENDS.search(text)
        if m is None:
            break
        parent = (current.parent / m.group("path").strip()).resolve()
        if parent in chain:
            break
        chain.append(parent)
        current = parent
    return chain


class TreeCache:
    """Parsed YAML trees of unchanged files, kept across reloads.

    ruamel's round-trip parser (needed for line numbers) takes ~100 ms for next-gen's card.yaml: a
    designer editing a 25-line ``extends:`` file would wait for the parent to be parsed again on
    every save. ``layout_file.loader`` has no cache of its own, so the preview passes this reader to
    ``load_layout``; a file is re-parsed whenever its signature changed.
    """

    def __init__(self) -> None:
        self._trees: dict[Path, tuple[Signature, loader.SrcDict]] = {}
        self._read = loader._read_yaml

    def read(self, path: Path) -> loader.SrcDict:
        sig = signature(path)  # taken first: a save during the read shows as a new signature next time
        hit = self._trees.get(path)
        if sig is not None and hit is not None and hit[0] == sig:
            tree: loader.SrcDict = loader._copy_tree(hit[1])  # the loader pops keys off the tree it is given
            return tree
        tree = self._read(path)
        if sig is not None:
            self._trees[path] = (sig, loader._copy_tree(tree))
        return tree

    def load(self, path: Path) -> LoadedLayout:
        return load_layout(path, read=self.read)


class PatternCache:
    """Guilloche curves of unchanged elements, kept across renders.

    ``security.guilloche_paths`` is a pure function of the element, its box, its layer and the record
    value that modulates it, and costs ~100 ms of Python on next-gen's front: a save elsewhere in
    the layout should not pay for it again. The preview passes ``paths`` to its resolvers as their
    pattern source (keyed by the element's repr: every field, values included).
    """

    def __init__(self, size: int = 64) -> None:
        self._cache: OrderedDict[tuple[str, Box, str, str | None], list[PathItem]] = OrderedDict()
        self._size = size

    def paths(self, el: GuillocheElement, box: Box, layer: str, modulation: str | None) -> list[PathItem]:
        key = (repr(el), box, layer, modulation)
        hit = self._cache.get(key)
        if hit is None:
            hit = self._cache[key] = guilloche_paths(el, box, layer, modulation)
            while len(self._cache) > self._size:
                self._cache.popitem(last=False)
        self._cache.move_to_end(key)
        return hit

    def resolve(self, resolver: Resolver, record: Record) -> Scene:
        from ..render import layout_derives_romaji

        derive = layout_derives_romaji(resolver.loaded)
        return resolver.resolve(record.template_context(derive_romaji=derive), record_id=record.id)


@dataclass(frozen=True)
class PreviewError:
    """What the page shows when the card cannot be drawn: where, and why."""

    kind: str  # "layout" or "data"
    message: str
    file: str | None = None
    line: int | None = None
    element: str | None = None
    record: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in ("kind", "message", "file", "line", "element", "record")}


class PreviewSession:
    """The state of one ``faceprint preview``: owned by one thread, read by the HTTP threads."""

    def __init__(self, layout: Path, data: Path | None = None, *, dpi: float = PREVIEW_DPI, fonts: FontDatabase | None = None):
        self.layout_path = layout.resolve()
        self.layout_dir = self.layout_path.parent
        self.dpi = dpi
        self.records_dir: Path | None = None
        self.selected: str | None = None
        if data is not None:
            data = data.resolve()
            if data.is_dir():
                self.records_dir = data
            else:
                self.records_dir, self.selected = data.parent, data.name
        self.fonts = fonts or default_database()
        self.templates = Templates()  # compiled templates survive layout reloads
        self.trees = TreeCache()  # and so do the parsed trees of files that did not change
        self.patterns = PatternCache()  # and the guilloche curves of elements that did not change
        self.painter = IncrementalPainter()  # and the canvas under the data, while the artwork is unchanged
        self._loaded: LoadedLayout | None = None
        self._geometry: dict[str, str] = {}
        self._resolver: Resolver | None = None
        self._chain: list[Path] = [self.layout_path]
        self._signatures: dict[Path, Signature] = {}
        self._pending_select: str | None = None
        self._faces: list[dict[str, Any]] = []
        self._files: list[dict[str, str]] = []  # the chain's files with their content hashes, for edits
        self._error: PreviewError | None = None
        self._lint: dict[str, Any] = {"state": "pending", "findings": []}
        self._render_ms: float | None = None
        self._changed: list[str] = []
        self._images: OrderedDict[str, bytes] = OrderedDict()
        self._lock = threading.Lock()
        self.version = 0  # bumped by every render (not by lint results)
        self.seq = 0  # bumped by every change of the state the page shows
        if self.records_dir is not None and self.selected is None:
            names = self.record_names()
            self.selected = names[0] if names else None

    # -- files ---------------------------------------------------------------------------------
    def record_names(self) -> list[str]:
        """The records the picker offers: the folder's ``*.json`` files, by name."""
        if self.records_dir is None:
            return []
        try:
            return sorted(p.name for p in self.records_dir.glob("*.json") if p.is_file())
        except OSError:
            return []

    def record_path(self) -> Path | None:
        if self.records_dir is None or self.selected is None:
            return None
        return self.records_dir / self.selected

    def select(self, name: str) -> None:
        """Ask for another record; only a name the picker lists is accepted (no paths)."""
        if name not in self.record_names():
            raise ValueError(f"no record named {name!r} in the records folder")
        with self._lock:
            self._pending_select = name

    def _watched(self) -> list[Path]:
        paths = list(self._chain)
        record = self.record_path()
        if record is not None:
            paths.append(record)
        if self.records_dir is not None:
            paths.append(self.records_dir)  # a record added or removed changes the folder
        return paths

    # -- rendering -----------------------------------------------------------------------------
    def refresh(self, *, force: bool = False) -> bool:
        """Re-render if a watched file changed (or a record was picked); True when the state changed."""
        with self._lock:
            pending, self._pending_select = self._pending_select, None
        force_record = False
        if pending is not None and pending != self.selected:
            self.selected, force_record = pending, True
        elif self.selected is not None and self.records_dir is not None and not (self.records_dir / self.selected).exists():
            names = self.record_names()  # the shown record was deleted or renamed: show the first one left
            if names:
                self.selected, force_record = names[0], True
        now = {p: signature(p) for p in self._watched()}
        changed = [p for p, sig in now.items() if self._signatures.get(p, ()) != sig]
        if not (force or force_record or changed):
            return False
        started = time.perf_counter()
        layout_changed = force or self._loaded is None or any(p in self._chain for p in changed)
        if layout_changed:
            self._chain = extends_chain(self.layout_path)
            now.update({p: signature(p) for p in self._chain if p not in now})
            files = [self._file_json(p) for p in self._chain]
            with self._lock:
                self._files = files
        self._signatures = now
        error = self._render(layout_changed)
        with self._lock:
            self._error = error
            self._render_ms = (time.perf_counter() - started) * 1000
            self._changed = [] if force else [self._display(p) for p in changed if p != self.records_dir]
            self.version += 1
            self.seq += 1
            self._lint = {"state": "pending" if error is None or error.kind == "data" else "blocked", "findings": []}
        return True

    def _render(self, layout_changed: bool) -> PreviewError | None:
        if layout_changed:
            try:
                self._loaded = self.trees.load(self.layout_path)
                self._resolver = Resolver(self._loaded, fonts=self.fonts, templates=self.templates, patterns=self.patterns.paths)
                layout = self._loaded.layout
                self._geometry = _geometry_of([*layout.face_elements("front"), *layout.face_elements("back")], {})
            except LayoutError as exc:
                self._loaded = self._resolver = None
                return PreviewError("layout", exc.reason, exc.file, exc.line, exc.element_id)
            except Exception as exc:  # a loader bug must not leave the page showing the old card as if fine
                self._loaded = self._resolver = None
                return PreviewError("layout", f"could not read the layout ({type(exc).__name__}: {exc})", str(self.layout_path))
        assert self._loaded is not None and self._resolver is not None
        record_file = self.record_path()
        try:
            record = specimen_record() if record_file is None else load_record(record_file)
        except DataError as exc:
            m = _LINE_IN_MESSAGE.search(exc.reason)
            return PreviewError("data", exc.reason, str(record_file), int(m.group(1)) if m else None)
        try:
            scene = self.patterns.resolve(self._resolver, record)
        except DataError as exc:
            file, line = self._loaded.where(exc.element_id) if exc.element_id else (str(self.layout_path), None)
            return PreviewError("data", str(exc), file, line, exc.element_id, record.id)
        except LayoutError as exc:  # a template syntax error or a font that cannot be found
            return PreviewError("layout", exc.reason, exc.file, exc.line, exc.element_id)
        faces = [self._face_json(face) for face in scene.faces]
        with self._lock:
            self._faces = faces
        return None

    def _face_json(self, face: Face) -> dict[str, Any]:
        image = bmp_bytes(self.painter.paint(face, self.dpi))
        digest = hashlib.sha256(image).hexdigest()[:16]
        with self._lock:
            self._images[digest] = image
            self._images.move_to_end(digest)
            while len(self._images) > KEPT_IMAGES:
                self._images.popitem(last=False)
        margin = margin_px(face, self.dpi) / mm_to_px(1.0, self.dpi)
        return {
            "name": face.name,
            "width": face.width,
            "height": face.height,
            "bleed": face.bleed,
            "margin": margin,  # mm of canvas around the trim (the bleed, rounded up to whole pixels)
            "safe_margin": face.safe_margin,
            "corner_radius": face.corner_radius,
            "keep_out": [{"id": z.zone_id, "box": _box(z.box), "source": z.source} for z in face.keep_out],
            "boxes": [self._box_json(b) for b in face.boxes],
            "image": f"/render/{digest}/{face.name}.bmp",
            "hash": digest,
        }

    def _box_json(self, b: ElementBox) -> dict[str, Any]:
        assert self._loaded is not None
        file, line = self._loaded.where(b.element_id)
        return {
            "id": b.element_id,
            "layer": b.layer,
            "kind": b.kind,
            "box": _box(b.box),
            "edit": self._geometry.get(b.element_id),  # "box": move and resize; "points": move; None: neither
            "where": f"{self._display(Path(file))}:{line}" if line else self._display(Path(file)),
        }

    def _file_json(self, path: Path) -> dict[str, str]:
        try:
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
        except OSError:
            digest = ""
        return {"path": str(path), "display": self._display(path), "sha": digest}

    # -- editing on the page (see edit.py) ------------------------------------------------------
    def chain(self) -> list[Path]:
        """The layout's file and the files it extends, child first: the only files an edit may write."""
        return list(self._chain)

    def keep_out_refusal(self, element_id: str, delta: tuple[float, float, float, float]) -> str | None:
        """Why an edit may not land (it would newly overlap a keep-out zone), or None."""
        with self._lock:
            faces = list(self._faces)
        for face in faces:
            for b in face["boxes"]:
                if b["id"] != element_id:
                    continue
                x, y, w, h = b["box"]
                new = (x + delta[0], y + delta[1], w + delta[2], h + delta[3])
                for zone in face["keep_out"]:
                    if _overlaps(new, zone["box"]) and not _overlaps(b["box"], zone["box"]):
                        return f"'{element_id}' would overlap the keep-out zone '{zone['id']}' ({zone['source']})"
        return None

    def image(self, digest: str) -> bytes | None:
        with self._lock:
            return self._images.get(digest)

    # -- lint (run by the worker process, see lintworker.py) -----------------------------------
    def lint_job(self) -> dict[str, Any] | None:
        """What the lint worker should check for the render on screen (None: the layout does not load)."""
        if self._loaded is None:
            return None
        names = self.record_names()
        if self.selected in names:  # the record on screen first
            names.remove(self.selected)
            names.insert(0, self.selected)
        records = [str(self.records_dir / n) for n in names] if self.records_dir is not None and names else None
        return {"gen": self.version, "layout": str(self.layout_path), "records": records, "dpi": self.dpi}

    def apply_lint(self, result: dict[str, Any]) -> bool:
        """Take a worker's result if it belongs to the render on screen; True when the state changed."""
        with self._lock:
            if result.get("gen") != self.version:
                return False
            if "blocked" in result:
                self._lint = {"state": "blocked", "message": result["blocked"], "findings": []}
            else:
                findings = [self._finding_json(Finding(**f)) for f in result.get("findings", [])]
                state = "done" if result.get("done") == result.get("of") else "running"
                self._lint = {"state": state, "records": result.get("done"), "of": result.get("of"), "findings": findings}
            self.seq += 1
            return True

    def _finding_json(self, f: Finding) -> dict[str, Any]:
        out = f.to_json()
        out["display"] = self._display(Path(f.file)) if f.file and f.file != SPECIMEN_ID else f.file
        out["href"] = self._href(Path(f.file)) if f.file else None
        return out

    # -- state ---------------------------------------------------------------------------------
    def _href(self, path: Path) -> str | None:
        """The page's link to a source file, when it lies in a folder the server serves."""
        for name, root in (("layout", self.layout_dir), ("records", self.records_dir)):
            if root is not None and path.is_relative_to(root):
                return f"/files/{name}/{quote(path.relative_to(root).as_posix())}"
        return None

    def _display(self, path: Path) -> str:
        """A path as the designer thinks of it: relative to the layout's folder."""
        try:
            return os.path.relpath(path, self.layout_dir)
        except ValueError:
            return str(path)

    def state(self) -> dict[str, Any]:
        with self._lock:
            error = self._error.to_json() if self._error else None
            if error and error.get("file"):
                error["display"] = self._display(Path(error["file"]))
                error["href"] = self._href(Path(error["file"]))
            return {
                "seq": self.seq,
                "version": self.version,
                "layout": str(self.layout_path),
                "layout_display": f"{self.layout_dir.name}/{self.layout_path.name}",
                "records": self.record_names(),
                "record": self.selected,
                "record_label": self.selected or f"{SPECIMEN_ID} (built in)",
                "dpi": self.dpi,
                "error": error,
                "faces": self._faces,
                "files": self._files,
                "lint": self._lint,
                "render_ms": None if self._render_ms is None else round(self._render_ms, 1),
                "changed": self._changed,
            }


def _overlaps(a: Any, b: Any) -> bool:
    """Two [x, y, w, h] boxes share area (touching edges do not count)."""
    return bool(a[0] < b[0] + b[2] and b[0] < a[0] + a[2] and a[1] < b[1] + b[3] and b[1] < a[1] + a[3])


def _geometry_of(elements: Any, out: dict[str, str]) -> dict[str, str]:
    """Element id → how the page may edit it: "box" (move, resize) or "points" (move)."""
    for el in elements:
        children = getattr(el, "children", None)
        if children is not None:
            _geometry_of(children, out)
        elif hasattr(el, "box"):
            out[el.id] = "box"
        elif hasattr(el, "points"):
            out[el.id] = "points"
    return out


def _box(box: Any) -> list[float]:
    return [round(box.x, 4), round(box.y, 4), round(box.w, 4), round(box.h, 4)]

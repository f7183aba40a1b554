"""Layout lint: what a designer must fix before a card goes to print.

In: a loaded layout and, optionally, records to render it with. Out: findings, each naming the
element, the face, the file and line, and the reason. Errors: a printable element over a
keep-out zone (chip contacts, magnetic stripe), outside the safe area without being marked to
bleed, type below the layout's minimum size (a fitting floor included), and for each record any
text that does not fit or a character no font draws.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from .errors import DataError
from .layout_file.loader import LoadedLayout
from .layout_file.model import Element, GroupElement, LineElement, PathElement, TextElement
from .scene import GUIDE_LAYER, Box, GlyphRun

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Finding:
    severity: Severity
    code: str
    element_id: str
    face: str
    message: str
    file: str
    line: int | None

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.severity}: {self.face} '{self.element_id}': {self.message} [{self.code}]"


def _flatten(
    elements: Iterable[Element], dx: float = 0.0, dy: float = 0.0, layer: str | None = None
) -> Iterator[tuple[Element, Box, str]]:
    for el in elements:
        el_layer = el.layer if ("layer" in el.model_fields_set or layer is None) else layer
        if isinstance(el, GroupElement):
            yield from _flatten(el.children, dx + el.origin[0], dy + el.origin[1], el_layer)
            continue
        if isinstance(el, LineElement | PathElement):
            xs = [p[0] + dx for p in el.points]
            ys = [p[1] + dy for p in el.points]
            half = el.stroke_width / 2 if el.stroke is not None else 0.0
            box = Box(min(xs) - half, min(ys) - half, max(xs) - min(xs) + 2 * half, max(ys) - min(ys) + 2 * half)
        else:
            box = Box(*el.box).offset(dx, dy)
        yield el, box, el_layer


def lint_layout(loaded: LoadedLayout) -> list[Finding]:
    layout = loaded.layout
    card = layout.card
    floor = layout.lint.min_text_size
    safe = Box(card.safe_margin, card.safe_margin, card.width - 2 * card.safe_margin, card.height - 2 * card.safe_margin)
    findings: list[Finding] = []

    def add(severity: Severity, code: str, el_id: str, face: str, message: str) -> None:
        file, line = loaded.where(el_id)
        findings.append(Finding(severity, code, el_id, face, message, file, line))

    for face in ("front", "back"):
        zones = [z for z in layout.keep_out if z.face == face]
        for el, box, layer in _flatten(layout.face_elements(face)):
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
                    if size < floor - 1e-9:
                        add("error", "min-size", el.id, face, f"{what} {size:g}pt is below the minimum {floor:g}pt")
    return findings


def lint_records(loaded: LoadedLayout, records: Iterable[tuple[str, object]]) -> list[Finding]:
    """Render every record; a record that cannot be set is a finding for the element concerned."""
    from .records import Record
    from .resolve import Resolver

    resolver = Resolver(loaded)
    floor = loaded.layout.lint.min_text_size
    findings: list[Finding] = []
    for source, record in records:
        if isinstance(record, DataError):
            findings.append(Finding("error", "record", "-", "-", f"{source}: {record}", source, None))
            continue
        assert isinstance(record, Record)
        try:
            scene = resolver.resolve(record.template_context(), record_id=record.id)
        except DataError as exc:
            el_id = exc.element_id or "-"
            file, line = loaded.where(el_id)
            findings.append(Finding("error", "data", el_id, "-", f"record '{record.id}': {exc.reason}", file, line))
            continue
        for face in scene.faces:
            for item in face.items:
                if isinstance(item, GlyphRun) and item.size_pt < floor - 1e-9:
                    file, line = loaded.where(item.element_id)
                    findings.append(
                        Finding(
                            "error",
                            "min-size",
                            item.element_id,
                            face.name,
                            f"record '{record.id}': set at {item.size_pt:g}pt, below {floor:g}pt",
                            file,
                            line,
                        )
                    )
    return findings


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

"""Rendering one card: a record through the layout to PNG files and a PDF.

In: a loaded layout and a validated record. Out: ``<id>-front.png``, ``<id>-back.png`` and
``<id>.pdf`` in the output folder, written atomically and owner-only.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .backends.pdf import render_pdf
from .backends.raster import DEFAULT_DPI, paint
from .layout_file.loader import LoadedLayout, load_layout
from .output import png_bytes, write_atomic
from .records import Record
from .resolve import Resolver
from .scene import Scene

FORMATS = ("png", "pdf")


@dataclass(frozen=True)
class RenderOptions:
    formats: tuple[str, ...] = FORMATS
    dpi: float = DEFAULT_DPI
    guides: bool = False
    prepare_photo: bool = False  # crop and normalise the portrait by the photo rules before layout


class CardRenderer:
    """One layout, many records: fonts, templates and artwork are loaded once."""

    def __init__(self, layout: LoadedLayout | str | Path) -> None:
        self.loaded = layout if isinstance(layout, LoadedLayout) else load_layout(layout)
        self.resolver = Resolver(self.loaded)

    def scene(self, record: Record, *, prepare_photo: bool = False) -> Scene:
        ctx = record.template_context()
        if not prepare_photo:
            return self.resolver.resolve(ctx, record_id=record.id)
        with tempfile.TemporaryDirectory(prefix="faceprint-photo-") as tmp:
            ctx = self._prepared(ctx, record, Path(tmp))
            return self.resolver.resolve(ctx, record_id=record.id)

    def _prepared(self, ctx: dict[str, Any], record: Record, tmp: Path) -> dict[str, Any]:
        """The context with the portrait replaced by its prepared (cropped, greyscale) version."""
        from .errors import DataError
        from .layout_file import photo_box_mm
        from .photo import prepare_photo_file

        w, h, dpi = photo_box_mm(str(self.loaded.path))
        try:
            image = prepare_photo_file(str(record.photo), w, h, dpi)
        except DataError as exc:
            raise exc.with_record(record.id) from None
        path = tmp / "portrait.png"
        image.save(path)
        return {**ctx, "photo": str(path)}

    def render(self, record: Record, out_dir: Path, options: RenderOptions = RenderOptions()) -> list[Path]:
        scene = self.scene(record, prepare_photo=options.prepare_photo)
        return write_scene(scene, out_dir, options)


def write_scene(scene: Scene, out_dir: Path, options: RenderOptions) -> list[Path]:
    written: list[Path] = []
    if "png" in options.formats:
        for face in scene.faces:
            path = out_dir / f"{scene.record_id}-{face.name}.png"
            write_atomic(path, png_bytes(paint(face, options.dpi, guides=options.guides), options.dpi))
            written.append(path)
    if "pdf" in options.formats:
        path = out_dir / f"{scene.record_id}.pdf"
        write_atomic(path, render_pdf(scene))
        written.append(path)
    return written


def parse_formats(text: str) -> tuple[str, ...]:
    formats = tuple(f.strip().lower() for f in text.split(",") if f.strip())
    unknown = [f for f in formats if f not in FORMATS]
    if unknown or not formats:
        raise ValueError(f"unknown format {', '.join(unknown) or '(none)'}; use {', '.join(FORMATS)}")
    return formats


def render_many(renderer: CardRenderer, records: Iterable[Record], out_dir: Path, options: RenderOptions) -> list[Path]:
    out: list[Path] = []
    for record in records:
        out.extend(renderer.render(record, out_dir, options))
    return out

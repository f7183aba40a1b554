"""The files made for one card, and which files a card must have to count as done.

In: a scene and an ``OutputSpec``. Out: the files, each written atomically and owner-only. The
same spec lists the expected file names before anything is rendered, which is how ``--resume``
knows a record is complete (every file is renamed into place only when whole).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from .atomic import png_bytes, write_atomic
from .backends.pdf import PdfOptions, render_pdf
from .backends.raster import DEFAULT_DPI, paint, paint_uv
from .engrave import encode_bitmap, engraving_bitmap
from .errors import UsageError
from .scene import Scene

FORMATS = ("png", "pdf", "engrave", "uv")  # uv: the PNG preview under UV light
FACES = ("front", "back")


@dataclass(frozen=True)
class OutputSpec:
    formats: tuple[str, ...] = ("png", "pdf")
    dpi: float = DEFAULT_DPI
    guides: bool = False
    print_ready: bool = False
    bleed: float | None = None
    output_intent: Path | None = None
    output_condition: str = "Custom"
    layers: tuple[str, ...] = ()  # layer export: one PDF per named layer
    engrave_bits: Literal[1, 8] = 8
    engrave_format: Literal["tiff", "png"] = "tiff"
    # crop and normalise the portrait by the photo rules before layout (``--prepare-photo``): read by
    # ``render.CardRenderer.render``; a batch passes it to its workers with the rest of the spec
    prepare_photo: bool = False

    def pdf_options(self, layers: frozenset[str] | None = None) -> PdfOptions:
        return PdfOptions(
            print_ready=self.print_ready,
            bleed=self.bleed,
            output_intent=self.output_intent,
            output_condition=self.output_condition,
            layers=layers,
        )

    def expected(self, record_id: str, out_dir: Path) -> list[Path]:
        files: list[Path] = []
        if "png" in self.formats:
            files += [out_dir / f"{record_id}-{face}.png" for face in FACES]
        if "pdf" in self.formats:
            files.append(out_dir / f"{record_id}.pdf")
        if "engrave" in self.formats:
            files += [
                out_dir / f"{record_id}-{face}-engrave.{'tif' if self.engrave_format == 'tiff' else 'png'}" for face in FACES
            ]
        if "uv" in self.formats:
            files += [out_dir / f"{record_id}-{face}-uv.png" for face in FACES]
        files += [out_dir / f"{record_id}-layer-{layer}.pdf" for layer in self.layers]
        return files


def parse_formats(text: str) -> tuple[str, ...]:
    formats = tuple(f.strip().lower() for f in text.split(",") if f.strip())
    unknown = [f for f in formats if f not in FORMATS]
    if unknown or not formats:
        raise UsageError(f"unknown format {', '.join(unknown) or '(none)'}; use {', '.join(FORMATS)}")
    return formats


def write_outputs(scene: Scene, out_dir: Path, spec: OutputSpec) -> list[Path]:
    """Every file of one card, in the order of ``spec.expected``."""
    written: list[Path] = []
    rid = scene.record_id
    if not rid or "/" in rid or "\\" in rid or rid.startswith(".") or "\0" in rid:
        raise UsageError(f"record id {rid!r} cannot name an output file")
    if "png" in spec.formats:
        for face in scene.faces:
            path = out_dir / f"{rid}-{face.name}.png"
            write_atomic(path, png_bytes(paint(face, spec.dpi, guides=spec.guides), spec.dpi))
            written.append(path)
    if "pdf" in spec.formats:
        path = out_dir / f"{rid}.pdf"
        write_atomic(path, render_pdf(scene, spec.pdf_options()))
        written.append(path)
    if "engrave" in spec.formats:
        ext = "tif" if spec.engrave_format == "tiff" else "png"
        for face in scene.faces:
            path = out_dir / f"{rid}-{face.name}-engrave.{ext}"
            bitmap = engraving_bitmap(face, spec.dpi, spec.engrave_bits)
            write_atomic(path, encode_bitmap(bitmap, spec.dpi, spec.engrave_format, spec.engrave_bits))
            written.append(path)
    if "uv" in spec.formats:
        for face in scene.faces:
            path = out_dir / f"{rid}-{face.name}-uv.png"
            write_atomic(path, png_bytes(paint_uv(face, scene.inks, spec.dpi), spec.dpi))
            written.append(path)
    for layer in spec.layers:
        path = out_dir / f"{rid}-layer-{layer}.pdf"
        write_atomic(path, render_pdf(scene, spec.pdf_options(frozenset({layer}))))
        written.append(path)
    return written

"""Rendering one card: a record through the layout to its output files.

In: a loaded layout and a validated record. Out: the files of ``outputs`` (by default
``<id>-front.png``, ``<id>-back.png`` and ``<id>.pdf``), written atomically and owner-only.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from .errors import LayoutError
from .layout_file.loader import LoadedLayout, load_layout
from .outputs import FORMATS, OutputSpec, parse_formats, write_outputs
from .records import OPTIONAL_CONTEXT_FIELDS, Record
from .resolve import Resolver
from .resolve_policy import RaiseErrors
from .scene import Scene

__all__ = ["FORMATS", "CardRenderer", "OutputSpec", "parse_formats", "write_outputs"]


def layout_derives_romaji(loaded: LoadedLayout) -> bool:
    """The layout's ``vars.derive_romaji`` (default false): derive romaji from kana for proofs.

    Printing romaji the record does not hold is an explicit opt-in (issue 12 §7), made either by the
    layout (a proof layout) or by ``--derive-romaji`` on ``render``/``batch``/``impose``.
    """
    value = loaded.layout.vars.get("derive_romaji", False)
    if not isinstance(value, bool):
        raise LayoutError(f"vars.derive_romaji must be true or false, got {value!r}", file=str(loaded.path))
    return value


class CardRenderer:
    """One layout, many records: fonts, templates and artwork are loaded once."""

    def __init__(self, layout: LoadedLayout | str | Path, *, derive_romaji: bool = False) -> None:
        self.loaded = layout if isinstance(layout, LoadedLayout) else load_layout(layout)
        # a Record's context has every field but the optional ones: a name it lacks otherwise is the
        # layout's typo, never "hide the element"
        self.resolver = Resolver(self.loaded, policy=RaiseErrors(strict_names=True, optional_names=OPTIONAL_CONTEXT_FIELDS))
        self.derive_romaji = derive_romaji or layout_derives_romaji(self.loaded)

    def scene(self, record: Record, *, prepare_photo: bool = False) -> Scene:
        ctx = record.template_context(derive_romaji=self.derive_romaji)
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

    def render(self, record: Record, out_dir: Path, options: OutputSpec | None = None) -> list[Path]:
        options = options or OutputSpec()
        scene = self.scene(record, prepare_photo=options.prepare_photo)
        return write_outputs(scene, out_dir, options)

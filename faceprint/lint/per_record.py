"""Lint records against a layout: each record's data errors and its scene's checks, as findings.

One resolver (its font, glyph and pattern caches) serves every record, collecting data errors
instead of raising, so a folder of records is linted in one pass and one bad record stops nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import DataError
from ..layout_file.loader import LoadedLayout
from ..resolve import PatternSource, Resolver
from ..resolve_policy import CollectFindings
from ..security import guilloche_paths
from .contrast import CONTRAST_DPI
from .findings import Finding, merge_findings
from .ink import flatten_elements
from .scene_checks import lint_scene

if TYPE_CHECKING:
    from ..records import Record
    from ..templating import Templates
    from ..text.fonts import FontDatabase


def _data_code(exc: DataError) -> str:
    """Classify a data error by the failure it was raised from (kept as its context)."""
    from ..text.fit import TextDoesNotFit
    from ..text.shaping import MissingGlyph

    cause = exc.__cause__ or exc.__context__
    if isinstance(cause, TextDoesNotFit):
        return "overflow"
    if isinstance(cause, MissingGlyph):
        return "missing-glyph"
    return "data"


class RecordLinter:
    """Lints records one at a time against one layout, sharing the resolver's caches between them.

    The preview lints record by record between file checks, so a save never waits for a whole folder.
    """

    def __init__(
        self,
        loaded: LoadedLayout,
        *,
        fonts: FontDatabase | None = None,
        templates: Templates | None = None,
        contrast_dpi: float = CONTRAST_DPI,
        patterns: PatternSource = guilloche_paths,
    ) -> None:
        self.loaded = loaded
        self.contrast_dpi = contrast_dpi  # the preview passes its own dpi, so glyphs come from the same cache
        self._findings = CollectFindings()
        self._resolver = Resolver(loaded, fonts=fonts, templates=templates, patterns=patterns, policy=self._findings)

    def lint(self, record: Record) -> list[Finding]:
        """Every problem one record shows with this layout (all its data errors, not only the first)."""
        loaded, resolver = self.loaded, self._resolver
        self._findings.problems = []
        from ..render import layout_derives_romaji

        context = record.template_context(derive_romaji=layout_derives_romaji(loaded))
        scene = resolver.resolve(context, record_id=record.id)
        findings: list[Finding] = []
        for exc in self._findings.problems:
            el_id = exc.element_id or "-"
            file, line = loaded.where(el_id)
            field = f" (field '{exc.field}')" if exc.field else ""
            face = _face_of(loaded, el_id)
            findings.append(Finding("error", _data_code(exc), el_id, face, f"{exc.reason}{field}", file, line, record.id))
        return findings + lint_scene(loaded, scene, contrast_dpi=self.contrast_dpi)


def _face_of(loaded: LoadedLayout, element_id: str) -> str:
    for face in ("front", "back"):
        if any(el.id == element_id for el, _, _ in flatten_elements(loaded.layout.face_elements(face))):
            return face
    return "-"


def lint_records(
    loaded: LoadedLayout,
    records: Iterable[tuple[str, object]],
    *,
    fonts: FontDatabase | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> list[Finding]:
    """Render every record; each problem is a finding for the element concerned, merged across records.

    ``cancelled`` is asked between records, so a preview can drop a run that a newer save made stale.
    """
    from ..records import Record

    findings: list[Finding] = []
    linter = RecordLinter(loaded, fonts=fonts)
    for source, record in records:
        if cancelled is not None and cancelled():
            break
        if isinstance(record, DataError):
            findings.append(Finding("error", "record", "-", "-", f"{source}: {record}", source, None))
            continue
        assert isinstance(record, Record)
        try:
            findings.extend(linter.lint(record))
        except DataError as exc:  # the record's context itself failed (a romaji the layout derives)
            findings.append(Finding("error", "record", "-", "-", f"{source}: {exc}", source, None))
    return merge_findings(findings)


def load_records_for_lint(paths: Iterable[Path]) -> list[tuple[str, object]]:
    from ..records import load_record

    out: list[tuple[str, object]] = []
    for path in paths:
        files = sorted(path.glob("*.json")) if path.is_dir() else [path]
        for file in files:
            try:
                out.append((str(file), load_record(file)))
            except DataError as exc:
                out.append((str(file), exc))
    return out

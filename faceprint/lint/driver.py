"""``lint_all``: the layout's own checks and every record's (the specimen's by default), in one list.

The CLI and ``layout check`` want one answer for a layout; the preview runs the same parts on its
own schedule, so the composition is a module of its own.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from ..layout_file.loader import LoadedLayout
from ..specimen import SPECIMEN_ID, specimen_record
from .findings import Finding, combine_findings
from .layout_checks import lint_labels, lint_layout
from .per_record import lint_records

if TYPE_CHECKING:
    from ..text.fonts import FontDatabase


def lint_all(
    loaded: LoadedLayout,
    records: Sequence[tuple[str, object]] | None = None,
    *,
    fonts: FontDatabase | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> list[Finding]:
    """The layout's own checks plus every record's (the specimen's when ``records`` is None), errors first."""
    static = lint_layout(loaded) + lint_labels(loaded, fonts=fonts)
    if records is None:
        records = [(SPECIMEN_ID, specimen_record())]
    return combine_findings(static, lint_records(loaded, records, fonts=fonts, cancelled=cancelled))

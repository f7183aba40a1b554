"""Layout lint: what a designer must fix before a card goes to print.

In: a loaded layout and records to render it with (a built-in specimen when none are given). Out:
findings, each naming the element, the face, the file and line, the record where one is concerned,
and the reason.

From the layout alone (``layout_checks``): a printable element over a keep-out zone (chip contacts,
magnetic stripe), outside the safe area without being marked to bleed, type below the layout's
minimum size (a fitting floor included), declared boxes of content elements (text, image, QR) that
overlap (a warning: whether ink collides depends on the record), condense floors below the 75 %
width floor (raised to it: a warning), labels (static text) that do not fit their box at their
size (an error: labels are never condensed), and microtext a given printer cannot resolve.

From each record's render (``per_record``, ``scene_checks``): text that does not fit even at its
floors, a character no font draws, other data errors, text set below the minimum size or narrower
than the width floor (with its effective width, size × width), content whose ink overlaps another
element's (``ink``), and text whose contrast with what is printed under it is low (``contrast``:
WCAG 2 contrast ratio, below 3:1 an error, below 4.5:1 a warning). Microtext is set small on
purpose (a security feature with its own limits), so it is exempt from the size and contrast checks;
ink invisible in daylight (UV layers) may lie under content, so it is exempt from the overlap checks.

``findings`` is what every check returns, ``specimen`` the record used when none is given, and
``driver.lint_all`` runs everything. This module only names the entry points callers import.
"""

from ..kinds.text import is_label
from ..specimen import SPECIMEN_ID, specimen_record
from .contrast import CONTRAST_DPI, contrast_ratio, text_contrast
from .driver import lint_all
from .findings import Finding, Severity, combine_findings, merge_findings
from .ink import flatten_elements
from .layout_checks import lint_labels, lint_layout, lint_microtext_resolution
from .per_record import RecordLinter, lint_records, load_records_for_lint
from .scene_checks import lint_scene

__all__ = [
    "CONTRAST_DPI",
    "SPECIMEN_ID",
    "Finding",
    "RecordLinter",
    "Severity",
    "combine_findings",
    "contrast_ratio",
    "flatten_elements",
    "is_label",
    "lint_all",
    "lint_labels",
    "lint_layout",
    "lint_microtext_resolution",
    "lint_records",
    "lint_scene",
    "load_records_for_lint",
    "merge_findings",
    "specimen_record",
    "text_contrast",
]

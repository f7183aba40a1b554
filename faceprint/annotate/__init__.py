"""Printing an update into the annotation area (追記欄) of a card already issued (issue #5).

When a holder moves, the municipal office prints the new address and the date into the card's
annotation area, on a card printer, onto the card the holder carries (seed ⑥, comments 52–58;
docs/reference/product-brief.md, "municipal office"). Pipeline, each stage its own module:

``area`` (the layout's annotation area and the text of an entry) → ``state`` (which lines the card
already uses, a JSON file per card) → ``placing`` (fitting the entry into the next free lines, and its
glyph runs) → ``job`` (the print job, the preview and the new state, all in memory, then written) →
``pages`` (PDF and PNG through a ``printer`` profile's transform). ``calibrate`` draws the test card
from which an operator reads a printer's offsets. Everything runs offline on one PC.
"""

from __future__ import annotations

from .job import AnnotateRequest, Plan, plan_annotation, write_plan
from .placing import AreaFull
from .printer import PrinterProfile, load_profile
from .state import CardState, Entry, parse_state, read_state

__all__ = [
    "AnnotateRequest",
    "AreaFull",
    "CardState",
    "Entry",
    "Plan",
    "PrinterProfile",
    "load_profile",
    "parse_state",
    "plan_annotation",
    "read_state",
    "write_plan",
]

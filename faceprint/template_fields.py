"""Which record fields a template reads: for messages (the field to name) and for caching (a template
that reads no record field is the same on every card). Parsing only; nothing is rendered here."""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from typing import Any

from jinja2 import Environment, TemplateSyntaxError, meta

from .templating import default_filters

# Parsing only, to find which fields a template reads (it knows the filters so compiling succeeds);
# nothing is ever rendered with it.
_PARSER_ENV = Environment()
_PARSER_ENV.filters.update(default_filters())
_FIRST_FIELD = re.compile(r"(?<![\w.])([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*)")


@functools.lru_cache(maxsize=1024)
def template_is_static(template: str) -> bool:
    """True when a template reads nothing from the record (plain text, or only layout ``vars``)."""
    if "{" not in template:
        return True
    try:
        names = meta.find_undeclared_variables(_PARSER_ENV.parse(template))
    except TemplateSyntaxError:
        return False
    return names <= {"vars"}


@functools.lru_cache(maxsize=1024)
def field_of(template: str) -> str | None:
    """The record field a template reads first (``{{ name.kanji }}`` → ``name.kanji``), for messages.

    Loop variables and layout ``vars`` are not record fields: the first undeclared name that is not
    ``vars`` wins, with its attribute path when the template spells one out.
    """
    try:
        names = meta.find_undeclared_variables(_PARSER_ENV.parse(template))
    except TemplateSyntaxError:
        return None
    for m in _FIRST_FIELD.finditer(template):
        if m.group(1).split(".")[0] in names and not m.group(1).startswith("vars"):
            return m.group(1)
    fields = sorted(n for n in names if n != "vars")
    return fields[0] if fields else None


def longest_field(template: str, ctx: Mapping[str, Any]) -> str | None:
    """Of the record fields a template reads, the one with the longest value: the likely cause of too long a text."""
    try:
        names = meta.find_undeclared_variables(_PARSER_ENV.parse(template)) - {"vars"}
    except TemplateSyntaxError:
        return None
    return max(sorted(names), key=lambda n: len(str(ctx.get(n, ""))), default=None)

"""Layout values as jinja2 templates, rendered in the sandbox with strict undefined fields.

In: template strings from the layout and a record's context. Out: strings (``render``) or
truthiness (``condition``). The environment is jinja2's ``SandboxedEnvironment``: a template
reaching for ``__class__``, ``__subclasses__`` or other internals is refused, never run.
``StrictUndefined`` makes a missing field an error naming it instead of an empty string.
Domain rules (passport romaji, era dates, 4-4-4 grouping, masking) are registered as filters so
a layout never re-implements them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from jinja2 import StrictUndefined, TemplateSyntaxError, UndefinedError
from jinja2.exceptions import SecurityError
from jinja2.sandbox import SandboxedEnvironment

_EXPR_WRAPPED = re.compile(r"^\s*\{\{(.*)\}\}\s*$", re.DOTALL)


class TemplateFailure(Exception):
    """A template could not be rendered; ``kind`` says whose fault it is.

    ``undefined``/``value``: the record lacks a field or holds a bad value (a data error);
    ``sandbox``/``syntax``: the layout's template is wrong or unsafe (a layout error).
    """

    def __init__(self, kind: str, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.kind = kind
        self.field = field


_UNDEFINED_NAME = re.compile(r"^'([^']+)' is undefined$")
_UNDEFINED_ATTR = re.compile(r"has no attribute '([^']+)'")


def _undefined_field(message: str) -> str | None:
    m = _UNDEFINED_NAME.match(message) or _UNDEFINED_ATTR.search(message)
    return m.group(1) if m else None


def default_filters() -> dict[str, Callable[..., Any]]:
    try:
        from .rules.filters import TEMPLATE_FILTERS
    except ImportError:  # the rules module is optional for the engine's own tests
        return {}
    return dict(TEMPLATE_FILTERS)


class Templates:
    """Compiles each template string once and renders it against a record context."""

    def __init__(self, filters: Mapping[str, Callable[..., Any]] | None = None) -> None:
        self.env = SandboxedEnvironment(undefined=StrictUndefined, autoescape=False, keep_trailing_newline=False)
        self.env.filters.update(default_filters())
        if filters:
            self.env.filters.update(filters)
        self._templates: dict[str, Any] = {}
        self._expressions: dict[str, Any] = {}

    def _run(self, fn: Callable[[], Any]) -> Any:
        try:
            return fn()
        except SecurityError as exc:
            raise TemplateFailure("sandbox", f"refused by the template sandbox: {exc}") from None
        except UndefinedError as exc:
            name = _undefined_field(str(exc))
            raise TemplateFailure("undefined", f"undefined field: {exc}", name) from None
        except TemplateSyntaxError as exc:
            raise TemplateFailure("syntax", f"template syntax: {exc.message}") from None
        except (ValueError, TypeError, ArithmeticError, LookupError) as exc:
            raise TemplateFailure("value", str(exc)) from None

    def render(self, source: str, context: Mapping[str, Any]) -> str:
        if "{" not in source:
            return source  # plain text: nothing to render
        template = self._templates.get(source)
        if template is None:
            template = self._run(lambda: self.env.from_string(source))
            self._templates[source] = template
        return str(self._run(lambda: template.render(context)))

    def condition(self, source: str, context: Mapping[str, Any]) -> bool:
        """Evaluate a ``when:`` expression, written bare (``alias``) or wrapped (``{{ alias }}``)."""
        expr = self._expressions.get(source)
        if expr is None:
            m = _EXPR_WRAPPED.match(source)
            body = m.group(1) if m else source
            expr = self._run(lambda: self.env.compile_expression(body, undefined_to_none=False))
            self._expressions[source] = expr
        value = self._run(lambda: expr(**context))
        if isinstance(value, StrictUndefined):
            return False
        return bool(value)

"""Layout values as jinja2 templates, rendered in the sandbox with strict undefined fields.

In: template strings from the layout and a record's context. Out: strings (``render``) or
truthiness (``condition``). The environment is jinja2's ``SandboxedEnvironment``: a template
reaching for ``__class__``, ``__subclasses__`` or other internals is refused, never run.
``StrictUndefined`` makes a missing field an error naming it instead of an empty string; a name
missing from the layout's own ``vars`` is the layout's error, never silently false.
Every render runs on a budget (``faceprint.limits``): loop steps, calls and attribute reads are
counted, strings and numbers a template builds are bounded, and a render that runs too long stops,
so a recursive macro or nested loops end in an error naming the limit instead of hanging.
Domain rules (passport romaji, era dates, 4-4-4 grouping, masking) are registered as filters so
a layout never re-implements them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from jinja2 import StrictUndefined, TemplateSyntaxError, UndefinedError
from jinja2.exceptions import SecurityError
from jinja2.utils import missing

from .limits import MAX_TEMPLATE_SOURCE_CHARS, limit_message
from .template_budget import BudgetedEnvironment, OutputLimit, TemplateLimit, budget, compile_guarded, compile_guarded_expression

_EXPR_WRAPPED = re.compile(r"^\s*\{\{(.*)\}\}\s*$", re.DOTALL)


class TemplateFailure(Exception):
    """A template could not be rendered; ``kind`` says whose fault it is.

    ``undefined``/``value``: the record lacks a field or holds a bad value (a data error);
    ``unknown-name``: a top-level name the context lacks (the record's fault when the context is
    partial, the layout's when it is a full record such as the specimen);
    ``sandbox``/``syntax``/``layout``/``limit``: the layout's template is wrong, unsafe, names a
    missing ``vars`` entry or runs over a limit (a layout error);
    ``output-limit``: the text produced is too long (the record's fault when the template reads it).
    """

    def __init__(self, kind: str, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.kind = kind
        self.field = field


class LayoutVars(dict[str, Any]):
    """The layout's ``vars``: marked so that a name missing from them is the layout's error, not the record's."""


class _LayoutVarUndefined(UndefinedError):
    pass


class _UnknownName(UndefinedError):
    pass


class _Undefined(StrictUndefined):
    """StrictUndefined that tells a missing ``vars`` entry and an unknown top-level name apart."""

    __slots__ = ()

    def __init__(
        self, hint: str | None = None, obj: Any = missing, name: str | None = None, exc: type[Exception] = UndefinedError
    ) -> None:
        if isinstance(obj, LayoutVars):
            exc = _LayoutVarUndefined
            defined = ", ".join(sorted(obj)) or "none"
            hint = hint or f"'vars.{name}' is not defined in the layout's vars (defined: {defined})"
        elif obj is missing and exc is UndefinedError:
            exc = _UnknownName
        super().__init__(hint, obj, name, exc)  # type: ignore[arg-type]


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
        self.env = BudgetedEnvironment(undefined=_Undefined, autoescape=False, keep_trailing_newline=False)
        self.env.filters.update(default_filters())
        if filters:
            self.env.filters.update(filters)
        self.env.guard_filters()
        self._templates: dict[str, Any] = {}
        self._expressions: dict[str, Any] = {}

    def _run(self, fn: Callable[[], Any]) -> Any:
        try:
            return fn()
        except OutputLimit as exc:
            raise TemplateFailure("output-limit", str(exc)) from None
        except TemplateLimit as exc:
            raise TemplateFailure("limit", str(exc)) from None
        except RecursionError:
            raise TemplateFailure("limit", "template nests too deep (a recursive macro?): over the recursion limit") from None
        except MemoryError:
            raise TemplateFailure("limit", "template ran out of memory") from None
        except SecurityError as exc:
            raise TemplateFailure("sandbox", f"refused by the template sandbox: {exc}") from None
        except _LayoutVarUndefined as exc:
            raise TemplateFailure("layout", str(exc)) from None
        except _UnknownName as exc:
            name = _undefined_field(str(exc))
            raise TemplateFailure("unknown-name", f"undefined field: {exc}", name) from None
        except UndefinedError as exc:
            name = _undefined_field(str(exc))
            raise TemplateFailure("undefined", f"undefined field: {exc}", name) from None
        except TemplateSyntaxError as exc:
            raise TemplateFailure("syntax", f"template syntax: {exc.message}") from None
        except (ValueError, TypeError, ArithmeticError, LookupError) as exc:
            raise TemplateFailure("value", str(exc)) from None

    def _compile(self, source: str, fn: Callable[[], Any]) -> Any:
        if len(source) > MAX_TEMPLATE_SOURCE_CHARS:
            raise TemplateFailure(
                "limit", limit_message("MAX_TEMPLATE_SOURCE_CHARS", MAX_TEMPLATE_SOURCE_CHARS, "characters of one template")
            )
        with budget():  # compiling folds constants, so it is counted too
            return self._run(fn)

    def render(self, source: str, context: Mapping[str, Any]) -> str:
        if "{" not in source:
            return source  # plain text: nothing to render
        template = self._templates.get(source)
        if template is None:
            template = self._compile(source, lambda: compile_guarded(self.env, source))
            self._templates[source] = template
        with budget() as spent:
            return str(self._run(lambda: "".join(spent.output(template.generate(context)))))

    def condition(self, source: str, context: Mapping[str, Any]) -> bool:
        """Evaluate a ``when:`` expression, written bare (``alias``) or wrapped (``{{ alias }}``)."""
        expr = self._expressions.get(source)
        if expr is None:
            m = _EXPR_WRAPPED.match(source)
            body = m.group(1) if m else source
            expr = self._compile(body, lambda: compile_guarded_expression(self.env, body))
            self._expressions[source] = expr
        with budget():
            value = self._run(lambda: expr(**context))
        if isinstance(value, StrictUndefined):
            return self._undefined_condition(value)
        return bool(self._run(lambda: bool(value)))

    @staticmethod
    def _undefined_condition(value: StrictUndefined) -> bool:
        """An undefined ``when:`` hides its element when the record lacks the field, and nowhere else.

        A name missing from the layout's ``vars`` is a layout error: ``vars.numbr_qr`` silently
        dropped the number's QR code. An unknown top-level name is reported as such (the resolver
        decides whose fault it is).
        """
        obj = getattr(value, "_undefined_obj", missing)
        name = getattr(value, "_undefined_name", None)
        if isinstance(obj, LayoutVars):
            defined = ", ".join(sorted(obj)) or "none"
            raise TemplateFailure("layout", f"'vars.{name}' is not defined in the layout's vars (defined: {defined})")
        if obj is missing and name is not None:
            raise TemplateFailure("unknown-name", f"undefined field: '{name}' is undefined", name)
        return False

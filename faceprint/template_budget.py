"""A budget for sandboxed templates: a recursive macro, nested loops or ``'x' * 10**9`` stop with an error.

jinja2's sandbox keeps templates away from Python internals but not from using all the time and
memory there is. Here every loop step, call, filter and attribute read counts against
``MAX_TEMPLATE_STEPS`` and the clock (``MAX_TEMPLATE_SECONDS``); arithmetic and concatenation go
through guards that refuse results larger than ``MAX_TEMPLATE_SIZE``; the output is counted as it
is produced. Templates are rewritten after parsing (loops, operators, ``~``) so the guards cannot
be stepped round, and constant folding at compile time never sees an operator to fold.
"""

from __future__ import annotations

import functools
import math
import operator
import re
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any, cast

from jinja2 import TemplateSyntaxError, nodes
from jinja2.environment import Environment, Template, TemplateExpression
from jinja2.parser import Parser
from jinja2.runtime import Context
from jinja2.sandbox import SandboxedEnvironment
from jinja2.visitor import NodeTransformer

from .limits import (
    MAX_TEMPLATE_EXPONENT,
    MAX_TEMPLATE_SECONDS,
    MAX_TEMPLATE_SIZE,
    MAX_TEMPLATE_STEPS,
    limit_message,
)

_ITER = "_fp_iter"
_BINOP = "_fp_binop"
_CONCAT = "_fp_concat"
_CLOCK_EVERY = 64  # steps between clock readings
# filters whose numeric arguments size their result (a width, a count of pieces)
_SIZING_FILTERS = frozenset({"center", "indent", "wordwrap", "truncate", "batch", "slice", "format"})
_DIGITS = re.compile(r"\d+")


class TemplateLimit(Exception):
    """A template went over one of the budget's limits; the message names it."""


class OutputLimit(TemplateLimit):
    """A render produced more text than a card can hold: a record's value may be to blame, not the template."""


class _Spent(threading.local):
    """This thread's budget for the render in progress (preview and Dask render in threads)."""

    def __init__(self) -> None:
        self.steps = 0
        self.chars = 0
        self.deadline = math.inf
        self.active = False

    def output(self, chunks: Iterable[str]) -> Iterator[str]:
        for chunk in chunks:
            self.chars += len(chunk)
            if self.chars > MAX_TEMPLATE_SIZE:
                raise OutputLimit(limit_message("MAX_TEMPLATE_SIZE", MAX_TEMPLATE_SIZE, "characters a template may produce"))
            yield chunk


_spent = _Spent()


@contextmanager
def budget() -> Iterator[_Spent]:
    """A fresh budget for one render (or compile); nested uses share the outer one."""
    if _spent.active:
        yield _spent
        return
    _spent.steps, _spent.chars, _spent.active = 0, 0, True
    _spent.deadline = time.monotonic() + MAX_TEMPLATE_SECONDS
    try:
        yield _spent
    finally:
        _spent.active = False


def tick(n: int = 1) -> None:
    """Count ``n`` steps; raise ``TemplateLimit`` past the step limit or the deadline."""
    _spent.steps += n
    if _spent.steps > MAX_TEMPLATE_STEPS:
        raise TemplateLimit(
            limit_message("MAX_TEMPLATE_STEPS", MAX_TEMPLATE_STEPS, "loop steps, calls and attribute reads of one render")
        )
    if _spent.steps % _CLOCK_EVERY == 0 and time.monotonic() > _spent.deadline:
        raise TemplateLimit(limit_message("MAX_TEMPLATE_SECONDS", MAX_TEMPLATE_SECONDS, "seconds of one render"))


def _too_big(what: str) -> TemplateLimit:
    return TemplateLimit(f"{what}: " + limit_message("MAX_TEMPLATE_SIZE", MAX_TEMPLATE_SIZE, "size of a string, list or number"))


def _size_of(value: Any) -> int:
    """Characters or items of a value, or (for an integer) its decimal digits, roughly."""
    if isinstance(value, str | bytes | list | tuple):
        return len(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return value.bit_length() * 3 // 10
    return 0


def _check_format(fmt: str) -> None:
    """Refuse a format string whose widths or precisions would build a huge string."""
    if any(len(d) > 6 or int(d) > MAX_TEMPLATE_SIZE for d in _DIGITS.findall(fmt)):
        raise _too_big("a width in a format string")


def _iter(iterable: Any) -> Iterator[Any]:
    """What every ``for`` loop iterates through: one step per item."""
    for item in iterable:
        tick()
        yield item


_OPS: dict[str, Callable[[Any, Any], Any]] = {
    "+": operator.add,
    "-": operator.sub,
    "*": operator.mul,
    "/": operator.truediv,
    "//": operator.floordiv,
    "%": operator.mod,
    "**": operator.pow,
}


def _binop(op: str, left: Any, right: Any) -> Any:
    tick()
    if op == "**" and isinstance(right, int | float) and not isinstance(right, bool):
        if abs(right) > MAX_TEMPLATE_EXPONENT and isinstance(left, int | float) and abs(left) not in (0, 1):
            what = limit_message("MAX_TEMPLATE_EXPONENT", MAX_TEMPLATE_EXPONENT, "largest exponent")
            raise TemplateLimit(f"exponent {right:g}: {what}")
        if isinstance(left, int) and _size_of(left) * max(abs(right), 1) > MAX_TEMPLATE_SIZE:
            raise _too_big("a power")
    elif op == "*":
        for seq, n in ((left, right), (right, left)):
            sized = isinstance(seq, str | bytes | list | tuple) and isinstance(n, int) and not isinstance(n, bool)
            if sized and len(seq) * n > MAX_TEMPLATE_SIZE:
                raise _too_big("a repeated string or list")
        if _size_of(left) + _size_of(right) > MAX_TEMPLATE_SIZE:
            raise _too_big("a product")
    elif op == "+" and _size_of(left) + _size_of(right) > MAX_TEMPLATE_SIZE:
        raise _too_big("a sum or joined string")
    elif op == "%" and isinstance(left, str):
        _check_format(left)
    return _OPS[op](left, right)


def _concat(*parts: Any) -> str:
    """The ``~`` operator: strings joined, the result bounded."""
    tick()
    out = "".join(str(p) for p in parts)
    if len(out) > MAX_TEMPLATE_SIZE:
        raise _too_big("a joined string")
    return out


class BudgetedEnvironment(SandboxedEnvironment):
    """The sandbox with every call, filter and attribute read counted, and sizing arguments bounded."""

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self.globals.pop("lipsum", None)  # lipsum(n=10**9) builds any amount of text
        self.globals.update({_ITER: _iter, _BINOP: _binop, _CONCAT: _concat})

    def getattr(self, obj: Any, attribute: str) -> Any:
        tick()
        if isinstance(obj, str) and attribute in ("format", "format_map"):
            _check_format(obj)
        return super().getattr(obj, attribute)

    def getitem(self, obj: Any, argument: Any) -> Any:
        tick()
        return super().getitem(obj, argument)

    def call(__self, __context: Context, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805
        tick()
        if isinstance(getattr(__obj, "__self__", None), str):  # str.center(10**9), str.zfill, …
            _check_numbers(args, kwargs)
        result = super().call(__context, __obj, *args, **kwargs)
        if _size_of(result) > MAX_TEMPLATE_SIZE:
            raise _too_big("a call's result")
        return result

    def guard_filters(self) -> None:
        """Wrap every filter registered so far: compiled templates call filters directly, not via the environment."""
        for name, fn in list(self.filters.items()):
            if not getattr(fn, "_fp_guarded", False):
                self.filters[name] = _guarded_filter(name, fn)


def _guarded_filter(name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
    # pass_context/pass_environment filters take that first, then the value
    skip = 1 if getattr(fn, "jinja_pass_arg", None) is not None else 0
    sizing = name in _SIZING_FILTERS

    @functools.wraps(fn)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        tick()
        if sizing:
            _check_numbers(args[skip + 1 :], kwargs)
            if name == "format" and len(args) > skip and isinstance(args[skip], str):
                _check_format(args[skip])
        result = fn(*args, **kwargs)
        if _size_of(result) > MAX_TEMPLATE_SIZE:
            raise _too_big(f"the result of filter '{name}'")
        return result

    guarded._fp_guarded = True  # type: ignore[attr-defined]
    return guarded


def _check_numbers(args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    for value in (*args, *kwargs.values()):
        if isinstance(value, int | float) and not isinstance(value, bool) and abs(value) > MAX_TEMPLATE_SIZE:
            raise _too_big("a width or count")


def _guard_call(name: str, args: list[nodes.Expr], lineno: int) -> nodes.Call:
    return nodes.Call(nodes.Name(name, "load", lineno=lineno), args, [], None, None, lineno=lineno)


class _Guard(NodeTransformer):
    """Rewrites loops, arithmetic and ``~`` into calls of the budget's guards."""

    def visit_Name(self, node: nodes.Name) -> nodes.Node:  # noqa: N802
        if node.name.startswith("_fp_") and node.ctx != "load":  # the guards cannot be replaced by the template
            raise TemplateSyntaxError(f"the name {node.name!r} is reserved", node.lineno)
        return node

    def visit_For(self, node: nodes.For) -> nodes.Node:  # noqa: N802
        self.generic_visit(node)  # rewrites the children in place
        node.iter = _guard_call(_ITER, [cast(nodes.Expr, node.iter)], node.lineno)
        return node

    def visit_Concat(self, node: nodes.Concat) -> nodes.Node:  # noqa: N802
        self.generic_visit(node)
        return _guard_call(_CONCAT, list(node.nodes), node.lineno)

    def _binop(self, node: nodes.BinExpr) -> nodes.Node:
        self.generic_visit(node)
        return _guard_call(_BINOP, [nodes.Const(node.operator, lineno=node.lineno), node.left, node.right], node.lineno)

    visit_Add = visit_Sub = visit_Mul = visit_Div = visit_FloorDiv = visit_Mod = visit_Pow = _binop  # noqa: N815


def compile_guarded(env: Environment, source: str) -> Template:
    """A template with the budget's guards woven in."""
    tree = _Guard().visit(env.parse(source))
    return env.from_string(tree)


def compile_guarded_expression(env: Environment, source: str) -> TemplateExpression:
    """An expression (a ``when:``) with the guards woven in; ``undefined`` results are kept, not turned to None."""
    parser = Parser(env, source, state="variable")
    expr = parser.parse_expression()
    if not parser.stream.eos:
        raise TemplateSyntaxError("chunk after expression", parser.stream.current.lineno, None, None)
    expr.set_environment(env)
    body = [nodes.Assign(nodes.Name("result", "store"), expr, lineno=1)]
    tree = _Guard().visit(nodes.Template(body, lineno=1))
    return TemplateExpression(env.from_string(tree), undefined_to_none=False)

"""Comparison and logic helpers for templates: `{{#if (eq env "prod")}}` in handlebars.

Handlebars has no operators, so these are helpers there (as in the TypeScript axogen, which had
`eq`, `gt`, `lt`, `gte` and `lte`); jinja2 has operators of its own and gets the comparisons as
functions too (`{% if eq(env, "prod") %}`), for templates moved over from handlebars. Mustache
has no way to pass arguments, so it has none of them.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from typing import Any


def _all(*values: Any) -> bool:
    return all(values)


def _any(*values: Any) -> bool:
    return any(values)


def _not(value: Any) -> bool:
    return not value


COMPARISONS: dict[str, Callable[[Any, Any], Any]] = {
    "eq": operator.eq,
    "ne": operator.ne,
    "gt": operator.gt,
    "lt": operator.lt,
    "gte": operator.ge,
    "lte": operator.le,
}

LOGIC: dict[str, Callable[..., Any]] = {
    **COMPARISONS,
    "and": _all,
    "or": _any,
    "not": _not,
}

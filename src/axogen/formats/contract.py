"""The format contract: everything axogen knows about one file format, in one record.

Each module in `axogen.formats` declares one `FORMAT = Format(...)`. The target factory
`ax.NAME(...)`, the renderer, `diff`, `load_file` and the render cache read this record and
nothing else about the format.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Any, NamedTuple

__all__ = [
    "REQUIRED",
    "Example",
    "Format",
    "Option",
    "boolean",
    "flag",
    "indent",
    "matching",
    "one_of",
    "text",
    "unchecked",
]


class _Required:
    def __repr__(self) -> str:
        return "REQUIRED"


# the default of an option the caller must give (a template's `template=`)
REQUIRED: Any = _Required()

# an option's check: the value as given -> the value stored in Target.options; a value it
# refuses raises TypeError with the reason after the option's name ("must be ..., got ...").
# It depends on the value alone: the factory checks each default once, and every target that
# leaves the option out stores that result
Check = Callable[[Any], Any]


class Option(NamedTuple):
    """One keyword argument of the format's factory, passed on to its `dump`."""

    name: str
    default: Any
    check: Check
    doc: str
    # the type shown by help() and inspect.signature
    annotation: str = "Any"


class Example(NamedTuple):
    """A small target of this format, for the test that runs every format through the CLI.

    `variables` and `options` are plain data written into a config file with repr();
    `setup` is Python the config runs first (a model to pass as `schema`, say), `schema`
    the expression passed as `schema=`, `files` are files the target reads (a template).
    `loads_as` is what `load` returns for the file written, when not `variables` itself
    (formats without types read back text).
    """

    variables: Any = None
    options: Mapping[str, Any] = MappingProxyType({})
    setup: str = ""
    schema: str | None = None
    files: Mapping[str, str] = MappingProxyType({})
    loads_as: Any = REQUIRED


# variables every format with types and nesting holds
_DEFAULT_EXAMPLE = Example(
    variables={
        "name": "app",
        "port": 8080,
        "debug": False,
        "ratio": 0.5,
        "tags": ["web", "api"],
        "db": {"host": "localhost", "pool": 4},
    }
)

# (options, variables, schema) -> (options, variables): a format's check of the whole call,
# after each option's own check
Prepare = Callable[[dict[str, Any], Any, Any], tuple[dict[str, Any], Any]]


class Format(NamedTuple):
    """One file format.

    `dump(data, *, header, **options) -> str` raises `values.ValueProblem(key_path, reason)`
    for a value the format cannot hold; `load(text)` reads a file back (None: the format is
    only written). `comment` is the line-comment prefix the header is written with, None
    when the format has no comments (the header is then not written). With `scan_text`,
    the rendered text, not the data, is judged for secrets (a template writes only what it
    uses); with `reads_templates`, the files the rendering read are the target's inputs. With `dump_schema(schema, *, header, **options)`, the file documents the target's
    schema instead of holding variables. `libraries` are the third-party modules `dump` and
    `load` import: the render cache is salted with their versions.
    """

    name: str
    doc: str
    extensions: tuple[str, ...]
    dump: Callable[..., str] | None
    load: Callable[[str], Any] | None
    options: tuple[Option, ...] = ()
    comment: str | None = "#"
    scan_text: bool = False
    # whether rendering reads template files: the render cache then checks their identity
    reads_templates: bool = False
    dump_schema: Callable[..., str] | None = None
    # reads a stream of several documents as their list (`load_file(..., documents=True)`)
    load_documents: Callable[[str], list[Any]] | None = None
    cannot_hold: str = ""
    libraries: tuple[str, ...] = ()
    # whether `ax.NAME(...)` exists (txt is only read, by load_file)
    factory: bool = True
    # the path when none is given; None: the path is required
    default_path: str | None = None
    # whether the factory takes variables (env_example documents its schema instead)
    takes_variables: bool = True
    # whether `schema=` must be given
    needs_schema: bool = False
    # the variables stored when none are given
    no_variables: Callable[[], Any] = dict
    prepare: Prepare | None = None
    # what the file holds compared with the data written: True when `load` gives it back
    # with its types (int, bool, float, nesting), False when it gives back text
    typed: bool = True
    example: Example = _DEFAULT_EXAMPLE


# --- option checks ---------------------------------------------------------------------------


def unchecked(value: Any) -> Any:
    """Any value, stored as given."""
    return value


def flag(value: Any) -> bool:
    """Any value, stored as its truth value."""
    return bool(value)


def boolean(value: Any) -> bool:
    """True or False, nothing else."""
    if not isinstance(value, bool):
        raise TypeError(f"must be True or False, got {value!r}")
    return value


def indent(*, allow_none: bool) -> Check:
    """A non-negative int (or None, when allowed)."""

    def check(value: Any) -> Any:
        if value is None and allow_none:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise TypeError(f"must be a non-negative int, got {value!r}")
        return value

    return check


def text(*, allow_none: bool) -> Check:
    """A non-empty string (or None, when allowed)."""

    def check(value: Any) -> Any:
        if value is None and allow_none:
            return None
        if not isinstance(value, str) or not value:
            raise TypeError(f"must be a non-empty string, got {value!r}")
        return value

    return check


def matching(pattern: str, what: str) -> Check:
    """A string matching `pattern` in full; `what` says which in the error."""
    compiled = re.compile(pattern)

    def check(value: Any) -> Any:
        if not isinstance(value, str) or not compiled.fullmatch(value):
            raise TypeError(f"must be {what}, got {value!r}")
        return value

    return check


def one_of(values: tuple[Any, ...], what: str) -> Check:
    """One of `values`; `what` names them in the error."""

    def check(value: Any) -> Any:
        if value not in values:
            raise TypeError(f"must be {what}, got {value!r}")
        return value

    return check


def json_layout(check: Check) -> tuple[Option, ...]:
    """`indent`, `sort_keys` and `ensure_ascii`, as the JSON family (json, jsonc, json5,
    hjson) takes them; `check` judges the two flags (`flag` for json, `boolean` for the
    others, as each was first written)."""
    return (
        Option(
            "indent",
            2,
            indent(allow_none=True),
            "spaces per level; 0 or None: compact",
            "int | None",
        ),
        Option("sort_keys", False, check, "write the keys sorted", "bool"),
        Option("ensure_ascii", False, check, "escape every non-ASCII character", "bool"),
    )

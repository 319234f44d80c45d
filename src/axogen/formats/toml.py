"""TOML files. Floats stay floats, integers must fit TOML's 64 bits, None has no form."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from axogen.formats import comment_block, contract
from axogen.values import KeyPath, ValueProblem

_INT_MIN, _INT_MAX = -(2**63), 2**63 - 1


def dump(
    data: Any,
    *,
    header: str | None = None,
    sort_keys: bool = False,
    indent: int = 4,
    multiline_strings: bool = False,
) -> str:
    """Render a mapping as TOML text ending with a newline."""
    import tomli_w

    if not isinstance(data, Mapping):
        raise ValueProblem(
            (), f"a TOML document needs a mapping at the top, got {type(data).__name__}"
        )
    _check(data, ())
    if sort_keys:
        data = _sorted(data)
    if multiline_strings and _has_crlf(data):
        # tomli-w turns "\r\n" into "\n" in multi-line strings; escaped strings keep it
        multiline_strings = False
    text = tomli_w.dumps(data, multiline_strings=multiline_strings, indent=indent)
    if header:
        text = comment_block(header, "#") + ("\n" if text else "") + text
    if not text.endswith("\n"):
        text += "\n"
    return text


def _sorted(data: Any) -> Any:
    if isinstance(data, dict):
        return {k: _sorted(data[k]) for k in sorted(data)}
    if isinstance(data, list):
        return [_sorted(v) for v in data]
    return data


def _has_crlf(data: Any) -> bool:
    if isinstance(data, str):
        return "\r\n" in data
    if isinstance(data, dict):
        return any(_has_crlf(v) for v in data.values())
    if isinstance(data, list):
        return any(_has_crlf(v) for v in data)
    return False


def _check(data: Any, path: KeyPath) -> None:
    kind = type(data)
    if kind is dict:
        for key, value in data.items():
            _check(value, (*path, key))
    elif kind is list:
        for i, value in enumerate(data):
            _check(value, (*path, i))
    elif data is None:
        raise ValueProblem(path, 'TOML has no null; remove the key or use a value such as ""')
    elif kind is int and not _INT_MIN <= data <= _INT_MAX:
        raise ValueProblem(
            path, f"{data} does not fit in TOML's 64-bit integers; write it as a string"
        )
    elif kind is dt.time and data.tzinfo is not None:
        raise ValueProblem(path, "TOML local times cannot carry a time zone")
    elif kind is dt.datetime:
        offset = data.utcoffset()
        if offset is not None and offset % dt.timedelta(minutes=1):
            raise ValueProblem(
                path,
                f"the time zone offset {offset} is not whole minutes, which TOML needs; "
                "convert the datetime to UTC or write it as a string",
            )


def load(text: str) -> Any:
    import tomllib

    return tomllib.loads(text)


FORMAT = contract.Format(
    name="toml",
    doc="A TOML file; the variables must be a mapping and hold no None.",
    extensions=(".toml",),
    dump=dump,
    load=load,
    options=(
        contract.Option("sort_keys", False, contract.flag, "write the keys sorted", "bool"),
        contract.Option(
            "indent", 4, contract.indent(allow_none=False), "spaces per array level", "int"
        ),
        contract.Option(
            "multiline_strings", False, contract.flag, "strings with line breaks as blocks", "bool"
        ),
    ),
    comment="#",
    cannot_hold="None, a top level that is not a mapping",
    libraries=("tomli_w",),
)

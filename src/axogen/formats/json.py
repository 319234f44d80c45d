"""JSON files. JSON has no comments, so no header is written."""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Callable
from typing import Any

from axogen.formats import contract
from axogen.values import KeyPath, ValueProblem


def dump(
    data: Any,
    *,
    header: str | None = None,
    indent: int | None = 2,
    sort_keys: bool = False,
    ensure_ascii: bool = False,
) -> str:
    """Render plain data as JSON text ending with a newline; `indent=0` or None is compact."""
    del header  # JSON has no comment syntax
    _check(data, ())
    if indent and type(indent) is int:
        encode = _encode_ascii if ensure_ascii else _encode
        out: list[str] = []
        try:
            _write(data, "\n", " " * indent, sort_keys, encode, out)
        except _Other:
            pass  # a value of another type: json.dumps writes it (or says why not)
        else:
            out.append("\n")
            return "".join(out)
    if indent:
        text = json.dumps(
            data,
            indent=indent,
            sort_keys=sort_keys,
            ensure_ascii=ensure_ascii,
            allow_nan=False,
            default=_default,
        )
    else:
        text = json.dumps(
            data,
            separators=(",", ":"),
            sort_keys=sort_keys,
            ensure_ascii=ensure_ascii,
            allow_nan=False,
            default=_default,
        )
    return text + "\n"


# json.dumps with an indent runs the standard library's pure-Python encoder, made of nested
# generators; `_write` writes the same bytes (tests/test_format_json.py compares them) for the
# exact plain types in a plain loop, the strings escaped by the same C functions, at half
# the cost (a W1 JSON target: 190,000 instructions to write, now 105,000). Anything else goes
# to json.dumps.
_encode: Callable[[str], str] = json.encoder.encode_basestring
_encode_ascii: Callable[[str], str] = json.encoder.encode_basestring_ascii
_DATES = frozenset({dt.datetime, dt.date, dt.time})


class _Other(Exception):
    """A value `_write` leaves to json.dumps."""


def _write(  # noqa: C901
    value: Any,
    newline: str,
    step: str,
    sort_keys: bool,
    encode: Callable[[str], str],
    out: list[str],
) -> None:
    """Append the JSON text of `value`, indented as json.dumps(indent=len(step)) writes it,
    to `out`; `newline` is "\n" and the indent of the line `value` starts on."""
    cls = type(value)
    if cls is str:
        out.append(encode(value))
    elif cls is dict:
        if not value:
            out.append("{}")
            return
        inner = newline + step
        before = "{" + inner
        for key, item in sorted(value.items()) if sort_keys else value.items():
            if type(key) is not str:
                raise _Other
            out.append(before)
            out.append(encode(key))
            out.append(": ")
            if type(item) is str:
                out.append(encode(item))
            else:
                _write(item, inner, step, sort_keys, encode, out)
            before = "," + inner
        out.append(newline + "}")
    elif cls is list:
        if not value:
            out.append("[]")
            return
        inner = newline + step
        before = "[" + inner
        for item in value:
            out.append(before)
            if type(item) is str:
                out.append(encode(item))
            else:
                _write(item, inner, step, sort_keys, encode, out)
            before = "," + inner
        out.append(newline + "]")
    elif value is None:
        out.append("null")
    elif cls is bool:
        out.append("true" if value else "false")
    elif cls is int:
        out.append(int.__repr__(value))
    elif cls is float and math.isfinite(value):
        out.append(float.__repr__(value))
    elif cls in _DATES:
        out.append(encode(value.isoformat()))
    else:
        raise _Other


def _default(value: Any) -> Any:
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat()
    raise TypeError(type(value).__name__)


def _check(data: Any, path: KeyPath) -> None:
    """Find what JSON cannot hold (NaN, infinity) and name its key path."""
    if type(data) is float:
        if not math.isfinite(data):
            raise ValueProblem(path, f"JSON cannot represent {data}")
    elif type(data) is dict:
        for key, value in data.items():
            if type(value) in (dict, list, float):
                _check(value, (*path, key))
    elif type(data) is list:
        for i, value in enumerate(data):
            if type(value) in (dict, list, float):
                _check(value, (*path, i))


def load(text: str) -> Any:
    return json.loads(text)


FORMAT = contract.Format(
    name="json",
    doc="A JSON file; `indent=0` (or None) writes it compact.",
    extensions=(".json",),
    dump=dump,
    load=load,
    options=contract.json_layout(contract.flag),
    comment=None,
    cannot_hold="NaN, infinity",
)

"""JSON files. JSON has no comments, so no header is written."""

from __future__ import annotations

import datetime as dt
import json
import math
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

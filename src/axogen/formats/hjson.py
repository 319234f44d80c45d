"""Hjson files: JSON for humans, with `#` comments, unquoted keys and quoteless strings.

Written by our own small emitter using the `hjson` library's own quoting rules, because its
writer loses a carriage return or a leading tab in multi-line strings; read with `hjson`.
Hjson has no NaN or infinity, and its readers (like JavaScript) read a whole float such as
3.0 back as the integer 3.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from typing import Any

from axogen.formats import ParseProblem, comment_block, contract
from axogen.values import KeyPath, ValueProblem

# what Hjson readers treat specially, as in hjson's encoder (hjson/encoderH.py)
_COMMON = "\x7f-\x9f\u00ad\u0600-\u0604\u070f\u17b4\u17b5\u200c-\u200f\u2028-\u202f\u2060-\u206f\ufeff\ufff0-\uffff"
_NEEDS_QUOTES = re.compile(
    "^\\s|^\"|^'|^#|^/\\*|^//|^\\{|^\\}|^\\[|^\\]|^:|^,|\\s$|[\x00-\x1f" + _COMMON + "]"
)
_NOT_IN_MULTILINE = re.compile("'''|^\\s+$|[\x00-\x08\x0b\x0c\x0d\x0e-\x1f" + _COMMON + "]")
# a quoteless string the reference (JavaScript) reader takes for a number: also `1.` and
# `1.e5`, which the Python reader reads as text
_LIKE_NUMBER = re.compile(
    r"^[\t ]*(-?(?:0|[1-9]\d*))(\.\d*)?([eE][-+]?\d+)?\s*((,|\]|\}|#|//|/\*).*)?$"
)
_LIKE_KEYWORD = re.compile(r"^(true|false|null)\s*((,|\]|\}|#|//|/\*).*)?$")
_KEY_NEEDS_QUOTES = re.compile("[,{\\[}\\]\\s:#\"']|//|/\\*|'''|[\x00-\x1f" + _COMMON + "]")
_TO_ESCAPE = re.compile("[" + _COMMON + "]")


def dump(
    data: Any,
    *,
    header: str | None = None,
    indent: int | None = 2,
    sort_keys: bool = False,
    ensure_ascii: bool = False,
) -> str:
    """Render plain data as Hjson ending with a newline; `indent=0` or None writes compact
    JSON, which is also Hjson."""
    _check(data, ())
    if indent:
        text = _value(data, 0, " " * indent, sort_keys, ensure_ascii, in_list=True)
    else:
        text = json.dumps(
            data,
            separators=(",", ":"),
            sort_keys=sort_keys,
            ensure_ascii=ensure_ascii,
            default=_default,
        )
    if header:
        text = comment_block(header, "#") + text
    return text + "\n"


def _check(data: Any, path: KeyPath) -> None:
    if isinstance(data, float) and not math.isfinite(data):
        raise ValueProblem(path, f"Hjson cannot represent {data}")
    if isinstance(data, dict):
        for key, value in data.items():
            _check(value, (*path, key))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            _check(value, (*path, i))


def _default(value: Any) -> Any:
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not Hjson serializable")


def _value(value: Any, level: int, unit: str, sort_keys: bool, ascii: bool, in_list: bool) -> str:
    """The text of `value` at nesting `level`; a multi-line string starts on its own line."""
    if isinstance(value, dict):
        if not value:
            return "{}"
        pad = unit * (level + 1)
        items = sorted(value.items()) if sort_keys else value.items()
        lines = []
        for key, item in items:
            text = _value(item, level + 1, unit, sort_keys, ascii, in_list=False)
            sep = ":" if text.startswith("\n") else ": "
            lines.append(f"{pad}{_key(key, ascii)}{sep}{text}")
        return "{\n" + "\n".join(lines) + "\n" + unit * level + "}"
    if isinstance(value, list):
        if not value:
            return "[]"
        pad = unit * (level + 1)
        lines = [
            pad + _value(item, level + 1, unit, sort_keys, ascii, in_list=True).lstrip("\n ")
            for item in value
        ]
        return "[\n" + "\n".join(lines) + "\n" + unit * level + "]"
    if isinstance(value, str):
        return _string(value, level, unit, ascii, in_list)
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, (int, float)):
        return repr(value)
    return _string(_default(value), level, unit, ascii, in_list)


def _string(value: str, level: int, unit: str, ascii: bool, in_list: bool) -> str:
    if not value:
        return '""'
    if not (
        _NEEDS_QUOTES.search(value)
        or (value[0] in "-0123456789" and _LIKE_NUMBER.match(value))
        or _LIKE_KEYWORD.match(value)
        or (ascii and not value.isascii())
    ):
        return value
    if (
        "\n" in value
        and not _NOT_IN_MULTILINE.search(value)
        and not (ascii and not value.isascii())
    ):
        # a ''' block, its lines indented one level deeper than the key
        pad = unit * level if in_list else unit * (level + 1)
        body = "".join("\n" + (pad + line if line else "") for line in value.split("\n"))
        return f"\n{pad}'''{body}\n{pad}'''"
    return _quoted(value, ascii)


def _quoted(value: str, ascii: bool) -> str:
    text = json.dumps(value, ensure_ascii=ascii)
    return _TO_ESCAPE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def _key(key: str, ascii: bool) -> str:
    if not key or _KEY_NEEDS_QUOTES.search(key) or (ascii and not key.isascii()):
        return _quoted(key, ascii)
    return key


def load(text: str) -> Any:
    import hjson

    try:
        return hjson.loads(text, object_pairs_hook=dict)
    except hjson.HjsonDecodeError as e:
        raise ParseProblem(e.msg, e.lineno) from None


FORMAT = contract.Format(
    name="hjson",
    doc="An Hjson file: `#` header, quoteless strings; `indent=0` writes compact JSON.",
    extensions=(".hjson",),
    dump=dump,
    load=load,
    options=contract.json_layout(contract.boolean),
    comment="#",
    cannot_hold="NaN, infinity",
    libraries=("hjson",),
)

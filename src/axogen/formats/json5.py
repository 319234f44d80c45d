"""JSON5 files: JSON with comments, unquoted keys, trailing commas, NaN and Infinity.

Written and read with the `json5` library; the header is a `//` comment.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from axogen.formats import ParseProblem, comment_block, contract


def dump(
    data: Any,
    *,
    header: str | None = None,
    indent: int | None = 2,
    sort_keys: bool = False,
    ensure_ascii: bool = False,
    quote_keys: bool = False,
    trailing_commas: bool = True,
) -> str:
    """Render plain data as JSON5 ending with a newline; `indent=0` or None is compact."""
    import json5

    if not quote_keys and _has_non_ascii_key(data):
        # json5 writes a non-ASCII identifier key bare, judged by Python's Unicode tables;
        # readers with older tables (node's json5) refuse letters added since, and with
        # ensure_ascii only a quoted key is escaped. Quoted, every reader takes it.
        quote_keys = True
    text: str = json5.dumps(
        data,
        indent=indent or None,
        separators=None if indent else (",", ":"),
        sort_keys=sort_keys,
        ensure_ascii=ensure_ascii,
        quote_keys=quote_keys,
        trailing_commas=trailing_commas,
        default=_default,
    )
    if "\\0" in text:
        text = _ESCAPE.sub(_no_octal_lookalike, text)
    if header:
        text = comment_block(header, "//") + text
    return text + "\n"


# Every backslash json5 writes starts a two-character escape, so scanning pairs
# from the left never splits one.
_ESCAPE = re.compile(r"\\.", re.DOTALL)


def _no_octal_lookalike(match: re.Match[str]) -> str:
    """json5 writes NUL as `\\0` even before a digit, which JSON5 forbids (`\\00`)."""
    return "\\u0000" if match.group() == "\\0" else match.group()


def _default(value: Any) -> Any:
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON5 serializable")


def _has_non_ascii_key(data: Any) -> bool:
    if isinstance(data, dict):
        return any(not k.isascii() or _has_non_ascii_key(v) for k, v in data.items())
    if isinstance(data, list):
        return any(_has_non_ascii_key(v) for v in data)
    return False


_SURROGATE_PAIR = re.compile("[\ud800-\udbff][\udc00-\udfff]")


def _join_pairs(data: Any) -> Any:
    """`\\ud83d\\ude00` escapes are one character, as in JavaScript; json5 keeps two."""
    if isinstance(data, str):
        return _SURROGATE_PAIR.sub(_join_pair, data)
    if isinstance(data, dict):
        return {_join_pairs(k): _join_pairs(v) for k, v in data.items()}
    if isinstance(data, list):
        return [_join_pairs(v) for v in data]
    return data


def _join_pair(match: re.Match[str]) -> str:
    return match.group().encode("utf-16-le", "surrogatepass").decode("utf-16-le")


def load(text: str) -> Any:
    import json5

    try:
        data = json5.loads(text)
    except ValueError as e:
        # json5 says "<string>:LINE message"
        match = re.match(r"<string>:(\d+) (.*)", str(e), re.DOTALL)
        if match:
            raise ParseProblem(match.group(2), int(match.group(1))) from None
        raise ParseProblem(str(e)) from None
    return _join_pairs(data) if _MAY_HAVE_PAIRS.search(text) else data


_MAY_HAVE_PAIRS = re.compile(r"\\u[dD][89abAB]")

FORMAT = contract.Format(
    name="json5",
    doc="A JSON5 file: `//` header, unquoted keys, trailing commas; `indent=0` is compact.",
    extensions=(".json5",),
    dump=dump,
    load=load,
    options=(
        *contract.json_layout(contract.boolean),
        contract.Option("quote_keys", False, contract.boolean, "quote every key", "bool"),
        contract.Option(
            "trailing_commas", True, contract.boolean, "a comma after the last item", "bool"
        ),
    ),
    comment="//",
    cannot_hold="NaN, infinity",
    libraries=("json5",),
)

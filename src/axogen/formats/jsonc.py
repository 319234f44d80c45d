"""JSONC files: JSON with `//` and `/* */` comments (VS Code settings, tsconfig.json).

Written as plain JSON (the same text as the json format) under a `//` header; read by
blanking comments and trailing commas, then parsing JSON, so line numbers stay true.
"""

from __future__ import annotations

import json
import re
from typing import Any

from axogen.formats import ParseProblem, comment_block, contract
from axogen.formats import json as json_format


def dump(
    data: Any,
    *,
    header: str | None = None,
    indent: int | None = 2,
    sort_keys: bool = False,
    ensure_ascii: bool = False,
) -> str:
    """Render plain data as JSON under a `//` header; `indent=0` or None is compact."""
    text = json_format.dump(data, indent=indent, sort_keys=sort_keys, ensure_ascii=ensure_ascii)
    if header:
        text = comment_block(header, "//") + text
    return text


# a string (kept), or a comment (blanked)
_STRING_OR_COMMENT = re.compile(r'"(?:[^"\\\n]|\\.)*"|//[^\n]*|/\*.*?(?:\*/|\Z)', re.DOTALL)
_STRING_OR_TRAILING_COMMA = re.compile(r'"(?:[^"\\\n]|\\.)*"|,(?=\s*[}\]])')


def _blank(match: re.Match[str]) -> str:
    text = match.group()
    if text.startswith('"'):
        return text
    # keep line breaks so that the parser's line numbers are the file's
    return re.sub(r"[^\n]", " ", text)


def strip_comments(text: str) -> str:
    """`text` with comments and trailing commas replaced by spaces."""
    text = _STRING_OR_COMMENT.sub(_blank, text)
    return _STRING_OR_TRAILING_COMMA.sub(_blank, text)


def load(text: str) -> Any:
    try:
        return json.loads(strip_comments(text))
    except json.JSONDecodeError as e:
        raise ParseProblem(f"{e.msg} (column {e.colno})", e.lineno) from None


FORMAT = contract.Format(
    name="jsonc",
    doc="JSON with a `//` comment header (VS Code settings, tsconfig.json).",
    extensions=(".jsonc",),
    dump=dump,
    load=load,
    options=contract.json_layout(contract.boolean),
    comment="//",
    cannot_hold="NaN, infinity",
)

"""The registry of file formats: one module per format, each declaring one `FORMAT` record
(`axogen.formats.contract.Format`), looked up by name."""

from __future__ import annotations

import datetime as dt
import functools
import importlib
import re
from typing import TYPE_CHECKING, Any

from axogen.lazyre import LazyPattern
from axogen.values import KeyPath, ValueProblem

if TYPE_CHECKING:
    from axogen.formats.contract import Format

# name -> the module declaring its `FORMAT`; modules are imported on first use, so that a
# run pays only for the formats it writes
FORMATS: dict[str, str] = {
    "env": "axogen.formats.env",
    "env_example": "axogen.formats.env_example",
    "json": "axogen.formats.json",
    "json5": "axogen.formats.json5",
    "jsonc": "axogen.formats.jsonc",
    "hjson": "axogen.formats.hjson",
    "yaml": "axogen.formats.yaml",
    "toml": "axogen.formats.toml",
    "ini": "axogen.formats.ini",
    "properties": "axogen.formats.properties",
    "xml": "axogen.formats.xml",
    "csv": "axogen.formats.csv",
    "cson": "axogen.formats.cson",
    "template": "axogen.formats.template",
    "txt": "axogen.formats.txt",
}

_loaded: dict[str, Format] = {}


def get_format(name: str) -> Format:
    """The record of format `name` (KeyError for a name not in FORMATS)."""
    record = _loaded.get(name)
    if record is None:
        record = importlib.import_module(FORMATS[name]).FORMAT
        _loaded[name] = record
    return record


def loadable() -> tuple[str, ...]:
    """The formats `load_file` reads, in registry order (imports every format module)."""
    return tuple(name for name in FORMATS if get_format(name).load is not None)


# what YAML and TOML forbid even in comments: control characters but tab, lone surrogates,
# and U+FFFE/U+FFFF; written as escapes so the header stays readable and the file valid
_NOT_IN_COMMENTS = LazyPattern("[\x00-\x08\x0a-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


@functools.lru_cache(maxsize=64)
def comment_block(text: str, prefix: str) -> str:
    """`text` as comment lines, each starting with `prefix`.

    Kept for the run: every target of a format writes the same header (10,000 targets: 17k
    instructions each, saved but for the first)."""
    lines = (_NOT_IN_COMMENTS.sub(_escape, line) for line in text.splitlines())
    return "".join(f"{prefix} {line}".rstrip() + "\n" for line in lines)


def _escape(match: re.Match[str]) -> str:
    return match.group().encode("unicode_escape").decode("ascii")


class ParseProblem(ValueError):
    """Text a format's `load` cannot read; `line` (1-based) when the parser knows it."""

    def __init__(self, reason: str, line: int | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.line = line


def scalar_text(value: Any, key_path: KeyPath, format_name: str) -> str:
    """A scalar as the text formats without types write: `true`/`false`, repr of floats,
    ISO 8601 dates; None is the empty string. Lists and dicts are a ValueProblem."""
    if isinstance(value, str):
        return value
    if value is None:
        return ""
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat()
    kind = "a list" if isinstance(value, list) else "a mapping"
    if not isinstance(value, (list, dict)):
        kind = f"a value of type {type(value).__name__}"
    raise ValueProblem(key_path, f"{format_name} cannot hold {kind} here; only single values")

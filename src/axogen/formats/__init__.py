"""The registry of file formats: one module per format, looked up by name."""

from __future__ import annotations

import importlib
import re
from types import ModuleType

# name -> module; modules are imported on first use so a run pays only for what it writes
FORMATS: dict[str, str] = {
    "env": "axogen.formats.env",
    "json": "axogen.formats.json",
    "yaml": "axogen.formats.yaml",
    "toml": "axogen.formats.toml",
    "env_example": "axogen.formats.env_example",
}

_loaded: dict[str, ModuleType] = {}


def get_format(name: str) -> ModuleType:
    """The module implementing format `name`."""
    module = _loaded.get(name)
    if module is None:
        module = importlib.import_module(FORMATS[name])
        _loaded[name] = module
    return module


# what YAML and TOML forbid even in comments: control characters but tab, lone surrogates,
# and U+FFFE/U+FFFF; written as escapes so the header stays readable and the file valid
_NOT_IN_COMMENTS = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def comment_block(text: str, prefix: str) -> str:
    """`text` as comment lines, each starting with `prefix`."""
    lines = (_NOT_IN_COMMENTS.sub(_escape, line) for line in text.splitlines())
    return "".join(f"{prefix} {line}".rstrip() + "\n" for line in lines)


def _escape(match: re.Match[str]) -> str:
    return match.group().encode("unicode_escape").decode("ascii")

"""The registry of file formats: one module per format, looked up by name."""

from __future__ import annotations

import importlib
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


def comment_block(text: str, prefix: str) -> str:
    """`text` as comment lines, each starting with `prefix`."""
    return "".join(f"{prefix} {line}".rstrip() + "\n" for line in text.splitlines())

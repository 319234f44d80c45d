"""YAML files, written with PyYAML's safe dumper (its C version when present)."""

from __future__ import annotations

import datetime as dt
import functools
from typing import Any

from axogen.formats import comment_block

NAME = "yaml"
EXTENSIONS = (".yaml", ".yml")


@functools.cache
def _dumper() -> Any:
    import yaml

    base = getattr(yaml, "CSafeDumper", yaml.SafeDumper)

    class Dumper(base):  # type: ignore[misc, valid-type]
        pass

    def represent_str(dumper: Any, value: str) -> Any:
        # multi-line text reads best as a literal block; PyYAML falls back to quoting by
        # itself when the text cannot be a block (trailing spaces, special characters)
        style = "|" if "\n" in value.rstrip("\n") else None
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)

    def represent_time(dumper: Any, value: dt.time) -> Any:
        return dumper.represent_scalar("tag:yaml.org,2002:str", value.isoformat())

    Dumper.add_representer(str, represent_str)
    Dumper.add_representer(dt.time, represent_time)
    return Dumper


def dump(
    data: Any,
    *,
    header: str | None = None,
    indent: int = 2,
    sort_keys: bool = False,
    explicit_start: bool = False,
) -> str:
    """Render plain data as block-style YAML ending with a newline."""
    import yaml

    text = yaml.dump(
        data,
        Dumper=_dumper(),
        indent=indent,
        sort_keys=sort_keys,
        allow_unicode=True,
        default_flow_style=False,
        width=2**31 - 1,
        explicit_start=explicit_start,
    )
    if header:
        text = comment_block(header, "#") + text
    return text


def load(text: str) -> Any:
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return yaml.load(text, Loader=loader)

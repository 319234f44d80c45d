"""YAML files, written with PyYAML's safe dumper (its C version when present)."""

from __future__ import annotations

import datetime as dt
import functools
import re
from typing import Any

from axogen.formats import comment_block
from axogen.values import KeyPath, ValueProblem

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
        if _NEXT_LINE_OR_SEPARATOR.search(value):
            # YAML 1.1 (PyYAML) takes these for line breaks and YAML 1.2 for text; only as
            # escapes in double quotes do both read the same string
            style = '"'
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)

    def represent_time(dumper: Any, value: dt.time) -> Any:
        return dumper.represent_scalar("tag:yaml.org,2002:str", value.isoformat())

    Dumper.add_representer(str, represent_str)
    Dumper.add_representer(dt.time, represent_time)
    # PyYAML quotes the strings YAML 1.1 would read as something else; these are the ones
    # only YAML 1.2 readers (Go, JavaScript, ruamel) would, such as `1e3` and `0o17`
    for tag, pattern, first in _YAML_12_ONLY:
        Dumper.add_implicit_resolver(tag, re.compile(pattern), list(first))
    return Dumper


_NEXT_LINE_OR_SEPARATOR = re.compile("[\x85\u2028\u2029]")

_YAML_12_ONLY = (
    (
        "tag:yaml.org,2002:float",
        r"^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$",
        "-+.0123456789",
    ),
    ("tag:yaml.org,2002:int", r"^0o[0-7]+$", "0"),
)


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

    _check(data, ())
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


def _check(data: Any, path: KeyPath) -> None:
    """Find the datetimes a YAML timestamp cannot hold and name their key path."""
    kind = type(data)
    if kind is dict:
        for key, value in data.items():
            _check(value, (*path, key))
    elif kind is list:
        for i, value in enumerate(data):
            _check(value, (*path, i))
    elif kind is dt.datetime:
        offset = data.utcoffset()
        if offset is not None and offset % dt.timedelta(minutes=1):
            raise ValueProblem(
                path,
                f"the time zone offset {offset} is not whole minutes, which YAML timestamps "
                "need; convert the datetime to UTC or write it as a string",
            )


def load(text: str) -> Any:
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return yaml.load(text, Loader=loader)

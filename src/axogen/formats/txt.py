"""Plain text: read as one string. Written only from a string (templates write other text)."""

from __future__ import annotations

from typing import Any

from axogen.formats import contract
from axogen.values import ValueProblem


def dump(data: Any, *, header: str | None = None) -> str:
    """The string itself; plain text has no comment syntax, so no header is written."""
    del header
    if not isinstance(data, str):
        raise ValueProblem((), f"a text file is written from a string, got {type(data).__name__}")
    return data


def load(text: str) -> str:
    return text


FORMAT = contract.Format(
    name="txt",
    doc="Plain text, read as one string.",
    extensions=(".txt",),
    dump=dump,
    load=load,
    comment=None,
    cannot_hold="anything but one string",
    factory=False,
    example=contract.Example(variables="hello\nworld\n"),
)

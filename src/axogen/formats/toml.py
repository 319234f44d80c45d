"""TOML files. Floats stay floats, integers must fit TOML's 64 bits, None has no form."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

from axogen.formats import comment_block, contract
from axogen.values import KeyPath, ValueProblem

_INT_MIN, _INT_MAX = -(2**63), 2**63 - 1


def dump(
    data: Any,
    *,
    header: str | None = None,
    sort_keys: bool = False,
    indent: int = 4,
    multiline_strings: bool = False,
) -> str:
    """Render a mapping as TOML text ending with a newline."""
    if not isinstance(data, Mapping):
        raise ValueProblem(
            (), f"a TOML document needs a mapping at the top, got {type(data).__name__}"
        )
    _check(data, ())
    if sort_keys:
        data = _sorted(data)
    if multiline_strings and _has_crlf(data):
        # tomli-w turns "\r\n" into "\n" in multi-line strings; escaped strings keep it
        multiline_strings = False
    text = _dumps(data, multiline_strings, indent)
    if header:
        text = comment_block(header, "#") + ("\n" if text else "") + text
    if not text.endswith("\n"):
        text += "\n"
    return text


def _dumps(data: Mapping[str, Any], multiline_strings: bool, indent: int) -> str:
    """`tomli_w.dumps(data, ...)`, byte for byte.

    tomli-w escapes strings one character at a time in Python; `_Writer` writes the same
    text (tests/test_format_toml.py compares them) for the exact plain types, a string
    that needs no escape as it is, at 60% of the cost (a W1 TOML target: 267,000
    instructions to write, now 160,000). Anything else goes to tomli-w itself.
    """
    out: list[str] = []
    try:
        _Writer(multiline_strings, " " * indent, out).table(data, "", False)
    except _Other:
        import tomli_w

        return tomli_w.dumps(data, multiline_strings=multiline_strings, indent=indent)
    return "".join(out)


class _Other(Exception):
    """A value `_Writer` leaves to tomli-w."""


# what tomli-w writes as an escape in a basic string: `"`, `\` and control characters but tab
_TO_ESCAPE = re.compile('[\x00-\x08\x0a-\x1f\x7f"\\\\]')
_ESCAPES = {"\b": "\\b", "\n": "\\n", "\f": "\\f", "\r": "\\r", '"': '\\"', "\\": "\\\\"}
_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+\Z")
_LINE_LENGTH = 100  # tomli-w's limit for an inline table in an array of tables
_DATES = frozenset({dt.datetime, dt.date})


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    return _ESCAPES.get(char) or f"\\u{ord(char):04x}"


def _escape_multiline(match: re.Match[str]) -> str:
    char = match.group()
    return char if char == "\n" else _escape(match)


class _Writer:
    """tomli-w's layout: a table's plain values, then its sub-tables and arrays of tables
    (those whose tables do not fit inline on one line); arrays one item a line."""

    def __init__(self, multiline: bool, indent: str, out: list[str]) -> None:
        self.multiline = multiline
        self.indent = indent
        self.out = out

    def table(self, table: Mapping[str, Any], name: str, in_array: bool) -> None:
        out = self.out
        literals: list[str] = []  # their lines
        tables: list[tuple[str, Any, bool]] = []
        for key, value in table.items():
            if type(key) is not str:
                raise _Other
            cls = type(value)
            if cls is str:
                literals.append(f"{_key(key)} = {_string(value, self.multiline)}\n")
            elif cls is int or cls is float:
                literals.append(f"{_key(key)} = {value}\n")
            elif cls is dict:
                tables.append((key, value, False))
            elif (
                cls is list
                and value
                and all(type(t) is dict for t in value)
                and not all(self.fits_inline(t) for t in value)
            ):
                tables.extend((key, t, True) for t in value)
            else:
                literals.append(f"{_key(key)} = {self.literal(value, 0)}\n")
        written = False
        if in_array or (name and (literals or not tables)):
            written = True
            out.append(f"[[{name}]]\n" if in_array else f"[{name}]\n")
        if literals:
            written = True
            out.extend(literals)
        for key, value, in_aot in tables:
            if written:
                out.append("\n")
            written = True
            part = _key(key)
            self.table(value, f"{name}.{part}" if name else part, in_aot)

    def fits_inline(self, table: dict[str, Any]) -> bool:
        text = f"{self.indent}{self.inline(table)},"
        return len(text) <= _LINE_LENGTH and "\n" not in text

    def inline(self, table: dict[str, Any]) -> str:
        if not table:
            return "{}"
        for key in table:
            if type(key) is not str:
                raise _Other
        # tomli-w writes the arrays of an inline table as if at the top level
        return (
            "{ " + ", ".join(f"{_key(k)} = {self.literal(v, 0)}" for k, v in table.items()) + " }"
        )

    def literal(self, value: Any, level: int) -> str:
        cls = type(value)
        if cls is str:
            return _string(value, self.multiline)
        if cls is bool:
            return "true" if value else "false"
        if cls is int or cls is float or cls in _DATES:
            return str(value)
        if cls is list:
            if not value:
                return "[]"
            inner = self.indent * (level + 1)
            items = ",\n".join(inner + self.literal(item, level + 1) for item in value)
            return f"[\n{items},\n{self.indent * level}]"
        if cls is dict:
            return self.inline(value)
        if cls is dt.time and value.tzinfo is None:
            return str(value)
        raise _Other


def _key(key: str) -> str:
    text = _KEYS.get(key)
    if text is None:
        text = key if _BARE_KEY.match(key) else _string(key, False)
        if len(_KEYS) >= 50_000:  # bounded, whatever a config generates
            _KEYS.clear()
        _KEYS[key] = text
    return text


# keys as written: the same few dozen come back in every file, and a dict answers in a tenth
# of the pattern's time
_KEYS: dict[str, str] = {}


def _string(text: str, multiline: bool) -> str:
    if multiline and "\n" in text:
        return '"""\n' + _TO_ESCAPE.sub(_escape_multiline, text.replace("\r\n", "\n")) + '"""'
    if _TO_ESCAPE.search(text) is None:
        return f'"{text}"'
    return '"' + _TO_ESCAPE.sub(_escape, text) + '"'


def _sorted(data: Any) -> Any:
    if isinstance(data, dict):
        return {k: _sorted(data[k]) for k in sorted(data)}
    if isinstance(data, list):
        return [_sorted(v) for v in data]
    return data


def _has_crlf(data: Any) -> bool:
    if isinstance(data, str):
        return "\r\n" in data
    if isinstance(data, dict):
        return any(_has_crlf(v) for v in data.values())
    if isinstance(data, list):
        return any(_has_crlf(v) for v in data)
    return False


def _check(data: Any, path: KeyPath) -> None:
    kind = type(data)
    if kind is dict:
        for key, value in data.items():
            if type(value) not in _FINE:  # no call for the values that always fit
                _check(value, (*path, key))
    elif kind is list:
        for i, value in enumerate(data):
            if type(value) not in _FINE:
                _check(value, (*path, i))
    elif data is None:
        raise ValueProblem(path, 'TOML has no null; remove the key or use a value such as ""')
    elif kind is int and not _INT_MIN <= data <= _INT_MAX:
        raise ValueProblem(
            path, f"{data} does not fit in TOML's 64-bit integers; write it as a string"
        )
    elif kind is dt.time and data.tzinfo is not None:
        raise ValueProblem(path, "TOML local times cannot carry a time zone")
    elif kind is dt.datetime:
        offset = data.utcoffset()
        if offset is not None and offset % dt.timedelta(minutes=1):
            raise ValueProblem(
                path,
                f"the time zone offset {offset} is not whole minutes, which TOML needs; "
                "convert the datetime to UTC or write it as a string",
            )


_FINE = frozenset({str, float, bool})


def load(text: str) -> Any:
    import tomllib

    return tomllib.loads(text)


FORMAT = contract.Format(
    name="toml",
    doc="A TOML file; the variables must be a mapping and hold no None.",
    extensions=(".toml",),
    dump=dump,
    load=load,
    options=(
        contract.Option("sort_keys", False, contract.flag, "write the keys sorted", "bool"),
        contract.Option(
            "indent", 4, contract.indent(allow_none=False), "spaces per array level", "int"
        ),
        contract.Option(
            "multiline_strings", False, contract.flag, "strings with line breaks as blocks", "bool"
        ),
    ),
    comment="#",
    cannot_hold="None, a top level that is not a mapping",
    libraries=("tomli_w",),
)

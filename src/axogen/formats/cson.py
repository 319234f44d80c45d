"""CSON files (CoffeeScript Object Notation), written and read by our own small code.

No CSON library on PyPI reads and writes it correctly, and the TypeScript original's writer
produced broken files. The writer emits a small, unambiguous part of CSON: an indented
implicit object at the top, `[ ]` with one item per line, `{ }` for objects inside arrays,
single-quoted strings with backslash escapes, and no interpolation. The reader takes that
and the usual hand-written CSON: comments (`#`, `###`), commas or new lines between items,
`{a: 1}`, quoted keys, `'''` block strings, `yes`/`no`/`on`/`off`, hex numbers.

CSON is read by JavaScript: numbers are doubles, so integers beyond 2**53 and NaN or infinity
are errors here rather than values that change when read.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Any

from axogen.formats import ParseProblem, comment_block, contract
from axogen.values import KeyPath, ValueProblem

_MAX_SAFE_INT = 2**53
_IDENTIFIER = re.compile(r"[A-Za-z_$][A-Za-z0-9_$]*\Z")
_RESERVED = frozenset(
    """break case catch class const continue debugger default delete do else enum export
    extends false finally for function if implements import in instanceof interface let new
    null package private protected public return static super switch this throw true try
    typeof var void while with yield await undefined Infinity NaN then unless until loop of
    by when and or is isnt not yes no on off""".split()
)
_ESCAPES = {"\\": "\\\\", "'": "\\'", "\n": "\\n", "\r": "\\r", "\t": "\\t"}
_TO_ESCAPE = re.compile("[\\\\'\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufeff]")


def dump(data: Any, *, header: str | None = None, indent: int = 2, sort_keys: bool = False) -> str:
    """Render plain data as CSON ending with a newline."""
    _check(data, ())
    unit = " " * indent
    if isinstance(data, dict) and data:
        lines = _entries(data, 0, unit, sort_keys)
    elif isinstance(data, list) and data:
        lines = ["[", *_items(data, 1, unit, sort_keys), "]"]
    else:
        lines = [_scalar(data)]
    text = "\n".join(lines) + "\n"
    if header:
        text = comment_block(header, "#") + text
    return text


def _check(data: Any, path: KeyPath) -> None:
    if isinstance(data, bool) or data is None:
        return
    if isinstance(data, int) and not -_MAX_SAFE_INT <= data <= _MAX_SAFE_INT:
        raise ValueProblem(
            path,
            f"{data} is beyond 2**53, the largest integer CSON readers (JavaScript) keep exactly; "
            "write it as a string",
        )
    if isinstance(data, float) and not math.isfinite(data):
        raise ValueProblem(path, f"CSON cannot represent {data}")
    if isinstance(data, dict):
        for key, value in data.items():
            if key == "__proto__":
                raise ValueProblem(
                    (*path, key),
                    "CSON readers (JavaScript) take a __proto__ key for the object's prototype, "
                    "not a value",
                )
            _check(value, (*path, key))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            _check(value, (*path, i))


def _entries(data: dict[str, Any], level: int, unit: str, sort_keys: bool) -> list[str]:
    pad = unit * level
    lines = []
    for key, value in sorted(data.items()) if sort_keys else data.items():
        head = f"{pad}{_key(key)}:"
        if isinstance(value, dict) and value:
            lines.append(head)
            lines.extend(_entries(value, level + 1, unit, sort_keys))
        elif isinstance(value, list) and value:
            lines.append(f"{head} [")
            lines.extend(_items(value, level + 1, unit, sort_keys))
            lines.append(f"{pad}]")
        else:
            lines.append(f"{head} {_scalar(value)}")
    return lines


def _items(data: list[Any], level: int, unit: str, sort_keys: bool) -> list[str]:
    pad = unit * level
    lines = []
    for value in data:
        if isinstance(value, dict) and value:
            lines.append(f"{pad}{{")
            lines.extend(_entries(value, level + 1, unit, sort_keys))
            lines.append(f"{pad}}}")
        elif isinstance(value, list) and value:
            lines.append(f"{pad}[")
            lines.extend(_items(value, level + 1, unit, sort_keys))
            lines.append(f"{pad}]")
        else:
            lines.append(pad + _scalar(value))
    return lines


def _key(key: str) -> str:
    return key if _IDENTIFIER.match(key) and key not in _RESERVED else _string(key)


def _scalar(value: Any) -> str:
    if isinstance(value, str):
        return _string(value)
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return _string(value.isoformat())
    if isinstance(value, dict):
        return "{}"
    if isinstance(value, list):
        return "[]"
    raise TypeError(f"{type(value).__name__} is not CSON serializable")


def _string(value: str) -> str:
    return "'" + _TO_ESCAPE.sub(_escape, value) + "'"


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    return _ESCAPES.get(char) or f"\\u{ord(char):04x}"


# --- reading ------------------------------------------------------------------------------

_NUMBER = re.compile(
    r"[-+]?(?:0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)"
    r"(?=[\s,\]}#]|\Z)"
)
_WORD = re.compile(r"[A-Za-z_$][A-Za-z0-9_$]*")
_LITERALS: dict[str, Any] = {
    "true": True, "yes": True, "on": True, "false": False, "no": False, "off": False, "null": None,
}  # fmt: skip
_SIMPLE_ESCAPES = {"n": "\n", "r": "\r", "t": "\t", "b": "\b", "f": "\f", "v": "\v", "0": "\0"}
_SURROGATE_PAIR = re.compile("[\ud800-\udbff][\udc00-\udfff]")


def load(text: str) -> Any:
    """Parse CSON text; a ParseProblem names the line of the first mistake."""
    return _Reader(text).document()


class _Reader:
    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0

    def fail(self, reason: str, pos: int | None = None) -> ParseProblem:
        where = self.pos if pos is None else pos
        return ParseProblem(reason, self.text.count("\n", 0, where) + 1)

    def column(self) -> int:
        return self.pos - (self.text.rfind("\n", 0, self.pos) + 1)

    def at_end(self) -> bool:
        return self.pos >= len(self.text)

    def peek(self) -> str:
        return self.text[self.pos : self.pos + 1]

    def skip_inline(self) -> None:
        """Spaces, tabs and a `#` comment, up to (not past) the end of the line."""
        text, pos = self.text, self.pos
        while pos < len(text) and text[pos] in " \t":
            pos += 1
        if text.startswith("#", pos) and not text.startswith("###", pos):
            end = text.find("\n", pos)
            pos = len(text) if end < 0 else end
        self.pos = pos

    def skip_blank(self) -> None:
        """Whitespace, line breaks and comments of both kinds."""
        text = self.text
        while True:
            self.skip_inline()
            if text.startswith("###", self.pos) and not text.startswith("####", self.pos):
                end = text.find("###", self.pos + 3)
                if end < 0:
                    raise self.fail("a ### block comment is not closed")
                self.pos = end + 3
            elif self.peek() in ("\n", "\r") and not self.at_end():
                self.pos += 1
            else:
                return

    def document(self) -> Any:
        self.skip_blank()
        if self.at_end():
            raise self.fail("the document is empty; CSON needs one value")
        value = self.value()
        self.skip_blank()
        if not self.at_end():
            raise self.fail(f"unexpected {self.peek()!r} after the value")
        return value

    def value(self) -> Any:
        char = self.peek()
        if char == "{":
            return self.braced_object()
        if char == "[":
            return self.array()
        if self.key_ahead() is not None:
            return self.implicit_object()
        return self.scalar()

    def key_ahead(self) -> tuple[str, int] | None:
        """The key starting here and the position after its `:`, if a key starts here."""
        start = self.pos
        try:
            char = self.peek()
            if char in ("'", '"'):
                key = self.string()
            else:
                match = _WORD.match(self.text, self.pos) or _NUMBER.match(self.text, self.pos)
                if match is None:
                    return None
                key = match.group()
                self.pos = match.end()
            self.skip_inline()
            if self.peek() != ":" or self.text.startswith("::", self.pos):
                return None
            return key, self.pos + 1
        except ParseProblem:
            return None
        finally:
            self.pos = start

    def implicit_object(self) -> dict[str, Any]:
        column = self.column()
        out: dict[str, Any] = {}
        while True:
            found = self.key_ahead()
            if found is None:
                raise self.fail("expected a key")
            key, self.pos = found
            self.skip_inline()
            if self.at_end() or self.peek() in ("\n", "\r"):
                self.skip_blank()
                if self.at_end() or self.column() <= column:
                    raise self.fail(f"the key {key!r} has no value")
            self.put(out, key, self.value())
            self.skip_inline()
            if self.peek() == ",":
                self.pos += 1
                self.skip_inline()
                if not (self.at_end() or self.peek() in ("\n", "\r")):
                    continue
            mark = self.pos
            self.skip_blank()
            if self.at_end() or self.column() < column or self.peek() in "]}":
                self.pos = mark
                return out
            if self.column() > column:
                raise self.fail("unexpected indentation")

    def braced_object(self) -> dict[str, Any]:
        self.pos += 1
        out: dict[str, Any] = {}
        while True:
            self.skip_blank()
            if self.peek() == "}":
                self.pos += 1
                return out
            found = self.key_ahead()
            if found is None:
                raise self.fail(
                    "expected a key or '}'" if not self.at_end() else "'{' is not closed"
                )
            key, self.pos = found
            self.skip_blank()
            self.put(out, key, self.value())
            self.skip_blank()
            if self.peek() == ",":
                self.pos += 1

    def array(self) -> list[Any]:
        self.pos += 1
        out: list[Any] = []
        while True:
            self.skip_blank()
            if self.peek() == "]":
                self.pos += 1
                return out
            if self.at_end():
                raise self.fail("'[' is not closed")
            if self.peek() == ",":  # between items, on a line of its own or not
                self.pos += 1
                continue
            out.append(self.value())

    def put(self, out: dict[str, Any], key: str, value: Any) -> None:
        if key in out:
            raise self.fail(f"the key {key!r} appears twice")
        out[key] = value

    def scalar(self) -> Any:
        char = self.peek()
        if char in ("'", '"'):
            return self.string()
        match = _NUMBER.match(self.text, self.pos)
        if match:
            self.pos = match.end()
            return _number(match.group())
        match = _WORD.match(self.text, self.pos)
        if match and match.group() in _LITERALS:
            self.pos = match.end()
            return _LITERALS[match.group()]
        what = repr(match.group()) if match else repr(char) if char else "the end of the text"
        raise self.fail(f"unexpected {what}; expected a value")

    def string(self) -> str:
        quote = self.peek()
        start = self.pos
        if self.text.startswith(quote * 3, self.pos):
            end = self.text.find(quote * 3, self.pos + 3)
            if end < 0:
                raise self.fail("a block string is not closed", start)
            raw = _dedent_block(self.text[self.pos + 3 : end])
            self.pos = end + 3
            return self.unescape(raw, quote, start)
        pos = self.pos + 1
        text = self.text
        chunks: list[str] = []
        while True:
            end = pos
            while end < len(text) and text[end] not in (quote, "\\", "\n"):
                end += 1
            chunks.append(text[pos:end])
            if end >= len(text):
                raise self.fail("a string is not closed", start)
            char = text[end]
            if char == quote:
                self.pos = end + 1
                return self.unescape("".join(chunks), quote, start, raw_done=True)
            if char == "\\":
                chunks.append(text[end : end + 2])
                pos = end + 2
            else:  # CoffeeScript joins the lines of a string with one space
                chunks[-1] = chunks[-1].rstrip(" \t")
                pos = end + 1
                while pos < len(text) and text[pos] in " \t":
                    pos += 1
                chunks.append(" ")

    def unescape(self, raw: str, quote: str, start: int, *, raw_done: bool = False) -> str:
        if quote == '"' and "#{" in raw:
            raise self.fail("string interpolation (#{...}) is not allowed in CSON", start)
        if "\\" not in raw:
            return raw
        out: list[str] = []
        i = 0
        while i < len(raw):
            char = raw[i]
            if char != "\\":
                out.append(char)
                i += 1
                continue
            code = raw[i + 1 : i + 2]
            i += 2
            if code in _SIMPLE_ESCAPES and not (code == "0" and raw[i : i + 1].isdigit()):
                out.append(_SIMPLE_ESCAPES[code])
            elif code in ("x", "u"):
                if code == "u" and raw[i : i + 1] == "{":
                    end = raw.find("}", i)
                    digits = raw[i + 1 : end] if end > 0 else ""
                    i = end + 1
                else:
                    size = 2 if code == "x" else 4
                    digits = raw[i : i + size]
                    i += size if len(digits) == size else 0
                    digits = digits if len(digits) == size else ""
                try:
                    out.append(chr(int(digits, 16)))
                except ValueError:
                    raise self.fail(f"invalid \\{code} escape in a string", start) from None
            elif code == "\n":  # a line continuation: the break and the indentation vanish
                while i < len(raw) and raw[i] in " \t":
                    i += 1
            else:
                out.append(code)
        return _SURROGATE_PAIR.sub(_join_pair, "".join(out))


def _join_pair(match: re.Match[str]) -> str:
    return match.group().encode("utf-16-le", "surrogatepass").decode("utf-16-le")


def _dedent_block(raw: str) -> str:
    """A block string's text: first and last blank lines dropped, common indentation removed."""
    lines = raw.split("\n")
    if len(lines) > 1 and not lines[0].strip():
        lines = lines[1:]
    if len(lines) > 1 and not lines[-1].strip():
        lines = lines[:-1]
    indents = [len(line) - len(line.lstrip(" \t")) for line in lines if line.strip()]
    cut = min(indents, default=0)
    return "\n".join(line[cut:] for line in lines)


def _number(text: str) -> int | float:
    body = text.lstrip("+-")
    sign = -1 if text.startswith("-") else 1
    if body[:2].lower() in ("0x", "0o", "0b"):
        return sign * int(body, 0)
    if "." in body or "e" in body or "E" in body:
        return float(text)
    return int(text)


def _indent(value: Any) -> int:
    value = contract.indent(allow_none=False)(value)
    if value == 0:
        raise TypeError("must be at least 1 (CSON nests by indentation)")
    return int(value)


FORMAT = contract.Format(
    name="cson",
    doc="A CSON (CoffeeScript Object Notation) file.",
    extensions=(".cson",),
    dump=dump,
    load=load,
    options=(
        contract.Option("indent", 2, _indent, "spaces per level, at least 1", "int"),
        contract.Option("sort_keys", False, contract.boolean, "write the keys sorted", "bool"),
    ),
    comment="#",
    cannot_hold="NaN, infinity, ints beyond 2**53",
)

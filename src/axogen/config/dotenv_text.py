"""Edit a dotenv file's values in place: every other byte (comments, order, blank lines,
`export`, quoting, trailing comments) stays as it was.

The file is cut into the chunks python-dotenv parses it into (their concatenation is the
file); a chunk that binds a key knows where its value's text is, so a value can be replaced
without touching the rest. Every edit is checked by parsing the new text again: the edited
keys must read back as the new values and every other binding as before, or nothing is
written.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Mapping, Sequence
from typing import NamedTuple

from axogen.errors import AxogenError

# python-dotenv's grammar (dotenv/parser.py), up to the start of the value
_HEAD = re.compile(r"\s*(?:export[^\S\r\n]+)?(?:'[^']+'|[^=#\s]+)[^\S\r\n]*=[^\S\r\n]*")
_SINGLE = re.compile(r"'(?:\\.|[^'\\])*'", re.DOTALL)
_DOUBLE = re.compile(r'"(?:\\.|[^"\\])*"', re.DOTALL)
_UNQUOTED = re.compile(r"[^\r\n]*")
_COMMENT = re.compile(r"\s+#.*")
_BARE = re.compile(r"[A-Za-z0-9_./:@%+,=~^-][A-Za-z0-9_./:@%+,=~^#-]*\Z")
KEY_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]*\Z")


class Entry(NamedTuple):
    """One chunk of the file: a binding (key set) or anything else (comments, blanks)."""

    text: str
    key: str | None = None
    value: str | None = None  # as python-dotenv reads it, before ${...} expansion
    line: int = 1
    # where the value's text is in `text` (quotes included), and its quote character
    span: tuple[int, int] | None = None
    quote: str = ""


def parse(text: str) -> list[Entry]:
    """The chunks of a dotenv text; `"".join(e.text for e in parse(t)) == t`."""
    from axogen.config.pydotenv import parse_stream

    entries: list[Entry] = []
    for binding in parse_stream(io.StringIO(text)):
        raw = binding.original.string
        line = binding.original.line + raw[: len(raw) - len(raw.lstrip())].count("\n")
        if binding.key is None or binding.error:
            entries.append(Entry(raw, line=line))
            continue
        span, quote = _value_span(raw)
        entries.append(Entry(raw, binding.key, binding.value, line, span, quote))
    if "".join(e.text for e in entries) != text:  # pragma: no cover - python-dotenv changed
        raise AxogenError("cannot edit this env file: its lines could not be told apart")
    return entries


def _value_span(raw: str) -> tuple[tuple[int, int] | None, str]:
    head = _HEAD.match(raw)
    if head is None:
        return None, ""
    start = head.end()
    rest = raw[start:]
    if rest.startswith("'"):
        m = _SINGLE.match(rest)
        return ((start, start + m.end()), "'") if m else (None, "")
    if rest.startswith('"'):
        m = _DOUBLE.match(rest)
        return ((start, start + m.end()), '"') if m else (None, "")
    part = _UNQUOTED.match(rest)
    text = part.group() if part else ""
    comment = _COMMENT.search(text)
    value = (text[: comment.start()] if comment else text).rstrip()
    return (start, start + len(value)), ""


def quote_of(raw: str) -> str:
    """The quote character of the value in one binding's text: `'`, `"` or "" (bare)."""
    return _value_span(raw)[1]


def quote(value: str, prefer: str = "") -> str:
    """`value` written so that python-dotenv (and dotenvx) read back exactly `value`.

    `prefer` is the quote character the line had; it is kept when it can hold the value.
    """
    if prefer == "" and (value == "" or _BARE.match(value)):
        return value
    if prefer in ("", "'") and "'" not in value and "\\" not in value:
        return f"'{value}'"
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'


def render(entries: Sequence[Entry]) -> str:
    return "".join(e.text for e in entries)


def with_value(entry: Entry, written: str) -> Entry:
    """The entry with its value's text replaced by `written` (already quoted)."""
    if entry.span is None:
        raise AxogenError(f"{entry.key}: cannot find where its value starts on its line")
    start, end = entry.span
    text = entry.text[:start] + written + entry.text[end:]
    return entry._replace(text=text, span=(start, start + len(written)))


def edit(
    text: str,
    change: Callable[[Entry], str | None],
    *,
    add: Mapping[str, str] | None = None,
    prepend: str = "",
) -> str:
    """`text` with each binding for which `change` returns a value given that value (quoted
    as its line was, when that can hold it); the keys of `add` are appended, and `prepend`
    goes before everything. The result is parsed again: every binding must read back as
    intended, or AxogenError (nothing is to be written).
    """
    entries = parse(text)
    expected = [(e.key, e.value) for e in parse(prepend) if e.key is not None]
    for i, entry in enumerate(entries):
        if entry.key is None:
            continue
        new = change(entry)
        if new is None:
            expected.append((entry.key, entry.value))
            continue
        entries[i] = with_value(entry, quote(new, entry.quote))
        expected.append((entry.key, new))
    result = render(entries)
    appended = []
    for key, value in (add or {}).items():
        if not KEY_NAME.match(key):
            raise AxogenError(f"{key!r} is not a valid variable name")
        appended.append(f"{key}={quote(value)}\n")
        expected.append((key, value))
    if appended:
        if result and not result.endswith("\n"):
            result += "\n"
        result += "".join(appended)
    result = prepend + result
    got = [(e.key, e.value) for e in parse(result) if e.key is not None]
    if got != expected:
        wrong = sorted(
            {str(k) for k, v in got if (k, v) not in expected}
            | {str(k) for k, v in expected if (k, v) not in got}
        )
        raise AxogenError(
            f"editing the file would change how {', '.join(wrong) or 'its lines'} read back; "
            "nothing was written",
            hint="this is a bug in axogen's env file editing; please report the shape of the line",
        )
    return result

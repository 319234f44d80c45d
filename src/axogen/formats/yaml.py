"""YAML files, written by our own block-style emitter and read with PyYAML's safe loader.

Plain data needs a small part of YAML, and writing it ourselves is many times faster than
PyYAML's representer and resolver, and gives the same bytes everywhere: PyYAML's C and
pure-Python emitters differ in edge cases (`'': x` or `? ''`, a trailing `...`). Every
choice here aims at one thing: YAML 1.1 readers (PyYAML, Ruby) and YAML 1.2 readers (Go
yaml.v3, JavaScript, ruamel) read the same values back. So a string is written plain only
when no reader could take it for anything else; otherwise quoted.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable, Iterator
from operator import itemgetter
from typing import Any

from axogen.formats import comment_block, contract
from axogen.lazyre import LazyPattern
from axogen.values import KeyPath, ValueProblem


def dump(
    data: Any,
    *,
    header: str | None = None,
    indent: int = 2,
    sort_keys: bool = False,
    explicit_start: bool = False,
    documents: bool = False,
) -> str:
    """Render plain data as block-style YAML ending with a newline.

    With `documents`, `data` is a list and each item is a document of its own, each
    starting with `---` (a stream of Kubernetes manifests, say).
    """
    if type(indent) is not int or not 2 <= indent <= 9:
        raise ValueError(f"yaml indent must be between 2 and 9, got {indent!r}")
    if documents:
        if not isinstance(data, list):
            raise ValueProblem(
                (), f"documents=True needs a list of documents, got {type(data).__name__}"
            )
        text = "".join("---\n" + _one(doc, indent, sort_keys, (i,)) for i, doc in enumerate(data))
    else:
        text = _one(data, indent, sort_keys, ())
        if explicit_start:
            text = "---\n" + text
    if header:
        text = comment_block(header, "#") + text
    return text


def _one(data: Any, indent: int, sort_keys: bool, where: KeyPath) -> str:
    try:
        text = _document(data, indent, sort_keys)
    except _Unwritable as e:
        raise ValueProblem((*where, *_locate(data, e.culprit, sort_keys)), e.reason) from None
    if text.endswith("\n\n"):
        # the document ends with a `|+` block whose trailing blank lines are its value: an
        # end marker keeps tools that trim blank lines at the end of a file (and the next
        # document's `---`) from changing it
        text += "...\n"
    return text


# A YAML alias repeats the node its anchor names, so a file of a few hundred bytes can
# stand for billions of nodes ("billion laughs"): anchors of lists of aliases of lists...
# PyYAML builds such a file cheaply, sharing the repeated objects, but everything after it
# (the data converted for a target, the secret detector, pydantic) copies or walks every
# repetition and runs out of memory or time. Files are refused when their aliases stand
# for more nodes than this, over the whole stream; real files (Compose extensions, CI
# templates) repeat a few hundred.
MAX_ALIAS_NODES = 1_000_000


def load(text: str) -> Any:
    loader = _loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        _check_aliases(node, [MAX_ALIAS_NODES], "*" in text)
        return loader.construct_document(node)
    finally:
        loader.dispose()


def load_documents(text: str) -> list[Any]:
    """Every document of a YAML stream, in order (none for an empty file)."""
    loader = _loader(text)
    budget = [MAX_ALIAS_NODES]  # shared by the documents: many small bombs are one big one
    try:
        documents = []
        while loader.check_node():
            node = loader.get_node()
            _check_aliases(node, budget, "*" in text)
            documents.append(loader.construct_document(node))
        return documents
    finally:
        loader.dispose()


def _loader(text: str) -> Any:
    import yaml

    loader_class = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return loader_class(text)


def _check_aliases(root: Any, budget: list[int], has_alias: bool) -> None:
    """Raise ParseProblem when the aliases under `root` stand for more nodes than `budget[0]`
    allows (the budget is spent by each call), or when an alias refers to a node holding it.

    Counted without expanding anything: each node's expanded size is computed once, and an
    alias is the same node object met again. No recursion: any depth is walked.
    """
    if not has_alias:
        return  # no `*` in the text: there is no alias, the graph is a tree
    from axogen.formats import ParseProblem

    size: dict[int, int] = {}  # node id -> nodes it stands for, itself included
    entered: set[int] = set()
    stack: list[tuple[Any, bool]] = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        key = id(node)
        if children_done:
            size[key] = 1 + sum(size[id(child)] for child in _children(node))
            continue
        if key in size:
            continue
        if key in entered:
            line = node.start_mark.line + 1 if node.start_mark is not None else None
            raise ParseProblem(
                "an alias refers to a node that contains it (the data would hold itself "
                "without end)",
                line,
            )
        entered.add(key)
        stack.append((node, True))
        for child in _children(node):
            if id(child) not in size:
                stack.append((child, False))
    # every node past the first time it is met was brought in by an alias
    through_aliases = size[id(root)] - len(size)
    budget[0] -= through_aliases
    if budget[0] < 0:
        line = root.start_mark.line + 1 if root.start_mark is not None else None
        raise ParseProblem(
            f"its aliases stand for {through_aliases:,} copies of nodes; axogen refuses YAML "
            f"whose aliases expand to more than {MAX_ALIAS_NODES:,} nodes (a 'billion "
            "laughs' file?)",
            line,
        )


def _children(node: Any) -> list[Any]:
    value = node.value
    if isinstance(value, str):
        return []  # a scalar
    if value and isinstance(value[0], tuple):
        return [part for pair in value for part in pair]  # a mapping's (key, value) pairs
    return list(value)


class _Unwritable(Exception):
    """A value (or key) YAML cannot hold; `dump` finds its key path."""

    def __init__(self, culprit: object, reason: str) -> None:
        super().__init__(reason)
        self.culprit = culprit
        self.reason = reason


_END: Any = object()


def _document(data: Any, ind: int, sort_keys: bool) -> str:  # noqa: C901
    """The YAML text of `data`, with an explicit stack so any nesting depth works."""
    kind = type(data)
    if kind is not dict and kind is not list:
        kind = _kind(data)
    if kind is dict and data:
        stack = [(_items(data, sort_keys), 0, True)]
    elif kind is list and data:
        stack = [(iter(data), 0, False)]
    elif kind is str and data[:1] in (" ", "\n") and not _string(data):
        # a block would need an indentation indicator, which the YAML 1.2 spec and its
        # readers count from different columns at the top level: quote instead
        return _double(data) + "\n"
    else:
        return _scalar(data, ind, ind) + "\n"

    out: list[str] = []
    write = out.append
    push = stack.append
    keys = _KEYS
    strings = _STRINGS
    writers = _WRITERS
    after_indicator = " " * (ind - 1)
    # `lead` starts the next line: its indentation, or `- ` when a collection starts on its
    # parent's sequence line (`- a: 1`)
    lead = ""
    while stack:
        entries, col, in_mapping = stack[-1]
        entry = next(entries, _END)
        if entry is _END:
            stack.pop()
            continue
        if not lead:
            lead = " " * col
        if in_mapping:
            key, value = entry
            head = keys.get(key) if type(key) is str else None
            if head is None:
                head = _key(key)
            if head[0] == "?":
                # a key too long for `key: value`: `? key`, then `: value` laid out as `- value`
                write(f"{lead}{head}\n")
                head = " " * col + ":"
                compact = True
            else:
                head = lead + head
                compact = False
        else:
            value = entry
            head = lead + "-"
            compact = True
        lead = ""
        kind = type(value)
        if kind is str:
            text = strings.get(value)
            if text is None:
                text = strings[value] = _string(value)
            if text:
                write(f"{head} {text}\n")
            else:
                write(f"{head} {_block(value, col + ind, ind)}")
            continue
        writer = writers.get(kind)
        if writer is not None:
            write(f"{head} {writer(value)}\n")
            continue
        if kind is not dict and kind is not list:
            kind = _kind(value)
        if (kind is not dict and kind is not list) or not value:
            write(f"{head} {_scalar(value, col + ind, ind)}\n")
        elif compact:
            lead = head + after_indicator
            if kind is dict:
                push((_items(value, sort_keys), col + ind, True))
            else:
                push((iter(value), col + ind, False))
        else:
            write(head + "\n")
            if kind is dict:
                push((_items(value, sort_keys), col + ind, True))
            else:
                push((iter(value), col, False))  # a sequence is not indented under its key
    return "".join(out)


def _kind(value: Any) -> type:
    """dict or list for their subclasses (and tuples), else the type itself."""
    if isinstance(value, dict):
        return dict
    if isinstance(value, (list, tuple)):
        return list
    return type(value)


def _items(mapping: dict[Any, Any], sort_keys: bool) -> Iterator[tuple[Any, Any]]:
    if not sort_keys:
        return iter(mapping.items())
    for key in mapping:
        if type(key) is not str:
            raise _Unwritable(key, _key_reason(key))
    return iter(sorted(mapping.items(), key=itemgetter(0)))


def _scalar(value: Any, col: int, ind: int) -> str:
    """A scalar's text; a literal block (at column `col`) brings its own lines."""
    kind = type(value)
    if kind is str:
        text = _STRINGS.get(value)
        if text is None:
            text = _STRINGS[value] = _string(value)
        return text or _block(value, col, ind)[:-1]
    writer = _WRITERS.get(kind)
    if writer is not None:
        return writer(value)
    if isinstance(value, dict):
        return "{}"  # only empty ones get here
    if isinstance(value, (list, tuple)):
        return "[]"
    # subclasses of the plain types (an IntEnum, a datetime subclass)
    for base, writer in _WRITERS.items():
        if isinstance(value, base):
            return writer(value)
    if isinstance(value, str):
        return _scalar(str.__str__(value), col, ind)
    raise _Unwritable(value, f"YAML cannot write a value of type {type(value).__qualname__}")


def _float(value: float) -> str:
    if math.isnan(value):
        return ".nan"
    if math.isinf(value):
        return ".inf" if value > 0 else "-.inf"
    text = float.__repr__(value)
    if "." not in text and "e" in text:
        # `1e+16` is a string to YAML 1.1 readers; `1.0e+16` is a float to all
        text = text.replace("e", ".0e", 1)
    return text


_MINUTE = dt.timedelta(minutes=1)


def _datetime(value: dt.datetime) -> str:
    offset = value.utcoffset()
    if offset is not None and offset % _MINUTE:
        raise _Unwritable(
            value,
            f"the time zone offset {offset} is not whole minutes, which YAML timestamps "
            "need; convert the datetime to UTC or write it as a string",
        )
    return value.isoformat(" ")


def _time(value: dt.time) -> str:
    # YAML has no time of day type: the ISO text, quoted like any string
    return _string(value.isoformat())


_WRITERS: dict[type, Callable[[Any], str]] = {
    bool: lambda value: "true" if value else "false",
    int: int.__repr__,
    float: _float,
    type(None): lambda value: "null",
    dt.datetime: _datetime,
    dt.date: dt.date.isoformat,
    dt.time: _time,
}

# --- strings ------------------------------------------------------------------------------

# what may appear raw in a plain or single-quoted scalar: YAML's printable characters except
# tab, U+0085/U+2028/U+2029 (line breaks to YAML 1.1, text to 1.2) and U+FEFF, that is
# \x20-\x7e \xa0-\u2027 \u202a-\ud7ff \ue000-\ufefe \uff00-\ufffd \U00010000-\U0010ffff.
# The patterns name the rest instead: re compiles a negated class over all of Unicode slowly
# (12 ms for these three, on every run with a YAML target). _CONTROLS: neither \n nor surrogates
_CONTROLS = "\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff"
_NOT_PRINTABLE = LazyPattern(f"[\n{_CONTROLS}\ud800-\udfff]")
_NOT_IN_BLOCK = LazyPattern(f"[{_CONTROLS}\ud800-\udfff]| \n| \\Z")
# lone surrogates stay as they are: no reader takes them even escaped, and the writer's
# UTF-8 check reports them for every format alike
_TO_ESCAPE = LazyPattern(f'["\\\\]|[\n{_CONTROLS}]')
_ESCAPES = {
    "\0": "\\0",
    "\x07": "\\a",
    "\x08": "\\b",
    "\t": "\\t",
    "\n": "\\n",
    "\x0b": "\\v",
    "\x0c": "\\f",
    "\r": "\\r",
    "\x1b": "\\e",
    '"': '\\"',
    "\\": "\\\\",
    "\x85": "\\N",
    "\u2028": "\\L",
    "\u2029": "\\P",
}

# a plain scalar cannot start with these (`\` only to be safe with naive readers)
_INDICATORS = frozenset("-?:,[]{}#&*!|>'\"%@`\\")

# Strings some YAML 1.1 or 1.2 reader would take for another type, generously: anything
# starting like a number (ints in any base, with `_`, floats, sexagesimals `1:30`, dates and
# timestamps), booleans and nulls of both specs in any case (`y`, `No`, `oFF`, `~`), the
# `.inf`/`.nan` forms, the merge key `<<`, the 1.1 value key `=`, and a document end `...`.
_AMBIGUOUS = LazyPattern(
    r"""
    [0-9] | [-+.]{1,2}[0-9_] | \.\.\.
    | (?: y | n | yes | no | true | false | on | off | null | ~ | = | <<
        | [-+]?\.inf | [-+]?\.nan )\Z
    """,
    re.IGNORECASE | re.VERBOSE,
)


def _string(value: str) -> str:
    """A string's text as a scalar on one line, or "" when it is best a literal block."""
    if not value:
        return "''"
    if _NOT_PRINTABLE.search(value) is None:
        if _is_plain(value):
            return value
        return "'" + value.replace("'", "''") + "'"
    if "\n" in value.rstrip("\n") and _NOT_IN_BLOCK.search(value) is None:
        return ""
    return _double(value)


def _double(value: str) -> str:
    return '"' + _TO_ESCAPE.sub(_escape, value) + '"'


def _is_plain(value: str) -> bool:
    last = value[-1]
    return not (
        value[0] in _INDICATORS
        or value[0].isspace()
        or last.isspace()
        or last == ":"
        or ": " in value
        or " #" in value
        or _AMBIGUOUS.match(value)
    )


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    known = _ESCAPES.get(char)
    if known is not None:
        return known
    code = ord(char)
    if code < 0x100:
        return f"\\x{code:02X}"
    if code < 0x10000:
        return f"\\u{code:04X}"
    return f"\\U{code:08X}"


def _block(value: str, col: int, ind: int) -> str:
    """A literal block: its header, then its lines from column `col`, each ending with "\n"."""
    # the content's indentation is given when the first line would not show it
    header = f"|{ind}" if value[0] in " \n" else "|"
    if not value.endswith("\n"):
        header += "-"
        body = value
    elif value.endswith("\n\n"):
        header += "+"
        body = value[:-1]
    else:
        body = value[:-1]
    pad = " " * col
    lines = [pad + line if line else "" for line in body.split("\n")]
    return header + "\n" + "\n".join(lines) + "\n"


def _key(key: Any) -> str:
    """`text:` for a mapping key, or `? text` for one too long to be an implicit key."""
    if type(key) is not str:
        if not isinstance(key, str):
            raise _Unwritable(key, _key_reason(key))
        return _key(str.__str__(key))
    if not key:
        text = "''"
    elif _NOT_PRINTABLE.search(key) is None:
        text = key if _is_plain(key) else "'" + key.replace("'", "''") + "'"
    else:
        text = _double(key)  # a key is never a block
    # readers look at most 1024 characters ahead for the `:` of an implicit key
    head = _KEYS[key] = f"{text}:" if len(text) <= 128 else f"? {text}"
    return head


def _key_reason(key: Any) -> str:
    return f"YAML keys written here must be text, not {type(key).__qualname__} ({key!r})"


class _Cache(dict[str, str]):
    """The written text of short strings, which come back in file after file; bounded."""

    def __setitem__(self, key: str, value: str) -> None:
        if len(key) > 200:
            return
        if len(self) >= 50_000:
            self.clear()
        super().__setitem__(key, value)


_KEYS: dict[str, str] = _Cache()
_STRINGS: dict[str, str] = _Cache()


def _locate(data: Any, culprit: object, sort_keys: bool) -> KeyPath:
    """The key path of `culprit` (a value, or a key) in `data`, searched in writing order."""
    todo: list[tuple[Any, KeyPath, bool]] = [(data, (), False)]
    while todo:
        node, path, is_key = todo.pop()
        if node is culprit:
            return path
        if is_key:
            continue
        if isinstance(node, dict):
            keys = sorted(node, key=str) if sort_keys else list(node)
            for key in reversed(keys):
                key_path = (*path, _key_name(key))
                todo.append((node[key], key_path, False))
                todo.append((key, key_path, True))
        elif isinstance(node, (list, tuple)):
            todo.extend((v, (*path, i), False) for i, v in reversed(list(enumerate(node))))
    return ()


def _key_name(key: Any) -> str:
    return key if isinstance(key, str) else repr(key)


def _indent(value: Any) -> int:
    value = contract.indent(allow_none=False)(value)
    if not 2 <= value <= 9:
        raise TypeError(f"must be between 2 and 9, got {value!r}")
    return int(value)


FORMAT = contract.Format(
    name="yaml",
    doc="A YAML file in block style; with `documents`, `variables` is a list of documents.",
    extensions=(".yaml", ".yml"),
    dump=dump,
    load=load,
    load_documents=load_documents,
    options=(
        contract.Option("indent", 2, _indent, "spaces per level, 2 to 9", "int"),
        contract.Option("sort_keys", False, contract.flag, "write the keys sorted", "bool"),
        contract.Option(
            "explicit_start", False, contract.flag, "start the document with `---`", "bool"
        ),
        contract.Option(
            "documents", False, contract.boolean, "variables is a list of documents", "bool"
        ),
    ),
    comment="#",
    cannot_hold="NaN keys, keys that are not scalars",
    libraries=("yaml",),
)

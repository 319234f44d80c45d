"""Turning the Python values a config holds into plain data every format understands.

Plain data is: str, int, float, bool, None, list, dict with str keys, and
datetime/date/time (kept native so formats with a date type can use it).
"""

from __future__ import annotations

import datetime as dt
import enum
import math
import sys
from collections.abc import Callable, Mapping
from pathlib import PurePath
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    from decimal import Decimal

KeyPath = tuple[str | int, ...]


class ValueProblem(Exception):
    """A value cannot be converted; carries the key path where it happened."""

    def __init__(self, key_path: KeyPath, reason: str) -> None:
        super().__init__(reason)
        self.key_path = key_path
        self.reason = reason


def more_problems(
    data: Any, first: ValueProblem, attempt: Callable[[Any], object], limit: int = 100
) -> list[ValueProblem]:
    """The problems after `first`: `attempt` (convert and dump) is run again on `data`
    without each bad value found so far, until it passes or finds nothing new, so that one
    run lists every value a target cannot hold. A bad value is left out of a mapping, and
    replaced by "" in a list (the other items keep their index, and so their key path).
    Stops where a key path cannot be followed (through an object that is not a dict or a
    list)."""
    found: list[ValueProblem] = []
    seen = {first.key_path}
    current, problem = data, first
    while len(found) < limit:
        pruned = _without(current, problem.key_path)
        if pruned is _CANNOT:
            break
        current = pruned
        try:
            attempt(current)
        except ValueProblem as e:
            if e.key_path in seen:
                break
            seen.add(e.key_path)
            found.append(e)
            problem = e
            continue
        except Exception:
            break
        break
    return found


_CANNOT = object()


def _without(data: Any, path: KeyPath) -> Any:
    """A copy of `data` without the value at `path` (containers copied along it only)."""
    if not path:
        return _CANNOT
    head, rest = path[0], path[1:]
    if isinstance(data, Mapping) and head in data:
        if not rest:
            return {k: v for k, v in data.items() if k != head}
        inner = _without(data[head], rest)
        return _CANNOT if inner is _CANNOT else {**data, head: inner}
    if isinstance(data, (list, tuple)) and isinstance(head, int) and 0 <= head < len(data):
        items = list(data)
        if not rest:
            items[head] = ""
            return items
        inner = _without(items[head], rest)
        if inner is _CANNOT:
            return _CANNOT
        items[head] = inner
        return items
    return _CANNOT


class Unsafe:
    """A value marked as safe to write anywhere, with the reason why. Immutable."""

    # a small class by hand, not a dataclass: `dataclasses` (with `inspect`) costs 8 ms to
    # import, and a run whose config uses neither needs it for nothing else
    __slots__ = ("reason", "value")
    value: Any
    reason: str

    def __init__(self, value: Any, reason: str) -> None:
        object.__setattr__(self, "value", value)
        object.__setattr__(self, "reason", reason)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"cannot assign to field {name!r}: Unsafe is immutable")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"cannot delete field {name!r}: Unsafe is immutable")

    def __eq__(self, other: object) -> bool:
        if type(other) is not Unsafe:
            return NotImplemented
        return (self.value, self.reason) == (other.value, other.reason)

    def __hash__(self) -> int:
        return hash((self.value, self.reason))

    def __repr__(self) -> str:
        return f"Unsafe(value={self.value!r}, reason={self.reason!r})"

    def __reduce__(self) -> tuple[type[Unsafe], tuple[Any, str]]:
        return Unsafe, (self.value, self.reason)


def unsafe(value: Any, reason: str) -> Unsafe:
    """Allow `value`, even if it looks secret, in files git would commit; `reason` says why."""
    if not isinstance(reason, str) or not reason.strip():
        raise TypeError("unsafe(value, reason): a non-empty reason is required")
    return Unsafe(value, reason.strip())


class Converted(NamedTuple):
    data: Any
    secret_paths: frozenset[KeyPath]
    unsafe_paths: dict[KeyPath, str]


def format_key_path(key_path: KeyPath) -> str:
    """`('db', 'hosts', 0)` -> `db.hosts[0]`; the empty path is `<root>`."""
    out = ""
    for part in key_path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else part
    return out or "<root>"


def type_name(value: Any) -> str:
    cls = type(value)
    mod = cls.__module__
    # classes defined in the config file itself: their bare name reads best
    if mod in ("builtins", "__axogen_config__"):
        return cls.__qualname__
    return f"{mod}.{cls.__qualname__}"


# the exact scalar types of plain data: what needs no conversion, and no check of its own
PLAIN_SCALARS = frozenset({str, int, float, bool, type(None)})

# Lists and dicts may nest this many levels deep, no deeper. Config data is never close
# (a Kubernetes manifest is about 10); data deeper than this is a mistake or hostile input,
# such as a list that contains itself. Everything after conversion walks the plain data
# recursively (the secret detector, the format dumpers, the template engines), a few Python
# frames per level: this limit keeps all of them far below Python's default recursion limit
# of 1000, whatever depth the CLI itself has reached when they run.
MAX_DEPTH = 100


def to_plain(value: Any, *, copy: bool = False) -> Converted:
    """Convert `value` recursively; raises ValueProblem naming the key path of a bad value.

    Data that is plain already (dicts with str keys, lists, str, int, float, bool, None) is
    returned as it is, not copied, unless `copy`: a caller that hands the data to code that
    may change it (a template) asks for a copy.
    """
    if not copy and _is_plain(value, 0):
        # checking costs a quarter of converting (W1's data: 1.2 against 5 µs a target)
        return Converted(value, NO_PATHS, {})
    secret: set[KeyPath] = set()
    unsafe_paths: dict[KeyPath, str] = {}
    try:
        data = _convert(value, (), secret, unsafe_paths)
    except RecursionError:
        # nesting that adds no level (ax.unsafe(ax.unsafe(...)), models that dump to
        # themselves) is not counted by the limit; it still ends here, not in a traceback
        raise ValueProblem(
            (), "the value is nested too deeply or contains itself (a list or dict inside itself)"
        ) from None
    return Converted(data, frozenset(secret) if secret else NO_PATHS, unsafe_paths)


NO_PATHS: frozenset[KeyPath] = frozenset()  # the one empty set of key paths, shared


def _is_plain(value: Any, depth: int) -> bool:
    """True when `value` is plain data already, no deeper than MAX_DEPTH."""
    cls = type(value)
    if cls is dict:
        if depth >= MAX_DEPTH:
            return False
        for key, item in value.items():
            if type(key) is not str or (
                type(item) not in PLAIN_SCALARS and not _is_plain(item, depth + 1)
            ):
                return False
        return True
    if cls is list:
        if depth >= MAX_DEPTH:
            return False
        for item in value:
            if type(item) not in PLAIN_SCALARS and not _is_plain(item, depth + 1):
                return False
        return True
    return cls in PLAIN_SCALARS


def nested_deeper_than(data: Any, limit: int = MAX_DEPTH) -> bool:
    """True when plain `data` (parsed from a file) has lists and dicts more than `limit`
    levels deep. Walked with an explicit stack: any depth is fine here."""
    stack: list[tuple[Any, int]] = [(data, 0)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, dict):
            node = node.values()
        elif not isinstance(node, list):
            continue
        if depth >= limit:
            return True
        stack.extend((item, depth + 1) for item in node if isinstance(item, (dict, list)))
    return False


def _too_deep(path: KeyPath) -> ValueProblem:
    # the first levels say where; all hundred would be a wall of text
    return ValueProblem(
        path[:3],
        f"lists and dicts nest more than {MAX_DEPTH} levels deep below this key; axogen refuses "
        f"data deeper than {MAX_DEPTH} levels (does a list or dict contain itself?)",
    )


def _convert(
    value: Any, path: KeyPath, secret: set[KeyPath], unsafe_paths: dict[KeyPath, str]
) -> Any:
    cls = type(value)
    if cls is str or cls is int or cls is bool or value is None:
        return value
    if cls is float:
        return value
    if cls is dict or isinstance(value, Mapping):
        if len(path) >= MAX_DEPTH:
            raise _too_deep(path)
        out: dict[str, Any] = {}
        for key, item in value.items():
            name = key if type(key) is str else _convert_key(key, path)
            if name in out:
                raise ValueProblem(
                    (*path, name),
                    f"two keys are both {name!r} once converted to text ({key!r} is one)",
                )
            # plain scalars need no conversion (and no key path): the common case, kept fast
            if type(item) in PLAIN_SCALARS:
                out[name] = item
            else:
                out[name] = _convert(item, (*path, name), secret, unsafe_paths)
        return out
    if cls is list or cls is tuple:
        if len(path) >= MAX_DEPTH:
            raise _too_deep(path)
        return [
            item
            if type(item) in PLAIN_SCALARS
            else _convert(item, (*path, i), secret, unsafe_paths)
            for i, item in enumerate(value)
        ]
    return _convert_other(value, path, secret, unsafe_paths)


def _convert_other(  # noqa: C901
    value: Any, path: KeyPath, secret: set[KeyPath], unsafe_paths: dict[KeyPath, str]
) -> Any:
    from pydantic import BaseModel, SecretBytes, SecretStr

    if isinstance(value, SecretStr):
        secret.add(path)
        return value.get_secret_value()
    if isinstance(value, SecretBytes):
        secret.add(path)
        raw = value.get_secret_value()
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError:
            raise ValueProblem(path, "SecretBytes value is not valid UTF-8 text") from None
    if isinstance(value, Unsafe):
        unsafe_paths[path] = value.reason
        return _convert(value.value, path, secret, unsafe_paths)
    if isinstance(value, bool):
        return bool(value)
    if isinstance(value, enum.Enum):
        return _convert(value.value, path, secret, unsafe_paths)
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value)
    if isinstance(value, str):
        return str.__str__(value)
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value
    if isinstance(value, PurePath):
        return value.as_posix()
    # a UUID, Decimal or dataclass exists only once its module is imported: asked through
    # sys.modules, a config that uses none of them does not import them (uuid, decimal and
    # dataclasses: 13 ms)
    uuid = sys.modules.get("uuid")
    if uuid is not None and isinstance(value, uuid.UUID):
        return str(value)
    decimal = sys.modules.get("decimal")
    if decimal is not None and isinstance(value, decimal.Decimal):
        return _convert_decimal(value, path)
    if isinstance(value, BaseModel):
        return _convert(value.model_dump(mode="python"), path, secret, unsafe_paths)
    dataclasses = sys.modules.get("dataclasses")
    if dataclasses is not None and dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = {f.name: getattr(value, f.name) for f in dataclasses.fields(value)}
        return _convert(fields, path, secret, unsafe_paths)
    if isinstance(value, (list, tuple, set, frozenset)) and len(path) >= MAX_DEPTH:
        raise _too_deep(path)
    if isinstance(value, (list, tuple)):
        return [_convert(item, (*path, i), secret, unsafe_paths) for i, item in enumerate(value)]
    if isinstance(value, (set, frozenset)):
        return _convert_set(value, path, secret, unsafe_paths)
    raise ValueProblem(
        path,
        f"values of type {type_name(value)} are not supported; convert it to a str, "
        "number, bool, list or dict first",
    )


def _convert_set(
    value: set[Any] | frozenset[Any],
    path: KeyPath,
    secret: set[KeyPath],
    unsafe_paths: dict[KeyPath, str],
) -> list[Any]:
    """A set as a sorted list; secret and unsafe items keep their marks at their new index."""
    item_secret: set[KeyPath] = set()
    item_unsafe: dict[KeyPath, str] = {}
    items = [_convert(item, (*path, i), item_secret, item_unsafe) for i, item in enumerate(value)]
    try:
        order = sorted(range(len(items)), key=items.__getitem__)
    except TypeError:
        raise ValueProblem(
            path, "a set of mixed types has no stable order; pass a list instead"
        ) from None
    new_index = {old: new for new, old in enumerate(order)}
    depth = len(path)

    def moved(key_path: KeyPath) -> KeyPath:
        old = key_path[depth]
        assert isinstance(old, int)
        return (*path, new_index[old], *key_path[depth + 1 :])

    secret.update(moved(p) for p in item_secret)
    unsafe_paths.update({moved(p): reason for p, reason in item_unsafe.items()})
    return [items[i] for i in order]


def _convert_key(key: Any, path: KeyPath) -> str:
    # enums first: str() of a `(str, Enum)` member is "Cls.NAME", not its value
    if isinstance(key, enum.Enum) and isinstance(key.value, str):
        return key.value
    if isinstance(key, str):
        return str.__str__(key)
    raise ValueProblem(
        (*path, repr(key)),
        f"keys must be strings, got {type_name(key)} {key!r}; use str(key)",
    )


# Python refuses to turn longer integers into text (sys.get_int_max_str_digits), so no
# format could write them; checking the exponent first also avoids building such an int
_MAX_INT_DIGITS = 4300


def _convert_decimal(value: Decimal, path: KeyPath) -> int | float:
    from decimal import Decimal  # loaded already: `value` is one

    if value.is_nan():
        return math.nan  # float() refuses a signalling NaN
    if value.is_infinite():
        return float(value)
    if value == value.to_integral_value():
        if value.adjusted() >= _MAX_INT_DIGITS:
            raise ValueProblem(path, f"Decimal {value} is too large to write as a number")
        return int(value)
    as_float = float(value)
    if Decimal(repr(as_float)) == value and math.isfinite(as_float):
        return as_float
    raise ValueProblem(
        path, f"Decimal {value} cannot be written as a number without losing precision; use str()"
    )


def collect_strings(node: Any, out: set[str]) -> None:
    """Add every non-empty string leaf of plain `node` (dicts, lists) to `out`."""
    if isinstance(node, str):
        if node:
            out.add(node)
    elif isinstance(node, dict):
        for value in node.values():
            collect_strings(value, out)
    elif isinstance(node, list):
        for value in node:
            collect_strings(value, out)

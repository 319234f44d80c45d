"""`.env` files, written so that every reader in use reads back exactly what axogen wrote.

The readers: bash and dash (`set -a; . ./x.env`), python-dotenv (with and without its
`${VAR}` interpolation), node `dotenv`, `@dotenvx/dotenvx` and Docker Compose v2's
`env_file`. Each value gets the plainest form that all the selected readers read back
unchanged: bare, then single quotes, then double quotes as it is, then double quotes with
`\\` and `"` escaped. A value is always literal: `$HOME` or `${X}` in it is written so that
no selected reader expands it, or refused. What each reader does with each form is in the
`_single`, `_double` and `_double_escaped` rules below; `tests/test_readers_env.py` checks
them against the real readers.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import re
from collections.abc import Callable, Collection, Mapping
from typing import Any

from axogen.formats import comment_block, contract, scalar_text
from axogen.lazyre import LazyPattern
from axogen.values import PLAIN_SCALARS, KeyPath, ValueProblem, format_key_path

NAME = "env"

# every reader this module writes for, in the order messages name them
READERS = (
    "bash",
    "dash",
    "python-dotenv",
    "python-dotenv-raw",
    "node-dotenv",
    "dotenvx",
    "compose",
)

_KEY = LazyPattern(r"[A-Za-z_][A-Za-z0-9_]*\Z")
_BARE = LazyPattern(r"[A-Za-z0-9_@%+,./:=-]+\Z")
# `$` that a shell expands inside double quotes: before a name, digit, special parameter,
# `{`, `(` or `[`; dotenvx and Compose expand a subset of these (`$NAME`, `${`, `$(`, `$$`)
_DOLLAR = LazyPattern(r"\$[A-Za-z0-9_{(\[@*#?$!-]")
# python-dotenv's interpolation, which it applies in every quoting
_PY_INTERPOLATES = LazyPattern(r"\$\{[^}:]*(?::-[^}]*)?\}")


def _escapes(chars: str) -> re.Pattern[str]:
    """A backslash before one of `chars`, or at the end (where it escapes the closing quote)."""
    return re.compile(r"\\(?:[" + re.escape(chars) + r"]|\Z)")


# inside double quotes, the backslash pairs each reader turns into something else
_DOUBLE_ESCAPES = {
    "bash": _escapes('$`"\\\n'),
    "dash": _escapes('$`"\\\n'),
    "python-dotenv": _escapes("abfnrtv'\"\\"),
    "python-dotenv-raw": _escapes("abfnrtv'\"\\"),
    "node-dotenv": _escapes('nr"'),
    "dotenvx": _escapes('nrt$"\\'),
    "compose": _escapes("0abfnrtv$'\"\\"),
}
_SHELLS = frozenset({"bash", "dash"})
_EXPANDERS = frozenset({"bash", "dash", "dotenvx", "compose"})
# the readers that decode `\\` and `\"` in double quotes (the others keep both characters)
_DECODE_ESCAPED = frozenset({"bash", "dash", "python-dotenv", "python-dotenv-raw", "compose"})


def _single(reader: str, value: str) -> str | None:
    """Why `reader` does not read `'value'` back as `value`, or None when it does."""
    if "'" in value:
        return "the value holds a single quote"
    if value.endswith("\\") and reader not in _SHELLS:
        return "the value ends with a backslash, which escapes the closing quote"
    if "\\\\" in value and reader.startswith("python-dotenv"):
        return "a double backslash is read as one, even in single quotes"
    if reader == "python-dotenv" and _PY_INTERPOLATES.search(value):
        return "${...} is expanded in every quoting"
    return None


def _double(reader: str, value: str) -> str | None:
    """Why `reader` does not read `"value"` (nothing escaped) back as `value`."""
    if '"' in value:
        return "the value holds a double quote"
    if _DOUBLE_ESCAPES[reader].search(value):
        return "a backslash in the value starts an escape"
    return _double_common(reader, value)


def _double_escaped(reader: str, value: str) -> str | None:
    """Why `reader` does not read `"value"` with `\\` and `"` escaped back as `value`."""
    if reader not in _DECODE_ESCAPED:
        return 'the escapes \\\\ and \\" are kept as two characters'
    return _double_common(reader, value)


def _double_common(reader: str, value: str) -> str | None:
    if reader in _SHELLS and "`" in value:
        return "a backtick runs a command in double quotes"
    if reader in _EXPANDERS and _DOLLAR.search(value):
        return "$ is expanded in double quotes"
    if reader == "python-dotenv" and _PY_INTERPOLATES.search(value):
        return "${...} is expanded in every quoting"
    return None


def _escape_double(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


# the quoted forms, plainest first: (name, why a reader misreads it, the text)
_FORMS: tuple[tuple[str, Callable[[str, str], str | None], Callable[[str], str]], ...] = (
    ("single quotes", _single, lambda v: f"'{v}'"),
    ("double quotes", _double, lambda v: f'"{v}"'),
    ("double quotes with escapes", _double_escaped, _escape_double),
)


def check_readers(readers: Any) -> tuple[str, ...]:
    """`readers` as a tuple of known reader names, in `READERS` order (None: all of them);
    TypeError if not."""
    if readers is None or readers == READERS:
        return READERS
    if isinstance(readers, str) or not isinstance(readers, Collection):
        raise TypeError(
            f"must be a list or tuple of reader names ({', '.join(READERS)}), got {readers!r}"
        )
    names = tuple(readers)
    unknown = [r for r in names if r not in READERS]
    if unknown or not names:
        what = f"names an unknown reader {unknown[0]!r}" if unknown else "names no reader"
        raise TypeError(f"{what}; readers are {', '.join(READERS)}")
    return tuple(r for r in READERS if r in names)


def dump(
    data: Any,
    *,
    header: str | None = None,
    export: bool = False,
    sort_keys: bool = False,
    separator: str = "_",
    readers: Collection[str] | None = READERS,
    keys: str = "exact",
) -> str:
    """Render a mapping as `.env` text; nested mappings become `PARENT_CHILD` names.

    Every value is written so that each of `readers` (names from `READERS`) reads it back
    unchanged, or ValueProblem names the readers that would not. `keys="upper"` first
    rewrites the names as the TypeScript axogen did (see `upper_keys`).
    """
    try:
        chosen = check_readers(readers)
    except TypeError as e:
        raise TypeError(f"env: readers {e}") from None
    if not isinstance(data, Mapping):
        raise ValueProblem(
            (), f"an env file needs a mapping of names to values, got {type(data).__name__}"
        )
    if keys == "upper":
        data = upper_keys(data, separator)
    flat: dict[str, str] = {}
    origin: dict[str, KeyPath] = {}
    _flatten(data, (), "", separator, flat, origin, chosen)
    items = sorted(flat.items()) if sort_keys else flat.items()
    prefix = "export " if export else ""
    lines = [comment_block(header, "#")] if header else []
    bare = _BARE.match  # quote's first answer, asked here: most values are written bare
    lines.extend(
        f"{prefix}{key}={value if bare(value) else quote(value, origin[key], chosen)}\n"
        for key, value in items
    )
    return "".join(lines)


def _flatten(
    data: Mapping[str, Any],
    path: KeyPath,
    prefix: str,
    separator: str,
    flat: dict[str, str],
    origin: dict[str, KeyPath],
    readers: tuple[str, ...],
) -> None:
    for key, value in data.items():
        key_path = (*path, key)
        name = f"{prefix}{separator}{key}" if prefix else key
        cls = type(value)
        if (cls is dict or (cls not in PLAIN_SCALARS and isinstance(value, Mapping))) and value:
            _flatten(value, key_path, name, separator, flat, origin, readers)
            continue
        if name not in _VALID_NAMES:
            _check_name(name, key_path)
        if name in flat:
            raise ValueProblem(
                key_path,
                f"{name!r} is also produced by {format_key_path(origin[name])}; "
                "two keys would write the same variable",
            )
        flat[name] = value if cls is str else _scalar_text(value, key_path, readers)
        origin[name] = key_path


# names already found valid: a run's env files repeat the same few dozen names, and a set
# answers in a tenth of the pattern's time
_VALID_NAMES: set[str] = set()


def _check_name(name: str, key_path: KeyPath) -> None:
    if not _KEY.match(name):
        raise ValueProblem(
            key_path,
            f"{name!r} is not a valid variable name (letters, digits and _, not starting "
            "with a digit)" + _UPPER_HINT,
        )
    if len(_VALID_NAMES) < 65536:  # bounded, whatever a config generates
        _VALID_NAMES.add(name)


_UPPER_HINT = (
    '; ax.env(..., keys="upper") upper-cases names and turns other characters into _, '
    "as the TypeScript axogen did"
)


def _sanitise(key: Any) -> str:
    return re.sub(r"[^A-Z0-9]+", "_", str(key).upper()).strip("_")


def upper_keys(data: Mapping[str, Any], separator: str = "_") -> dict[str, Any]:
    """The flat `{NAME: value}` the TypeScript axogen wrote for `data`.

    Names are upper-cased, each run of characters other than A-Z and 0-9 becomes one `_`, and
    leading or trailing `_` are dropped (`api-url` -> `API_URL`, `camelKey` -> `CAMELKEY`);
    nested mappings join names with `separator`; a list `K` becomes `K_0`, `K_1`, ... and
    `K_LENGTH` (its length); an empty mapping writes nothing.
    """
    flat: dict[str, Any] = {}
    _upper_into(data, "", separator, flat)
    return flat


def _upper_into(data: Mapping[Any, Any], prefix: str, separator: str, flat: dict[str, Any]) -> None:
    for key, value in data.items():
        name = f"{prefix}{separator}{_sanitise(key)}" if prefix else _sanitise(key)
        if isinstance(value, Mapping):
            _upper_into(value, name, separator, flat)
        elif isinstance(value, (list, tuple)):
            _upper_into(dict(enumerate(value)), name, separator, flat)
            _upper_put(flat, f"{name}{separator}LENGTH", len(value), key)
        else:
            _upper_put(flat, name, value, key)


def _upper_put(flat: dict[str, Any], name: str, value: Any, key: Any) -> None:
    if not _KEY.match(name):
        raise ValueProblem(
            (name,),
            f'keys="upper" turns {key!r} into {name!r}, which is not a valid variable name '
            "(it must start with a letter or _)",
        )
    if name in flat:
        raise ValueProblem(
            (name,), f'keys="upper" turns {key!r} into {name!r}, which another key also becomes'
        )
    flat[name] = value


def _scalar_text(value: Any, key_path: KeyPath, readers: tuple[str, ...]) -> str:
    cls = type(value)
    if cls is str:
        text: str = value
        return text
    if cls is int or cls is float:
        return repr(value)  # what scalar_text writes for them
    if cls is bool:
        return "true" if value else "false"
    if value is None or isinstance(value, (str, int, float, dt.date, dt.time)):
        return scalar_text(value, key_path, NAME)  # the same text as every untyped format
    if isinstance(value, (list, Mapping)):
        # lists (and empty mappings) become JSON, the form apps parse env lists from
        try:
            text = _list_encoder().encode(value)
        except ValueError as e:
            raise ValueProblem(key_path, f"cannot encode the list as JSON: {e}") from None
        if not _single_quotes_fit(text) and _best_form(text, readers)[1]:
            # `'`, `$`, backticks and backslashes occur only inside JSON strings, where their
            # \u escapes mean the same; without them every reader takes the single-quoted text
            text = (
                text.replace("\\\\", "\\u005c")
                .replace("'", "\\u0027")
                .replace("$", "\\u0024")
                .replace("`", "\\u0060")
            )
        return text
    raise ValueProblem(key_path, f"values of type {type(value).__name__} are not supported")


@functools.cache
def _list_encoder() -> json.JSONEncoder:
    """The encoder of lists, made once: `json.dumps` with options builds one per call."""
    return json.JSONEncoder(
        ensure_ascii=False, separators=(",", ":"), allow_nan=False, default=_json_default
    )


def _json_default(value: Any) -> Any:
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


def quote(value: str, key_path: KeyPath = (), readers: Collection[str] = READERS) -> str:
    """The `.env` form of `value` that every one of `readers` reads back unchanged."""
    if not value:
        return ""
    if _BARE.match(value):
        return value
    if "\r" in value or "\0" in value:
        what = "a carriage return" if "\r" in value else "a NUL character"
        raise ValueProblem(key_path, f"the value contains {what}, which .env readers cannot keep")
    if _single_quotes_fit(value):
        return f"'{value}'"
    written, misread = _best_form(value, tuple(readers))
    if misread is None:
        return written
    form, why = misread
    by_reason: dict[str, list[str]] = {}
    for reader, reason in why.items():
        by_reason.setdefault(reason, []).append(reader)
    readers_text = "; ".join(f"{', '.join(rs)} ({reason})" for reason, rs in by_reason.items())
    raise ValueProblem(
        key_path,
        "no .env quoting of the value is read back unchanged by every reader of the file; "
        f"the closest, {form}, is misread by {readers_text}. Change the value, narrow the "
        "readers with ax.env(..., readers=[...]), or write it to a format without this limit "
        "(json, yaml, toml)",
    )


def _single_quotes_fit(value: str) -> bool:
    """True when every reader reads `'value'` back as `value` (`_single` finds nothing): no
    quote, backslash or `$` in it. Asked before `_best_form`, which asks each reader in
    turn (with the list encoder made once and bare values written without a call, a W1 env
    target costs 168,000 instructions to write instead of 274,000)."""
    return "'" not in value and "\\" not in value and "$" not in value


def _best_form(
    value: str, readers: tuple[str, ...]
) -> tuple[str, tuple[str, dict[str, str]] | None]:
    """The first form every reader reads back (and None), or "" and the form fewest readers
    misread, with why each of them misreads it."""
    closest: tuple[str, dict[str, str]] | None = None
    for name, misreads, write in _FORMS:
        why = {r: reason for r in readers if (reason := misreads(r, value)) is not None}
        if not why:
            return write(value), None
        if closest is None or len(why) < len(closest[1]):
            closest = (name, why)
    return "", closest


def load(text: str) -> dict[str, str | None]:
    """Parse `.env` text the way python-dotenv does (no interpolation)."""
    import io

    from dotenv import dotenv_values

    return dict(dotenv_values(stream=io.StringIO(text), interpolate=False))


FORMAT = contract.Format(
    name=NAME,
    doc="A `.env` file; nested mappings become `PARENT_CHILD` names, lists become JSON.",
    extensions=(".env",),
    dump=dump,
    load=load,
    options=(
        contract.Option("export", False, contract.flag, "prefix each line with `export `", "bool"),
        contract.Option("sort_keys", False, contract.flag, "write the names sorted", "bool"),
        contract.Option("separator", "_", contract.unchecked, "joins nested names", "str"),
        contract.Option(
            "readers",
            None,
            check_readers,
            "the programs that read the file (default: all that axogen knows)",
            "Collection[str] | None",
        ),
        contract.Option(
            "keys",
            "exact",
            contract.one_of(("exact", "upper"), '"exact" or "upper"'),
            'how names are written: "exact" as given, "upper" as the TypeScript axogen did',
            "str",
        ),
    ),
    comment="#",
    cannot_hold="keys that are not shell names; values are read back as text",
    libraries=("dotenv",),
    example=contract.Example(
        variables={"NAME": "app", "PORT": 8080, "DEBUG": False, "DB": {"HOST": "localhost"}},
        loads_as={"NAME": "app", "PORT": "8080", "DEBUG": "false", "DB_HOST": "localhost"},
    ),
)

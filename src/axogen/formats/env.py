"""`.env` files, written so that shells (`set -a; . ./x.env`) and dotenv parsers agree.

Each value gets the plainest form that both a POSIX shell and python-dotenv read back as the
same string: bare when it holds only safe characters, otherwise single quotes when nothing
inside needs escaping, otherwise double quotes with `\\` and `"` escaped.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Mapping
from typing import Any

from axogen.formats import comment_block, scalar_text
from axogen.values import KeyPath, ValueProblem, format_key_path

NAME = "env"
EXTENSIONS = (".env",)

_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
_BARE = re.compile(r"[A-Za-z0-9_@%+,./:=-]+\Z")
# `$` that a shell expands inside double quotes: before a name, digit, special parameter,
# `{`, `(` or `[`; a backtick always starts command substitution.
_SHELL_EXPANDS = re.compile(r"\$[A-Za-z0-9_{(\[@*#?$!-]|`")
# python-dotenv's single quotes decode `\\` and `\'`, which a shell keeps as they are.
_SINGLE_QUOTE_UNSAFE = re.compile(r"'|\\\\|\\\Z")


def dump(
    data: Any,
    *,
    header: str | None = None,
    export: bool = False,
    sort_keys: bool = False,
    separator: str = "_",
    keys: str = "exact",
) -> str:
    """Render a mapping as `.env` text; nested mappings become `PARENT_CHILD` names.

    `keys="upper"` first rewrites the names as the TypeScript axogen did (see `upper_keys`).
    """
    if not isinstance(data, Mapping):
        raise ValueProblem(
            (), f"an env file needs a mapping of names to values, got {type(data).__name__}"
        )
    if keys == "upper":
        data = upper_keys(data, separator)
    flat: dict[str, str] = {}
    origin: dict[str, KeyPath] = {}
    _flatten(data, (), "", separator, flat, origin)
    items = sorted(flat.items()) if sort_keys else flat.items()
    prefix = "export " if export else ""
    lines = [comment_block(header, "#")] if header else []
    lines.extend(f"{prefix}{key}={quote(value, origin[key])}\n" for key, value in items)
    return "".join(lines)


def _flatten(
    data: Mapping[str, Any],
    path: KeyPath,
    prefix: str,
    separator: str,
    flat: dict[str, str],
    origin: dict[str, KeyPath],
) -> None:
    for key, value in data.items():
        key_path = (*path, key)
        name = f"{prefix}{separator}{key}" if prefix else key
        if isinstance(value, Mapping) and value:
            _flatten(value, key_path, name, separator, flat, origin)
            continue
        if not _KEY.match(name):
            raise ValueProblem(
                key_path,
                f"{name!r} is not a valid variable name (letters, digits and _, not starting "
                "with a digit)" + _UPPER_HINT,
            )
        if name in flat:
            raise ValueProblem(
                key_path,
                f"{name!r} is also produced by {format_key_path(origin[name])}; "
                "two keys would write the same variable",
            )
        flat[name] = _scalar_text(value, key_path)
        origin[name] = key_path


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


def _scalar_text(value: Any, key_path: KeyPath) -> str:
    if value is None or isinstance(value, (str, int, float, dt.date, dt.time)):
        return scalar_text(value, key_path, NAME)  # the same text as every untyped format
    if isinstance(value, (list, Mapping)):
        # lists (and empty mappings) become JSON, the form apps parse env lists from
        try:
            text = json.dumps(
                value,
                ensure_ascii=False,
                separators=(",", ":"),
                allow_nan=False,
                default=_json_default,
            )
        except ValueError as e:
            raise ValueProblem(key_path, f"cannot encode the list as JSON: {e}") from None
        if _SINGLE_QUOTE_UNSAFE.search(text) and _SHELL_EXPANDS.search(text):
            # `$` and backticks occur only inside JSON strings, where their \u escapes mean
            # the same; without them the text can be double-quoted for every reader
            text = text.replace("$", "\\u0024").replace("`", "\\u0060")
        return text
    raise ValueProblem(key_path, f"values of type {type(value).__name__} are not supported")


def _json_default(value: Any) -> Any:
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


def quote(value: str, key_path: KeyPath = ()) -> str:
    """The `.env` form of `value` that shells and python-dotenv both read back unchanged."""
    if not value:
        return ""
    if _BARE.match(value):
        return value
    if "\r" in value or "\0" in value:
        what = "a carriage return" if "\r" in value else "a NUL character"
        raise ValueProblem(key_path, f"the value contains {what}, which .env readers cannot keep")
    if not _SINGLE_QUOTE_UNSAFE.search(value):
        return f"'{value}'"
    if not _SHELL_EXPANDS.search(value):
        escaped = value.replace("\\", "\\\\").replace('"', '\\"')
        return f'"{escaped}"'
    raise ValueProblem(
        key_path,
        "the value mixes a single quote or a double backslash with `$` or a backtick; no .env "
        "quoting is read the same way by shells and dotenv parsers. Change the value, or write "
        "it to a format without this limit (json, yaml, toml)",
    )


def load(text: str) -> dict[str, str | None]:
    """Parse `.env` text the way python-dotenv does (no interpolation)."""
    import io

    from dotenv import dotenv_values

    return dict(dotenv_values(stream=io.StringIO(text), interpolate=False))

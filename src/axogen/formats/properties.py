"""Java `.properties` files, escaped exactly as `java.util.Properties.store` does.

Nested mappings become dotted keys (`db.host`); lists become indexed keys (`hosts[0]`, the
form Spring binds to lists) or, with `list_separator`, one joined value. Everything is text:
`true`/`false` for bools; None, [] and {} are an empty value. Escaping (`\\`, `=`, `:`, `#`,
`!`, spaces, line breaks, and non-ASCII as `\\uXXXX` unless `ensure_ascii=False`) comes from
the `javaproperties` library, which also reads the files back.
"""

from __future__ import annotations

import re
from typing import Any

from axogen.formats import ParseProblem, comment_block, contract, scalar_text
from axogen.values import KeyPath, ValueProblem, format_key_path


def dump(
    data: Any,
    *,
    header: str | None = None,
    separator: str = "=",
    sort_keys: bool = False,
    align: bool = False,
    list_separator: str | None = None,
    ensure_ascii: bool = True,
) -> str:
    """Render a mapping as `.properties` text ending with a newline."""
    import javaproperties

    if not isinstance(data, dict):
        raise ValueProblem(
            (), f"a .properties file needs a mapping at the top, got {type(data).__name__}"
        )
    flat: dict[str, str] = {}
    origin: dict[str, KeyPath] = {}
    _flatten(data, (), "", list_separator, flat, origin)
    items = sorted(flat.items()) if sort_keys else list(flat.items())
    keys = [javaproperties.escape(key, ensure_ascii=ensure_ascii) for key, _ in items]
    width = max(map(len, keys), default=0) if align else 0
    lines = [comment_block(header, "#")] if header else []
    if header and ensure_ascii:  # as Properties.store writes comments
        lines[0] = _NON_ASCII.sub(_u_escape, lines[0])
    for key, (_, value) in zip(keys, items, strict=True):
        escaped = javaproperties.join_key_value("", value, separator="", ensure_ascii=ensure_ascii)
        if not key:  # with a whitespace separator, the value would be read as the key
            line = f"={escaped}"
        else:
            line = f"{key.ljust(width)}{separator}{escaped}"
            if not escaped:  # no trailing blanks after the separator
                line = key if not separator.strip() else f"{key.ljust(width)}{separator.rstrip()}"
        lines.append(line + "\n")
    return "".join(lines)


_NON_ASCII = re.compile("[^\x00-\x7f]")


def _u_escape(match: re.Match[str]) -> str:
    units = match.group().encode("utf-16-be", "surrogatepass")
    return "".join(f"\\u{units[i] << 8 | units[i + 1]:04x}" for i in range(0, len(units), 2))


def _flatten(
    data: Any,
    path: KeyPath,
    name: str,
    list_separator: str | None,
    flat: dict[str, str],
    origin: dict[str, KeyPath],
) -> None:
    if isinstance(data, dict) and data:
        for key, value in data.items():
            _flatten(
                value, (*path, key), f"{name}.{key}" if name else key, list_separator, flat, origin
            )
        return
    if isinstance(data, list) and data:
        if list_separator is None:
            for i, value in enumerate(data):
                _flatten(value, (*path, i), f"{name}[{i}]", list_separator, flat, origin)
            return
        items = []
        for i, item in enumerate(data):
            text = scalar_text(item, (*path, i), ".properties joined lists")
            if list_separator in text:
                raise ValueProblem(
                    (*path, i), f"the item contains the list separator {list_separator!r}"
                )
            items.append(text)
        text = list_separator.join(items)
    elif isinstance(data, (dict, list)):
        text = ""
    else:
        text = scalar_text(data, path, ".properties")
    if name in flat:
        raise ValueProblem(
            path,
            f"the key {name!r} is also produced by {format_key_path(origin[name])}; "
            "two values would be written to the same key",
        )
    flat[name] = text
    origin[name] = path


def load(text: str) -> dict[str, str]:
    import javaproperties

    try:
        return dict(javaproperties.loads(text))
    except javaproperties.InvalidUEscapeError as e:
        raise ParseProblem(f"invalid \\u escape {e.escape!r}") from None


FORMAT = contract.Format(
    name="properties",
    doc="A Java `.properties` file: dotted keys, `list[0]` keys, Java escaping.",
    extensions=(".properties",),
    dump=dump,
    load=load,
    options=(
        contract.Option(
            "separator",
            "=",
            contract.matching(
                r"[ \t\f]*[=:][ \t\f]*|[ \t\f]+", "=, : or spaces (with optional spaces around)"
            ),
            "between key and value",
            "str",
        ),
        contract.Option("sort_keys", False, contract.boolean, "write the keys sorted", "bool"),
        contract.Option("align", False, contract.boolean, "align the separators", "bool"),
        contract.Option(
            "list_separator",
            None,
            contract.text(allow_none=True),
            "joins a list into one value; None: `key[0]` keys",
            "str | None",
        ),
        contract.Option(
            "ensure_ascii", True, contract.boolean, "write non-ASCII as `\\uXXXX`", "bool"
        ),
    ),
    comment="#",
    cannot_hold="None; values are read back as text",
    libraries=("javaproperties",),
    example=contract.Example(
        variables={"server": {"host": "localhost", "port": 8080}},
        loads_as={"server.host": "localhost", "server.port": "8080"},
    ),
)

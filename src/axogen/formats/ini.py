"""INI files: top-level mappings are sections, deeper mappings dotted sections.

`{"server": {"host": "x", "tls": {"cert": "c"}}}` is written `[server]` then `[server.tls]`.
Top-level single values go before the first section, or into `default_section` when one is
named (Python's configparser reads no keys outside a section). Lists are written one item
per indented line (`key =` then `    item`), or joined with `list_separator`. INI has no types:
everything is text, `true`/`false` for bools, empty for None. What INI readers cannot give
back unchanged (a value starting or ending with whitespace, a carriage return, a line that a
reader takes for a comment, a key with `=` or `:`) is an error, not a surprise.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from axogen.formats import ParseProblem, comment_block, contract, scalar_text
from axogen.values import KeyPath, ValueProblem

_BAD_KEY = re.compile(r"[=:\r\n]|^[\s\[#;]|\s$")
_BAD_SECTION = re.compile(r"[\r\n\]]|^\s|\s$")
# the lines after the first of a multi-line value: readers strip them and drop comments
_BAD_LINE = re.compile(r"^[\s#;]|\s$")


def dump(
    data: Any,
    *,
    header: str | None = None,
    default_section: str | None = None,
    list_separator: str | None = None,
    sort_keys: bool = False,
    delimiter: str = " = ",
) -> str:
    """Render a mapping as INI text ending with a newline."""
    if not isinstance(data, dict):
        raise ValueProblem((), f"an INI file needs a mapping at the top, got {type(data).__name__}")
    top = {k: v for k, v in data.items() if not isinstance(v, dict)}
    sections: dict[str, tuple[KeyPath, dict[str, Any]]] = {}
    if default_section is not None:
        if default_section in data:
            raise ValueProblem(
                (default_section,),
                f"the default section {default_section!r} is also a key of the variables; "
                "put its values at the top level instead",
            )
        if top:
            sections[default_section] = ((), top)
        top = {}
    for key, value in data.items():
        if isinstance(value, dict):
            _sections(key, (key,), value, sections)
    blocks = [comment_block(header, "#")] if header else []
    if top:
        blocks.append(_entries(top, (), list_separator, sort_keys, delimiter))
    names = sorted(sections) if sort_keys else list(sections)
    for name in names:
        path, values = sections[name]
        blocks.append(f"[{name}]\n" + _entries(values, path, list_separator, sort_keys, delimiter))
    return "\n".join(blocks)


def _sections(
    name: str, path: KeyPath, value: dict[str, Any], out: dict[str, tuple[KeyPath, dict[str, Any]]]
) -> None:
    """Add section `name` and its dotted subsections; a name made twice is an error."""
    if not name or _BAD_SECTION.search(name):
        raise ValueProblem(
            path,
            f"{name!r} cannot be an INI section name (empty, a line break, `]`, or space at an end)",
        )
    scalars = {k: v for k, v in value.items() if not isinstance(v, dict)}
    if scalars or not value:
        if name in out:
            raise ValueProblem(path, f"section [{name}] would be written twice (dotted names meet)")
        out[name] = (path, scalars)
    for key, item in value.items():
        if isinstance(item, dict):
            _sections(f"{name}.{key}", (*path, key), item, out)


def _entries(
    values: dict[str, Any], path: KeyPath, separator: str | None, sort_keys: bool, delimiter: str
) -> str:
    items = sorted(values.items()) if sort_keys else values.items()
    return "".join(_entry(key, value, (*path, key), separator, delimiter) for key, value in items)


def _entry(key: str, value: Any, path: KeyPath, separator: str | None, delimiter: str) -> str:
    if not key or _BAD_KEY.search(key):
        raise ValueProblem(
            path,
            f"{key!r} cannot be an INI key (empty, `=`, `:` or a line break in it, or starting "
            "with `[`, `#`, `;` or a space, or ending with a space)",
        )
    if isinstance(value, list):
        lines = list(_list_lines(value, path, separator))
    else:
        lines = _value_lines(scalar_text(value, path, "INI"), path)
    first, rest = lines[0], lines[1:]
    text = f"{key}{delimiter}{first}".rstrip() + "\n"
    return text + "".join(f"    {line}\n" if line else "\n" for line in rest)


def _list_lines(value: list[Any], path: KeyPath, separator: str | None) -> Iterator[str]:
    items = []
    for i, item in enumerate(value):
        text = scalar_text(item, (*path, i), "INI")
        if item is None or not text or "\n" in text or _BAD_LINE.search(text):
            raise ValueProblem(
                (*path, i),
                "an INI list item must be a non-empty single line, not starting with a space, "
                "`#` or `;` nor ending with a space",
            )
        if separator is not None and separator in text:
            raise ValueProblem((*path, i), f"the item contains the list separator {separator!r}")
        items.append(text)
    if separator is not None:
        yield separator.join(items)
    else:
        yield ""
        yield from items


def _value_lines(text: str, path: KeyPath) -> list[str]:
    lines = text.split("\n")
    problem = None
    if "\r" in text:
        problem = "a carriage return"
    elif text != text.strip():
        problem = "whitespace or a line break at its start or end"
    elif any(_BAD_LINE.search(line) for line in lines[1:] if line):
        problem = "a line starting with a space, `#` or `;`, or ending with a space"
    if problem:
        raise ValueProblem(path, f"INI readers cannot keep a value with {problem}")
    return lines


# the name under which keys before the first section are read; no real file has it
_TOP = "\0top"


def load(text: str) -> dict[str, Any]:
    """Read INI text: keys before any section at the top, then one dict per section.

    Values are strings; keys keep their case; no `%` interpolation.
    """
    import configparser

    parser = configparser.ConfigParser(
        interpolation=None, default_section="\0defaults", strict=True, delimiters=("=", ":")
    )
    parser.optionxform = str  # type: ignore[assignment, method-assign]
    try:
        parser.read_string(f"[{_TOP}]\n{text}")
    except configparser.ParsingError as e:
        lineno = e.errors[0][0] - 1 if e.errors else None
        raise ParseProblem(f"cannot parse {e.errors[0][1]!r}", lineno) from None
    except (configparser.DuplicateSectionError, configparser.DuplicateOptionError) as e:
        raise ParseProblem(
            e.message.split(": ", 1)[-1], e.lineno - 1 if e.lineno else None
        ) from None
    except configparser.Error as e:
        raise ParseProblem(e.message) from None
    out: dict[str, Any] = {}
    for name in parser.sections():
        values = dict(parser.items(name, raw=True))
        if name == _TOP:
            out.update(values)
        else:
            out[name] = values
    return out


FORMAT = contract.Format(
    name="ini",
    doc="An INI file: mappings are sections, deeper mappings dotted sections (`[a.b]`).",
    extensions=(".ini", ".cfg"),
    dump=dump,
    load=load,
    options=(
        contract.Option(
            "default_section",
            None,
            contract.text(allow_none=True),
            "the section for top-level values",
            "str | None",
        ),
        contract.Option(
            "list_separator",
            None,
            contract.text(allow_none=True),
            "joins a list into one value; None: one line per item",
            "str | None",
        ),
        contract.Option("sort_keys", False, contract.boolean, "write the keys sorted", "bool"),
        contract.Option(
            "delimiter",
            " = ",
            contract.matching(r"[ \t]*[=:][ \t]*", "= or : with optional spaces"),
            "between key and value",
            "str",
        ),
    ),
    comment="#",
    cannot_hold="None; values are read back as text",
    example=contract.Example(
        variables={"server": {"host": "localhost", "port": 8080}},
        loads_as={"server": {"host": "localhost", "port": "8080"}},
    ),
)

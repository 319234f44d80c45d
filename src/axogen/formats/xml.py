"""XML files, in xmltodict's convention: a mapping is an element's children, a key starting
with `@` an attribute, the key `#text` the element's own text, and a list repeated elements.

`{"server": {"@port": 80, "name": "a", "alias": ["b", "c"]}}` under the root `config`:

    <config>
      <server port="80">
        <name>a</name>
        <alias>b</alias>
        <alias>c</alias>
      </server>
    </config>

Written by our own emitter, because xmltodict's writer drops empty lists, accepts names no
XML reader does and writes carriage returns that readers turn into line feeds. Read with
xmltodict after defusedxml has checked the text (no entity expansion, no external entities).
"""

from __future__ import annotations

import functools
import re
from typing import Any

from axogen.formats import ParseProblem, comment_block, contract, scalar_text
from axogen.values import KeyPath, ValueProblem

_ASCII_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.\-]*(?::[A-Za-z_][A-Za-z0-9_.\-]*)?\Z")
_NOT_XML_CHAR = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_TEXT_ESCAPES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"}
_ATTR_ESCAPES = {**_TEXT_ESCAPES, '"': "&quot;", "\n": "&#10;", "\t": "&#9;"}
_TEXT_SPECIAL = re.compile("[&<>\r]")
_ATTR_SPECIAL = re.compile('[&<>\r"\n\t]')


def dump(
    data: Any,
    *,
    header: str | None = None,
    root: str | None = "config",
    declaration: bool = True,
    indent: int = 2,
) -> str:
    """Render plain data as an XML document ending with a newline; `indent=0` is one line.

    With the default root and variables of exactly one key (not an attribute, not a list),
    that key is the root element: `{"config": {"@id": "x"}}` is `<config id="x">`.
    """
    if root == "config" and isinstance(data, dict) and len(data) == 1:
        ((key, value),) = data.items()
        if isinstance(key, str) and _attribute(key) is None and not isinstance(value, list):
            root = None
    if root is None:
        elements = [k for k in data if _attribute(k) is None] if isinstance(data, dict) else []
        if not isinstance(data, dict) or len(elements) != 1 or len(data) != 1:
            raise ValueProblem(
                (),
                "with root=None the variables must be a mapping with exactly one key, the root "
                "element; or name the root element with root=",
            )
        ((root, data),) = data.items()
        path: KeyPath = (root,)
    else:
        path = ()
    if isinstance(data, list):
        raise ValueProblem(path, "the root element cannot be a list (XML has one root element)")
    out: list[str] = []
    _element(root, data, path, 0, " " * indent if indent else None, out, frozenset(["xml"]))
    lines = ['<?xml version="1.0" encoding="UTF-8"?>'] if declaration else []
    if header:
        lines.extend(
            f"{line} -->" for line in comment_block(_comment_safe(header), "<!--").splitlines()
        )
    lines.append("".join(out) if not indent else "\n".join(out))
    return "\n".join(lines) + "\n"


def _comment_safe(text: str) -> str:
    while "--" in text:
        text = text.replace("--", "- -")
    return text


def _element(
    name: str,
    value: Any,
    path: KeyPath,
    depth: int,
    unit: str | None,
    out: list[str],
    prefixes: frozenset[str],
) -> None:
    if isinstance(value, dict):
        declared = [
            a[6:] for a in map(_attribute, value) if a is not None and a.startswith("xmlns:")
        ]
        if declared:
            prefixes = prefixes.union(declared)
    _check_name(name, path, "element", prefixes)
    if isinstance(value, list):
        _repeated(name, value, path, depth, unit, out, prefixes)
        return
    attrs, children, text = _parts(value, path, prefixes)
    pad = unit * depth if unit else ""
    start = f"<{name}{''.join(attrs)}"
    if not children:
        out.append(f"{pad}{start}/>" if text is None else f"{pad}{start}>{text}</{name}>")
        return
    if unit is None or text is not None:
        # mixed content: indentation would change the text, so the element stays on one line
        inner: list[str] = []
        for key, item in children:
            _element(key, item, (*path, key), 0, None, inner, prefixes)
        out.append(f"{pad}{start}>{text or ''}{''.join(inner)}</{name}>")
        return
    out.append(f"{pad}{start}>")
    for key, item in children:
        _element(key, item, (*path, key), depth + 1, unit, out, prefixes)
    out.append(f"{pad}</{name}>")


def _repeated(
    name: str,
    value: list[Any],
    path: KeyPath,
    depth: int,
    unit: str | None,
    out: list[str],
    prefixes: frozenset[str],
) -> None:
    if not value:
        raise ValueProblem(
            path,
            "an empty list has no XML form (it would be no element at all); "
            "use None for an empty element",
        )
    for i, item in enumerate(value):
        if isinstance(item, list):
            raise ValueProblem(
                (*path, i),
                "a list directly inside a list has no XML form; make each item a mapping",
            )
        _element(name, item, (*path, i), depth, unit, out, prefixes)


def _parts(
    value: Any, path: KeyPath, prefixes: frozenset[str]
) -> tuple[list[str], list[tuple[str, Any]], str | None]:
    """An element's attributes (as text), children and own text (escaped)."""
    attrs: list[str] = []
    children: list[tuple[str, Any]] = []
    text: str | None = None
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "#text":
                text = None if item is None else _text(item, (*path, key))
            elif (attr := _attribute(key)) is not None:
                _check_name(attr, (*path, key), "attribute", prefixes | {"xmlns"})
                escaped = _ATTR_SPECIAL.sub(_attr_escape, _plain(item, (*path, key)))
                attrs.append(f' {attr}="{escaped}"')
            else:
                children.append((key, item))
    elif value is not None:
        text = _text(value, path)
    return attrs, children, text


def _attribute(key: Any) -> str | None:
    """The attribute a key names (`@id`, or `@_id` as fast-xml-parser spells it), or None."""
    if not isinstance(key, str) or not key.startswith("@"):
        return None
    return key[2:] if key.startswith("@_") else key[1:]


def _plain(value: Any, path: KeyPath) -> str:
    if isinstance(value, (dict, list)):
        raise ValueProblem(
            path, "an attribute or #text value must be a single value, not a list or mapping"
        )
    text = scalar_text(value, path, "XML")
    bad = _NOT_XML_CHAR.search(text)
    if bad:
        raise ValueProblem(path, f"XML 1.0 cannot hold the character {bad.group()!r}")
    return text


def _text(value: Any, path: KeyPath) -> str:
    return _TEXT_SPECIAL.sub(_text_escape, _plain(value, path))


def _text_escape(match: re.Match[str]) -> str:
    return _TEXT_ESCAPES[match.group()]


def _attr_escape(match: re.Match[str]) -> str:
    return _ATTR_ESCAPES[match.group()]


def _check_name(name: str, path: KeyPath, kind: str, prefixes: frozenset[str]) -> None:
    if not (_ASCII_NAME.match(name) if name.isascii() else _parses_as_name(name)):
        raise ValueProblem(
            path,
            f"{name!r} is not a valid XML {kind} name (a letter or _ first, then letters, "
            "digits, `-`, `.` or `_`; at most one `:` between a prefix and a name)",
        )
    prefix, colon, _ = name.partition(":")
    if colon and prefix not in prefixes:
        raise ValueProblem(
            path,
            f"the namespace prefix {prefix!r} of {name!r} is not declared; add "
            f"'@xmlns:{prefix}' to this element or one that holds it",
        )


@functools.lru_cache(maxsize=1024)
def _parses_as_name(name: str) -> bool:
    """Non-ASCII names: whatever expat, the parser behind Python's XML readers, accepts."""
    from xml.parsers import expat

    if name.count(":") > 1 or name.startswith(":") or name.endswith(":"):
        return False
    parser = expat.ParserCreate()
    try:
        parser.Parse(f'<{name} {name}=""/>'.encode(), True)
    except expat.ExpatError:
        return False
    return True


def load(text: str) -> Any:
    """Parse XML safely into xmltodict's structure: `{root: {...}}`, all values text."""
    import xmltodict
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import ParseError, fromstring

    try:
        fromstring(text)  # refuses entity declarations and external references
    except ParseError as e:
        line, column = e.position
        message = str(e).split(":", 1)[0]
        raise ParseProblem(f"{message} (column {column + 1})", line) from None
    except DefusedXmlException as e:
        raise ParseProblem(f"refused for safety ({type(e).__name__}): {e}") from None
    return xmltodict.parse(text, disable_entities=True)


FORMAT = contract.Format(
    name="xml",
    doc="An XML file: `@key` attributes, `#text` text, lists as repeated elements.",
    extensions=(".xml",),
    dump=dump,
    load=load,
    options=(
        contract.Option(
            "root",
            "config",
            contract.text(allow_none=True),
            "the root element; None: the variables' one key",
            "str | None",
        ),
        contract.Option("declaration", True, contract.boolean, "start with `<?xml ...?>`", "bool"),
        contract.Option(
            "indent", 2, contract.indent(allow_none=False), "spaces per level; 0: one line", "int"
        ),
    ),
    comment="<!-- -->",
    cannot_hold="names that are not XML names; values are read back as text",
    libraries=("xmltodict", "defusedxml"),
    example=contract.Example(
        variables={"server": {"host": "localhost", "port": 8080}},
        loads_as={"server": {"host": "localhost", "port": "8080"}},
    ),
)

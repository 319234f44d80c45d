"""mkdocs hook: the reference's section on target factories, made from the format records.

The factories (`ax.env`, `ax.json`, ...) are built from each format's record at first use,
so there is no function for mkdocstrings to read; this writes the same facts from the
records themselves, where `<!-- target factories -->` stands in docs/reference.md.
"""

from __future__ import annotations

import inspect
from typing import Any

MARK = "<!-- target factories -->"


def on_page_markdown(markdown: str, page: Any, config: Any, files: Any) -> str:
    if MARK not in markdown:
        return markdown
    return markdown.replace(MARK, factories())


def factories() -> str:
    from axogen import targets
    from axogen.formats import FORMATS, get_format

    parts = []
    for name in FORMATS:
        fmt = get_format(name)
        if not fmt.factory:
            continue
        signature = _shown(inspect.signature(getattr(targets, name)))
        parts.append(f"### `ax.{name}{signature}`\n\n{fmt.doc}\n")
        if fmt.extensions:
            parts.append(
                "Read back by `load_file` from "
                + ", ".join(f"`{e}`" for e in fmt.extensions)
                + ".\n"
            )
        if fmt.options:
            rows = ["| option | default | what it does |", "|---|---|---|"]
            rows += [f"| `{o.name}` | `{o.default!r}` | {o.doc} |" for o in fmt.options]
            parts.append("\n".join(rows) + "\n")
        if fmt.cannot_hold:
            parts.append(f"Cannot hold: {fmt.cannot_hold}.\n")
    return "\n".join(parts)


def _shown(signature: inspect.Signature) -> str:
    """The signature as a config author reads it: annotations unquoted."""
    words = []
    star = False
    for p in signature.parameters.values():
        if p.kind is p.KEYWORD_ONLY and not star:
            words.append("*")
            star = True
        word = p.name
        if p.annotation is not p.empty:
            word += f": {p.annotation}"
        if p.default is not p.empty:
            word += f" = {p.default!r}"
        words.append(word)
    return f"({', '.join(words)})"

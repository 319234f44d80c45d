"""Target factories: `ax.env(...)`, `ax.json(...)`, `ax.yaml(...)`, `ax.toml(...)` and the rest.

Each checks its arguments at once, so a mistake points at the line of the config that made it.
Per-format options are real keyword arguments: a misspelt one is a TypeError, never ignored.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from axogen.config.model import Target


def _target(
    format: str,
    path: str | os.PathLike[str],
    variables: Any,
    schema: Any,
    condition: Any,
    header: bool | str,
    mode: int | None,
    options: dict[str, Any],
    *,
    backup: Any = False,
) -> Target:
    from axogen.generate.backup import as_backup

    if isinstance(path, os.PathLike):
        path = os.fspath(path)
    if not isinstance(path, str) or not path.strip():
        raise TypeError(f"{format}(): path must be a non-empty string, got {path!r}")
    if not isinstance(header, (bool, str)):
        raise TypeError(f"{format}(): header must be True, False or a string, got {header!r}")
    if mode is not None and (
        isinstance(mode, bool) or not isinstance(mode, int) or not 0 <= mode <= 0o777
    ):
        raise TypeError(f"{format}(): mode must be an int such as 0o600, got {mode!r}")
    return Target(
        format=format,
        path=path,
        variables={} if variables is None else variables,
        schema=schema,
        condition=bool(condition),
        header=header,
        mode=mode,
        options=options,
        backup=as_backup(backup),
    )


def _check_indent(format: str, indent: Any, *, allow_none: bool) -> None:
    if indent is None and allow_none:
        return
    if isinstance(indent, bool) or not isinstance(indent, int) or indent < 0:
        raise TypeError(f"{format}(): indent must be a non-negative int, got {indent!r}")


def env(
    path: str | os.PathLike[str],
    variables: Any = None,
    *,
    schema: Any = None,
    condition: Any = True,
    header: bool | str = True,
    mode: int | None = None,
    backup: Any = False,
    export: bool = False,
    sort_keys: bool = False,
    separator: str = "_",
    keys: str = "exact",
) -> Target:
    """A `.env` file; nested mappings become `PARENT_CHILD` names, lists become JSON.

    `keys="upper"` names variables as the TypeScript axogen did: upper-cased and sanitised
    (`api-url` -> `API_URL`), lists as `K_0`, `K_1`, ..., `K_LENGTH`.
    """
    if keys not in ("exact", "upper"):
        raise TypeError(f'env(): keys must be "exact" or "upper", got {keys!r}')
    options = {
        "export": bool(export),
        "sort_keys": bool(sort_keys),
        "separator": separator,
        "keys": keys,
    }
    return _target("env", path, variables, schema, condition, header, mode, options, backup=backup)


def json(
    path: str | os.PathLike[str],
    variables: Any = None,
    *,
    schema: Any = None,
    condition: Any = True,
    header: bool | str = True,
    mode: int | None = None,
    backup: Any = False,
    indent: int | None = 2,
    sort_keys: bool = False,
    ensure_ascii: bool = False,
) -> Target:
    """A JSON file; `indent=0` (or None) writes it compact."""
    _check_indent("json", indent, allow_none=True)
    options = {"indent": indent, "sort_keys": bool(sort_keys), "ensure_ascii": bool(ensure_ascii)}
    return _target("json", path, variables, schema, condition, header, mode, options, backup=backup)


def yaml(
    path: str | os.PathLike[str],
    variables: Any = None,
    *,
    schema: Any = None,
    condition: Any = True,
    header: bool | str = True,
    mode: int | None = None,
    backup: Any = False,
    indent: int = 2,
    sort_keys: bool = False,
    explicit_start: bool = False,
    documents: bool = False,
) -> Target:
    """A YAML file in block style; with `documents`, `variables` is a list of documents."""
    _check_indent("yaml", indent, allow_none=False)
    if not 2 <= indent <= 9:
        raise TypeError(f"yaml(): indent must be between 2 and 9, got {indent!r}")
    options = {
        "indent": indent,
        "sort_keys": bool(sort_keys),
        "explicit_start": bool(explicit_start),
        "documents": _check_bool("yaml", "documents", documents),
    }
    return _target("yaml", path, variables, schema, condition, header, mode, options, backup=backup)


def toml(
    path: str | os.PathLike[str],
    variables: Any = None,
    *,
    schema: Any = None,
    condition: Any = True,
    header: bool | str = True,
    mode: int | None = None,
    backup: Any = False,
    sort_keys: bool = False,
    indent: int = 4,
    multiline_strings: bool = False,
) -> Target:
    """A TOML file; the variables must be a mapping and hold no None."""
    _check_indent("toml", indent, allow_none=False)
    options = {
        "sort_keys": bool(sort_keys),
        "indent": indent,
        "multiline_strings": bool(multiline_strings),
    }
    return _target("toml", path, variables, schema, condition, header, mode, options, backup=backup)


def env_example(
    path: str | os.PathLike[str] = ".env.example",
    *,
    schema: Any,
    condition: Any = True,
    header: bool | str = True,
    mode: int | None = None,
    backup: Any = False,
) -> Target:
    """A `.env.example` documenting every field of the `load_env` model, without real values."""
    from pydantic import BaseModel

    if not (isinstance(schema, type) and issubclass(schema, BaseModel)):
        raise TypeError(f"env_example(): schema must be a pydantic model class, got {schema!r}")
    return _target("env_example", path, None, schema, condition, header, mode, {}, backup=backup)


def _check_bool(format: str, name: str, value: Any) -> bool:
    if not isinstance(value, bool):
        raise TypeError(f"{format}(): {name} must be True or False, got {value!r}")
    return value


def _check_text(format: str, name: str, value: Any, *, allow_none: bool = False) -> Any:
    if value is None and allow_none:
        return None
    if not isinstance(value, str) or not value:
        raise TypeError(f"{format}(): {name} must be a non-empty string, got {value!r}")
    return value


def json5(
    path: str | os.PathLike[str],
    variables: Any = None,
    *,
    schema: Any = None,
    condition: Any = True,
    header: bool | str = True,
    mode: int | None = None,
    backup: Any = False,
    indent: int | None = 2,
    sort_keys: bool = False,
    ensure_ascii: bool = False,
    quote_keys: bool = False,
    trailing_commas: bool = True,
) -> Target:
    """A JSON5 file: `//` header, unquoted keys, trailing commas; `indent=0` is compact."""
    _check_indent("json5", indent, allow_none=True)
    options = {
        "indent": indent,
        "sort_keys": _check_bool("json5", "sort_keys", sort_keys),
        "ensure_ascii": _check_bool("json5", "ensure_ascii", ensure_ascii),
        "quote_keys": _check_bool("json5", "quote_keys", quote_keys),
        "trailing_commas": _check_bool("json5", "trailing_commas", trailing_commas),
    }
    return _target(
        "json5", path, variables, schema, condition, header, mode, options, backup=backup
    )


def jsonc(
    path: str | os.PathLike[str],
    variables: Any = None,
    *,
    schema: Any = None,
    condition: Any = True,
    header: bool | str = True,
    mode: int | None = None,
    backup: Any = False,
    indent: int | None = 2,
    sort_keys: bool = False,
    ensure_ascii: bool = False,
) -> Target:
    """JSON with a `//` comment header (VS Code settings, tsconfig.json)."""
    _check_indent("jsonc", indent, allow_none=True)
    options = {
        "indent": indent,
        "sort_keys": _check_bool("jsonc", "sort_keys", sort_keys),
        "ensure_ascii": _check_bool("jsonc", "ensure_ascii", ensure_ascii),
    }
    return _target(
        "jsonc", path, variables, schema, condition, header, mode, options, backup=backup
    )


def hjson(
    path: str | os.PathLike[str],
    variables: Any = None,
    *,
    schema: Any = None,
    condition: Any = True,
    header: bool | str = True,
    mode: int | None = None,
    backup: Any = False,
    indent: int | None = 2,
    sort_keys: bool = False,
    ensure_ascii: bool = False,
) -> Target:
    """An Hjson file: `#` header, quoteless strings; `indent=0` writes compact JSON."""
    _check_indent("hjson", indent, allow_none=True)
    options = {
        "indent": indent,
        "sort_keys": _check_bool("hjson", "sort_keys", sort_keys),
        "ensure_ascii": _check_bool("hjson", "ensure_ascii", ensure_ascii),
    }
    return _target(
        "hjson", path, variables, schema, condition, header, mode, options, backup=backup
    )


def ini(
    path: str | os.PathLike[str],
    variables: Any = None,
    *,
    schema: Any = None,
    condition: Any = True,
    header: bool | str = True,
    mode: int | None = None,
    backup: Any = False,
    default_section: str | None = None,
    list_separator: str | None = None,
    sort_keys: bool = False,
    delimiter: str = " = ",
) -> Target:
    """An INI file: mappings are sections, deeper mappings dotted sections (`[a.b]`)."""
    import re

    if not isinstance(delimiter, str) or not re.fullmatch(r"[ \t]*[=:][ \t]*", delimiter):
        raise TypeError(f"ini(): delimiter must be = or : with optional spaces, got {delimiter!r}")
    options = {
        "default_section": _check_text("ini", "default_section", default_section, allow_none=True),
        "list_separator": _check_text("ini", "list_separator", list_separator, allow_none=True),
        "sort_keys": _check_bool("ini", "sort_keys", sort_keys),
        "delimiter": delimiter,
    }
    return _target("ini", path, variables, schema, condition, header, mode, options, backup=backup)


def properties(
    path: str | os.PathLike[str],
    variables: Any = None,
    *,
    schema: Any = None,
    condition: Any = True,
    header: bool | str = True,
    mode: int | None = None,
    backup: Any = False,
    separator: str = "=",
    sort_keys: bool = False,
    align: bool = False,
    list_separator: str | None = None,
    ensure_ascii: bool = True,
) -> Target:
    """A Java `.properties` file: dotted keys, `list[0]` keys, Java escaping."""
    import re

    if not isinstance(separator, str) or not re.fullmatch(
        r"[ \t\f]*[=:][ \t\f]*|[ \t\f]+", separator
    ):
        raise TypeError(
            f"properties(): separator must be =, : or spaces (with optional spaces around), "
            f"got {separator!r}"
        )
    options = {
        "separator": separator,
        "sort_keys": _check_bool("properties", "sort_keys", sort_keys),
        "align": _check_bool("properties", "align", align),
        "list_separator": _check_text(
            "properties", "list_separator", list_separator, allow_none=True
        ),
        "ensure_ascii": _check_bool("properties", "ensure_ascii", ensure_ascii),
    }
    return _target(
        "properties", path, variables, schema, condition, header, mode, options, backup=backup
    )


def xml(
    path: str | os.PathLike[str],
    variables: Any = None,
    *,
    schema: Any = None,
    condition: Any = True,
    header: bool | str = True,
    mode: int | None = None,
    backup: Any = False,
    root: str | None = "config",
    declaration: bool = True,
    indent: int = 2,
) -> Target:
    """An XML file: `@key` attributes, `#text` text, lists as repeated elements."""
    _check_indent("xml", indent, allow_none=False)
    options = {
        "root": _check_text("xml", "root", root, allow_none=True),
        "declaration": _check_bool("xml", "declaration", declaration),
        "indent": indent,
    }
    return _target("xml", path, variables, schema, condition, header, mode, options, backup=backup)


def csv(
    path: str | os.PathLike[str],
    variables: Any = None,
    *,
    schema: Any = None,
    condition: Any = True,
    header: bool | str = True,
    mode: int | None = None,
    backup: Any = False,
    columns: list[str] | tuple[str, ...] | None = None,
    delimiter: str = ",",
    quote_char: str = '"',
    line_terminator: str = "\n",
) -> Target:
    """A CSV file from a list of rows (mappings); the header is every key, first seen first."""
    for name, value in (("delimiter", delimiter), ("quote_char", quote_char)):
        if not isinstance(value, str) or len(value) != 1 or value in "\r\n":
            raise TypeError(
                f"csv(): {name} must be one character (not a line break), got {value!r}"
            )
    if delimiter == quote_char:
        raise TypeError("csv(): delimiter and quote_char must differ")
    if line_terminator not in ("\n", "\r\n"):
        raise TypeError(
            f'csv(): line_terminator must be "\\n" or "\\r\\n", got {line_terminator!r}'
        )
    if columns is not None:
        if isinstance(columns, str) or not all(isinstance(c, str) for c in columns):
            raise TypeError(f"csv(): columns must be a list of strings, got {columns!r}")
        if len(set(columns)) != len(columns):
            raise TypeError(f"csv(): columns has a name twice: {list(columns)!r}")
        columns = list(columns)
    options = {
        "columns": columns,
        "delimiter": delimiter,
        "quote_char": quote_char,
        "line_terminator": line_terminator,
    }
    rows = [] if variables is None else variables
    return _target("csv", path, rows, schema, condition, header, mode, options, backup=backup)


def cson(
    path: str | os.PathLike[str],
    variables: Any = None,
    *,
    schema: Any = None,
    condition: Any = True,
    header: bool | str = True,
    mode: int | None = None,
    backup: Any = False,
    indent: int = 2,
    sort_keys: bool = False,
) -> Target:
    """A CSON (CoffeeScript Object Notation) file."""
    _check_indent("cson", indent, allow_none=False)
    if indent == 0:
        raise TypeError("cson(): indent must be at least 1 (CSON nests by indentation)")
    options = {"indent": indent, "sort_keys": _check_bool("cson", "sort_keys", sort_keys)}
    return _target("cson", path, variables, schema, condition, header, mode, options, backup=backup)


def template(
    path: str | os.PathLike[str],
    variables: Any = None,
    *,
    template: str | os.PathLike[str],
    engine: str = "jinja2",
    strict: bool = True,
    schema: Any = None,
    condition: Any = True,
    header: bool | str = True,
    mode: int | None = None,
    backup: Any = False,
) -> Target:
    """A file rendered from `template` (relative to the config's folder) with the variables.

    `engine` is "jinja2" (alias "nunjucks"), "mustache" or "handlebars". With `strict`, a
    name the template uses that `variables` lacks is an error. No header is added to the
    output; the template may place `axogen_header` itself.
    """
    from axogen.config import context
    from axogen.templates import ENGINES, template_file

    if engine not in ENGINES:
        raise TypeError(f"template(): engine must be one of {', '.join(ENGINES)}; got {engine!r}")
    if isinstance(template, os.PathLike):
        template = os.fspath(template)
    if not isinstance(template, str) or not template.strip():
        raise TypeError(f"template(): template must be a file path, got {template!r}")
    ctx = context.current()
    file = template_file(template, ctx.root if ctx is not None else Path.cwd())
    options = {
        "template": str(file),
        "engine": "jinja2" if engine == "nunjucks" else engine,
        "strict": _check_bool("template", "strict", strict),
        "template_name": template,
    }
    return _target(
        "template", path, variables, schema, condition, header, mode, options, backup=backup
    )

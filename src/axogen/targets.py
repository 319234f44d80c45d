"""Target factories: `ax.env(...)`, `ax.json(...)`, `ax.yaml(...)`, `ax.toml(...)`.

Each checks its arguments at once, so a mistake points at the line of the config that made it.
Per-format options are real keyword arguments: a misspelt one is a TypeError, never ignored.
"""

from __future__ import annotations

import os
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
) -> Target:
    """A `.env` file; nested mappings become `PARENT_CHILD` names, lists become JSON."""
    options = {"export": bool(export), "sort_keys": bool(sort_keys), "separator": separator}
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
) -> Target:
    """A YAML file in block style."""
    _check_indent("yaml", indent, allow_none=False)
    if not 2 <= indent <= 9:
        raise TypeError(f"yaml(): indent must be between 2 and 9, got {indent!r}")
    options = {
        "indent": indent,
        "sort_keys": bool(sort_keys),
        "explicit_start": bool(explicit_start),
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

"""`load_file`: read a file in any supported format, optionally validated by a pydantic schema."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

from axogen.errors import ConfigError


def format_for(path: str | os.PathLike[str]) -> str | None:
    """The format a file name implies: its extension, or `.env`-style names
    (`.env`, `.env.local`, `.env.example`, `app.env`); None when it implies none."""
    from axogen.formats import get_format, loadable

    name = Path(path).name.lower()
    best: tuple[int, str] | None = None
    for fmt in loadable():
        for ext in get_format(fmt).extensions:
            if name.endswith(ext) and len(name) > len(ext) and (best is None or len(ext) > best[0]):
                best = (len(ext), fmt)
    if best is not None:
        return best[1]
    if name == ".env" or name.startswith(".env.") or name.endswith(".env.example"):
        return "env"
    return None


def load_file(
    path: str | os.PathLike[str],
    format: str | None = None,
    schema: Any = None,
    *,
    documents: bool = False,
) -> Any:
    """Read `path` (relative to the config's folder) and return its data.

    The format comes from the file name unless `format` is given (env, json, json5, jsonc,
    hjson, yaml, toml, ini, properties, xml, csv, cson, txt). With `schema` (a pydantic
    model or any type pydantic validates), the data is validated and returned typed; every
    invalid field is reported at once. Errors name the file and, when known, the line.
    `documents=True` (YAML only) reads a multi-document stream as the list of its documents.
    """
    from axogen.config import context
    from axogen.formats import FORMATS, ParseProblem, get_format, loadable

    shown = os.fspath(path)
    if format is None:
        format = format_for(shown)
        if format is None:
            raise ConfigError(
                f"load_file({shown!r}): cannot tell the format from the file name",
                hint=f"pass format=, one of: {', '.join(loadable())}",
            )
    fmt = get_format(format) if isinstance(format, str) and format in FORMATS else None
    if fmt is None or fmt.load is None:
        raise ConfigError(
            f"load_file({shown!r}): unknown format {format!r}; one of: {', '.join(loadable())}"
        )
    load = fmt.load
    if documents is not False:
        if documents is not True or fmt.load_documents is None:
            raise ConfigError(
                f"load_file({shown!r}): documents=True is for YAML files"
                if documents is True
                else f"load_file({shown!r}): documents must be True or False, got {documents!r}"
            )
        load = fmt.load_documents
    file = context.resolve(shown)
    try:
        text = file.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"load_file: {shown}: no such file (looked for {file})") from None
    except (OSError, UnicodeDecodeError) as e:
        raise ConfigError(f"load_file: cannot read {shown}: {e}") from None
    if text.startswith("\ufeff"):
        text = text[1:]
    try:
        data = load(text)
    except ParseProblem as e:
        raise ConfigError(f"{_where(shown, e.line)}: invalid {format}: {e.reason}") from None
    except Exception as e:
        reason, line = _describe(e)
        hint = None
        if fmt.load_documents is not None and "expected a single document" in str(e):
            hint = "the file holds several YAML documents: load_file(..., documents=True)"
        raise ConfigError(f"{_where(shown, line)}: invalid {format}: {reason}", hint=hint) from None
    if format == "env":  # the one format envcrypt seals values in
        _refuse_ciphertext(shown, data)
    if schema is None:
        return data
    return _validate(shown, schema, data)


def _refuse_ciphertext(shown: str, data: Any) -> None:
    """An env file's `encrypted:` values are never passed on (load_env decrypts them)."""
    if not isinstance(data, dict):
        return
    sealed = [k for k, v in data.items() if isinstance(v, str) and v.startswith("encrypted:")]
    if sealed:
        raise ConfigError(
            f"load_file: {shown}: {', '.join(map(str, sealed[:4]))} "
            f"{'is' if len(sealed) == 1 else 'are'} encrypted; load_file reads files as "
            "they are, and axogen never passes ciphertext on",
            hint="read encrypted env files with ax.load_env(Model, path=...), which "
            "decrypts them (docs/team-secrets.md)",
        )


def _where(shown: str, line: int | None) -> str:
    return f"{shown}:{line}" if line else shown


def _describe(error: Exception) -> tuple[str, int | None]:
    """The message and line of an error from a format we do not own (json, yaml, toml)."""
    import json

    if isinstance(error, json.JSONDecodeError):
        return f"{error.msg} (column {error.colno})", error.lineno
    mark = getattr(error, "problem_mark", None)  # PyYAML
    if mark is not None:
        problem = getattr(error, "problem", None) or str(error)
        return f"{problem} (column {mark.column + 1})", mark.line + 1
    message = str(error)
    match = re.search(r"\(at line (\d+), column (\d+)\)", message)  # tomllib
    if match:
        return message[: match.start()].strip() + f" (column {match.group(2)})", int(match.group(1))
    return message or type(error).__name__, None


def _validate(shown: str, schema: Any, data: Any) -> Any:
    from pydantic import BaseModel, TypeAdapter, ValidationError

    from axogen.values import format_key_path

    try:
        if isinstance(schema, type) and issubclass(schema, BaseModel):
            return schema.model_validate(data)
        return TypeAdapter(schema).validate_python(data)
    except ValidationError as e:
        lines = [
            f"{format_key_path(tuple(err['loc']))}: {err['msg']}"
            for err in e.errors(include_url=False, include_input=False)
        ]
        raise ConfigError(
            f"load_file: {shown} does not match the schema:"
            + "".join(f"\n  - {line}" for line in lines)
        ) from None
    except Exception as e:  # a schema pydantic cannot build a validator for
        raise ConfigError(f"load_file: {shown}: invalid schema {schema!r}: {e}") from None

"""`.env.example` files written from the `load_env` model: every field, documented.

Values are defaults where a field has one and is not secret; secrets get the placeholder
`changeme` and required fields an empty value, so a real value never reaches this file. A
default that holds a secret (a model with a SecretStr field, a password in a URL) counts as
a secret: the file is meant to be committed.
"""

from __future__ import annotations

import json
from typing import Any

from axogen.formats import comment_block, contract
from axogen.formats.env import _PY_INTERPOLATES, READERS, quote
from axogen.values import ValueProblem, to_plain

SECRET_PLACEHOLDER = "changeme"


def dump_schema(model: Any, *, header: str | None = None) -> str:
    """Render one documented `NAME=value` entry per field of a pydantic model."""
    from pydantic import BaseModel

    from axogen.config.env import is_secret_annotation

    if not (isinstance(model, type) and issubclass(model, BaseModel)):
        raise ValueProblem((), f"schema must be a pydantic model class, got {model!r}")
    from axogen.config.fields import constraints, placeholder

    blocks = [comment_block(header, "#")] if header else []
    blocks.append(comment_block(WAY_IN, "#"))
    for name, field in model.model_fields.items():
        key = field.alias or name
        notes: list[str] = []
        if field.description:
            notes.extend(field.description.strip().splitlines())
        secret = is_secret_annotation(field.annotation)
        required = field.is_required()
        value = ""
        if not secret and not required:
            default = field.get_default(call_default_factory=True)
            # a default that holds a secret (a model with a SecretStr field, a credential
            # in a URL) is a real value too: this file is committed
            secret = _holds_secret(key, default)
            value = "" if secret else _default_text(default, (key,))
        found = constraints(field)
        if secret:
            # plainly a placeholder, of the length the field needs: a copy of this file loads
            value = placeholder(found, SECRET_PLACEHOLDER)
        notes.append(_rule(found.describe(), required=required, secret=secret, value=value))
        entry = f"{key}={{}}\n"
        if _PY_INTERPOLATES.search(value):
            # python-dotenv, which reads .env.axogen, would expand it in any quoting
            notes.append("the default, commented out: .env.axogen would expand its ${...}")
            entry = f"# {key}={{}}\n"
            written = quote(value, (key,), tuple(r for r in READERS if r != "python-dotenv"))
        else:
            written = quote(value, (key,))
        lines = comment_block("\n".join(n for n in notes if n), "#")
        blocks.append(lines + entry.format(written))
    return "\n".join(blocks)


WAY_IN = (
    "`axogen env init` writes .env.axogen from the same model: random values for the\n"
    "secrets that can be random, the rest asked for. Or copy this file to .env.axogen and\n"
    f"replace each {SECRET_PLACEHOLDER}."
)


def _rule(described: str, *, required: bool, secret: bool, value: str) -> str:
    """One comment line: required or default, secret, and what the value must be."""
    words = [w for w, on in (("required", required), ("secret", secret)) if on]
    if secret and not required:
        words.append("optional")
    line = ", ".join([*words, described] if described else words)
    if not required and not secret:
        default = f"default: {value if value else '(empty)'}"
        line = f"{line}; {default}" if line else default
    return line + (": keep the real value out of git" if secret else "")


def _holds_secret(key: str, default: Any) -> bool:
    from axogen.secrets.detect import find_secrets

    if default is None:
        return False
    converted = to_plain(default)
    if converted.secret_paths:
        return True
    return bool(find_secrets({key: converted.data}))


def _default_text(value: Any, key_path: tuple[str, ...]) -> str:
    if value is None:
        return ""
    data = to_plain(value).data
    if isinstance(data, bool):
        return "true" if data else "false"
    if isinstance(data, (list, dict)):
        return json.dumps(data, ensure_ascii=False, separators=(",", ":"), default=str)
    if isinstance(data, float):
        return repr(data)
    if hasattr(data, "isoformat"):
        return str(data.isoformat())
    return str(data)


def _prepare(options: dict[str, Any], variables: Any, schema: Any) -> tuple[dict[str, Any], Any]:
    from pydantic import BaseModel

    if not (isinstance(schema, type) and issubclass(schema, BaseModel)):
        raise TypeError(f"env_example(): schema must be a pydantic model class, got {schema!r}")
    return options, variables


FORMAT = contract.Format(
    name="env_example",
    doc="A `.env.example` documenting every field of the `load_env` model, without real values.",
    extensions=(".env.example",),
    dump=None,
    load=None,
    comment="#",
    dump_schema=dump_schema,
    cannot_hold="variables: it documents the schema, with placeholders for secrets",
    default_path=".env.example",
    takes_variables=False,
    needs_schema=True,
    prepare=_prepare,
    example=contract.Example(
        setup="from pydantic import BaseModel\n\nclass Env(BaseModel):\n    PORT: int = 8080\n",
        schema="Env",
    ),
)

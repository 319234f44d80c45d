"""`.env.example` files written from the `load_env` model: every field, documented.

Values are defaults where a field has one and is not secret; secrets get the placeholder
`changeme` and required fields an empty value, so a real value never reaches this file. A
default that holds a secret (a model with a SecretStr field, a password in a URL) counts as
a secret: the file is meant to be committed.
"""

from __future__ import annotations

import enum
import json
import typing
from typing import Any

from axogen.formats import comment_block
from axogen.formats.env import _PY_INTERPOLATES, READERS, quote
from axogen.values import ValueProblem, to_plain

NAME = "env_example"
EXTENSIONS = (".env.example",)
SECRET_PLACEHOLDER = "changeme"


def dump_schema(model: Any, *, header: str | None = None) -> str:
    """Render one documented `NAME=value` entry per field of a pydantic model."""
    from pydantic import BaseModel

    from axogen.config.env import is_secret_annotation

    if not (isinstance(model, type) and issubclass(model, BaseModel)):
        raise ValueProblem((), f"schema must be a pydantic model class, got {model!r}")
    blocks = [comment_block(header, "#")] if header else []
    for name, field in model.model_fields.items():
        key = field.alias or name
        notes: list[str] = []
        if field.description:
            notes.extend(field.description.strip().splitlines())
        choices = _choices(field.annotation)
        if choices:
            notes.append("one of: " + ", ".join(choices))
        secret = is_secret_annotation(field.annotation)
        required = field.is_required()
        value = ""
        if not secret and not required:
            default = field.get_default(call_default_factory=True)
            # a default that holds a secret (a model with a SecretStr field, a credential
            # in a URL) is a real value too: this file is committed
            secret = _holds_secret(key, default)
            value = "" if secret else _default_text(default, (key,))
        if secret:
            value = SECRET_PLACEHOLDER
        flags = [w for w, on in (("required", required), ("secret", secret)) if on]
        if flags:
            notes.append(
                " and ".join(flags) + (": keep the real value out of git" if secret else "")
            )
        entry = f"{key}={{}}\n"
        if _PY_INTERPOLATES.search(value):
            # python-dotenv, which reads .env.axogen, would expand it in any quoting
            notes.append("the default, commented out: .env.axogen would expand its ${...}")
            entry = f"# {key}={{}}\n"
            written = quote(value, (key,), tuple(r for r in READERS if r != "python-dotenv"))
        else:
            written = quote(value, (key,))
        lines = comment_block("\n".join(notes), "#") if notes else ""
        blocks.append(lines + entry.format(written))
    return "\n".join(blocks)


def _choices(annotation: Any) -> list[str]:
    if typing.get_origin(annotation) is typing.Literal:
        return [str(_scalar(v)) for v in typing.get_args(annotation)]
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        return [str(_scalar(m.value)) for m in annotation]
    out: list[str] = []
    for arg in typing.get_args(annotation):
        if arg is not type(None):
            out.extend(_choices(arg))
    return out


def _scalar(value: Any) -> Any:
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


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

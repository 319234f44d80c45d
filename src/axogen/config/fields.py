"""What a `load_env` model's field accepts, in words, and a random value for a secret.

`.env.example` states each field's constraint in a comment; `axogen env init` generates the
secrets that can be random, sized and shaped to pass validation, and asks for the rest.
"""

from __future__ import annotations

import dataclasses
import enum
import re
import secrets
import string
import typing
from typing import Any


@dataclasses.dataclass(slots=True)
class Constraints:
    """The constraints pydantic checks for one field, as far as they can be read."""

    kind: str = ""  # "an integer", "a number", "true or false", "a URL", "JSON"...
    min_length: int | None = None
    max_length: int | None = None
    pattern: str | None = None
    bounds: list[str] = dataclasses.field(default_factory=list)  # ">= 1", "<= 65535"
    choices: list[str] = dataclasses.field(default_factory=list)
    # False when the model says a random value will not do (`json_schema_extra=
    # {"generate": False}`: a key a provider issues)
    generate: bool = True

    def length(self) -> str:
        low, high = self.min_length, self.max_length
        if low is not None and high is not None:
            return f"{low} characters" if low == high else f"{low} to {high} characters"
        if low is not None:
            return f"at least {low} character{'s' if low != 1 else ''}"
        if high is not None:
            return f"at most {high} character{'s' if high != 1 else ''}"
        return ""

    def describe(self) -> str:
        """The constraints in a few words: `at least 32 characters`, `an integer, >= 1`."""
        parts = []
        if self.choices:
            parts.append("one of: " + ", ".join(self.choices))
        elif self.kind:
            parts.append(self.kind)
        if self.length():
            parts.append(self.length())
        if self.pattern is not None:
            parts.append(f"matching {self.pattern}")
        parts.extend(self.bounds)
        return ", ".join(parts)


_BOUNDS = (("gt", ">"), ("ge", ">="), ("lt", "<"), ("le", "<="), ("multiple_of", "a multiple of"))


def constraints(field: Any) -> Constraints:
    """The constraints of a pydantic `FieldInfo` (its metadata, its type's choices)."""
    found = Constraints()
    _read(field.annotation, list(field.metadata), found)
    extra = field.json_schema_extra
    if isinstance(extra, dict) and extra.get("generate") is False:
        found.generate = False
    return found


def _read(annotation: Any, metadata: list[Any], found: Constraints) -> None:
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        inner, *extra = typing.get_args(annotation)
        _read(inner, [*metadata, *extra], found)
        return
    for item in metadata:
        for name in ("min_length", "max_length", "pattern"):
            value = getattr(item, name, None)
            if value is not None and getattr(found, name) is None:
                setattr(found, name, value if name != "pattern" else str(value))
        for name, word in _BOUNDS:
            value = getattr(item, name, None)
            if value is not None:
                found.bounds.append(f"{word} {value}")
        nested = getattr(item, "metadata", None)  # a FieldInfo inside Annotated
        if isinstance(nested, list) and nested is not metadata:
            _read(Any, nested, found)
    if origin is typing.Literal:
        found.choices = [_text(v) for v in typing.get_args(annotation)]
        return
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        found.choices = [_text(m.value) for m in annotation]
        return
    if origin in (typing.Union, _union_type()):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        if len(args) == 1:
            _read(args[0], [], found)
        return
    found.kind = found.kind or _kind(annotation, origin)


def _union_type() -> Any:
    import types

    return types.UnionType


def _kind(annotation: Any, origin: Any) -> str:
    if annotation is bool:
        return "true or false"
    if annotation is int:
        return "an integer"
    if annotation is float:
        return "a number"
    if origin in (list, dict, set, tuple, frozenset) or annotation in (list, dict, set, tuple):
        return "JSON (a list or an object)"
    name = getattr(annotation, "__name__", "")
    if name.endswith("Url") or name.endswith("Dsn"):
        return "a URL"
    if name == "EmailStr":
        return "an e-mail address"
    return ""


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


# the alphabets a random secret may be drawn from, tried in turn against a pattern
_ALPHABETS = (
    string.ascii_letters + string.digits + "-_",  # what token_urlsafe draws from
    string.ascii_letters + string.digits,
    string.hexdigits[:16],
    string.ascii_uppercase + string.digits,
)


def random_secret(found: Constraints) -> str | None:
    """A random value passing the field's length and pattern, or None when none can be
    made (a pattern random text does not match: an API key a provider issues)."""
    length = max(found.min_length or 0, 32)
    if found.max_length is not None:
        length = min(length, found.max_length)
    if length <= 0 or not found.generate or found.choices or found.bounds or found.kind:
        return None
    if found.pattern is None:
        # token_urlsafe(n) gives about 1.3 n characters: cut to the length wanted
        return secrets.token_urlsafe(length)[:length]
    try:
        compiled = re.compile(found.pattern)
    except re.error:
        return None
    for alphabet in _ALPHABETS:
        for _ in range(8):
            value = "".join(secrets.choice(alphabet) for _ in range(length))
            if compiled.search(value):
                return value
    return None


def placeholder(found: Constraints, word: str = "changeme") -> str:
    """`word`, repeated or cut to the length the field needs (a value that is plainly a
    placeholder, and still passes a length check, so a copied example loads)."""
    low, high = found.min_length, found.max_length
    value = word
    if low is not None and len(value) < low:
        value = "-".join([word] * (low // (len(word) + 1) + 1))[:low]
    if high is not None:
        value = value[:high]
    return value

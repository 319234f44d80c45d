"""`load_env`: read `.env.axogen`, overlay the process environment, validate with pydantic."""

from __future__ import annotations

import io
import json
import os
import sys
import typing
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TypeVar

from axogen.config import context
from axogen.config.pydotenv import parse_stream
from axogen.errors import EnvError
from axogen.lazyre import LazyPattern

M = TypeVar("M")


class InvalidEnv(EnvError):
    """Values the model does not accept (missing or invalid), as opposed to an env file that
    cannot be read or opened."""


_PROFILE_NAME = LazyPattern(r"[A-Za-z0-9][A-Za-z0-9_.-]*\Z")


def load_env(
    model: type[M],
    path: str | os.PathLike[str] = ".env.axogen",
    *,
    override: bool = False,
    profile: str | None = None,
) -> M:
    """Read the env files (relative to the config file), overlay the process environment,
    validate with the pydantic model and return its instance.

    Layers, each overriding the one before: `path` (`.env.axogen`), `path.PROFILE` when a
    profile is chosen (`profile=`, `axogen --profile NAME` or `AXOGEN_PROFILE`),
    `path.local`, then the process environment — which wins unless `override=True`, in
    which case the files win. Missing files are fine (except the chosen profile's) when the
    model needs nothing from them. Every invalid field is reported at once; the values of
    secret fields (`SecretStr`) are never shown.
    """
    from pydantic import BaseModel

    if not (isinstance(model, type) and issubclass(model, BaseModel)):
        raise TypeError(f"load_env() needs a pydantic model class, got {model!r}")
    base = context.resolve(os.fspath(path))
    profile = profile if profile is not None else (os.environ.get("AXOGEN_PROFILE") or None)
    layers = [base]
    if profile is not None:
        layers.append(_profile_file(base, profile))
    layers.append(base.with_name(base.name + ".local"))

    ctx = context.current()
    inspecting = ctx is not None and ctx.inspect
    # inspection (list, schema, the listing of commands): values that cannot be opened or
    # validated are noted, not fatal; key -> what is wrong, for `list --env`
    issues: dict[str, tuple[str, str]] = {}
    file_values, file_sources = _read_layers(layers, override, issues)

    data: dict[str, Any] = {}
    sources: dict[str, str] = {}
    for name, field in model.model_fields.items():
        key = field.alias or name
        from_file = file_values.get(key)
        from_env = os.environ.get(key)
        if from_env is not None and not (override and from_file is not None):
            value, sources[key] = from_env, "the environment"
        elif from_file is not None:
            value, sources[key] = from_file, file_sources[key]
        else:
            continue
        if value.startswith("encrypted:"):
            # only the values of env files are decrypted: ciphertext is never passed on
            failure = EnvError(
                f"{key} ({sources[key]}) is encrypted ('encrypted:…'); axogen decrypts the "
                "values of env files only, and never passes ciphertext on; nothing was written",
                hint=f"set the decrypted value in the environment, or unset {key} there so that "
                f"the encrypted value of {_display(base)} is used",
            )
            if ctx is None or not inspecting:
                raise failure
            _note_error(ctx, failure)
            issues[key] = ("encrypted", f"{sources[key]}: axogen decrypts env files only")
            continue
        data[key] = _decode_structured(value, field.annotation)

    instance: M
    if ctx is not None and inspecting:
        instance = _inspected(ctx, model, data, sources, _display(base), issues)
    else:
        instance = _validate(model, data, sources, _display(base))
    if ctx is not None:
        ctx.env_models.append(instance)
        opened = set(ctx.env_secrets)
        for name, field in model.model_fields.items():
            key = field.alias or name
            ctx.env_sources.append(
                (
                    model.__name__,
                    key,
                    sources.get(key, "default"),
                    is_secret_annotation(field.annotation)
                    or (sources.get(key) != "the environment" and str(data.get(key)) in opened),
                )
            )
    _remember_secrets(instance)
    return instance


def _read_layers(
    layers: list[Path], override: bool, issues: dict[str, tuple[str, str]]
) -> tuple[dict[str, str], dict[str, str]]:
    """The values of the env files, later layers winning, and where each came from."""
    ctx = context.current()
    file_values: dict[str, str] = {}
    file_sources: dict[str, str] = {}
    shadowed = _shadowed(layers, override)
    for file in layers:
        shown = _display(file)
        try:
            values, lines = read_env_file(
                file, shown, unused=shadowed.get(file, frozenset()), env_wins=not override
            )
        except EnvError as e:
            if ctx is None or not ctx.inspect:
                raise
            _note_error(ctx, e)
            # the file again, its encrypted values and references left closed
            keys = _keys(file)
            values, lines = read_env_file(file, shown, unused=keys, env_wins=not override)
            for key in sorted(keys - values.keys()):
                issues[key] = ("not opened", f"{shown}:{lines.get(key, 1)}")
        if ctx is not None:
            ctx.env_files.append(file)
            ctx.env_values[file] = values
        for key, value in values.items():
            file_values[key] = value
            file_sources[key] = f"{shown}:{lines.get(key, 1)}"

    return file_values, file_sources


def _remember_secrets(value: Any) -> None:
    """Every SecretStr / SecretBytes value in `value`: never to be printed from now on."""
    from axogen.secrets.mask import remember

    for secret in secret_strings(value):
        remember(secret)


def secret_strings(value: Any) -> Iterator[str]:
    """The text of every SecretStr / SecretBytes in `value` (a model, a list, a dict…)."""
    from pydantic import BaseModel, SecretBytes, SecretStr

    if isinstance(value, SecretStr):
        yield value.get_secret_value()
    elif isinstance(value, SecretBytes):
        yield value.get_secret_value().decode("utf-8", "replace")
    elif isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from secret_strings(getattr(value, name))
    elif isinstance(value, (list, tuple, set, frozenset)):
        for item in value:
            yield from secret_strings(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from secret_strings(item)


def _shown_input(field: str, value: Any) -> str:
    """The invalid value, for the error message; masked when it looks like a secret."""
    if isinstance(value, str):
        from axogen.secrets.detect import classify
        from axogen.secrets.mask import mask

        if classify(field, value) is not None:
            return mask(value)
    shown = repr(value)
    return shown if len(shown) <= 60 else shown[:57] + "..."


def _profile_file(base: Path, profile: str) -> Path:
    """`.env.axogen.NAME`; an unknown profile is an error listing the ones that exist."""
    if not _PROFILE_NAME.match(profile) or profile == "local":
        raise EnvError(
            f"invalid profile name {profile!r}",
            hint="use letters, digits, '.', '_' or '-' (and not 'local', which is always read)",
        )
    file = base.with_name(f"{base.name}.{profile}")
    if not file.is_file():
        prefix = base.name + "."
        known = sorted(
            p.name[len(prefix) :]
            for p in base.parent.glob(prefix + "*")
            if p.is_file() and p.name[len(prefix) :] not in ("local", "example")
        )
        raise EnvError(
            f"profile {profile!r}: {_display(file)} does not exist",
            hint=f"profiles found: {', '.join(known)}" if known else f"create {file.name}",
        )
    return file


def _shadowed(layers: list[Path], override: bool) -> dict[Path, frozenset[str]]:
    """For each layer holding encrypted values or references: the keys whose value is never
    used, because a later layer sets them (or the environment does, unless `override`).
    Those are not decrypted or resolved: a machine with the production profile needs no
    development key, and CI may give the secrets in the environment instead of the key."""
    texts: dict[Path, str] = {}
    for file in layers:
        try:
            texts[file] = file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            texts[file] = ""  # read_env_file reports it
    if not any(p in t for t in texts.values() for p in _SEALED_PREFIXES):
        return {}
    later: set[str] = set()
    result: dict[Path, frozenset[str]] = {}
    for file in reversed(layers):
        keys = {b.key for b in parse_stream(io.StringIO(texts[file])) if b.key is not None}
        unused = set(later)
        if not override:
            unused.update(k for k in keys if k in os.environ)
        result[file] = frozenset(unused)
        later.update(keys)
    return result


def read_env_file(
    file: Path, shown: str, *, unused: frozenset[str] = frozenset(), env_wins: bool = True
) -> tuple[dict[str, str], dict[str, int]]:
    """Values and line numbers of a dotenv file; a malformed line is an error naming it.

    `${NAME}` expands to the value NAME ends up with: the process environment's when it sets
    NAME and `env_wins` (load_env's default), else the file's earlier line, else the other.

    Encrypted values are decrypted and references resolved (config.sealed), except those
    of the `unused` keys, which are left out (unless the file's own `${...}` uses them).
    """
    try:
        text = file.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}, {}
    except (OSError, UnicodeDecodeError) as e:
        raise EnvError(f"cannot read {shown}: {e}") from None
    if "\0" in text:
        # no environment variable can hold a NUL (the OS passes them as C strings): refused
        # here, naming the line, instead of failing later when a command is started with it
        line = text.count("\n", 0, text.index("\0")) + 1
        raise EnvError(
            f"{shown}:{line}: contains a NUL byte, which no environment value can hold",
            hint="remove it (was the file saved by a binary tool, or as UTF-16?)",
        )
    lines: dict[str, int] = {}
    expansion = _Expansion(len(text), env_wins)
    bindings: list[tuple[str, str | None, int]] = []
    sealed = False
    for binding in parse_stream(io.StringIO(text)):
        raw = binding.original.string
        # a binding's text starts with the blank lines before it: count from its first word
        line = binding.original.line + raw[: len(raw) - len(raw.lstrip())].count("\n")
        if binding.error:
            name = _line_name(binding.original.string)
            raise EnvError(
                f"{shown}:{line}: cannot parse this line{': ' + name if name else ''}",
                hint="lines look like NAME=value; quote values with spaces or # in them",
            )
        if binding.key is not None:
            lines[binding.key] = line
            bindings.append((binding.key, binding.value, line))
            sealed = sealed or binding.key.startswith("DOTENV_PUBLIC_KEY")
            sealed = sealed or (binding.value or "").startswith(_SEALED_PREFIXES)
            if not expansion.add(binding.key, binding.value):
                raise EnvError(
                    f"{shown}:{line}: its ${{...}} references expand the file to more than "
                    f"{expansion.limit:,} characters; axogen refuses env files that grow this "
                    "much (a value that doubles the one before, again and again?)",
                    hint="write the values out, or reference each one fewer times",
                )
    if sealed:
        return _open_sealed(file, shown, text, bindings, lines, unused, env_wins)
    return _expanded(shown, len(text), bindings, frozenset(), env_wins), lines


# values that must be opened before use: encrypted (dotenvx), or secret references
_SEALED_PREFIXES = ("encrypted:", "ref+", "op://")


def _open_sealed(
    file: Path,
    shown: str,
    text: str,
    items: list[tuple[str, str | None, int]],
    lines: dict[str, int],
    unused: frozenset[str],
    env_wins: bool,
) -> tuple[dict[str, str], dict[str, int]]:
    """Decrypt the file's encrypted values and resolve its references (see config.sealed),
    then expand `${VAR}` as python-dotenv does, the references' results excepted."""
    from axogen.config import sealed
    from axogen.secrets.mask import remember

    ctx = context.current()
    skipped = {k for k in unused if "${" + k not in text}
    items = [
        (k, v, line)
        for k, v, line in items
        if k not in skipped or not (v or "").startswith(_SEALED_PREFIXES)
    ]
    opened = sealed.open_values(file, shown, items, ctx.reference_cache if ctx else None)
    for secret in opened.secrets:
        remember(secret)
    values = _expanded(shown, len(text), opened.items, opened.literal, env_wins)
    if ctx is not None:
        ctx.env_secrets.extend(opened.secrets)
        if opened.sealed:
            ctx.sealed_env_files.add(file.resolve())
    return values, lines


def _expanded(
    shown: str,
    size: int,
    items: list[tuple[str, str | None, int]],
    literal: frozenset[str] | set[str],
    env_wins: bool,
) -> dict[str, str]:
    """Each key's value once its `${NAME}` references are expanded as python-dotenv's
    `dotenv_values` expands them: from the environment and the file's earlier values, the
    environment first when `env_wins`. The `literal` keys' values are taken as they are."""
    from axogen.config.pydotenv import parse_variables

    expansion = _Expansion(size, env_wins)
    values: dict[str, str] = {}
    for key, value, line in items:
        if value is None:
            values[key] = ""
            continue
        if key in literal:
            values[key] = value
            fits = expansion.add(key, None, length=len(value))
        else:
            env = {**values, **os.environ} if env_wins else {**os.environ, **values}
            values[key] = "".join(atom.resolve(env) for atom in parse_variables(value))
            fits = expansion.add(key, value)
        if not fits:
            raise EnvError(
                f"{shown}:{line}: its ${{...}} references expand the file to more than "
                f"{expansion.limit:,} characters; axogen refuses env files that grow this much",
                hint="write the values out, or reference each one fewer times",
            )
    return values


class _Expansion:
    """The length of each value once python-dotenv has expanded its `${NAME}` references,
    computed before it expands them: each line may double the one before (`B=${A}${A}`), so
    forty short lines would stand for a terabyte. `add` is False once the values of the file
    would exceed ten times its own size plus a million characters (repeating a big value a
    few times is fine).
    """

    def __init__(self, size: int, env_wins: bool = True) -> None:
        self.env_wins = env_wins
        self.limit = 10 * size + 1_000_000
        self.total = 0
        self._lengths: dict[str, int] = {}

    def add(self, key: str, value: str | None, *, length: int = 0) -> bool:
        from axogen.config.pydotenv import is_literal, parse_variables

        if value is not None:
            for atom in parse_variables(value):
                if is_literal(atom):
                    length += len(atom.value)
                    continue
                # as read_env_file resolves: the environment and the file's earlier values,
                # in the order `env_wins` gives, then the default
                name = getattr(atom, "name", "")
                from_env = os.environ.get(name)
                known = self._lengths.get(name)
                if from_env is not None and (self.env_wins or known is None):
                    known = len(from_env)
                elif known is None:
                    known = len(getattr(atom, "default", None) or "")
                length += known
        self._lengths[key] = length
        self.total += length
        return self.total <= self.limit


_NAME = LazyPattern(r"(?:export\s+)?[A-Za-z_][A-Za-z0-9_.-]{0,59}")


def _line_name(text: str) -> str:
    """The variable name a malformed line starts with, or "" when it has none.

    The line may hold a secret (a value, or a token pasted on its own line): only a part
    before `=` that looks like a name is ever shown.
    """
    head, equals, _ = text.strip().partition("=")
    head = head.strip()
    return head if equals and _NAME.fullmatch(head) else ""


def _decode_structured(value: str, annotation: Any) -> Any:
    """JSON-decode text meant for a list, dict or model field, as pydantic-settings does."""
    if not _is_structured(annotation):
        return value
    stripped = value.strip()
    if stripped[:1] in ("[", "{"):
        try:
            return json.loads(stripped)
        except ValueError:
            return value
    return value


def _is_structured(annotation: Any) -> bool:
    from pydantic import BaseModel

    origin = typing.get_origin(annotation)
    if origin in (list, dict, set, tuple, frozenset):
        return True
    if annotation in (list, dict, set, tuple, frozenset):
        return True
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return True
    return any(_is_structured(arg) for arg in typing.get_args(annotation) if arg is not type(None))


def is_secret_annotation(annotation: Any) -> bool:
    """True when a field's type is (or wraps) SecretStr or SecretBytes."""
    from pydantic import SecretBytes, SecretStr

    if annotation in (SecretStr, SecretBytes):
        return True
    return any(is_secret_annotation(arg) for arg in typing.get_args(annotation))


def _inspected(
    ctx: context.LoadContext,
    model: Any,
    data: dict[str, Any],
    sources: dict[str, str],
    shown: str,
    issues: dict[str, tuple[str, str]],
) -> Any:
    """For inspection: the model's instance even when values are missing or invalid.

    Each valid value is validated on its own; a missing or invalid one takes its default,
    or an empty value of its type. What is wrong is noted per variable for `list --env`
    (`ctx.env_issues`), and the error `generate` would show is kept (`ctx.env_errors`).
    """
    from typing import Annotated

    from pydantic import TypeAdapter, ValidationError

    fields = {(f.alias or n): (n, f) for n, f in model.model_fields.items()}
    try:
        instance = model.model_validate(data)
    except ValidationError:
        instance = None
    if instance is not None and not issues:
        return instance
    if instance is None:
        try:
            _validate(model, data, sources, shown)
        except EnvError as e:
            _note_error(ctx, e)
        for key, problem in _field_problems(model, data, sources, shown).items():
            issues.setdefault(key, problem)
    values: dict[str, Any] = {}
    for key, (name, field) in fields.items():
        if key in data and key not in issues:
            try:
                shape: Any = Annotated[field.annotation, field]
                values[name] = TypeAdapter(shape).validate_python(data[key])
                continue
            except Exception:
                issues.setdefault(key, ("invalid", sources.get(key, "")))
        if not field.is_required():
            values[name] = field.get_default(call_default_factory=True)
        else:
            values[name] = _empty(field.annotation)
    for key, problem in issues.items():
        if key in fields:
            ctx.env_issues[(model.__name__, key)] = problem
    return model.model_construct(**values)


def _empty(annotation: Any) -> Any:
    """An empty value of a type, for a variable inspection found missing."""
    import enum

    from pydantic import SecretBytes, SecretStr

    origin = typing.get_origin(annotation)
    if annotation is SecretStr:
        return SecretStr("")
    if annotation is SecretBytes:
        return SecretBytes(b"")
    if origin is typing.Literal:
        return typing.get_args(annotation)[0]
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        return next(iter(annotation))
    if annotation in (str, int, float, bool, list, dict, set, tuple, frozenset):
        return annotation()
    if origin in (list, dict, set, tuple, frozenset):
        return origin()
    args = [a for a in typing.get_args(annotation) if a is not type(None)]
    if len(args) < len(typing.get_args(annotation)):
        return None  # optional
    return _empty(args[0]) if args else None


def _note_error(ctx: context.LoadContext, error: EnvError) -> None:
    """Keep the error a strict load would raise, naming the config's line like the loader."""
    frame = sys._getframe(1)
    while frame is not None and frame.f_globals.get("__name__") != "__axogen_config__":
        frame = frame.f_back  # type: ignore[assignment]
    if frame is not None:
        error.message += (
            f"\n  (raised at {_display(Path(frame.f_code.co_filename))}:{frame.f_lineno})"
        )
    ctx.env_errors.append(error)


def _keys(file: Path) -> frozenset[str]:
    try:
        text = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return frozenset()
    return frozenset(b.key for b in parse_stream(io.StringIO(text)) if b.key is not None)


def _field_problems(
    model: Any, data: dict[str, Any], sources: dict[str, str], shown: str
) -> dict[str, tuple[str, str]]:
    """Each invalid variable's problem in a few words, for `list --env`."""
    from pydantic import ValidationError

    secret_fields = {
        (f.alias or n) for n, f in model.model_fields.items() if is_secret_annotation(f.annotation)
    }
    try:
        model.model_validate(data)
    except ValidationError as e:
        found: dict[str, tuple[str, str]] = {}
        for err in e.errors(include_url=False):
            loc = err["loc"]
            field = str(loc[0]) if loc else "<model>"
            if err["type"] == "missing":
                found.setdefault(field, ("missing", f"set it in {shown}, or export {field}"))
            else:
                text = _message(err, secret=field in secret_fields)
                source = sources.get(field)
                found.setdefault(field, ("invalid", f"{source}: {text}" if source else text))
        return found
    return {}


def _validate(model: Any, data: dict[str, Any], sources: dict[str, str], shown: str) -> Any:
    from pydantic import ValidationError

    try:
        return model.model_validate(data)
    except ValidationError as e:
        problems = []
        secret_fields = {
            (f.alias or n)
            for n, f in model.model_fields.items()
            if is_secret_annotation(f.annotation)
        }
        for err in e.errors(include_url=False):
            loc = err["loc"]
            field = str(loc[0]) if loc else "<model>"
            where = ".".join(str(p) for p in loc)
            if err["type"] == "missing":
                problems.append(f"{where}: required, but not set in {shown} or the environment")
                continue
            msg = _message(err, secret=field in secret_fields)
            source = sources.get(field)
            detail = f" (from {source})" if source else ""
            if field not in secret_fields and "input" in err and loc:
                shown_input = _shown_input(field, err["input"])
                detail = f" (got {shown_input}{', from ' + source if source else ''})"
            problems.append(f"{where}: {msg}{detail}")
        from axogen.secrets.mask import remember

        for field in secret_fields:  # a validator's message may quote them: never printed
            if isinstance(data.get(field), str):
                remember(data[field])
        count = len(problems)
        head = f"{count} invalid environment value{'s' if count != 1 else ''} for {model.__name__}:"
        failure = InvalidEnv(
            head + "".join(f"\n  - {p}" for p in problems),
            hint=f"set them in {shown} or in the environment",
        )
    # raised here, not in the except block: pydantic's error, which holds the raw values,
    # must not ride along as the EnvError's context
    raise failure


def validation_message(field: Any, value: str, *, secret: bool) -> str | None:
    """Why one field (a pydantic FieldInfo) refuses `value` as read from an env file, in
    the words load_env uses; None when it accepts it. Never quotes the value."""
    from typing import Annotated

    from pydantic import TypeAdapter, ValidationError

    shape: Any = Annotated[field.annotation, field]
    try:
        TypeAdapter(shape).validate_python(_decode_structured(value, field.annotation))
    except ValidationError as e:
        return "; ".join(_message(err, secret=secret) for err in e.errors(include_url=False))
    return None


def _message(err: Any, *, secret: bool) -> str:
    """pydantic's message, but a secret's length in characters (pydantic counts a
    SecretStr's "items") and without the actual length, which says something of the secret."""
    bounds = err.get("ctx") or {}
    if err["type"] in ("too_short", "too_long", "string_too_short", "string_too_long") and (
        secret or isinstance(err.get("input"), str)
    ):
        if "min_length" in bounds and err["type"].endswith("too_short"):
            count, word = bounds["min_length"], "at least"
        elif "max_length" in bounds:
            count, word = bounds["max_length"], "at most"
        else:
            return str(err["msg"])
        noun = "character" if count == 1 else "characters"
        return f"{'Value' if secret else 'String'} should have {word} {count} {noun}"
    return str(err["msg"])


def _display(file: Path) -> str:
    # from where axogen was started, not from the config's folder it runs in
    from axogen.paths import shown

    return shown(file)

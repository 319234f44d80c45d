"""Secret references: a value of an env file that says where the secret is, not what it is.

The syntax is that of `vals` (helmfile/vals), `ref+SCHEME://BODY`, plus 1Password's own
`op://vault/item/field`, which `op run` and `op inject` already read in env files:

| reference | resolved by |
|---|---|
| `ref+file://PATH[?trim=false][#/json/path]` | reading the file (relative to the env file's folder; `ref+file:///run/secrets/db` is absolute) |
| `ref+exec://CMD[/ARG…][?args=A,B&trim=false][#/json/path]` | running CMD ARG… A B (no shell) and reading its output |
| `op://VAULT/ITEM/FIELD`, `ref+op://VAULT/ITEM/FIELD` | `op read` (the 1Password CLI) |
| `ref+keyring://SERVICE/USERNAME` | the OS keyring (the `keyring` library) |
| `ref+echo://TEXT` | TEXT itself: how a literal value that looks like a reference is written |

A reference is the whole value; its result is taken literally (no `${...}` expansion).
Each distinct reference is resolved once per run, several in parallel, each within a
timeout (`AXOGEN_REFERENCE_TIMEOUT` seconds, default 10). A failure names the variable and
the reference, never a value.

Each provider is one module of this package exposing `PROVIDER`, an object with a `scheme`
and `resolve(ref, timeout) -> str` that raises `Unresolved` with the reason.
"""

from __future__ import annotations

import importlib
import os
import re
import threading
from collections.abc import Callable, MutableMapping, Sequence
from pathlib import Path
from typing import NamedTuple, Protocol, TypeVar

from axogen.errors import EnvError
from axogen.lazyre import LazyPattern

TIMEOUT_VARIABLE = "AXOGEN_REFERENCE_TIMEOUT"
DEFAULT_TIMEOUT = 10.0
MAX_WORKERS = 8

_REF = LazyPattern(r"ref\+([a-z][a-z0-9]*)://", re.ASCII)
# scheme -> the module of this package that resolves it
_MODULES = {
    "file": "file",
    "exec": "command",
    "op": "onepassword",
    "keyring": "oskeyring",
    "echo": "echo",
}


class Reference(NamedTuple):
    text: str  # the whole value, as written
    scheme: str  # "file", "exec", "op", "keyring", "echo"
    body: str  # what follows `ref+SCHEME://` (for `op://…`, what follows `op://`)
    base: Path  # the env file's folder: relative paths are relative to it


class Unresolved(Exception):
    """A provider could not resolve a reference; the message says why, without any value."""


class Provider(Protocol):
    @property
    def scheme(self) -> str: ...

    def resolve(self, ref: Reference, timeout: float) -> str: ...


def looks_like(value: str | None) -> bool:
    """True for a value written as a reference (cheap: nothing is imported)."""
    return value is not None and (value.startswith("op://") or _REF.match(value) is not None)


def parse(value: str, base: Path) -> Reference | None:
    """The reference a value is, or None. An unknown scheme is an error, not a literal."""
    if value.startswith("op://"):
        return Reference(value, "op", value[len("op://") :], base)
    m = _REF.match(value)
    if m is None:
        return None
    scheme = m.group(1)
    if scheme not in _MODULES:
        known = ", ".join(f"ref+{s}://" for s in _MODULES)
        raise Unresolved(
            f"axogen has no provider for ref+{scheme}:// (it resolves {known} and op://); "
            "any command-line tool works through ref+exec://, e.g. "
            "ref+exec://vault?args=kv,get,-field=password,secret/db"
        )
    return Reference(value, scheme, value[m.end() :], base)


def provider(scheme: str) -> Provider:
    module = importlib.import_module(f"{__name__}.{_MODULES[scheme]}")
    found: Provider = module.PROVIDER
    return found


def timeout() -> float:
    """Seconds one reference may take: AXOGEN_REFERENCE_TIMEOUT, default 10."""
    text = os.environ.get(TIMEOUT_VARIABLE, "").strip()
    if not text:
        return DEFAULT_TIMEOUT
    try:
        seconds = float(text)
    except ValueError:
        seconds = -1.0
    if not 0 < seconds <= 3600:
        raise EnvError(
            f"{TIMEOUT_VARIABLE}={text!r}: not a number of seconds between 0 and 3600",
            hint=f"unset it for the default of {DEFAULT_TIMEOUT:g}s",
        )
    return seconds


Wanted = tuple[Reference, str]  # the reference, and who wants it ("DB_PASSWORD (.env.axogen:3)")


def resolve_all(
    wanted: Sequence[Wanted], cache: MutableMapping[tuple[str, str], str] | None = None
) -> dict[tuple[str, str], str]:
    """The value of every reference, by (text, base folder); each distinct one is resolved
    once (the cache holds those of earlier calls in the same run), several at a time.

    Every failure is reported at once, in one EnvError naming each variable and reference.
    """
    cache = {} if cache is None else cache
    todo: dict[tuple[str, str], Reference] = {}
    for ref, _ in wanted:
        key = (ref.text, str(ref.base))
        if key not in cache:
            todo[key] = ref
    if todo:
        limit = timeout()
        results = _run_all(list(todo.values()), limit)
        failures: dict[tuple[str, str], str] = {}
        for key, outcome in zip(todo, results, strict=True):
            if isinstance(outcome, Unresolved):
                failures[key] = str(outcome)
            else:
                cache[key] = outcome
        if failures:
            problems = [
                f"{who}: {ref.text}: {failures[(ref.text, str(ref.base))]}"
                for ref, who in wanted
                if (ref.text, str(ref.base)) in failures
            ]
            count = len(problems)
            raise EnvError(
                f"{count} secret reference{'s' if count != 1 else ''} could not be resolved; "
                "nothing was written:" + "".join(f"\n  - {p}" for p in problems),
                hint="fix the reference or the tool it uses; a literal value that looks like a "
                "reference is written ref+echo://VALUE",
            )
    return {(r.text, str(r.base)): cache[(r.text, str(r.base))] for r, _ in wanted}


def _run_all(refs: list[Reference], limit: float) -> list[str | Unresolved]:
    if len(refs) == 1:
        return [_run_one(refs[0], limit)]
    from concurrent.futures import ThreadPoolExecutor

    # every task ends within its timeout (commands are killed, in-process calls abandoned)
    with ThreadPoolExecutor(max_workers=min(MAX_WORKERS, len(refs))) as pool:
        return list(pool.map(lambda r: _run_one(r, limit), refs))


def _run_one(ref: Reference, limit: float) -> str | Unresolved:
    try:
        value = provider(ref.scheme).resolve(ref, limit)
    except Unresolved as e:
        return e
    except ImportError as e:
        return Unresolved(f"the {ref.scheme} provider cannot be loaded: {e}")
    if "\0" in value:
        return Unresolved("its value holds a NUL byte, which no environment value can hold")
    return value


T = TypeVar("T")


def within(limit: float, what: str, call: Callable[[], T]) -> T:
    """`call()` in a daemon thread, abandoned after `limit` seconds (Unresolved).

    For providers that run in this process (files, the keyring): a call that hangs (a FIFO,
    a locked keyring daemon) must not hang axogen, nor keep it from exiting.
    """
    box: list[T] = []
    errors: list[BaseException] = []

    def work() -> None:
        try:
            box.append(call())
        except BaseException as e:
            errors.append(e)

    worker = threading.Thread(target=work, name=f"axogen-ref-{what}", daemon=True)
    worker.start()
    worker.join(limit)
    if worker.is_alive():
        raise Unresolved(f"{what} did not answer within {limit:g}s ({TIMEOUT_VARIABLE})")
    if errors:
        raise errors[0]
    return box[0]


def trimmed(text: str, trim: bool) -> str:
    """Trailing spaces and newlines removed (as `$(...)` in a shell does), unless trim=false."""
    return text.rstrip(" \t\r\n") if trim else text


def split_body(body: str) -> tuple[str, dict[str, list[str]], str | None]:
    """(path, query parameters, fragment) of a reference's body, as vals reads them."""
    from urllib.parse import parse_qs

    fragment: str | None = None
    if "#" in body:
        body, fragment = body.split("#", 1)
    query: dict[str, list[str]] = {}
    if "?" in body:
        body, text = body.split("?", 1)
        try:
            query = parse_qs(text, keep_blank_values=True, strict_parsing=bool(text))
        except ValueError:
            raise Unresolved(f"cannot read its parameters {text!r}") from None
    return body, query, fragment


def options(query: dict[str, list[str]], allowed: Sequence[str]) -> dict[str, str]:
    """One value per parameter; an unknown parameter is an error, never ignored."""
    unknown = sorted(set(query) - set(allowed))
    if unknown:
        raise Unresolved(
            f"unknown parameter{'s' if len(unknown) > 1 else ''} {', '.join(unknown)} "
            f"(known: {', '.join(allowed)})"
        )
    return {k: v[-1] for k, v in query.items()}


def flag(opts: dict[str, str], name: str, default: bool) -> bool:
    if name not in opts:
        return default
    text = opts[name].lower()
    if text in ("true", "1", "yes"):
        return True
    if text in ("false", "0", "no"):
        return False
    raise Unresolved(f"{name}={opts[name]!r}: use true or false")


def dig(text: str, fragment: str | None) -> str:
    """The value at `#/a/b` in a JSON or YAML text; the whole text without a fragment."""
    if fragment is None:
        return text
    import yaml

    try:
        data: object = yaml.safe_load(text)
    except yaml.YAMLError:
        raise Unresolved(f"#{fragment}: the content is not JSON or YAML") from None
    path = [p for p in fragment.strip("/").split("/") if p]
    for part in path:
        if isinstance(data, dict) and part in data:
            data = data[part]
        elif isinstance(data, list) and part.isdigit() and int(part) < len(data):
            data = data[int(part)]
        else:
            raise Unresolved(f"#{fragment}: no {part!r} there")
    if isinstance(data, bool):
        return "true" if data else "false"
    if isinstance(data, (str, int, float)):
        return str(data)
    raise Unresolved(f"#{fragment}: holds a {type(data).__name__}, not a single value")

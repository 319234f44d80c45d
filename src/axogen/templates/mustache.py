"""Mustache with chevron: variables unescaped, missing names collected, helpers as lambdas."""

from __future__ import annotations

import contextvars
import io
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from axogen.templates import (
    HELPERS,
    TemplateProblem,
    dateformat,
    inside,
    read_template,
    text,
    to_json,
)

# how wrapped values print: None (as text), "json", or ("date", pattern) inside a helper
_MODE: contextvars.ContextVar[Any] = contextvars.ContextVar("axogen_mustache_mode", default=None)


def _mode_text(value: Any) -> str:
    mode = _MODE.get()
    if mode is None:
        return text(value)
    if mode == "json":
        return to_json(value)
    return dateformat(value, mode[1])


class _Value:
    """A scalar for chevron: prints as `text()` (or JSON/dates inside helpers), keeps its
    truth value, and is returned even when falsy (so 0 and False print)."""

    __slots__ = ("plain",)
    _CHEVRON_return_scope_when_falsy = True

    def __init__(self, plain: Any) -> None:
        self.plain = plain

    def __str__(self) -> str:
        return _mode_text(self.plain)

    def __bool__(self) -> bool:
        return bool(self.plain)

    def __getitem__(self, key: Any) -> Any:
        raise KeyError(key)


class _Map(dict[str, Any]):
    _CHEVRON_return_scope_when_falsy = True
    plain: Any

    def __str__(self) -> str:
        return _mode_text(self.plain)


class _List(list[Any]):
    _CHEVRON_return_scope_when_falsy = True
    plain: Any

    def __str__(self) -> str:
        return _mode_text(self.plain)


def _wrap(value: Any) -> Any:
    if isinstance(value, dict):
        out: _Map | _List = _Map((k, _wrap(v)) for k, v in value.items())
    elif isinstance(value, list):
        out = _List(_wrap(v) for v in value)
    else:
        return _Value(value)
    out.plain = value
    return out


def _mustache_tokens(source: str) -> list[tuple[str, str]]:
    from chevron.tokenizer import tokenize

    # every {{name}} as {{{name}}}: no HTML escaping
    return [("no escape" if tag == "variable" else tag, key) for tag, key in tokenize(source)]


class _Partials(dict[str, Any]):
    """Partials loaded on first use from the template's folder, as tokens."""

    def __init__(self, folder: Path, suffix: str, load: Callable[[str], Any]) -> None:
        super().__init__()
        self.folder, self.suffix, self.load = folder, suffix, load

    def __missing__(self, name: str) -> Any:
        file = inside(self.folder, name) or inside(self.folder, name + self.suffix)
        if file is None:
            raise TemplateProblem(
                "", f"partial {name!r} not found (partials are relative to the template's folder)"
            )
        value = self[name] = self.load(read_template(file)[0])
        return value


def _mustache_helpers() -> dict[str, Any]:
    def transform(fn: Callable[[Any], str]) -> Callable[[str, Any], str]:
        return lambda body, render: fn(render(_mustache_tokens(body)))

    def in_mode(mode: Any, body: str, render: Any) -> str:
        token = _MODE.set(mode)
        try:
            return str(render(_mustache_tokens(body)))
        finally:
            _MODE.reset(token)

    helpers: dict[str, Any] = {
        name: transform(fn) for name, fn in HELPERS.items() if name not in ("json", "dateformat")
    }
    # {{#json}}{{tags}}{{/json}}; {{#when}}{{#dateformat}}%Y-%m-%d{{/dateformat}}{{/when}}
    helpers["json"] = lambda body, render: in_mode("json", body, render)
    helpers["dateformat"] = lambda body, render: in_mode(
        ("date", body.strip() or None), "{{.}}", render
    )
    return helpers


def render_mustache(path: str, source: str, data: dict[str, Any], strict: bool, shown: str) -> str:
    import contextlib

    import chevron

    partials = _Partials(Path(path).parent, Path(path).suffix, _mustache_tokens)
    warnings = io.StringIO()
    scopes: Any = [_wrap(data), _mustache_helpers()]  # names resolve in the data first
    try:
        with contextlib.redirect_stderr(warnings):
            # chevron reports each name it cannot find on stderr when warn=True
            out = chevron.render(
                _mustache_tokens(source),
                partials_dict=partials,
                partials_path=None,
                scopes=scopes,
                warn=strict,
            )
    except chevron.ChevronError as e:
        raise TemplateProblem(shown, " ".join(str(e).split())) from None
    except TemplateProblem as e:
        raise TemplateProblem(shown, e.reason) from None
    except Exception as e:
        raise TemplateProblem(shown, f"{type(e).__name__}: {e}") from None
    missing = list(dict.fromkeys(re.findall(r"Could not find key '(.*)'", warnings.getvalue())))
    if missing:
        names = ", ".join(repr(m) for m in missing)
        raise TemplateProblem(shown, f"missing variable{'s' if len(missing) > 1 else ''} {names}")
    return str(out)

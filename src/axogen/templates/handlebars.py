"""Handlebars with pybars3: no HTML escaping, strict lookups, partials beside the template."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from axogen.templates import HELPERS, TemplateProblem, inside, read_template, text


class _Missing(Exception):
    pass


class _StrictDict(dict[str, Any]):
    where = ""

    # pybars looks names up with `context[name]`; this error is not one it swallows
    def __missing__(self, key: str) -> Any:
        raise _Missing(f"{self.where}{key}")


def _strict(value: Any, where: str = "") -> Any:
    if isinstance(value, dict):
        out = _StrictDict((k, _strict(v, f"{where}{k}.")) for k, v in value.items())
        out.where = where
        return out
    if isinstance(value, list):
        return [_strict(v, f"{where[:-1]}[{i}].") for i, v in enumerate(value)]
    return value


def _handlebars_prepare(value: Any, should_escape: bool) -> Any:
    """pybars' `prepare`, without HTML escaping and with our text for values."""
    from pybars import strlist

    del should_escape
    if type(value) is strlist:
        return value
    return text(value)


def _handlebars_compile(compiler: Any, source: str) -> Any:
    template = compiler.compile(source)
    # the compiled module's own global, not pybars': only templates compiled here change
    template.__globals__["prepare"] = _handlebars_prepare
    return template


class _HandlebarsPartials(dict[str, Any]):
    def __init__(self, folder: Path, suffix: str, compiler: Any) -> None:
        super().__init__()
        self.folder, self.suffix, self.compiler = folder, suffix, compiler

    def __contains__(self, name: object) -> bool:
        if not isinstance(name, str):
            return False
        if dict.__contains__(self, name):
            return True
        file = inside(self.folder, name) or inside(self.folder, name + self.suffix)
        if file is None:
            return False
        self[name] = _handlebars_compile(self.compiler, read_template(file)[0])
        return True


def render_handlebars(
    path: str, source: str, data: dict[str, Any], strict: bool, shown: str
) -> str:
    import pybars

    compiler = pybars.Compiler()
    from axogen.templates.logic import LOGIC

    helpers = {name: _handlebars_helper(fn) for name, fn in {**HELPERS, **LOGIC}.items()}
    partials = _HandlebarsPartials(Path(path).parent, Path(path).suffix, compiler)
    try:
        template = _handlebars_compile(compiler, source)
        return str(template(_strict(data) if strict else data, helpers=helpers, partials=partials))
    except _Missing as e:
        raise TemplateProblem(shown, f"missing variable {e.args[0]!r}") from None
    except TemplateProblem as e:  # a partial leaving the template's folder
        raise TemplateProblem(shown, e.reason) from None
    except pybars.PybarsError as e:
        raise TemplateProblem(shown, str(e)) from None
    except Exception as e:
        raise TemplateProblem(shown, f"{type(e).__name__}: {e}") from None


def _handlebars_helper(fn: Callable[..., Any]) -> Callable[..., Any]:
    def helper(this: Any, *args: Any) -> Any:
        del this
        return fn(*args)

    return helper

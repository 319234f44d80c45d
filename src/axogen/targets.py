"""Target factories: `ax.env(...)`, `ax.json(...)`, `ax.yaml(...)` and the rest.

There is one factory per format in the registry, made from the format's record
(`axogen.formats.contract.Format`) on first use: the keywords every target takes are checked
here, each of the format's options by the check its record names, so a mistake points at the
line of the config that made it. A misspelt option is a TypeError naming the valid ones.
"""

from __future__ import annotations

import inspect
import os
from typing import Any, Protocol

from axogen.config.model import Target
from axogen.formats.contract import REQUIRED, Format, Option

# the keywords every target takes, after `path` and `variables`
COMMON = ("schema", "condition", "header", "mode", "backup")

_UNSET: Any = object()


class Factory(Protocol):
    """`ax.NAME(path, variables, *, schema=…, condition=…, header=…, mode=…, backup=…,
    **options)`.

    The options differ per format, so they are typed `Any` here; each factory carries its
    real signature (`inspect.signature`, `help`) and checks every option when called.
    """

    def __call__(
        self,
        path: str | os.PathLike[str] = ...,
        variables: Any = None,
        *,
        schema: Any = None,
        condition: Any = True,
        header: bool | str = True,
        mode: int | None = None,
        backup: Any = False,
        **options: Any,
    ) -> Target: ...


def __getattr__(name: str) -> Factory:
    from axogen.formats import FORMATS, get_format

    if name not in FORMATS or not get_format(name).factory:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    factory = make_factory(get_format(name))
    globals()[name] = factory
    return factory


def make_factory(fmt: Format) -> Factory:
    """The target factory of format `fmt`, with the signature and help its record gives."""
    by_name = {option.name: option for option in fmt.options}
    defaults: dict[str, Any] | None = None  # checked at the first call (help() checks none)

    def factory(
        path: Any = _UNSET,
        variables: Any = _UNSET,
        *,
        schema: Any = _UNSET,
        condition: Any = True,
        header: bool | str = True,
        mode: int | None = None,
        backup: Any = False,
        **options: Any,
    ) -> Target:
        nonlocal defaults
        if defaults is None:
            defaults = _checked_defaults(fmt)
        checked = _options(fmt, by_name, options, defaults)
        return _build(fmt, path, variables, schema, condition, header, mode, backup, checked)

    factory.__name__ = factory.__qualname__ = fmt.name
    factory.__module__ = "axogen"
    factory.__doc__ = _doc(fmt)
    factory.__signature__ = _signature(fmt)  # type: ignore[attr-defined]
    return factory


def _build(
    fmt: Format,
    path: Any,
    variables: Any,
    schema: Any,
    condition: Any,
    header: Any,
    mode: Any,
    backup: Any,
    options: dict[str, Any],
) -> Target:
    name = fmt.name
    if path is _UNSET:
        if fmt.default_path is None:
            raise TypeError(f"{name}() missing 1 required positional argument: 'path'")
        path = fmt.default_path
    if variables is not _UNSET and not fmt.takes_variables:
        raise TypeError(f"{name}() takes no variables: it documents its schema")
    if schema is _UNSET:
        if fmt.needs_schema:
            raise TypeError(f"{name}() missing 1 required keyword-only argument: 'schema'")
        schema = None
    # a str asks no ABC (10,000 targets: 2-5 ms less)
    if type(path) is not str and isinstance(path, os.PathLike):
        path = os.fspath(path)
    if not isinstance(path, str) or not path.strip():
        raise TypeError(f"{name}(): path must be a non-empty string, got {path!r}")
    if not isinstance(header, (bool, str)):
        raise TypeError(f"{name}(): header must be True, False or a string, got {header!r}")
    if mode is not None and (
        isinstance(mode, bool) or not isinstance(mode, int) or not 0 <= mode <= 0o777
    ):
        raise TypeError(f"{name}(): mode must be an int such as 0o600, got {mode!r}")
    if variables is _UNSET or variables is None:
        variables = fmt.no_variables()
    if fmt.prepare is not None:
        options, variables = fmt.prepare(options, variables, schema)
    if backup is not False:  # the usual False imports and calls nothing (10,000 targets: 13 ms)
        from axogen.generate.backup import as_backup

        backup = as_backup(backup)
    return Target(
        format=name,
        path=path,
        variables=variables,
        schema=schema,
        condition=bool(condition),
        header=header,
        mode=mode,
        options=options,
        backup=None if backup is False else backup,
    )


def _options(
    fmt: Format, by_name: dict[str, Option], given: dict[str, Any], defaults: dict[str, Any]
) -> dict[str, Any]:
    """Every option of `fmt`: as given (checked) or its default (`defaults`: checked once)."""
    if not given and len(defaults) == len(fmt.options):
        return defaults.copy()
    unknown = [key for key in given if key not in by_name]
    if unknown:
        valid = ", ".join(o.name for o in fmt.options) or "none"
        raise TypeError(
            f"{fmt.name}() got an unexpected keyword argument {unknown[0]!r}; "
            f"its options: {valid}; every target also takes {', '.join(COMMON)}"
        )
    options: dict[str, Any] = {}
    for option in fmt.options:
        name = option.name
        if name not in given and name in defaults:
            options[name] = defaults[name]
            continue
        value = given.get(name, option.default)
        if value is REQUIRED:
            raise TypeError(f"{fmt.name}() missing 1 required keyword-only argument: {name!r}")
        try:
            options[name] = option.check(value)
        except TypeError as e:
            raise TypeError(f"{fmt.name}(): {name} {e}") from None
    return options


def _checked_defaults(fmt: Format) -> dict[str, Any]:
    """Each option's default as its check stores it, checked once for every call that leaves
    it out (10,000 targets: 15 ms less); a required option, or a default its check refuses,
    is left to each call."""
    defaults: dict[str, Any] = {}
    for option in fmt.options:
        if option.default is REQUIRED:
            continue
        try:
            defaults[option.name] = option.check(option.default)
        except Exception:
            continue  # each call raises it, as before
    return defaults


def _signature(fmt: Format) -> inspect.Signature:
    P = inspect.Parameter
    empty = P.empty
    params = [
        P(
            "path",
            P.POSITIONAL_OR_KEYWORD,
            default=empty if fmt.default_path is None else fmt.default_path,
            annotation="str | os.PathLike[str]",
        )
    ]
    if fmt.takes_variables:
        params.append(P("variables", P.POSITIONAL_OR_KEYWORD, default=None, annotation="Any"))
    options = [
        P(
            o.name,
            P.KEYWORD_ONLY,
            default=empty if o.default is REQUIRED else o.default,
            annotation=o.annotation,
        )
        for o in fmt.options
    ]
    # required options first, as a reader expects them
    params.extend(p for p in options if p.default is empty)
    params.extend(
        [
            P(
                "schema",
                P.KEYWORD_ONLY,
                default=empty if fmt.needs_schema else None,
                annotation="Any",
            ),
            P("condition", P.KEYWORD_ONLY, default=True, annotation="Any"),
            P("header", P.KEYWORD_ONLY, default=True, annotation="bool | str"),
            P("mode", P.KEYWORD_ONLY, default=None, annotation="int | None"),
            P("backup", P.KEYWORD_ONLY, default=False, annotation="Any"),
        ]
    )
    params.extend(p for p in options if p.default is not empty)
    return inspect.Signature(params, return_annotation="Target")


def _doc(fmt: Format) -> str:
    lines = [inspect.cleandoc(fmt.doc), ""]
    if fmt.options:
        lines.append("Options:")
        for o in fmt.options:
            default = "required" if o.default is REQUIRED else f"default {o.default!r}"
            lines.append(f"    {o.name}: {o.doc} ({default})")
        lines.append("")
    lines.extend(
        [
            "Every target also takes schema= (a pydantic model or type the variables must",
            "match), condition= (false: skipped), header= (True, False or your own text),",
            "mode= (e.g. 0o600) and backup= (keep the previous content); docs/formats.md.",
        ]
    )
    return "\n".join(lines)

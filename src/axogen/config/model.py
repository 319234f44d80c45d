"""Immutable records describing a loaded configuration."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any, NamedTuple


class Target(NamedTuple):
    """One file to generate: its format, where it goes and what it holds."""

    format: str
    path: str
    variables: Any
    schema: Any = None
    condition: bool = True
    header: bool | str = True
    mode: int | None = None
    options: Mapping[str, Any] = MappingProxyType({})
    # a generate.backup.Backup, or None for no backups
    backup: Any = None


class Config(NamedTuple):
    """What `define_config` returns; the config file binds it to `config`."""

    targets: Mapping[str, Target]
    commands: Mapping[str, Any]
    # the project root (`define_config(root=...)`), relative to the config's folder
    root: str | None = None


class LoadedConfig(NamedTuple):
    """A config together with where it came from."""

    config: Config
    file: Path
    root: Path
    env_files: tuple[Path, ...] = ()
    # the validated models returned by every load_env() call the config made
    env_models: tuple[object, ...] = ()
    # (model name, variable, where its value came from, is it secret), in load order
    env_sources: tuple[tuple[str, str, str, bool], ...] = ()
    # each env file's values, decrypted and with references resolved
    env_values: Mapping[Path, Mapping[str, str]] = MappingProxyType({})
    # the values decrypted or resolved from references: declared secrets
    env_secrets: tuple[str, ...] = ()
    # env files whose values are encrypted or references: no "not git-ignored" warning
    sealed_env_files: frozenset[Path] = frozenset()
    # loaded for inspection: (model name, variable) -> what is wrong with its value, and
    # the errors a strict load would have raised (`generate` fails with the first)
    env_issues: Mapping[tuple[str, str], tuple[str, str]] = MappingProxyType({})
    env_errors: tuple[Exception, ...] = ()


def define_config(
    *,
    targets: Mapping[str, Target] | None = None,
    commands: Mapping[str, Any] | None = None,
    root: str | os.PathLike[str] | None = None,
) -> Config:
    """Build the config object a config file binds to `config`.

    `targets` maps each target's name (what `-t NAME` selects, and errors name) to a file
    made by a factory such as `ax.env(...)` or `ax.yaml(...)`. `commands` maps each name
    of `axogen run NAME` to a shell string, a callable taking the `CommandContext`, or
    what `ax.cmd`, `ax.group` and `ax.parallel` return. A name that is not a string, or a
    target not made by a factory, is an error at the config's line. `root` names the
    project root, a folder at or above the config's (`root=".."`): target paths are still
    relative to the config's folder but may reach anywhere inside the root
    (`../services/api/.env`), never outside it.
    """
    if isinstance(root, os.PathLike):
        root = os.fspath(root)
    if root is not None and (not isinstance(root, str) or not root.strip()):
        raise TypeError(f"define_config(): root must be a folder path such as '..', got {root!r}")
    targets = dict(targets or {})
    commands = dict(commands or {})
    for name, target in targets.items():
        if not isinstance(name, str) or not name:
            raise TypeError(f"target names must be non-empty strings, got {name!r}")
        if isinstance(target, Mapping):
            raise TypeError(_plain_target_message(name, target))
        if not isinstance(target, Target):
            raise TypeError(
                f"target {name!r} is a {type(target).__name__}; build it with a target "
                "factory such as ax.env(...), ax.json(...), ax.yaml(...) or ax.toml(...)"
            )
    for name in commands:
        if not isinstance(name, str) or not name:
            raise TypeError(f"command names must be non-empty strings, got {name!r}")
    return Config(targets=targets, commands=commands, root=root)


def extend_config(base: Config, extra: Config) -> Config:
    """Merge two configs; on a name both define, `extra`'s fields win, the rest are kept.

    Targets of the same name are merged field by field: `variables` deep-merged (dicts key by
    key, recursively; any other value, lists included, replaced by `extra`'s); every other
    field, and each format option when both targets have the same format, is `extra`'s unless
    `extra` leaves it at its default (then the base's is kept). Command groups of the same
    name are merged member by member (recursively); any other command of the same name is
    replaced.
    """
    for which, value in (("base", base), ("extra", extra)):
        if not isinstance(value, Config):
            raise TypeError(f"extend_config: {which} must be a config from define_config()")
    targets = dict(base.targets)
    for name, target in extra.targets.items():
        old = targets.get(name)
        targets[name] = target if old is None else _merge_targets(old, target)
    return Config(
        targets=targets,
        commands=_merge_commands(base.commands, extra.commands),
        root=extra.root if extra.root is not None else base.root,
    )


_TARGET_DEFAULTS: dict[str, Any] = dict(Target._field_defaults)


def _merge_targets(base: Target, extra: Target) -> Target:
    fields: dict[str, Any] = {}
    for name in Target._fields:
        old, new = getattr(base, name), getattr(extra, name)
        if name == "variables":
            fields[name] = deep_merge(old, new)
        elif name == "options":
            fields[name] = _merge_options(base, extra)
        elif name in _TARGET_DEFAULTS and _is_default(new, _TARGET_DEFAULTS[name]):
            fields[name] = old
        else:
            fields[name] = new
    return Target(**fields)


def _merge_options(base: Target, extra: Target) -> dict[str, Any]:
    """Format options: of the same format, those `extra` leaves at the factory's default keep
    the base's value; of another format, `extra`'s."""
    if base.format != extra.format:
        return dict(extra.options)
    defaults = _factory_defaults(extra.format)
    given = {
        k: v
        for k, v in extra.options.items()
        if k not in defaults or not _is_default(v, defaults[k])
    }
    return {**base.options, **given}


def _factory_defaults(format: str) -> dict[str, Any]:
    """Each option of format `format` at its default, as its factory stores it."""
    from axogen.formats import FORMATS, get_format
    from axogen.formats.contract import REQUIRED

    if format not in FORMATS:
        return {}
    return {
        o.name: o.check(o.default) for o in get_format(format).options if o.default is not REQUIRED
    }


def _is_default(value: Any, default: Any) -> bool:
    return type(value) is type(default) and bool(value == default)


def deep_merge(base: Any, extra: Any) -> Any:
    """`extra` over `base`: dicts merged key by key, recursively; anything else replaced."""
    if isinstance(base, Mapping) and isinstance(extra, Mapping):
        merged = dict(base)
        for key, value in extra.items():
            merged[key] = deep_merge(merged[key], value) if key in merged else value
        return merged
    return extra


def _merge_commands(base: Mapping[str, Any], extra: Mapping[str, Any]) -> dict[str, Any]:
    from axogen.usercommands.model import Group

    merged = dict(base)
    for name, node in extra.items():
        old = merged.get(name)
        if isinstance(old, Group) and isinstance(node, Group):
            node = Group(
                help=node.help if node.help is not None else old.help,
                commands=_merge_commands(old.commands, node.commands),
            )
        merged[name] = node
    return merged


def _plain_target_message(name: str, target: Mapping[Any, Any]) -> str:
    """The TypeScript axogen's `{"app": {"path": ..., "type": "env", ...}}`, spelt in Python."""
    kind = target.get("type")
    factory = kind if isinstance(kind, str) and kind.isidentifier() else "env"
    args = [repr(target.get("path", "..."))] + (["{...}"] if "variables" in target else [])
    return (
        f"target {name!r} is a dict; build it with a target factory: the TypeScript axogen's "
        f"{{'path': ..., 'type': ..., 'variables': ...}} is spelt "
        f"ax.{factory}({', '.join(args)}), with the format's options as keywords"
    )

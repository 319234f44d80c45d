"""Immutable records describing a loaded configuration."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from pathlib import Path
from typing import Any


@dataclasses.dataclass(frozen=True, slots=True)
class Target:
    """One file to generate: its format, where it goes and what it holds."""

    format: str
    path: str
    variables: Any
    schema: Any = None
    condition: bool = True
    header: bool | str = True
    mode: int | None = None
    options: Mapping[str, Any] = dataclasses.field(default_factory=dict)
    # a generate.backup.Backup, or None for no backups
    backup: Any = None


@dataclasses.dataclass(frozen=True, slots=True)
class Config:
    """What `define_config` returns; the config file binds it to `config`."""

    targets: Mapping[str, Target]
    commands: Mapping[str, Any]


@dataclasses.dataclass(frozen=True, slots=True)
class LoadedConfig:
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
    env_values: Mapping[Path, Mapping[str, str]] = dataclasses.field(default_factory=dict)
    # the values decrypted or resolved from references: declared secrets
    env_secrets: tuple[str, ...] = ()
    # env files whose values are encrypted or references: no "not git-ignored" warning
    sealed_env_files: frozenset[Path] = frozenset()
    # loaded for inspection: (model name, variable) -> what is wrong with its value, and
    # the errors a strict load would have raised (`generate` fails with the first)
    env_issues: Mapping[tuple[str, str], tuple[str, str]] = dataclasses.field(default_factory=dict)
    env_errors: tuple[Exception, ...] = ()


def define_config(
    *,
    targets: Mapping[str, Target] | None = None,
    commands: Mapping[str, Any] | None = None,
) -> Config:
    """Build the config object a config file binds to `config`.

    `targets` maps each target's name (what `-t NAME` selects, and errors name) to a file
    made by a factory such as `ax.env(...)` or `ax.yaml(...)`. `commands` maps each name
    of `axogen run NAME` to a shell string, a callable taking the `CommandContext`, or
    what `ax.cmd`, `ax.group` and `ax.parallel` return. A name that is not a string, or a
    target not made by a factory, is an error at the config's line.
    """
    targets = dict(targets or {})
    commands = dict(commands or {})
    for name, target in targets.items():
        if not isinstance(name, str) or not name:
            raise TypeError(f"target names must be non-empty strings, got {name!r}")
        if not isinstance(target, Target):
            raise TypeError(
                f"target {name!r} is a {type(target).__name__}; build it with a target "
                "factory such as ax.env(...), ax.json(...), ax.yaml(...) or ax.toml(...)"
            )
    for name in commands:
        if not isinstance(name, str) or not name:
            raise TypeError(f"command names must be non-empty strings, got {name!r}")
    return Config(targets=targets, commands=commands)


def extend_config(base: Config, extra: Config) -> Config:
    """Merge two configs; on a name both define, `extra` wins."""
    for which, value in (("base", base), ("extra", extra)):
        if not isinstance(value, Config):
            raise TypeError(f"extend_config: {which} must be a config from define_config()")
    return Config(
        targets={**base.targets, **extra.targets},
        commands={**base.commands, **extra.commands},
    )

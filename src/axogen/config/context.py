"""What the config file being executed may ask about itself: its folder and its env files."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from axogen.runcontext import current as _run


@dataclasses.dataclass(slots=True)
class LoadContext:
    root: Path
    # where axogen was started; the config runs in `root`, but messages name files from here
    cwd: Path | None = None
    # loaded for inspection (list, schema, the listing of commands): load_env notes values
    # that are missing, invalid or cannot be opened instead of failing
    inspect: bool = False
    # inspection: (model name, variable) -> (missing | invalid | not opened | encrypted,
    # where or why)
    env_issues: dict[tuple[str, str], tuple[str, str]] = dataclasses.field(default_factory=dict)
    # inspection: the errors a strict load would have raised, first first
    env_errors: list[Exception] = dataclasses.field(default_factory=list)
    env_files: list[Path] = dataclasses.field(default_factory=list)
    env_models: list[object] = dataclasses.field(default_factory=list)
    # (model name, variable, where its value came from, is it secret) for `list --env`
    env_sources: list[tuple[str, str, str, bool]] = dataclasses.field(default_factory=list)
    # the values of each env file read, after decryption and references (for `axogen run`)
    env_values: dict[Path, dict[str, str]] = dataclasses.field(default_factory=dict)
    # every value decrypted or resolved from a reference: declared secrets, whatever the type
    env_secrets: list[str] = dataclasses.field(default_factory=list)
    # env files git may commit: their values are encrypted or references (config.sealed)
    sealed_env_files: set[Path] = dataclasses.field(default_factory=set)
    # each reference resolved once per run: (reference, base folder) -> value
    reference_cache: dict[tuple[str, str], str] = dataclasses.field(default_factory=dict)
    # template folders' real paths, asked once per load (templates.template_file)
    real_folders: dict[str, str] = dataclasses.field(default_factory=dict)


def current() -> LoadContext | None:
    """The context of the config being loaded in the run in progress, or None."""
    return _run().load


def resolve(path: str | Path) -> Path:
    """A path from a config, made absolute against the config's folder (or the cwd)."""
    p = Path(path)
    if p.is_absolute():
        return p
    ctx = _run().load
    base = ctx.root if ctx is not None else Path.cwd()
    return base / p
